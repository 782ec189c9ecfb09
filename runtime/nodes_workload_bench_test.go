package runtime

// Benchmarks of the node chains of the tickbench workloads (window_mean,
// percentile_sigma, where_eval, cardinality), from the from node up to the
// alert node, which belongs to other benchmarks (a sink that keeps
// nothing stands in for it), or through where_eval's httpOut node. The
// points are parsed once by the line parser, so they share tags per
// series as replayed points do; each iteration runs a fresh pipeline over
// all of them. The lambdas are hand-written twins of the generated ones,
// reading fields through the same hints.

import (
	"fmt"
	"math"
	"syscall"
	"testing"
	"time"
)

var (
	wlServices    = []string{"api", "auth", "billing", "checkout", "frontend", "inventory", "search", "worker"}
	wlDatacenters = []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"}
)

// wlPoints parses seconds × hosts × 4 cpus points of measurement cpu, in
// time order, with tickbench's tags and three usage fields.
func wlPoints(tb testing.TB, hosts, seconds int) []Point {
	tb.Helper()
	lp := NewLineParser("s")
	pts := make([]Point, 0, hosts*4*seconds)
	x := uint64(1)
	rnd := func() float64 { // xorshift: fixed, cheap pseudo-random values
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return float64(x%1_000_000) / 1_000_000
	}
	var line []byte
	for s := 0; s < seconds; s++ {
		for h := 0; h < hosts; h++ {
			for c := 0; c < 4; c++ {
				user, system := rnd()*30, rnd()*10
				line = fmt.Appendf(line[:0], "cpu,cpu=cpu%d,datacenter=%s,host=host-%05d,service=%s usage_user=%g,usage_system=%g,usage_idle=%g %d",
					c, wlDatacenters[(h/8)%4], h, wlServices[h%8], user, system, 100-user-system, 1609459200+s)
				var p Point
				if ok, err := lp.ParseLine(line, 0, &p); !ok || err != nil {
					tb.Fatalf("parse %q: %v", line, err)
				}
				p.Database, p.RP = "telegraf", "autogen"
				pts = append(pts, p)
			}
		}
	}
	return pts
}

// cpuTime is the process's user+system CPU time so far: on a loaded
// machine it varies less than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// wlRun runs build's pipeline over pts b.N times and reports wall and
// CPU ns/point.
func wlRun(b *testing.B, pts []Point, build func(t *Task) Node) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		task, _ := ntTask()
		from := build(task)
		for j := range pts {
			if err := from.Point(0, &pts[j]); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pts)), "ns/point")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*len(pts)), "cpu-ns/point")
}

// wlSink ends a workload chain in place of its alert or httpOut node. It
// keeps nothing, as the alert node in capture mode does not, so that the
// nodes before it reuse their points and fields as they do in the task.
type wlSink struct{ Base }

func (*wlSink) Point(int, *Point) error { return nil }
func (*wlSink) Batch(int, *Batch) error { return nil }
func (*wlSink) borrowsPoints() bool     { return true }
func (*wlSink) borrowsFields() bool     { return true }
func (*wlSink) borrowsBatches()         {}

func wlSinkAfter(t *Task, n Node) {
	d := &wlSink{}
	d.Init(t, 98, "sink98", d)
	Link(n, d, 0)
}

func wlRef(r *Row, name string) Value {
	v, _ := r.Ref(name)
	return v
}

// wlField reads a float field as generated lambdas do: through the
// index hint of the lambda state's slot, checked inline.
func wlField(r *Row, st *LambdaState, slot int, name string) Value {
	if at := int(st.RefAt[slot]); at < len(r.Fields) && r.Fields[at].Key == name && NoTag(r.Tags, name) {
		return r.Fields[at].Value
	}
	v, _ := r.RefHinted(name, &st.RefAt[slot])
	return v
}

// BenchmarkWorkloadWindowMean: from groupBy host → window 10s → mean.
func BenchmarkWorkloadWindowMean(b *testing.B) {
	pts := wlPoints(b, 250, 100)
	wlRun(b, pts, func(t *Task) Node {
		from := NewFrom(t, 1, "from1", FromConfig{Measurement: "cpu", GroupBy: []string{"host"}})
		w := NewWindow(t, 2, "window2", WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second})
		m := NewInfluxQL(t, 3, "mean3", InfluxQLConfig{Method: "mean", Field: "usage_idle", As: "mean_idle"})
		Link(from, w, 0)
		Link(w, m, 0)
		wlSinkAfter(t, m)
		return from
	})
}

