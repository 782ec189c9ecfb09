package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// ---- test helpers shared by the node tests of this family ----

// ntRecorder is a terminal node that records what reaches it.
type ntRecorder struct {
	Base
	points  []*Point
	batches []*Batch
	done    int
}

func ntNewRecorder(t *Task, id int) *ntRecorder {
	r := &ntRecorder{}
	r.Init(t, id, fmt.Sprintf("rec%d", id), r)
	return r
}

func (r *ntRecorder) Point(_ int, p *Point) error { r.points = append(r.points, p); return nil }
func (r *ntRecorder) Batch(_ int, b *Batch) error { r.batches = append(r.batches, b); return nil }
func (r *ntRecorder) Done(int) error              { r.done++; return nil }

// ntTask returns a task whose log goes to the returned buffer.
func ntTask() (*Task, *bytes.Buffer) {
	var log bytes.Buffer
	t := NewTask("test", "stream", nil)
	t.Log = &log
	return t, &log
}

// ntChain links node to a new ntRecorder and returns the ntRecorder.
func ntChain(t *Task, n Node) *ntRecorder {
	r := ntNewRecorder(t, 99)
	Link(n, r, 0)
	return r
}

const ntSec = int64(time.Second)

// ntFields builds fields from key, value pairs (float64, int, string, bool,
// time.Duration or Value).
func ntFields(kv ...any) Fields {
	var f Fields
	for i := 0; i < len(kv); i += 2 {
		f = f.Set(kv[i].(string), ntValue(kv[i+1]))
	}
	return f
}

func ntValue(v any) Value {
	switch v := v.(type) {
	case float64:
		return Float(v)
	case int:
		return Int(int64(v))
	case int64:
		return Int(v)
	case string:
		return String(v)
	case bool:
		return Bool(v)
	case time.Duration:
		return Dur(v)
	case Value:
		return v
	}
	panic(fmt.Sprintf("no value for %T", v))
}

// ntTags builds tags from key, value pairs.
func ntTags(kv ...string) Tags {
	var t Tags
	for i := 0; i < len(kv); i += 2 {
		t = t.Set(kv[i], kv[i+1])
	}
	return t
}

// ntPoint is a point at s seconds, grouped by dims.
func ntPoint(s float64, tags Tags, fields Fields, dims ...string) *Point {
	p := &Point{Row: Row{Time: int64(s * float64(ntSec)), Tags: tags, Fields: fields}, Name: "m"}
	p.Regroup(Dimensions{TagNames: dims})
	return p
}

// ntBatch is a batch with tmax at s seconds.
func ntBatch(s float64, tags Tags, rows ...Row) *Batch {
	dims := Dimensions{}
	for _, t := range tags {
		dims.TagNames = append(dims.TagNames, t.Key)
	}
	return &Batch{Name: "m", TMax: int64(s * float64(ntSec)), Tags: tags, Dims: dims, Group: ComputeGroupID("m", tags, dims), Points: rows}
}

func ntRow(s float64, tags Tags, fields Fields) Row {
	return Row{Time: int64(s * float64(ntSec)), Tags: tags, Fields: fields}
}

// ntRef reads a field or tag as the lambda code does, failing when absent.
func ntRef(r *Row, name string) (Value, error) {
	if v, ok := r.Fields.Get(name); ok {
		return v, nil
	}
	if v, ok := r.Tags.Get(name); ok {
		return String(v), nil
	}
	return Value{}, fmt.Errorf("missing value: %q", name)
}

func ntLambda(text string, f LambdaFunc) *Lambda { return &Lambda{Func: f, Text: text} }

// num is a float lambda arithmetic helper: it refuses int/float mixing as
// Kapacitor does.
func ntArith(a, b Value, op byte) (Value, error) {
	if a.Kind != b.Kind {
		return Value{}, fmt.Errorf("mismatched type to binary operator. got %s %c %s", a.Kind, op, b.Kind)
	}
	switch a.Kind {
	case KindFloat:
		switch op {
		case '+':
			return Float(a.F + b.F), nil
		case '*':
			return Float(a.F * b.F), nil
		case '-':
			return Float(a.F - b.F), nil
		}
	case KindInt:
		switch op {
		case '+':
			return Int(a.I + b.I), nil
		case '*':
			return Int(a.I * b.I), nil
		case '-':
			return Int(a.I - b.I), nil
		}
	}
	return Value{}, errors.New("unsupported")
}

// ntBinop is the lambda "x" <op> constant.
func ntBinop(x string, op byte, c Value) *Lambda {
	return ntLambda(fmt.Sprintf("%q %c %v", x, op, c), func(r *Row, _ *LambdaState) (Value, error) {
		v, err := ntRef(r, x)
		if err != nil {
			return Value{}, err
		}
		return ntArith(v, c, op)
	})
}

