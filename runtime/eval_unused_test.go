package runtime

import (
	"fmt"
	"reflect"
	"testing"
)

// TestEvalUnusedResults: results listed in EvalConfig.Unused are left out
// of the points, while their expressions still run: one that fails drops
// the point, as it would if its result were kept.
func TestEvalUnusedResults(t *testing.T) {
	task, _ := ntTask()
	eval := NewEval(task, 1, "eval1", EvalConfig{
		Lambdas: []*Lambda{ntBinop("v", '*', Float(2)), ntBinop("w", '+', Float(1))},
		Refs:    [][]string{{"v"}, {"w"}},
		As:      []string{"d", "e"},
		Unused:  []string{"e"},
	})
	rec := ntChain(task, eval)
	for i, fields := range []Fields{
		ntFields("v", 1.0, "w", 10.0),
		ntFields("v", 2.0), // "w" missing: the unused expression fails
		ntFields("v", 3.0, "w", 30.0),
	} {
		if err := eval.Point(0, ntPoint(float64(i), nil, fields)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, p := range rec.points {
		got = append(got, fmt.Sprintf("%d %s", p.Time, ntFieldsString(p.Fields)))
	}
	want := []string{"0 d=2(float)", "2000000000 d=6(float)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if n := eval.Errors.Load(); n != 1 {
		t.Errorf("%d errors, want 1", n)
	}
}
