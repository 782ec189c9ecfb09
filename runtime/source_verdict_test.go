package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// TestFromSeriesVerdicts: the stream's only from node decides once per
// series when its predicates depend on the series alone, and parsers
// then skip the fields of rejected series; a point with a field named as
// a predicate's reference, or a failing predicate, is decided point by
// point.
func TestFromSeriesVerdicts(t *testing.T) {
	task, _ := ntTask()
	task.Dbrps = []DBRP{{"db", "rp"}}
	calls := 0
	pred := func(r *Row, _ *LambdaState) (bool, error) {
		calls++
		v, err := ntRef(r, "host")
		if err != nil {
			return false, err
		}
		if v.S == "bad" {
			return false, errors.New("bad host")
		}
		return v.S == "a", nil
	}
	stream := NewStream(task, 0, "stream0", StreamConfig{})
	from := NewFrom(task, 1, "from1", FromConfig{
		Measurement:   "cpu",
		Where:         []*Lambda{{Func: PredicateLambda(pred), Pred: pred, Text: `"host" == 'a'`}},
		WhereBySeries: true, WhereRefs: []string{"host"},
	})
	Link(stream, from, 0)
	rec := ntChain(task, from)
	if stream.verdictFrom() != from {
		t.Fatal("the only from node with series predicates keeps no verdicts")
	}
	lp := NewLineParser("s")
	lp.SetVerdictRefs(from.cfg.WhereRefs)
	var skipped []string
	for _, line := range []string{
		"cpu,host=a v=1 1", "cpu,host=b v=2 1", "mem,host=a v=3 1",
		"cpu,host=a v=4 2", "cpu,host=b v=5 2", "mem,host=a v=6 2", // decided: no predicate call
		`cpu,host=b host="a",v=7 3`,                // a field named host: decided for the point
		"cpu,host=bad v=8 3", "cpu,host=bad v=9 4", // failures are not verdicts
	} {
		p := &Point{Database: "db", RP: "rp"}
		if ok, err := lp.ParseLine([]byte(line), 0, p); !ok || err != nil {
			t.Fatalf("%q: %v, %v", line, ok, err)
		}
		if len(p.Fields) == 0 {
			skipped = append(skipped, line)
		}
		if err := stream.Collect(p); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, p := range rec.points {
		got = append(got, fmt.Sprintf("%s %s", p.Tags, ntFieldsString(p.Fields)))
	}
	want := []string{"[{host a}] v=1(float)", "[{host a}] v=4(float)", "[{host b}] host=a(string) v=7(float)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("passed %v, want %v", got, want)
	}
	// host=a and host=b once each, the host field, bad twice.
	if calls != 5 {
		t.Errorf("%d predicate calls, want 5", calls)
	}
	// mem points never reach the node (the stream routes by measurement).
	if want := []string{"cpu,host=b v=5 2"}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("fields skipped for %q, want %q", skipped, want)
	}
	if n := from.Errors.Load(); n != 2 {
		t.Errorf("%d errors, want 2 (one per failing point)", n)
	}
}

// TestFromVerdictsNeedOneFrom: with two from nodes, neither keeps verdicts
// (a series' verdict is one node's).
func TestFromVerdictsNeedOneFrom(t *testing.T) {
	task, _ := ntTask()
	stream := NewStream(task, 0, "stream0", StreamConfig{})
	a := NewFrom(task, 1, "from1", FromConfig{Measurement: "cpu", WhereBySeries: true})
	b := NewFrom(task, 2, "from2", FromConfig{Measurement: "mem", WhereBySeries: true})
	Link(stream, a, 0)
	Link(stream, b, 0)
	if stream.verdictFrom() != nil {
		t.Error("a verdict node among two from nodes")
	}
}