// ntGreater is the predicate "x" > c (numbers of either kind compare).
func ntGreater(x string, c float64) *Lambda {
	return ntLambda(fmt.Sprintf("%q > %v", x, c), func(r *Row, _ *LambdaState) (Value, error) {
		v, err := ntRef(r, x)
		if err != nil {
			return Value{}, err
		}
		f, ok := numericValue(v)
		if !ok {
			return Value{}, fmt.Errorf("invalid comparison to %s", v.Kind)
		}
		return Bool(f > c), nil
	})
}

// ntFieldsString renders a point's or ntRow's fields as "k=v" pairs for compact
// assertions.
func ntFieldsString(f Fields) string {
	parts := make([]string, len(f))
	for i, x := range f {
		parts[i] = fmt.Sprintf("%s=%s(%s)", x.Key, x.Value.String(), x.Value.Kind)
	}
	return strings.Join(parts, " ")
}

func ntTimes(rows []Row) []float64 {
	out := []float64{}
	for _, r := range rows {
		out = append(out, float64(r.Time)/float64(ntSec))
	}
	return out
}

// ---- where ----

func TestWhere(t *testing.T) {
	task, log := ntTask()
	n := NewWhere(task, 1, "where1", WhereConfig{Lambda: ntGreater("v", 1)})
	rec := ntChain(task, n)
	for _, p := range []*Point{
		ntPoint(0, nil, ntFields("v", 2.0)),
		ntPoint(1, nil, ntFields("v", 0.5)),
		ntPoint(2, nil, ntFields("v", 5)),   // int compares with float
		ntPoint(3, nil, ntFields("x", 5.0)), // missing field: logged, dropped
		ntPoint(4, nil, ntFields("v", "s")), // string: logged, dropped
	} {
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(rec.points); got != 2 {
		t.Fatalf("kept %d points, want 2", got)
	}
	if n.Errors.Load() != 2 || !strings.Contains(log.String(), "error while evaluating expression") {
		t.Errorf("errors = %d, log %q", n.Errors.Load(), log.String())
	}

	// A batch whose points are all dropped still flows, empty.
	if err := n.Batch(0, ntBatch(10, nil, ntRow(1, nil, ntFields("v", 0.0)), ntRow(2, nil, ntFields("x", 1.0)))); err != nil {
		t.Fatal(err)
	}
	if len(rec.batches) != 1 || len(rec.batches[0].Points) != 0 || rec.batches[0].TMax != 10*ntSec {
		t.Fatalf("batches = %+v", rec.batches)
	}
}

func TestWhereQuietStillCounts(t *testing.T) {
	task, log := ntTask()
	n := NewWhere(task, 1, "where1", WhereConfig{Lambda: ntGreater("v", 1), Quiet: true})
	ntChain(task, n)
	_ = n.Point(0, ntPoint(0, nil, nil))
	if n.Errors.Load() != 1 || log.Len() != 0 {
		t.Errorf("quiet: errors %d, log %q", n.Errors.Load(), log.String())
	}
}

func TestWhereStatePerGroup(t *testing.T) {
	task, _ := ntTask()
	// count() < 3: every group keeps its own count.
	l := &Lambda{Stateful: true, Func: func(r *Row, st *LambdaState) (Value, error) {
		st.Count++
		return Bool(st.Count < 3), nil
	}}
	n := NewWhere(task, 1, "where1", WhereConfig{Lambda: l})
	rec := ntChain(task, n)
	for i := 0; i < 4; i++ {
		_ = n.Point(0, ntPoint(float64(i), ntTags("h", "a"), nil, "h"))
		_ = n.Point(0, ntPoint(float64(i), ntTags("h", "b"), nil, "h"))
	}
	if len(rec.points) != 4 {
		t.Errorf("kept %d, want 2 per group", len(rec.points))
	}
}

// ---- eval ----

func TestEval(t *testing.T) {
	double := ntBinop("v", '*', Float(2))
	tests := []struct {
		name   string
		cfg    EvalConfig
		in     *Point
		fields string
		tags   Tags
		drop   bool
	}{
		{
			name:   "a result named after an existing field keeps the old value",
			cfg:    EvalConfig{Lambdas: []*Lambda{double, ntBinop("v", '+', Float(1))}, Refs: [][]string{{"v"}, {"v"}}, As: []string{"v", "w"}},
			in:     ntPoint(0, nil, ntFields("v", 2.0, "other", 1.0)),
			fields: "v=2(float) w=3(float)",
		},
		{
			name:   "a result named after an existing field that no later expression reads",
			cfg:    EvalConfig{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"v"}},
			in:     ntPoint(0, nil, ntFields("v", 2.0)),
			fields: "v=4(float)",
		},
		{
			name:   "a later expression sees an earlier result",
			cfg:    EvalConfig{Lambdas: []*Lambda{double, ntBinop("x", '+', Float(1))}, Refs: [][]string{{"v"}, {"x"}}, As: []string{"x", "y"}},
			in:     ntPoint(0, nil, ntFields("v", 2.0)),
			fields: "x=4(float) y=5(float)",
		},
		{
			name:   "keep all",
			cfg:    EvalConfig{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"d"}, Keep: true},
			in:     ntPoint(0, nil, ntFields("v", 2.0, "z", "s")),
			fields: "d=4(float) v=2(float) z=s(string)",
		},
		{
			name:   "keep some, from results first, then the point",
			cfg:    EvalConfig{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"d"}, Keep: true, KeepList: []string{"z", "d"}},
			in:     ntPoint(0, nil, ntFields("v", 2.0, "z", true)),
			fields: "d=4(float) z=true(boolean)",
		},
		{
			name: "keep a field that does not exist",
			cfg:  EvalConfig{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"d"}, Keep: true, KeepList: []string{"nope"}},
			in:   ntPoint(0, nil, ntFields("v", 2.0)),
			drop: true,
		},
		{
			name:   "a tag result",
			cfg:    EvalConfig{Lambdas: []*Lambda{ntLambda("'x'", func(*Row, *LambdaState) (Value, error) { return String("x"), nil }), double}, Refs: [][]string{nil, {"v"}}, As: []string{"t", "d"}, Tags: []string{"t"}},
			in:     ntPoint(0, ntTags("h", "a"), ntFields("v", 1.0)),
			fields: "d=2(float)",
			tags:   ntTags("h", "a", "t", "x"),
		},
		{
			name: "a tag result must be a string",
			cfg:  EvalConfig{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"t"}, Tags: []string{"t"}},
			in:   ntPoint(0, nil, ntFields("v", 1.0)),
			drop: true,
		},
		{
			name:   "durations are stored as int nanoseconds",
			cfg:    EvalConfig{Lambdas: []*Lambda{ntLambda("5s", func(*Row, *LambdaState) (Value, error) { return Dur(5 * time.Second), nil })}, Refs: [][]string{nil}, As: []string{"d"}},
			in:     ntPoint(0, nil, nil),
			fields: "d=5000000000(int)",
		},
		{
			name: "a time result is an error",
			cfg:  EvalConfig{Lambdas: []*Lambda{ntLambda(`"time"`, func(r *Row, _ *LambdaState) (Value, error) { return TimeValue(r.Time), nil })}, Refs: [][]string{{"time"}}, As: []string{"t"}},
			in:   ntPoint(0, nil, nil),
			drop: true,
		},
		{
			name: "int and float do not mix",
			cfg:  EvalConfig{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"d"}},
			in:   ntPoint(0, nil, ntFields("v", 1)),
			drop: true,
		},
		{
			name: "a missing field drops the point",
			cfg:  EvalConfig{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"d"}},
			in:   ntPoint(0, nil, ntFields("x", 1.0)),
			drop: true,
		},
		{
			name:   "string and bool results",
			cfg:    EvalConfig{Lambdas: []*Lambda{ntLambda("s", func(*Row, *LambdaState) (Value, error) { return String("s"), nil }), ntLambda("b", func(*Row, *LambdaState) (Value, error) { return Bool(true), nil })}, Refs: [][]string{nil, nil}, As: []string{"s", "b"}},
			in:     ntPoint(0, nil, ntFields("v", 1.0)),
			fields: "b=true(boolean) s=s(string)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task, _ := ntTask()
			n := NewEval(task, 1, "eval1", tt.cfg)
			rec := ntChain(task, n)
			orig := ntFieldsString(tt.in.Fields)
			if err := n.Point(0, tt.in); err != nil {
				t.Fatal(err)
			}
			if ntFieldsString(tt.in.Fields) != orig {
				t.Errorf("input point changed")
			}
			if tt.drop {
				if len(rec.points) != 0 || n.Errors.Load() != 1 {
					t.Fatalf("want the point dropped with an error, got %d points, %d errors", len(rec.points), n.Errors.Load())
				}
				return
			}
			if len(rec.points) != 1 {
				t.Fatalf("got %d points (errors %d)", len(rec.points), n.Errors.Load())
			}
			p := rec.points[0]
			if got := ntFieldsString(p.Fields); got != tt.fields {
				t.Errorf("fields = %s, want %s", got, tt.fields)
			}
			if tt.tags != nil && !reflect.DeepEqual(p.Tags, tt.tags) {
				t.Errorf("tags = %v, want %v", p.Tags, tt.tags)
			}
		})
	}
}

