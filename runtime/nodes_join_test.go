package runtime

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"
)

const jtSec = int64(time.Second)

// jtSink records what a node emits.
type jtSink struct {
	Base
	points  []*Point
	batches []*Batch
	done    int
}

func (s *jtSink) Point(_ int, p *Point) error { s.points = append(s.points, p); return nil }
func (s *jtSink) Batch(_ int, b *Batch) error { s.batches = append(s.batches, b); return nil }
func (s *jtSink) Done(int) error              { s.done++; return nil }

func jtTask() *Task {
	t := NewTask("task", "stream", []DBRP{{"db", "rp"}})
	t.Log = io.Discard
	return t
}

// jtLink gives n `parents` parents and a recording child.
func jtLink(t *Task, n Node, parents int) *jtSink {
	for i := 0; i < parents; i++ {
		Link(&jtSink{}, n, i)
	}
	s := &jtSink{}
	s.Init(t, 99, "sink99", s)
	Link(n, s, 0)
	return s
}

// jtPoint is a point at sec seconds, grouped by the given dims.
func jtPoint(name string, sec float64, tags Tags, fields Fields, dims ...string) *Point {
	p := &Point{Row: Row{Time: int64(sec * float64(jtSec)), Tags: tags, Fields: fields}, Name: name, Database: "db", RP: "rp"}
	p.Regroup(Dimensions{TagNames: dims})
	return p
}

func jtTags(kv ...string) Tags {
	var t Tags
	for i := 0; i < len(kv); i += 2 {
		t = t.Set(kv[i], kv[i+1])
	}
	return t
}

func jtFields(kv ...any) Fields {
	var f Fields
	for i := 0; i < len(kv); i += 2 {
		var v Value
		switch x := kv[i+1].(type) {
		case float64:
			v = Float(x)
		case int:
			v = Int(int64(x))
		case string:
			v = String(x)
		case bool:
			v = Bool(x)
		case nil:
			v = Value{}
		}
		f = f.Set(kv[i].(string), v)
	}
	return f
}

// jtShow renders a row as "sec name{tags} k=v,…" (null for a null field).
func jtShow(name string, r Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%g %s{", float64(r.Time)/float64(jtSec), name)
	for i, t := range r.Tags {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(t.Key + "=" + t.Value)
	}
	b.WriteString("} ")
	for i, f := range r.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		v := f.Value.String()
		if f.Value.IsMissing() {
			v = "null"
		}
		b.WriteString(f.Key + "=" + v)
	}
	return b.String()
}

func jtPoints(ps []*Point) []string {
	var out []string
	for _, p := range ps {
		out = append(out, jtShow(p.Name, p.Row))
	}
	return out
}

