package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// alertSink is a child node that records what an alert node forwards.
type alertSink struct {
	Base
	points  []*Point
	batches []*Batch
}

func (s *alertSink) Point(_ int, p *Point) error { s.points = append(s.points, p); return nil }
func (s *alertSink) Batch(_ int, b *Batch) error { s.batches = append(s.batches, b); return nil }

// alertTestTask is a task in capture mode with an alert node and a sink
// below it.
type alertTestTask struct {
	t    *testing.T
	task *Task
	node *AlertNode
	sink *alertSink
}

// withAlertDefaults fills in the defaults the compiler gives an alert
// node for the settings left zero.
func withAlertDefaults(cfg AlertConfig) AlertConfig {
	if cfg.ID == "" {
		cfg.ID = DefaultAlertID
	}
	if cfg.Message == "" {
		cfg.Message = DefaultAlertMessage
	}
	if cfg.Details == "" {
		cfg.Details = DefaultAlertDetails
	}
	if cfg.History == 0 {
		cfg.History = DefaultAlertHistory
	}
	return cfg
}

func newAlertTestTask(t *testing.T, typ string, cfg AlertConfig) *alertTestTask {
	t.Helper()
	cfg = withAlertDefaults(cfg)
	task := NewTask("task", typ, nil)
	task.Capture = NewCapture()
	task.Log = io.Discard
	n := NewAlert(task, 1, "alert1", cfg)
	if err := n.InitError(); err != nil {
		t.Fatalf("init: %v", err)
	}
	s := &alertSink{}
	s.Init(task, 2, "sink2", s)
	Link(n, s, 0)
	return &alertTestTask{t: t, task: task, node: n, sink: s}
}

// events returns the captured events of the alert node.
func (a *alertTestTask) events() []map[string]any {
	var out []map[string]any
	for _, raw := range capturedAlerts(a.t, a.task, a.node.ID) {
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			a.t.Fatalf("captured event is not JSON: %v\n%s", err, raw)
		}
		out = append(out, m)
	}
	return out
}

// capturedAlerts returns the events a node captured, compacted: the
// event JSON handlers receive (the capture keeps them laid out for
// result.json).
func capturedAlerts(t testing.TB, task *Task, nodeID int) []string {
	t.Helper()
	var out []string
	for _, raw := range task.Capture.alerts[nodeID] {
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			t.Fatalf("captured event is not JSON: %v\n%s", err, raw)
		}
		out = append(out, b.String())
	}
	return out
}

// rawEvents returns the captured event JSON texts.
func (a *alertTestTask) rawEvents() []string {
	return capturedAlerts(a.t, a.task, a.node.ID)
}

// summary renders each event as "LEVEL@time dur prev".
func (a *alertTestTask) summary() []string {
	var out []string
	for _, e := range a.events() {
		out = append(out, fmt.Sprintf("%s@%s %v prev=%s", e["level"], e["time"], e["duration"], e["previousLevel"]))
	}
	return out
}

// point feeds one stream point written as a line of line protocol with a
// timestamp in seconds: `cpu,host=a value=1,n=2i,s="x",b=t 10`.
func (a *alertTestTask) point(line string, groupBy ...string) {
	a.t.Helper()
	p := parseTestPoint(a.t, line)
	sort.Strings(groupBy)
	p.Regroup(Dimensions{TagNames: groupBy})
	if err := a.node.Point(0, p); err != nil {
		a.t.Fatalf("point %q: %v", line, err)
	}
}

func parseTestPoint(t *testing.T, line string) *Point {
	t.Helper()
	parts := strings.Fields(line)
	if len(parts) != 3 {
		t.Fatalf("bad test point %q", line)
	}
	keys := strings.Split(parts[0], ",")
	p := &Point{Name: keys[0]}
	for _, kv := range keys[1:] {
		k, v, _ := strings.Cut(kv, "=")
		p.Tags = p.Tags.Set(k, v)
	}
	for _, kv := range strings.Split(parts[1], ",") {
		k, v, _ := strings.Cut(kv, "=")
		p.Fields = p.Fields.Set(k, parseTestValue(t, v))
	}
	sec, err := strconv.ParseFloat(parts[2], 64)
	if err != nil {
		t.Fatalf("bad time in %q", line)
	}
	p.Time = int64(sec * 1e9)
	return p
}

func parseTestValue(t *testing.T, v string) Value {
	switch {
	case strings.HasPrefix(v, `"`):
		return String(strings.Trim(v, `"`))
	case v == "t" || v == "true":
		return Bool(true)
	case v == "f" || v == "false":
		return Bool(false)
	case strings.HasSuffix(v, "i"):
		i, err := strconv.ParseInt(strings.TrimSuffix(v, "i"), 10, 64)
		if err != nil {
			t.Fatalf("bad int %q", v)
		}
		return Int(i)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("bad float %q", v)
	}
	return Float(f)
}

// cmp is a level lambda `"field" op x` (op one of > >= < <= ==); a
// missing field is an evaluation error, as in Kapacitor.
func cmp(field, op string, x float64) *Lambda {
	return &Lambda{Text: fmt.Sprintf("%q %s %v", field, op, x), Func: func(r *Row, _ *LambdaState) (Value, error) {
		v, ok := r.Fields.Get(field)
		if !ok {
			return Value{}, fmt.Errorf("no field or tag exists for %s", field)
		}
		var f float64
		switch v.Kind {
		case KindFloat:
			f = v.F
		case KindInt:
			f = float64(v.I)
		default:
			return Value{}, &TypeError{Msg: "invalid comparison with " + v.Kind.String()}
		}
		switch op {
		case ">":
			return Bool(f > x), nil
		case ">=":
			return Bool(f >= x), nil
		case "<":
			return Bool(f < x), nil
		case "<=":
			return Bool(f <= x), nil
		case "==":
			return Bool(f == x), nil
		}
		panic("bad op " + op)
	}}
}

// counting is a stateful lambda: TRUE from the n-th evaluation on, with
// one count for every evaluation through that state.
func counting(n int64) *Lambda {
	return &Lambda{Stateful: true, Func: func(_ *Row, st *LambdaState) (Value, error) {
		st.Count++
		return Bool(st.Count >= n), nil
	}}
}

// testBatch builds a batch; points are "value@seconds" with field "v".
func testBatch(name string, tmaxSec int64, tags Tags, pts ...[2]float64) *Batch {
	b := &Batch{Name: name, TMax: tmaxSec * 1e9, Tags: tags}
	var dims []string
	for _, t := range tags {
		dims = append(dims, t.Key)
	}
	b.Dims = Dimensions{TagNames: dims}
	b.Group = ComputeGroupID(name, tags, b.Dims)
	for _, p := range pts {
		b.Points = append(b.Points, Row{Time: int64(p[1] * 1e9), Tags: tags.Clone(), Fields: Fields{{"v", Float(p[0])}}})
	}
	return b
}

func eqStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