// TestEvalDirectMatchesGeneral runs the configurations the fast path
// takes through both paths: the points, fields and logged errors must be
// the same.
func TestEvalDirectMatchesGeneral(t *testing.T) {
	double := ntBinop("v", '*', Float(2))
	five := ntLambda("5s", func(*Row, *LambdaState) (Value, error) { return Dur(5 * time.Second), nil })
	str := ntLambda("'s'", func(*Row, *LambdaState) (Value, error) { return String("s"), nil })
	configs := []EvalConfig{
		{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"d"}},
		{Lambdas: []*Lambda{double}, Refs: [][]string{{"v"}}, As: []string{"v"}},
		{Lambdas: []*Lambda{double, ntBinop("w", '+', Float(1)), five}, Refs: [][]string{{"v"}, {"w", "v"}, nil}, As: []string{"z", "a", "m"}},
		{Lambdas: []*Lambda{double, str, five}, Refs: [][]string{{"v"}, {"h"}, {"time"}}, As: []string{"x", "x", "y"}},
		{Lambdas: []*Lambda{str, double}, Refs: [][]string{{"h"}, {"v"}}, As: []string{"b", "a"}},
	}
	points := []*Point{
		ntPoint(1, ntTags("h", "a"), ntFields("v", 2.0, "w", 1.0)),
		ntPoint(2, ntTags("h", "a"), ntFields("v", 2.0)),       // w missing
		ntPoint(3, ntTags("h", "a"), ntFields("v", 2)),         // int * float
		ntPoint(4, ntTags("v", "t"), ntFields("v", 2.0)),       // v is a field and a tag
		ntPoint(5, ntTags("h", "a"), ntFields("h", 1.0)),       // h is a field and a tag
		ntPoint(6, nil, ntFields("v", -1.5, "w", 3.0, "a", 1)), // a result named like a field
	}
	for i, cfg := range configs {
		// lend: the child only borrows points and fields (the node reuses
		// one point and one fields buffer, failed points included).
		run := func(direct, lend bool) string {
			task, log := ntTask()
			n := NewEval(task, 1, "eval1", cfg)
			if !n.direct {
				t.Fatalf("config %d: the fast path does not apply", i)
			}
			n.direct = direct
			var rec *ntRecorder
			var borrower *ntLendSink
			if lend {
				borrower = &ntLendSink{}
				borrower.Init(task, 99, "borrower99", borrower)
				Link(n, borrower, 0)
			} else {
				rec = ntChain(task, n)
			}
			for _, p := range points {
				_ = n.Point(0, p)
				_ = n.Batch(0, ntBatch(float64(p.Time)/float64(ntSec), p.Tags, p.Row))
			}
			out := log.String()
			if lend {
				return out + borrower.out + borrower.batches
			}
			for _, p := range rec.points {
				out += fmt.Sprintf("\n%d %v %s", p.Time, p.Tags, ntFieldsString(p.Fields))
			}
			for _, b := range rec.batches {
				for _, r := range b.Points {
					out += fmt.Sprintf("\nbatch %d %v %s", r.Time, r.Tags, ntFieldsString(r.Fields))
				}
			}
			return out
		}
		general := run(false, false)
		if fast := run(true, false); fast != general {
			t.Errorf("config %d:\nfast path:%s\ngeneral:%s", i, fast, general)
		}
		if fast := run(true, true); fast != general {
			t.Errorf("config %d, lent:\nfast path:%s\ngeneral:%s", i, fast, general)
		}
	}
}

