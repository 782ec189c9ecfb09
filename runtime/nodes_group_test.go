package runtime

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// windowRun feeds points (seconds, group tag h) to a window and returns
// its batches as "tmax:[times]" strings, per group when grouped. It runs
// the window twice: once with a child that keeps the batches (the window
// copies or hands over its buffers) and once with a child that only
// borrows them (the window lends its buffers); both must see the same.
func windowRun(t *testing.T, cfg WindowConfig, points ...*Point) []string {
	t.Helper()
	task, _ := ntTask()
	n := NewWindow(task, 1, "window1", cfg)
	rec := ntChain(task, n)
	task2, _ := ntTask()
	n2 := NewWindow(task2, 1, "window1", cfg)
	bor := &ntBorrower{}
	bor.Init(task2, 99, "borrower99", bor)
	Link(n2, bor, 0)
	for _, p := range points {
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
		if err := n2.Point(0, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Done(0); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range rec.batches {
		out = append(out, windowString(b))
	}
	if !reflect.DeepEqual(out, bor.seen) {
		t.Errorf("a borrowing child saw %v, a keeping one %v", bor.seen, out)
	}
	return out
}

func windowString(b *Batch) string {
	s := fmt.Sprintf("%g:%v", float64(b.TMax)/float64(ntSec), ntTimes(b.Points))
	if b.Group != "" {
		s = string(b.Group) + "@" + s
	}
	return s
}

// ntBorrower is a terminal batchBorrower: it writes down what it sees
// during the call and keeps nothing.
type ntBorrower struct {
	Base
	seen []string
}

func (*ntBorrower) borrowsBatches()     {}
func (*ntBorrower) borrowsPoints() bool { return true }
func (*ntBorrower) borrowsFields() bool { return true }
func (r *ntBorrower) Point(_ int, p *Point) error {
	r.seen = append(r.seen, fmt.Sprintf("%s %s", p.Group, ntFieldsString(p.Fields)))
	return nil
}
func (r *ntBorrower) Batch(_ int, b *Batch) error {
	r.seen = append(r.seen, windowString(b))
	return nil
}

// at returns ungrouped points at the given seconds.
func at(secs ...float64) []*Point {
	var ps []*Point
	for _, s := range secs {
		ps = append(ps, ntPoint(s, ntTags("h", "a"), ntFields("v", s)))
	}
	return ps
}

func TestWindowByTime(t *testing.T) {
	tests := []struct {
		name   string
		cfg    WindowConfig
		points []*Point
		want   []string
	}{
		{
			name:   "tumbling: emitted when a later point arrives, nothing at the end",
			cfg:    WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second},
			points: at(0, 3, 9, 10, 12, 19.5),
			want:   []string{"10:[0 3 9]"},
		},
		{
			name:   "window time is the scheduled end, the next end is the point's time plus every",
			cfg:    WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second},
			points: at(0, 1, 13, 22, 23.5),
			want:   []string{"10:[0 1]", "23:[13 22]"},
		},
		{
			name:   "after a gap one batch comes out, possibly empty",
			cfg:    WindowConfig{Period: time.Second, Every: 5 * time.Second},
			points: at(0, 3, 7, 30),
			want:   []string{"5:[]", "12:[]"},
		},
		{
			name:   "overlapping: the purge keeps the last period",
			cfg:    WindowConfig{Period: 4 * time.Second, Every: 2 * time.Second},
			points: at(0, 1, 2, 3, 4, 5, 6),
			want:   []string{"2:[0 1]", "4:[0 1 2 3]", "6:[2 3 4 5]"},
		},
		{
			name:   "every 0 emits on every point, right-closed",
			cfg:    WindowConfig{Period: 2 * time.Second},
			points: at(0, 1, 2, 2, 5),
			want:   []string{"0:[0]", "1:[0 1]", "2:[1 2]", "2:[1 2 2]", "5:[5]"},
		},
		{
			name:   "every 0 with fillPeriod waits for a full period",
			cfg:    WindowConfig{Period: 2 * time.Second, FillPeriod: true},
			points: at(0, 1, 2, 3),
			want:   []string{"2:[1 2]", "3:[2 3]"},
		},
		{
			name:   "align: ends on multiples of every",
			cfg:    WindowConfig{Period: 5 * time.Second, Every: 5 * time.Second, Align: true},
			points: at(3, 4, 6, 12),
			want:   []string{"5:[3 4]", "10:[6]"},
		},
		{
			name:   "fillPeriod: the first window waits a whole period",
			cfg:    WindowConfig{Period: 4 * time.Second, Every: 2 * time.Second, FillPeriod: true},
			points: at(1, 2, 3, 4, 5, 6, 7),
			want:   []string{"5:[1 2 3 4]", "7:[3 4 5 6]"},
		},
		{
			name:   "fillPeriod with align: the first end is after start+period",
			cfg:    WindowConfig{Period: 4 * time.Second, Every: 2 * time.Second, FillPeriod: true, Align: true},
			points: at(1, 2, 3, 4, 5, 6, 7),
			want:   []string{"6:[2 3 4 5]"},
		},
		{
			name:   "purging stops at the first recent point: an old point behind it survives",
			cfg:    WindowConfig{Period: 2 * time.Second, Every: 2 * time.Second},
			points: at(0, 1, 3, 0.5, 4, 7),
			want:   []string{"2:[0 1]", "5:[3 0.5 4]"},
		},
		{
			name: "groups have their own windows",
			cfg:  WindowConfig{Period: 2 * time.Second, Every: 2 * time.Second},
			points: []*Point{
				ntPoint(0, ntTags("h", "a"), nil, "h"), ntPoint(1, ntTags("h", "b"), nil, "h"),
				ntPoint(2.5, ntTags("h", "a"), nil, "h"), ntPoint(2.9, ntTags("h", "b"), nil, "h"),
				ntPoint(3.5, ntTags("h", "b"), nil, "h"),
			},
			want: []string{"h=a@2:[0]", "h=b@3:[1 2.9]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := windowRun(t, tt.cfg, tt.points...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestWindowBatchShape(t *testing.T) {
	task, _ := ntTask()
	n := NewWindow(task, 1, "window1", WindowConfig{Period: time.Second, Every: time.Second})
	rec := ntChain(task, n)
	p := ntPoint(0, ntTags("h", "a", "x", "y"), ntFields("v", 1.0), "h", "missing")
	p.Name = "cpu"
	_ = n.Point(0, p)
	q := ntPoint(1, ntTags("h", "a", "x", "z"), ntFields("v", 2.0), "h", "missing")
	q.Name = "other"
	_ = n.Point(0, q)
	b := rec.batches[0]
	if b.Name != "cpu" || b.Group != p.Group || !reflect.DeepEqual(b.Tags, ntTags("h", "a", "missing", "")) {
		t.Errorf("batch name %q group %q tags %v", b.Name, b.Group, b.Tags)
	}
	// Points keep all their tags.
	if !reflect.DeepEqual(b.Points[0].Tags, p.Tags) {
		t.Errorf("point tags %v", b.Points[0].Tags)
	}
	if err := n.Batch(0, b); err == nil {
		t.Errorf("window accepted a batch")
	}
}

func TestWindowAlignCountsFromYearOne(t *testing.T) {
	// 1970-01-01 was a Thursday; Go's weeks start on Monday, year 1.
	week := 7 * 24 * time.Hour
	if got, want := goTruncate(0, week), -3*int64(24*time.Hour); got != want {
		t.Errorf("truncate(epoch, 1w) = %d, want %d", got, want)
	}
	got := windowRun(t, WindowConfig{Period: week, Every: week, Align: true}, ntPoint(0, nil, nil), ntPoint(5*24*3600, nil, nil))
	if want := []string{"345600:[0]"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestWindowByCount(t *testing.T) {
	tests := []struct {
		name string
		cfg  WindowConfig
		n    int
		want []string
	}{
		{"sliding", WindowConfig{PeriodCount: 3, EveryCount: 1}, 5, []string{"0:[0]", "1:[0 1]", "2:[0 1 2]", "3:[1 2 3]", "4:[2 3 4]"}},
		{"fillPeriod", WindowConfig{PeriodCount: 3, EveryCount: 1, FillPeriod: true}, 5, []string{"2:[0 1 2]", "3:[1 2 3]", "4:[2 3 4]"}},
		{"tumbling", WindowConfig{PeriodCount: 2, EveryCount: 2}, 5, []string{"1:[0 1]", "3:[2 3]"}},
		{"every beyond period", WindowConfig{PeriodCount: 2, EveryCount: 3}, 7, []string{"2:[1 2]", "5:[4 5]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps []*Point
			for i := 0; i < tt.n; i++ {
				ps = append(ps, ntPoint(float64(i), nil, nil))
			}
			if got := windowRun(t, tt.cfg, ps...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

// ---- groupBy ----

func TestGroupByStream(t *testing.T) {
	task, _ := ntTask()
	by := NewGroupBy(task, 1, "groupby1", GroupByConfig{Dims: []string{"host", "dc"}})
	all := NewGroupBy(task, 2, "groupby2", GroupByConfig{All: true, Exclude: []string{"dc"}, ByMeasurement: true})
	none := NewGroupBy(task, 3, "groupby3", GroupByConfig{})
	r1, r2, r3 := ntChain(task, by), ntChain(task, all), ntChain(task, none)
	p := ntPoint(0, ntTags("host", "a", "dc", "x", "z", "1"), ntFields("v", 1.0))
	for _, n := range []Node{by, all, none} {
		_ = n.Point(0, p)
	}
	if g := r1.points[0].Group; g != "dc=x,host=a" {
		t.Errorf("groupBy(host, dc) group %q", g)
	}
	if g := r2.points[0].Group; g != "m\nhost=a,z=1" {
		t.Errorf("groupBy(*).exclude(dc).byMeasurement() group %q", g)
	}
	if g := r3.points[0]; g.Group != NilGroup || len(g.Tags) != 3 {
		t.Errorf("groupBy() %+v", g)
	}
	if p.Group != NilGroup {
		t.Errorf("input point changed")
	}
	// groupBy never clears an upstream byName.
	q := *p
	q.Regroup(Dimensions{ByName: true})
	_ = by.Point(0, &q)
	if g := r1.points[1].Group; g != "m\ndc=x,host=a" {
		t.Errorf("byName lost: %q", g)
	}
}

// TestGroupByCachedIDs: points sharing a tags slice share a cached group;
// the cache must still tell apart other slices, names and lengths.
func TestGroupByCachedIDs(t *testing.T) {
	for _, byName := range []bool{true, false} {
		task, _ := ntTask()
		n := NewGroupBy(task, 1, "groupby1", GroupByConfig{Dims: []string{"host"}, ByMeasurement: byName})
		rec := ntChain(task, n)
		shared := ntTags("cpu", "c0", "host", "a")
		other := ntTags("cpu", "c0", "host", "b")
		send := func(name string, tags Tags) {
			p := ntPoint(0, tags, ntFields("v", 1.0))
			p.Name = name
			if err := n.Point(0, p); err != nil {
				t.Fatal(err)
			}
		}
		send("m", shared)
		send("m", shared)
		send("m", other)
		send("n", shared)
		send("m", shared[:1]) // a prefix of a known slice: no host
		send("m", shared)
		var got []string
		for _, p := range rec.points {
			got = append(got, fmt.Sprintf("%q %v", p.Group, p.Dims))
		}
		want := []string{
			`"m\nhost=a" {true [host]}`, `"m\nhost=a" {true [host]}`, `"m\nhost=b" {true [host]}`,
			`"n\nhost=a" {true [host]}`, `"m\nhost=" {true [host]}`, `"m\nhost=a" {true [host]}`,
		}
		if !byName {
			want = []string{
				`"host=a" {false [host]}`, `"host=a" {false [host]}`, `"host=b" {false [host]}`,
				`"host=a" {false [host]}`, `"host=" {false [host]}`, `"host=a" {false [host]}`,
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("byName %v: got  %v\nwant %v", byName, got, want)
		}
	}
}

// TestPointLending: a node hands the same Point to children that only
// borrow points, and a new one to the others; points that pass through
// where count as kept when where's children keep them.
func TestPointLending(t *testing.T) {
	task, _ := ntTask()
	eval := NewEval(task, 1, "eval1", EvalConfig{Lambdas: []*Lambda{ntBinop("v", '*', Float(2))}, Refs: [][]string{{"v"}}, As: []string{"d"}})
	where := NewWhere(task, 2, "where2", WhereConfig{Lambda: ntGreater("d", 0)})
	group := NewGroupBy(task, 3, "groupby3", GroupByConfig{Dims: []string{"h"}})
	Link(eval, where, 0)
	Link(where, group, 0)
	rec := ntChain(task, group)
	for i, h := range []string{"a", "b", "a"} {
		if err := eval.Point(0, ntPoint(float64(i), ntTags("h", h), ntFields("v", float64(i+1)))); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, p := range rec.points {
		got = append(got, fmt.Sprintf("%s %s", p.Group, ntFieldsString(p.Fields)))
	}
	want := []string{"h=a d=2(float)", "h=b d=4(float)", "h=a d=6(float)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if !eval.emitted.lend || group.out.lend {
		t.Errorf("eval lends %v (want true), groupBy lends %v (want false: the recorder keeps points)", eval.emitted.lend, group.out.lend)
	}

	if eval.fields.lend {
		t.Errorf("eval lends its fields to a chain that keeps them")
	}

	// A chain that keeps neither points nor fields: eval → stateCount →
	// borrower. Both eval and stateCount reuse their point and fields.
	task3, _ := ntTask()
	eval3 := NewEval(task3, 1, "eval1", EvalConfig{Lambdas: []*Lambda{ntBinop("v", '*', Float(2))}, Refs: [][]string{{"v"}}, As: []string{"d"}})
	state3 := NewStateCount(task3, 2, "stateCount2", StateConfig{Lambda: ntGreater("d", 3)})
	bor := &ntBorrower{}
	bor.Init(task3, 99, "borrower99", bor)
	Link(eval3, state3, 0)
	Link(state3, bor, 0)
	for i, h := range []string{"a", "b", "a"} {
		if err := eval3.Point(0, ntPoint(float64(i), ntTags("h", h), ntFields("v", float64(i+1)), "h")); err != nil {
			t.Fatal(err)
		}
	}
	want3 := []string{"h=a d=2(float) state_count=-1(int)", "h=b d=4(float) state_count=1(int)", "h=a d=6(float) state_count=1(int)"}
	if !reflect.DeepEqual(bor.seen, want3) {
		t.Errorf("got %v, want %v", bor.seen, want3)
	}
	if !eval3.emitted.lend || !eval3.fields.lend || !state3.out.lend || !state3.fields.lend {
		t.Errorf("lending: eval point %v fields %v, stateCount point %v fields %v; want all",
			eval3.emitted.lend, eval3.fields.lend, state3.out.lend, state3.fields.lend)
	}

	// Through a where whose child keeps points, eval must not lend.
	task2, _ := ntTask()
	eval2 := NewEval(task2, 1, "eval1", EvalConfig{Lambdas: []*Lambda{ntBinop("v", '*', Float(2))}, Refs: [][]string{{"v"}}, As: []string{"d"}})
	where2 := NewWhere(task2, 2, "where2", WhereConfig{Lambda: ntGreater("d", 0)})
	Link(eval2, where2, 0)
	rec2 := ntChain(task2, where2)
	_ = eval2.Point(0, ntPoint(0, nil, ntFields("v", 1.0)))
	_ = eval2.Point(0, ntPoint(1, nil, ntFields("v", 2.0)))
	if len(rec2.points) != 2 || rec2.points[0] == rec2.points[1] || ntFieldsString(rec2.points[0].Fields) != "d=2(float)" {
		t.Errorf("kept points were reused: %v", rec2.points)
	}
}

func TestGroupByBatch(t *testing.T) {
	task, _ := ntTask()
	n := NewGroupBy(task, 1, "groupby1", GroupByConfig{Dims: []string{"host"}})
	rec := ntChain(task, n)
	a, b := ntTags("host", "a", "cpu", "0"), ntTags("host", "b", "cpu", "1")
	// Two series of one query (same tmax) merge; the regrouped batches
	// come out when a batch with another tmax arrives.
	_ = n.Batch(0, ntBatch(10, ntTags("cpu", "0"), ntRow(5, a, nil), ntRow(2, b, nil)))
	_ = n.Batch(0, ntBatch(10, ntTags("cpu", "1"), ntRow(3, a, nil), ntRow(4, b, nil)))
	if len(rec.batches) != 0 {
		t.Fatalf("emitted before a new tmax: %d", len(rec.batches))
	}
	_ = n.Batch(0, ntBatch(20, nil)) // empty: creates no group, but flushes
	_ = n.Batch(0, ntBatch(20, ntTags("cpu", "0"), ntRow(15, a, nil)))
	_ = n.Done(0) // the last set is lost
	var got []string
	for _, bt := range rec.batches {
		got = append(got, fmt.Sprintf("%s %v %g:%v", bt.Group, bt.Tags, float64(bt.TMax)/float64(ntSec), ntTimes(bt.Points)))
	}
	want := []string{"host=a [{host a}] 10:[3 5]", "host=b [{host b}] 10:[2 4]"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestGroupByBatchAllTags(t *testing.T) {
	task, _ := ntTask()
	n := NewGroupBy(task, 1, "groupby1", GroupByConfig{All: true})
	rec := ntChain(task, n)
	_ = n.Batch(0, ntBatch(10, nil, ntRow(1, ntTags("a", "1"), nil), ntRow(2, ntTags("a", "1", "b", "2"), nil)))
	_ = n.Batch(0, ntBatch(11, nil))
	if len(rec.batches) != 2 || rec.batches[0].Group != "a=1" || rec.batches[1].Group != "a=1,b=2" {
		t.Errorf("batches %+v", rec.batches)
	}
}

// ---- barrier ----

func TestBarrierPassesDataThrough(t *testing.T) {
	task, _ := ntTask()
	n := NewBarrier(task, 1, "barrier1", BarrierConfig{Idle: time.Second})
	rec := ntChain(task, n)
	p, b := ntPoint(0, nil, nil), ntBatch(1, nil)
	_ = n.Point(0, p)
	_ = n.Batch(0, b)
	if rec.points[0] != p || rec.batches[0] != b {
		t.Errorf("barrier changed data")
	}
}

// ---- flatten ----

func TestFlattenStream(t *testing.T) {
	task, log := ntTask()
	n := NewFlatten(task, 1, "flatten1", FlattenConfig{On: []string{"svc", "host"}, Delimiter: ".", Tolerance: time.Second})
	rec := ntChain(task, n)
	dc := func(s float64, svc, host string, f Fields) *Point {
		return ntPoint(s, ntTags("dc", "x", "svc", svc, "host", host), f, "dc")
	}
	for _, p := range []*Point{
		dc(0, "a", "h1", ntFields("v", 1.0)),
		dc(0.4, "b", "h1", ntFields("v", 2, "ok", true)), // rounds to 0
		dc(1, "a", "h1", ntFields("v", 3.0)),
		dc(1, "a", "h2", ntFields("v", "s")),
		dc(2, "a", "h1", ntFields("v", 5.0)), // last time: never emitted
	} {
		_ = n.Point(0, p)
	}
	var got []string
	for _, p := range rec.points {
		got = append(got, fmt.Sprintf("%g %v %s", float64(p.Time)/float64(ntSec), p.Tags, ntFieldsString(p.Fields)))
	}
	want := []string{
		"0 [{dc x}] a.h1.v=1(float) b.h1.ok=true(boolean) b.h1.v=2(int)",
		"1 [{dc x}] a.h1.v=3(float) a.h2.v=s(string)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if rec.points[0].Group != "dc=x" || rec.points[0].Name != "m" {
		t.Errorf("group %q name %q", rec.points[0].Group, rec.points[0].Name)
	}
	_ = log
}

func TestFlattenMissingTagAndDropName(t *testing.T) {
	task, log := ntTask()
	n := NewFlatten(task, 1, "flatten1", FlattenConfig{On: []string{"svc"}, Delimiter: "_", DropOriginalFieldName: true})
	rec := ntChain(task, n)
	_ = n.Batch(0, ntBatch(10, nil,
		ntRow(0, ntTags("svc", "a"), ntFields("v", 1.0)),
		ntRow(0, ntTags("other", "b"), ntFields("v", 2.0)), // no svc: logged, skipped
		ntRow(1, ntTags("svc", "c"), ntFields("v", 3.0)),
	))
	b := rec.batches[0]
	var got []string
	for _, r := range b.Points {
		got = append(got, fmt.Sprintf("%g %s", float64(r.Time)/float64(ntSec), ntFieldsString(r.Fields)))
	}
	if want := []string{"0 a=1(float)", "1 c=3(float)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if !strings.Contains(log.String(), "point missing tag for flatten operation") {
		t.Errorf("log %q", log.String())
	}
	// An empty batch flows.
	_ = n.Batch(0, ntBatch(11, nil))
	if len(rec.batches) != 2 || len(rec.batches[1].Points) != 0 {
		t.Errorf("empty batch: %+v", rec.batches)
	}
}

// ---- combine ----

func TestCombine(t *testing.T) {
	task, _ := ntTask()
	isType := func(typ string) *Lambda {
		return ntLambda("type", func(r *Row, _ *LambdaState) (Value, error) {
			v, err := ntRef(r, "type")
			if err != nil {
				return Value{}, err
			}
			return Bool(v.S == typ), nil
		})
	}
	n := NewCombine(task, 1, "combine1", CombineConfig{
		Lambdas: []*Lambda{isType("login"), isType("logout")}, As: []string{"in", "out"}, Delimiter: ".", Max: 100,
	})
	rec := ntChain(task, n)
	p := func(s float64, typ, user string) *Point {
		return ntPoint(s, ntTags("dc", "x", "type", typ, "user", user), ntFields("v", s), "dc")
	}
	for _, q := range []*Point{
		p(0, "login", "u1"), p(0, "logout", "u2"), p(0, "login", "u3"),
		p(1, "login", "u4"), // closes time 0; never combined itself
	} {
		if err := n.Point(0, q); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, q := range rec.points {
		u1, _ := q.Tags.Get("in.user")
		u2, _ := q.Tags.Get("out.user")
		dcv, _ := q.Tags.Get("dc")
		got = append(got, u1+"+"+u2+"@"+dcv+" "+string(q.Group))
	}
	if want := []string{"u1+u2@x dc=x", "u3+u2@x dc=x"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if f := ntFieldsString(rec.points[0].Fields); f != "in.v=0(float) out.v=0(float)" {
		t.Errorf("fields %s", f)
	}
}

func TestCombineBatchAndMax(t *testing.T) {
	task, _ := ntTask()
	yes := ntLambda("TRUE", func(*Row, *LambdaState) (Value, error) { return Bool(true), nil })
	n := NewCombine(task, 1, "combine1", CombineConfig{Lambdas: []*Lambda{yes, yes}, As: []string{"a", "b"}, Delimiter: ".", Max: 3})
	rec := ntChain(task, n)
	// Three points at one time: C(3,2) = 3 combinations, each emitted as a
	// stream point at the batch end.
	if err := n.Batch(0, ntBatch(5, nil, ntRow(1, nil, ntFields("v", 1.0)), ntRow(1, nil, ntFields("v", 2.0)), ntRow(1, nil, ntFields("v", 3.0)))); err != nil {
		t.Fatal(err)
	}
	if len(rec.points) != 3 || len(rec.batches) != 0 {
		t.Fatalf("points %d batches %d", len(rec.points), len(rec.batches))
	}
	// Four: C(4,2) = 6 > max is fatal.
	err := n.Batch(0, ntBatch(6, nil, ntRow(1, nil, nil), ntRow(1, nil, nil), ntRow(1, nil, nil), ntRow(1, nil, nil)))
	if err == nil || !strings.Contains(err.Error(), "combine1: refusing to perform combination as total combinations 6 exceeds max combinations 3") {
		t.Errorf("err = %v", err)
	}
}

func BenchmarkWindowPoint(b *testing.B) {
	task, _ := ntTask()
	n := NewWindow(task, 1, "window1", WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second})
	ntDiscardAfter(task, n)
	p := ntPoint(0, ntTags("host", "a"), ntFields("v", 2.0), "host")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p.Time = int64(i) * int64(time.Second)
		_ = n.Point(0, p)
	}
}