func jtEqual(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// jtIn is one message for a join or union test: a point on a port.
type jtIn struct {
	port int
	p    *Point
}

func jtFeed(t *testing.T, n Node, in []jtIn, parents int) {
	t.Helper()
	for _, m := range in {
		if err := n.Point(m.port, m.p); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < parents; i++ {
		if err := n.Done(i); err != nil {
			t.Fatal(err)
		}
	}
}

func TestJoinStream(t *testing.T) {
	a := func(sec float64, v any) jtIn {
		return jtIn{0, jtPoint("errors", sec, jtTags("service", "s", "host", "h"), jtFields("value", v), "service")}
	}
	b := func(sec float64, v any) jtIn {
		return jtIn{1, jtPoint("views", sec, jtTags("service", "s"), jtFields("value", v, "n", 1), "service")}
	}
	tests := []struct {
		name string
		cfg  JoinConfig
		in   []jtIn
		want []string
	}{
		{
			name: "complete sets go at once; fields prefixed, group tags only, first parent's name",
			cfg:  JoinConfig{Names: []string{"errors", "views"}, Delimiter: "."},
			in:   []jtIn{a(0, 1.0), b(0, 10.0), b(1, 20.0), a(1, 2.0)},
			want: []string{
				"0 errors{service=s} errors.value=1,views.n=1,views.value=10",
				"1 errors{service=s} errors.value=2,views.n=1,views.value=20",
			},
		},
		{
			name: "streamName and an empty delimiter",
			cfg:  JoinConfig{Names: []string{"e", "v"}, StreamName: "ev"},
			in:   []jtIn{a(0, 1.0), b(0, 10.0)},
			want: []string{"0 ev{service=s} evalue=1,vn=1,vvalue=10"},
		},
		{
			name: "tolerance rounds times to the nearest multiple, halves up",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: ".", Tolerance: time.Second},
			in:   []jtIn{a(1.2, 1.0), b(0.6, 10.0), a(2.4, 2.0), b(2.5, 20.0)},
			want: []string{"1 errors{service=s} a.value=1,b.n=1,b.value=10"},
		},
		{
			name: "inner join drops incomplete sets, also at the end",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: "."},
			in:   []jtIn{a(0, 1.0), a(1, 2.0), b(1, 20.0), a(2, 3.0), b(3, 30.0)},
			want: []string{"1 errors{service=s} a.value=2,b.n=1,b.value=20"},
		},
		{
			name: "null fill: an incomplete set waits until every head has passed it, fields named after the first parent's",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: ".", Fill: String("null")},
			in:   []jtIn{a(0, 1.0), b(0, 10.0), b(1, 11.0), a(2, 3.0), a(3, 4.0), b(3, 13.0)},
			want: []string{
				"0 errors{service=s} a.value=1,b.n=1,b.value=10",
				"1 views{service=s} a.n=null,a.value=null,b.n=1,b.value=11",
				"2 errors{service=s} a.value=3,b.value=null",
				"3 errors{service=s} a.value=4,b.n=1,b.value=13",
			},
		},
		{
			name: "number fill keeps the number's type",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: ".", Fill: Int(0)},
			in:   []jtIn{a(0, 1.0), a(1, 2.0), b(1, 11.0)},
			want: []string{
				"0 errors{service=s} a.value=1,b.value=0",
				"1 errors{service=s} a.value=2,b.n=1,b.value=11",
			},
		},
		{
			name: "incomplete sets are flushed when every parent is done",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: ".", Fill: Float(-1)},
			in:   []jtIn{a(0, 1.0), a(1, 2.0), a(2, 3.0)},
			want: []string{
				"0 errors{service=s} a.value=1,b.value=-1",
				"1 errors{service=s} a.value=2,b.value=-1",
				"2 errors{service=s} a.value=3,b.value=-1",
			},
		},
		{
			name: "a second point of a parent at the same time starts a new set",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: "."},
			in:   []jtIn{a(0, 1.0), a(0, 2.0), b(0, 10.0), b(0, 20.0)},
			want: []string{
				"0 errors{service=s} a.value=1,b.n=1,b.value=10",
				"0 errors{service=s} a.value=2,b.n=1,b.value=20",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := jtTask()
			n := NewJoin(task, 3, "join3", tt.cfg)
			sink := jtLink(task, n, 2)
			jtFeed(t, n, tt.in, 2)
			jtEqual(t, jtPoints(sink.points), tt.want)
			if sink.done != 1 {
				t.Fatalf("children got Done %d times, want 1", sink.done)
			}
		})
	}
}

func TestJoinWaitsForAllParentsDone(t *testing.T) {
	task := jtTask()
	n := NewJoin(task, 3, "join3", JoinConfig{Names: []string{"a", "b"}, Delimiter: ".", Fill: String("null")})
	sink := jtLink(task, n, 2)
	if err := n.Point(0, jtPoint("m", 1, nil, jtFields("v", 1.0))); err != nil {
		t.Fatal(err)
	}
	if err := n.Done(0); err != nil {
		t.Fatal(err)
	}
	if len(sink.points) != 0 || sink.done != 0 {
		t.Fatalf("flushed after one parent: %v", jtPoints(sink.points))
	}
	if err := n.Done(1); err != nil {
		t.Fatal(err)
	}
	jtEqual(t, jtPoints(sink.points), []string{"1 m{} a.v=1,b.v=null"})
}

func TestJoinGroupsAreSeparate(t *testing.T) {
	task := jtTask()
	n := NewJoin(task, 3, "join3", JoinConfig{Names: []string{"a", "b"}, Delimiter: "."})
	sink := jtLink(task, n, 2)
	p := func(port int, sec float64, host string) jtIn {
		return jtIn{port, jtPoint("m", sec, jtTags("host", host), jtFields("v", sec), "host")}
	}
	jtFeed(t, n, []jtIn{p(0, 0, "x"), p(1, 0, "y"), p(1, 0, "x"), p(0, 0, "y")}, 2)
	jtEqual(t, jtPoints(sink.points), []string{"0 m{host=x} a.v=0,b.v=0", "0 m{host=y} a.v=0,b.v=0"})
}