// ntLendSink records what it is handed, in ntRecorder's order (points,
// then batches), and keeps nothing: parents may lend it points and fields.
type ntLendSink struct {
	Base
	out     string
	batches string
}

func (n *ntLendSink) Point(_ int, p *Point) error {
	n.out += fmt.Sprintf("\n%d %v %s", p.Time, p.Tags, ntFieldsString(p.Fields))
	return nil
}

func (n *ntLendSink) Batch(_ int, b *Batch) error {
	for _, r := range b.Points {
		n.batches += fmt.Sprintf("\nbatch %d %v %s", r.Time, r.Tags, ntFieldsString(r.Fields))
	}
	return nil
}

func (*ntLendSink) borrowsPoints() bool { return true }
func (*ntLendSink) borrowsFields() bool { return true }
func (*ntLendSink) borrowsBatches()     {}

func TestEvalTagOnDimensionRegroups(t *testing.T) {
	task, _ := ntTask()
	n := NewEval(task, 1, "eval1", EvalConfig{
		Lambdas: []*Lambda{ntLambda("'z'", func(*Row, *LambdaState) (Value, error) { return String("z"), nil })},
		Refs:    [][]string{nil}, As: []string{"h"}, Tags: []string{"h"},
	})
	rec := ntChain(task, n)
	_ = n.Point(0, ntPoint(0, ntTags("h", "a"), ntFields("v", 1.0), "h"))
	if got := rec.points[0].Group; got != "h=z" {
		t.Errorf("group = %q, want h=z", got)
	}
}

