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

// TestEvalTellsLambdasNoRefIsTag: an eval node that has checked the names
// its expressions read tells each expression whether one of its names is
// a tag of the row (LambdaState.NoRefIsTag), so compiled code may skip
// that check; a name that is a field and a tag fails the point.
func TestEvalTellsLambdasNoRefIsTag(t *testing.T) {
	task, _ := ntTask()
	var seen []string
	spy := func(name string) *Lambda {
		return &Lambda{Text: name, Func: func(r *Row, st *LambdaState) (Value, error) {
			seen = append(seen, fmt.Sprintf("%s:%v", name, st.NoRefIsTag))
			return Float(1), nil
		}}
	}
	eval := NewEval(task, 1, "eval1", EvalConfig{
		Lambdas: []*Lambda{spy("a"), spy("b"), spy("ab")},
		Refs:    [][]string{{"a"}, {"b"}, {"a", "b"}},
		As:      []string{"x", "y", "z"},
	})
	ntChain(task, eval)
	for _, tc := range []struct {
		tags Tags
		want string
	}{
		{nil, "[a:true b:true ab:true]"},
		{Tags{{"b", "t"}}, "[a:true b:false ab:false]"},              // b only a tag
		{Tags{{"a", "t"}}, "[a:false b:false ab:false]"},             // a only a tag
		{Tags{{"c", "t"}, {"host", "h"}}, "[a:true b:true ab:true]"}, // other tags
		{Tags{{"a", "t"}, {"b", "t"}}, "[a:false b:false ab:false]"}, // both
	} {
		seen = nil
		fields := ntFields("c", 1.0)
		if err := eval.Point(0, ntPoint(0, tc.tags, fields)); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(seen); got != tc.want {
			t.Errorf("tags %v: %s, want %s", tc.tags, got, tc.want)
		}
	}
	// A field and a tag of one name: the point fails before any
	// expression reads it.
	seen = nil
	if err := eval.Point(0, ntPoint(0, Tags{{"b", "t"}}, ntFields("b", 1.0))); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(seen); got != "[a:true]" {
		t.Errorf("clash: %s, want [a:true]", got)
	}
	if n := eval.Errors.Load(); n != 1 {
		t.Errorf("%d errors, want 1", n)
	}
}