func TestJoinUnknownFill(t *testing.T) {
	task := jtTask()
	n := NewJoin(task, 3, "join3", JoinConfig{Names: []string{"a", "b"}, Fill: String("zero")})
	jtLink(task, n, 2)
	if err := n.InitError(); err == nil || err.Error() != "join3: unexpected fill option zero" {
		t.Fatalf("InitError = %v", err)
	}
}

func TestJoinOn(t *testing.T) {
	// Parent 0 is grouped by service only (less specific), parent 1 by
	// dc and service: each specific point is joined with the service's
	// point of the same time, re-tagged with the specific group.
	task := jtTask()
	n := NewJoin(task, 3, "join3", JoinConfig{Names: []string{"service", "dc"}, On: []string{"service"}, Delimiter: ".", StreamName: "x"})
	sink := jtLink(task, n, 2)
	global := func(sec, v float64) jtIn {
		return jtIn{0, jtPoint("errors", sec, jtTags("service", "cart"), jtFields("sum", v), "service")}
	}
	byDC := func(sec float64, dc string, v float64) jtIn {
		return jtIn{1, jtPoint("errors", sec, jtTags("dc", dc, "service", "cart"), jtFields("sum", v), "dc", "service")}
	}
	jtFeed(t, n, []jtIn{
		byDC(10, "A", 1), byDC(10, "B", 2), global(10, 3),
		global(20, 5), byDC(20, "A", 4), byDC(20, "B", 1),
	}, 2)
	got := jtPoints(sink.points)
	sort.Strings(got)
	jtEqual(t, got, []string{
		"10 x{dc=A,service=cart} dc.sum=1,service.sum=3",
		"10 x{dc=B,service=cart} dc.sum=2,service.sum=3",
		"20 x{dc=A,service=cart} dc.sum=4,service.sum=5",
		"20 x{dc=B,service=cart} dc.sum=1,service.sum=5",
	})
}

func jtBatch(name string, tmax float64, tags Tags, rows ...Row) *Batch {
	b := &Batch{Name: name, TMax: int64(tmax * float64(jtSec)), Tags: tags, Points: rows}
	b.Dims = Dimensions{TagNames: tagKeys(tags)}
	b.Group = ComputeGroupID(name, tags, b.Dims)
	return b
}

func jtRow(sec float64, fields Fields) Row {
	return Row{Time: int64(sec * float64(jtSec)), Fields: fields}
}

func TestJoinBatch(t *testing.T) {
	tests := []struct {
		name string
		cfg  JoinConfig
		want []string
	}{
		{
			name: "inner: only times both batches have",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: "."},
			want: []string{"0 m{cpu=x} a.mean=1,b.mean=10", "4 m{cpu=x} a.mean=3,b.mean=30"},
		},
		{
			name: "null fill takes the names of the first joined point's fields",
			cfg:  JoinConfig{Names: []string{"a", "b"}, Delimiter: ".", Fill: String("null")},
			want: []string{
				"0 m{cpu=x} a.mean=1,b.mean=10",
				"2 m{cpu=x} a.mean=2,b.mean=null",
				"4 m{cpu=x} a.mean=3,b.mean=30",
				"6 m{cpu=x} a.mean=null,b.mean=40",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := jtTask()
			n := NewJoin(task, 3, "join3", tt.cfg)
			sink := jtLink(task, n, 2)
			tags := jtTags("cpu", "x")
			left := jtBatch("m", 10, tags, jtRow(0, jtFields("mean", 1.0)), jtRow(2, jtFields("mean", 2.0)), jtRow(4, jtFields("mean", 3.0)))
			right := jtBatch("n", 10, tags, jtRow(0, jtFields("mean", 10.0)), jtRow(4, jtFields("mean", 30.0)), jtRow(6, jtFields("mean", 40.0)))
			if err := n.Batch(1, right); err != nil {
				t.Fatal(err)
			}
			if err := n.Batch(0, left); err != nil {
				t.Fatal(err)
			}
			if len(sink.batches) != 1 {
				t.Fatalf("got %d batches, want 1", len(sink.batches))
			}
			b := sink.batches[0]
			var got []string
			for _, r := range b.Points {
				got = append(got, jtShow(b.Name, r))
			}
			if b.TMax != 10*jtSec {
				t.Fatalf("tmax %d", b.TMax)
			}
			jtEqual(t, got, tt.want)
			if b.Group != ComputeGroupID("m", tags, Dimensions{TagNames: []string{"cpu"}}) {
				t.Fatalf("group %q", b.Group)
			}
		})
	}
}