func TestEvalBatch(t *testing.T) {
	task, _ := ntTask()
	n := NewEval(task, 1, "eval1", EvalConfig{Lambdas: []*Lambda{ntBinop("v", '*', Float(2))}, Refs: [][]string{{"v"}}, As: []string{"d"}})
	rec := ntChain(task, n)
	in := ntBatch(5, ntTags("h", "a"), ntRow(1, ntTags("h", "a"), ntFields("v", 1.0)), ntRow(2, ntTags("h", "a"), ntFields("v", "x")), ntRow(3, ntTags("h", "a"), ntFields("v", 3.0)))
	if err := n.Batch(0, in); err != nil {
		t.Fatal(err)
	}
	b := rec.batches[0]
	if len(b.Points) != 2 || ntFieldsString(b.Points[1].Fields) != "d=6(float)" || b.Group != in.Group || b.TMax != in.TMax {
		t.Errorf("batch = %+v", b)
	}
	if ntFieldsString(in.Points[0].Fields) != "v=1(float)" {
		t.Errorf("input batch changed")
	}
	// All points failing leaves an empty batch.
	_ = n.Batch(0, ntBatch(6, nil, ntRow(1, nil, ntFields("x", 1.0))))
	if len(rec.batches) != 2 || len(rec.batches[1].Points) != 0 {
		t.Errorf("empty batch not forwarded: %+v", rec.batches)
	}
}

// ---- default / delete ----

func TestDefault(t *testing.T) {
	task, _ := ntTask()
	n := NewDefault(task, 1, "default1", DefaultConfig{
		Fields: ntFields("a", 1.0, "s", "x"),
		Tags:   ntTags("host", "h0", "dc", "d0"),
	})
	rec := ntChain(task, n)
	// a present, s absent; host empty, dc absent; null values are defaulted.
	_ = n.Point(0, ntPoint(0, ntTags("host", ""), ntFields("a", 5, "n", Value{}), "host"))
	p := rec.points[0]
	if got := ntFieldsString(p.Fields); got != "a=5(int) n=<missing>(missing) s=x(string)" {
		t.Errorf("fields = %s", got)
	}
	if !reflect.DeepEqual(p.Tags, ntTags("dc", "d0", "host", "h0")) || p.Group != "host=h0" {
		t.Errorf("tags %v group %q", p.Tags, p.Group)
	}
	_ = n.Point(0, ntPoint(0, nil, ntFields("a", Value{})))
	if got := ntFieldsString(rec.points[1].Fields); got != "a=1(float) s=x(string)" {
		t.Errorf("null field not defaulted: %s", got)
	}
	if n.FieldsDefaulted != 3 || n.TagsDefaulted != 4 {
		t.Errorf("stats %d %d", n.FieldsDefaulted, n.TagsDefaulted)
	}

	// Batches: the group tags get the defaults and become the dimensions.
	_ = n.Batch(0, ntBatch(10, ntTags("host", "x"), ntRow(1, ntTags("host", "x"), nil)))
	b := rec.batches[0]
	if !reflect.DeepEqual(b.Tags, ntTags("dc", "d0", "host", "x")) || !reflect.DeepEqual(b.Dims.TagNames, []string{"dc", "host"}) || b.Group != "dc=d0,host=x" {
		t.Errorf("batch group %v %v %q", b.Tags, b.Dims, b.Group)
	}
	if got := ntFieldsString(b.Points[0].Fields); got != "a=1(float) s=x(string)" {
		t.Errorf("batch point fields %s", got)
	}
}