// BenchmarkWorkloadPercentileSigma: eval → groupBy service,datacenter →
// window 1m → percentile 95 → eval sigma keep.
func BenchmarkWorkloadPercentileSigma(b *testing.B) {
	pts := wlPoints(b, 250, 200)
	used := ntLambda(`100.0 - "usage_idle"`, func(r *Row, st *LambdaState) (Value, error) {
		return Sub(Float(100), wlField(r, st, 0, "usage_idle"))
	})
	sigma := &Lambda{Stateful: true, Text: `sigma("percentile")`, Func: func(r *Row, st *LambdaState) (Value, error) {
		return FnSigma(st, wlRef(r, "percentile"))
	}}
	wlRun(b, pts, func(t *Task) Node {
		from := NewFrom(t, 1, "from1", FromConfig{Measurement: "cpu"})
		e := NewEval(t, 2, "eval2", EvalConfig{Lambdas: []*Lambda{used}, Refs: [][]string{{"usage_idle"}}, As: []string{"used"}})
		g := NewGroupBy(t, 3, "groupby3", GroupByConfig{Dims: []string{"service", "datacenter"}})
		w := NewWindow(t, 4, "window4", WindowConfig{Period: time.Minute, Every: time.Minute})
		pc := NewInfluxQL(t, 5, "percentile5", InfluxQLConfig{Method: "percentile", Field: "used", As: "percentile", Percentile: 95})
		s := NewEval(t, 6, "eval6", EvalConfig{Lambdas: []*Lambda{sigma}, Refs: [][]string{{"percentile"}}, As: []string{"sigma"},
			Keep: true, KeepList: []string{"percentile", "sigma"}})
		Link(from, e, 0)
		Link(e, g, 0)
		Link(g, w, 0)
		Link(w, pc, 0)
		Link(pc, s, 0)
		wlSinkAfter(t, s)
		return from
	})
}

// BenchmarkWorkloadWhereEval: from where (regex, compare) → eval of five
// math expressions → groupBy host,cpu → movingAverage 60.
func BenchmarkWorkloadWhereEval(b *testing.B) {
	pts := wlPoints(b, 250, 100)
	re := MustCompileRegex("^us-")
	where := ntLambda(`"datacenter" =~ /^us-/ AND "cpu" != 'cpu-total'`, func(r *Row, _ *LambdaState) (Value, error) {
		ok, err := Match(wlRef(r, "datacenter"), re)
		if err != nil || !ok {
			return Bool(false), err
		}
		ok, err = Neq(wlRef(r, "cpu"), String("cpu-total"))
		return Bool(ok), err
	})
	exprs := []*Lambda{
		ntLambda("used", func(r *Row, st *LambdaState) (Value, error) {
			return Float(100 - wlField(r, st, 0, "usage_idle").F), nil
		}),
		ntLambda("magnitude", func(r *Row, st *LambdaState) (Value, error) {
			u, s := wlField(r, st, 0, "usage_user").F, wlField(r, st, 1, "usage_system").F
			return Float(math.Sqrt(Square(u) + Square(s))), nil
		}),
		ntLambda("log_user", func(r *Row, st *LambdaState) (Value, error) {
			return Float(math.Log10(1 + wlField(r, st, 0, "usage_user").F)), nil
		}),
		ntLambda("spread", func(r *Row, st *LambdaState) (Value, error) {
			return Float(math.Abs(wlField(r, st, 0, "usage_user").F - wlField(r, st, 1, "usage_system").F)), nil
		}),
		ntLambda("idle_rounded", func(r *Row, st *LambdaState) (Value, error) {
			return Float(math.Floor(wlField(r, st, 0, "usage_idle").F*10) / 10), nil
		}),
	}
	wlRun(b, pts, func(t *Task) Node {
		from := NewFrom(t, 1, "from1", FromConfig{Measurement: "cpu", Where: []*Lambda{where}})
		e := NewEval(t, 2, "eval2", EvalConfig{Lambdas: exprs,
			Refs: [][]string{{"usage_idle"}, {"usage_user", "usage_system"}, {"usage_user"}, {"usage_user", "usage_system"}, {"usage_idle"}},
			As:   []string{"used", "magnitude", "log_user", "spread", "idle_rounded"}})
		g := NewGroupBy(t, 3, "groupby3", GroupByConfig{Dims: []string{"host", "cpu"}})
		m := NewInfluxQL(t, 4, "movingAverage4", InfluxQLConfig{Method: "movingAverage", Field: "used", As: "used_1m", Window: 60})
		h := NewHTTPOut(t, 5, "http_out5", HTTPOutConfig{Endpoint: "used_1m"})
		Link(from, e, 0)
		Link(e, g, 0)
		Link(g, m, 0)
		Link(m, h, 0)
		return from
	})
}

// BenchmarkWorkloadCardinality: from groupBy host,cpu (25,000 series) →
// stateDuration.
func BenchmarkWorkloadCardinality(b *testing.B) {
	pts := wlPoints(b, 6250, 4)
	busy := ntLambda(`"usage_idle" < 70`, func(r *Row, _ *LambdaState) (Value, error) {
		ok, err := Lt(wlRef(r, "usage_idle"), Int(70))
		return Bool(ok), err
	})
	wlRun(b, pts, func(t *Task) Node {
		from := NewFrom(t, 1, "from1", FromConfig{Measurement: "cpu", GroupBy: []string{"host", "cpu"}})
		s := NewStateDuration(t, 2, "stateDuration2", StateConfig{Lambda: busy, As: "busy_seconds", Unit: time.Second})
		Link(from, s, 0)
		wlSinkAfter(t, s)
		return from
	})
}