func TestUnion(t *testing.T) {
	p := func(port int, sec float64, name string) jtIn {
		return jtIn{port, jtPoint(name, sec, nil, jtFields("v", sec))}
	}
	tests := []struct {
		name string
		cfg  UnionConfig
		in   []jtIn
		want []string
	}{
		{
			name: "nothing goes until every parent has sent; then in time order, parent by parent",
			in:   []jtIn{p(0, 1, "a"), p(0, 2, "a"), p(1, 1, "b"), p(1, 3, "b"), p(0, 4, "a")},
			want: []string{"1 a{} v=1", "1 b{} v=1", "2 a{} v=2", "3 b{} v=3", "4 a{} v=4"},
		},
		{
			name: "rename, and the buffers drained at the end",
			cfg:  UnionConfig{Rename: "all"},
			in:   []jtIn{p(1, 5, "b"), p(1, 6, "b"), p(0, 7, "a")},
			want: []string{"5 all{} v=5", "6 all{} v=6", "7 all{} v=7"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := jtTask()
			n := NewUnion(task, 3, "union3", tt.cfg)
			sink := jtLink(task, n, 2)
			jtFeed(t, n, tt.in, 2)
			jtEqual(t, jtPoints(sink.points), tt.want)
			if sink.done != 1 {
				t.Fatalf("Done %d times", sink.done)
			}
		})
	}
}

func TestUnionHoldsUntilEveryParentSent(t *testing.T) {
	task := jtTask()
	n := NewUnion(task, 3, "union3", UnionConfig{})
	sink := jtLink(task, n, 3)
	for _, m := range []jtIn{{0, jtPoint("a", 1, nil, jtFields("v", 1.0))}, {1, jtPoint("b", 2, nil, jtFields("v", 2.0))}} {
		if err := n.Point(m.port, m.p); err != nil {
			t.Fatal(err)
		}
	}
	if len(sink.points) != 0 {
		t.Fatalf("emitted before the third parent sent: %v", jtPoints(sink.points))
	}
	if err := n.Point(2, jtPoint("c", 3, nil, jtFields("v", 3.0))); err != nil {
		t.Fatal(err)
	}
	jtEqual(t, jtPoints(sink.points), []string{"1 a{} v=1"})
}

func BenchmarkJoinStream(b *testing.B) {
	task := jtTask()
	n := NewJoin(task, 3, "join3", JoinConfig{Names: []string{"a", "b"}, Delimiter: "."})
	jtLink(task, n, 2)
	tags := jtTags("host", "h", "service", "s")
	pa := jtPoint("a", 0, tags, jtFields("value", 1.0, "n", 2), "service")
	pb := jtPoint("b", 0, tags, jtFields("value", 3.0), "service")
	sink := task.Nodes[99].(*jtSink)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		pa.Time = int64(i) * jtSec
		pb.Time = pa.Time
		_ = n.Point(0, pa)
		_ = n.Point(1, pb)
		if len(sink.points) > 1024 {
			sink.points = sink.points[:0]
		}
	}
}

func BenchmarkUnion(b *testing.B) {
	task := jtTask()
	n := NewUnion(task, 3, "union3", UnionConfig{})
	jtLink(task, n, 2)
	pa := jtPoint("a", 0, nil, jtFields("value", 1.0))
	pb := jtPoint("b", 0, nil, jtFields("value", 3.0))
	sink := task.Nodes[99].(*jtSink)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = n.Point(0, pa)
		_ = n.Point(1, pb)
		if len(sink.points) > 1024 {
			sink.points = sink.points[:0]
		}
	}
}