func TestDelete(t *testing.T) {
	task, _ := ntTask()
	n := NewDelete(task, 1, "delete1", DeleteConfig{Fields: []string{"a", "nope"}, Tags: []string{"host"}})
	rec := ntChain(task, n)
	in := ntPoint(0, ntTags("host", "h", "dc", "d"), ntFields("a", 1.0, "b", 2.0), "dc", "host")
	_ = n.Point(0, in)
	p := rec.points[0]
	if ntFieldsString(p.Fields) != "b=2(float)" || !reflect.DeepEqual(p.Tags, ntTags("dc", "d")) {
		t.Errorf("point %v %v", p.Fields, p.Tags)
	}
	if !reflect.DeepEqual(p.Dims.TagNames, []string{"dc"}) || p.Group != "dc=d" {
		t.Errorf("dims %v group %q", p.Dims, p.Group)
	}
	if len(in.Fields) != 2 || len(in.Tags) != 2 || len(in.Dims.TagNames) != 2 {
		t.Errorf("input point changed")
	}
	_ = n.Batch(0, ntBatch(5, ntTags("dc", "d", "host", "h"), ntRow(1, ntTags("dc", "d", "host", "h"), ntFields("a", 1.0))))
	b := rec.batches[0]
	if !reflect.DeepEqual(b.Tags, ntTags("dc", "d")) || b.Group != "dc=d" || len(b.Points[0].Fields) != 0 || len(b.Points[0].Tags) != 1 {
		t.Errorf("batch %+v", b)
	}
}

// ---- shift / sample ----

func TestShift(t *testing.T) {
	task, _ := ntTask()
	n := NewShift(task, 1, "shift1", ShiftConfig{Shift: -2 * time.Second})
	rec := ntChain(task, n)
	in := ntPoint(10, nil, nil)
	_ = n.Point(0, in)
	_ = n.Batch(0, ntBatch(10, nil, ntRow(9, nil, nil)))
	if rec.points[0].Time != 8*ntSec || in.Time != 10*ntSec {
		t.Errorf("point time %d", rec.points[0].Time)
	}
	if b := rec.batches[0]; b.TMax != 8*ntSec || b.Points[0].Time != 7*ntSec {
		t.Errorf("batch %+v", b)
	}
	zero := NewShift(task, 2, "shift2", ShiftConfig{})
	if err := zero.Point(0, in); err == nil || !strings.Contains(err.Error(), "shift2: invalid shift value") {
		t.Errorf("zero shift: %v", err)
	}
}

