package lambdabench

import (
	"testing"

	rt "github.com/tickc/tickc/runtime"
)

// row is a Telegraf-like cpu point of the workloads.
func row() *rt.Row {
	return &rt.Row{
		Time: 1614834367000000000,
		Tags: rt.Tags{{Key: "cpu", Value: "cpu2"}, {Key: "datacenter", Value: "us-east-1"},
			{Key: "host", Value: "host0042"}, {Key: "service", Value: "svc3"}},
		Fields: rt.Fields{{Key: "usage_idle", Value: rt.Float(62.5)},
			{Key: "usage_system", Value: rt.Float(4)}, {Key: "usage_user", Value: rt.Float(3)}},
	}
}

func TestLambdas(t *testing.T) {
	want := []rt.Value{
		rt.Bool(true), rt.Bool(true), rt.Float(37.5), rt.Float(5), rt.Float(0.6020599913279624),
		rt.Float(1), rt.Float(62.5),
	}
	if len(Lambdas) != len(want) {
		t.Fatalf("%d lambdas", len(Lambdas))
	}
	var st rt.LambdaState
	for i, l := range Lambdas {
		v, err := l.Func(row(), &st)
		if err != nil || v != want[i] {
			t.Errorf("%s = %v %v, want %v", Exprs[i], v, err, want[i])
		}
		if l.Text != Exprs[i] {
			t.Errorf("Text %q, want %q", l.Text, Exprs[i])
		}
	}
}

// BenchmarkThreshold is `"usage_idle" < 70.0` as the alert node runs it.
func BenchmarkThreshold(b *testing.B) {
	r := row()
	var st rt.LambdaState
	l := Lambdas[0]
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := rt.EvalPredicate(l, r, &st); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkWhereEval runs the where_eval workload's where predicate and
// its five eval expressions on one point, each with its own state as the
// nodes keep them.
func BenchmarkWhereEval(b *testing.B) {
	r := row()
	var st [6]rt.LambdaState
	where, evals := Lambdas[1], Lambdas[2:]
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := rt.EvalPredicate(where, r, &st[0]); !ok || err != nil {
			b.Fatal(ok, err)
		}
		for i, l := range evals {
			if _, err := l.Func(r, &st[i+1]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// names label the Exprs in benchmark names: the threshold workload's
// level, the where_eval workload's where and the names its eval gives
// its results.
var names = []string{"threshold", "where", "used", "magnitude", "log_user", "spread", "idle_rounded"}

// BenchmarkEach reports every expression on its own.
func BenchmarkEach(b *testing.B) {
	r := row()
	for i, l := range Lambdas {
		b.Run(names[i], func(b *testing.B) {
			var st rt.LambdaState
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Func(r, &st); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHandwrittenThreshold is the floor for BenchmarkThreshold: the
// field looked up and compared by hand, without Kapacitor's checks.
func BenchmarkHandwrittenThreshold(b *testing.B) {
	r := row()
	b.ReportAllocs()
	for b.Loop() {
		v, ok := r.Fields.Get("usage_idle")
		if !ok || !(v.F < 70) {
			b.Fatal(v)
		}
	}
}