func TestSample(t *testing.T) {
	task, _ := ntTask()
	n := NewSample(task, 1, "sample1", SampleConfig{N: 2})
	rec := ntChain(task, n)
	for i := 0; i < 5; i++ {
		_ = n.Point(0, ntPoint(float64(i), ntTags("h", "a"), nil, "h"))
		if i < 2 {
			_ = n.Point(0, ntPoint(float64(i), ntTags("h", "b"), nil, "h"))
		}
	}
	var got []string
	for _, p := range rec.points {
		got = append(got, fmt.Sprintf("%s@%d", p.Group, p.Time/ntSec))
	}
	if want := []string{"h=a@0", "h=b@0", "h=a@2", "h=a@4"}; !reflect.DeepEqual(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	// Batches count from zero each time.
	_ = n.Batch(0, ntBatch(3, nil, ntRow(0, nil, nil), ntRow(1, nil, nil), ntRow(2, nil, nil)))
	_ = n.Batch(0, ntBatch(3, nil, ntRow(5, nil, nil)))
	if a, b := ntTimes(rec.batches[0].Points), ntTimes(rec.batches[1].Points); !reflect.DeepEqual(a, []float64{0, 2}) || !reflect.DeepEqual(b, []float64{5}) {
		t.Errorf("batches %v %v", a, b)
	}

	d := NewSample(task, 2, "sample2", SampleConfig{Duration: 2 * time.Second})
	rec2 := ntChain(task, d)
	for _, s := range []float64{0, 1, 2, 2.5, 4} {
		_ = d.Point(0, ntPoint(s, nil, nil))
	}
	if got := len(rec2.points); got != 3 {
		t.Errorf("duration sample kept %d, want 3", got)
	}
}

// ---- derivative ----

func TestDerivative(t *testing.T) {
	task, log := ntTask()
	n := NewDerivative(task, 1, "derivative1", DerivativeConfig{Field: "v", Unit: time.Second})
	rec := ntChain(task, n)
	for _, p := range []*Point{
		ntPoint(0, nil, ntFields("v", 1.0)), // first: stored only
		ntPoint(2, nil, ntFields("v", 5)),   // int: (5-1)/2 = 2
		ntPoint(2, nil, ntFields("v", 7.0)), // zero elapsed: logged, stored
		ntPoint(3, nil, ntFields("x", 7.0)), // missing: logged, not stored
		ntPoint(4, nil, ntFields("v", 3.0)), // (3-7)/2 = -2
		ntPoint(5, nil, ntFields("v", "s")), // string: logged
	} {
		_ = n.Point(0, p)
	}
	var got []string
	for _, p := range rec.points {
		got = append(got, ntFieldsString(p.Fields))
	}
	if want := []string{"v=2(float)", "v=-2(float)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if n.Errors.Load() != 3 || !strings.Contains(log.String(), "cannot perform derivative") {
		t.Errorf("errors %d log %q", n.Errors.Load(), log.String())
	}

	nn := NewDerivative(task, 2, "derivative2", DerivativeConfig{Field: "v", As: "rate", Unit: time.Minute, NonNegative: true})
	rec2 := ntChain(task, nn)
	_ = nn.Batch(0, ntBatch(10, nil, ntRow(0, nil, ntFields("v", 10.0)), ntRow(30, nil, ntFields("v", 5.0)), ntRow(60, nil, ntFields("v", 6.0))))
	_ = nn.Batch(0, ntBatch(70, nil, ntRow(61, nil, ntFields("v", 100.0))))
	b := rec2.batches[0]
	if len(b.Points) != 1 || ntFieldsString(b.Points[0].Fields) != "rate=2(float) v=6(float)" {
		t.Errorf("batch %v", b.Points)
	}
	if len(rec2.batches[1].Points) != 0 {
		t.Errorf("state carried over between batches: %v", rec2.batches[1].Points)
	}
}

// ---- changeDetect ----

func TestChangeDetect(t *testing.T) {
	task, _ := ntTask()
	n := NewChangeDetect(task, 1, "changeDetect1", ChangeDetectConfig{Fields: []string{"a", "b"}})
	rec := ntChain(task, n)
	in := []*Point{
		ntPoint(0, nil, ntFields("a", 1, "b", "x")),   // first: emitted
		ntPoint(1, nil, ntFields("a", 1, "b", "x")),   // same
		ntPoint(2, nil, ntFields("a", 1.0, "b", "x")), // int 1 != float 1
		ntPoint(3, nil, ntFields("b", "x")),           // a missing: ignored, b same
		ntPoint(4, nil, ntFields("b", true)),          // b changed to a bool
		ntPoint(5, nil, ntFields("c", 1.0)),           // all missing: dropped
		ntPoint(6, nil, ntFields("a", 1.0, "b", true)),
	}
	for _, p := range in {
		_ = n.Point(0, p)
	}
	var got []int64
	for _, p := range rec.points {
		got = append(got, p.Time/ntSec)
	}
	if want := []int64{0, 2, 4, 6}; !reflect.DeepEqual(got, want) {
		t.Errorf("emitted at %v, want %v", got, want)
	}
	// Batches start afresh.
	_ = n.Batch(0, ntBatch(9, nil, ntRow(0, nil, ntFields("a", 1.0, "b", true)), ntRow(1, nil, ntFields("a", 1.0, "b", true))))
	if len(rec.batches[0].Points) != 1 {
		t.Errorf("batch %v", rec.batches[0].Points)
	}
}

// ---- stateDuration / stateCount ----

func TestStateCountAndDuration(t *testing.T) {
	task, _ := ntTask()
	count := NewStateCount(task, 1, "state_count1", StateConfig{Lambda: ntGreater("v", 1)})
	dur := NewStateDuration(task, 2, "state_duration2", StateConfig{Lambda: ntGreater("v", 1), As: "d", Unit: time.Second})
	rc, rd := ntChain(task, count), ntChain(task, dur)
	vals := []any{2.0, 3, 0.0, 5.0, 6.0, "bad"}
	for i, v := range vals {
		p := ntPoint(float64(i*2), nil, ntFields("v", v))
		_ = count.Point(0, p)
		_ = dur.Point(0, p)
	}
	var gc, gd []string
	for _, p := range rc.points {
		v, _ := p.Fields.Get("state_count")
		gc = append(gc, v.String()+"/"+v.Kind.String())
	}
	for _, p := range rd.points {
		v, _ := p.Fields.Get("d")
		gd = append(gd, v.String()+"/"+v.Kind.String())
	}
	if want := []string{"1/int", "2/int", "-1/int", "1/int", "2/int"}; !reflect.DeepEqual(gc, want) {
		t.Errorf("stateCount %v, want %v", gc, want)
	}
	if want := []string{"0/float", "2/float", "-1/float", "0/float", "2/float"}; !reflect.DeepEqual(gd, want) {
		t.Errorf("stateDuration %v, want %v", gd, want)
	}
	// Batches restart the count.
	_ = count.Batch(0, ntBatch(3, nil, ntRow(0, nil, ntFields("v", 2.0)), ntRow(1, nil, ntFields("v", 2.0))))
	_ = count.Batch(0, ntBatch(4, nil, ntRow(2, nil, ntFields("v", 2.0))))
	if v, _ := rc.batches[1].Points[0].Fields.Get("state_count"); v.I != 1 {
		t.Errorf("batch did not restart the count: %v", v)
	}
}

// ---- log ----

func TestLogPassesThrough(t *testing.T) {
	task, log := ntTask()
	n := NewLog(task, 1, "log1", LogConfig{Level: "info", Prefix: "P"})
	rec := ntChain(task, n)
	p := ntPoint(1, ntTags("h", "a"), ntFields("v", 1.0))
	b := ntBatch(2, nil, ntRow(1, nil, ntFields("v", 1.0)))
	_ = n.Point(0, p)
	_ = n.Batch(0, b)
	if rec.points[0] != p || rec.batches[0] != b {
		t.Errorf("data changed")
	}
	out := log.String()
	for _, w := range []string{"I! log1: point", `prefix="P"`, "begin batch", "batch point", "end batch", "v=1"} {
		if !strings.Contains(out, w) {
			t.Errorf("log lacks %q:\n%s", w, out)
		}
	}
}

// ---- benchmarks: the per-point cost of the common transforms ----

func BenchmarkWherePoint(b *testing.B) {
	task, _ := ntTask()
	n := NewWhere(task, 1, "where1", WhereConfig{Lambda: ntGreater("v", 1)})
	ntDiscardAfter(task, n)
	p := ntPoint(0, ntTags("host", "a"), ntFields("v", 2.0), "host")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = n.Point(0, p)
	}
}

func BenchmarkEvalPoint(b *testing.B) {
	task, _ := ntTask()
	n := NewEval(task, 1, "eval1", EvalConfig{
		Lambdas: []*Lambda{ntBinop("v", '*', Float(2)), ntBinop("d", '+', Float(1))},
		Refs:    [][]string{{"v"}, {"d"}}, As: []string{"d", "e"},
	})
	ntDiscardAfter(task, n)
	p := ntPoint(0, ntTags("host", "a"), ntFields("v", 2.0), "host")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = n.Point(0, p)
	}
}

// BenchmarkEvalDirect: eval's fast path, five float expressions as in
// where_eval, handing its point to a child that only borrows it (lent:
// the node reuses one point and one fields buffer) or keeps it (kept:
// new fields, cut from slabs).
func BenchmarkEvalDirect(b *testing.B) {
	field := func(r *Row, st *LambdaState, name string) float64 {
		if at := int(st.RefAt[0]); at < len(r.Fields) && r.Fields[at].Key == name && NoTag(r.Tags, name) {
			return r.Fields[at].Value.F
		}
		v, _ := r.RefHinted(name, &st.RefAt[0])
		return v.F
	}
	exprs := []*Lambda{
		ntLambda("used", func(r *Row, st *LambdaState) (Value, error) { return Float(100 - field(r, st, "usage_idle")), nil }),
		ntLambda("user", func(r *Row, st *LambdaState) (Value, error) { return Float(field(r, st, "usage_user")), nil }),
		ntLambda("log", func(r *Row, st *LambdaState) (Value, error) {
			return Float(math.Log10(1 + field(r, st, "usage_user"))), nil
		}),
		ntLambda("system", func(r *Row, st *LambdaState) (Value, error) { return Float(field(r, st, "usage_system") * 2), nil }),
		ntLambda("idle", func(r *Row, st *LambdaState) (Value, error) {
			return Float(math.Floor(field(r, st, "usage_idle"))), nil
		}),
	}
	cfg := EvalConfig{Lambdas: exprs,
		Refs: [][]string{{"usage_idle"}, {"usage_user"}, {"usage_user"}, {"usage_system"}, {"usage_idle"}},
		As:   []string{"used", "user", "log_user", "system", "idle"}}
	p := ntPoint(0, ntTags("cpu", "cpu0", "datacenter", "us-east-1", "host", "h1", "service", "api"),
		ntFields("usage_idle", 90.5, "usage_system", 2.25, "usage_user", 7.25))
	for _, lend := range []bool{true, false} {
		name := map[bool]string{true: "lent", false: "kept"}[lend]
		b.Run(name, func(b *testing.B) {
			task, _ := ntTask()
			n := NewEval(task, 1, "eval1", cfg)
			if lend {
				wlSinkAfter(task, n)
			} else {
				ntDiscardAfter(task, n)
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = n.Point(0, p)
			}
		})
	}
}

// ntDiscard is a terminal node that drops what it gets (for benchmarks).
type ntDiscard struct{ Base }

func (*ntDiscard) Point(int, *Point) error { return nil }
func (*ntDiscard) Batch(int, *Batch) error { return nil }

func ntDiscardAfter(t *Task, n Node) {
	d := &ntDiscard{}
	d.Init(t, 98, "discard98", d)
	Link(n, d, 0)
}
