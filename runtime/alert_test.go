package runtime

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAlertStreamSequences(t *testing.T) {
	warnCrit := func(c AlertConfig) AlertConfig {
		c.Warn, c.Crit = cmp("value", ">", 50), cmp("value", ">", 80)
		return c
	}
	tests := []struct {
		name   string
		cfg    AlertConfig
		points []string
		want   []string
	}{
		{"every non-OK point and the recovery",
			warnCrit(AlertConfig{}),
			[]string{"cpu value=90 2", "cpu value=85 5", "cpu value=10 11", "cpu value=10 12"},
			[]string{"CRITICAL@1970-01-01T00:00:02Z 0 prev=OK", "CRITICAL@1970-01-01T00:00:05Z 3e+09 prev=CRITICAL", "OK@1970-01-01T00:00:11Z 9e+09 prev=CRITICAL"}},
		{"no level expression never leaves OK",
			AlertConfig{},
			[]string{"cpu value=90 2", "cpu value=85 5"},
			nil},
		{"stateChangesOnly: the recovery carries the whole incident",
			warnCrit(AlertConfig{StateChangesOnly: true}),
			[]string{"cpu value=90 2", "cpu value=85 5", "cpu value=60 7", "cpu value=61 8", "cpu value=10 11"},
			[]string{"CRITICAL@1970-01-01T00:00:02Z 0 prev=OK", "WARNING@1970-01-01T00:00:07Z 5e+09 prev=CRITICAL", "OK@1970-01-01T00:00:11Z 9e+09 prev=WARNING"}},
		{"stateChangesOnly(10s) re-sends an unchanged level once expired",
			warnCrit(AlertConfig{StateChangesOnly: true, StateChangesOnlyDuration: 10 * time.Second}),
			[]string{"cpu value=90 0", "cpu value=90 5", "cpu value=90 9", "cpu value=90 10", "cpu value=90 15", "cpu value=90 20"},
			[]string{"CRITICAL@1970-01-01T00:00:00Z 0 prev=OK", "CRITICAL@1970-01-01T00:00:10Z 1e+10 prev=CRITICAL", "CRITICAL@1970-01-01T00:00:20Z 2e+10 prev=CRITICAL"}},
		{"noRecoveries suppresses OK but resets the incident",
			warnCrit(AlertConfig{NoRecoveries: true}),
			[]string{"cpu value=90 1", "cpu value=90 2", "cpu value=10 3", "cpu value=90 4"},
			[]string{"CRITICAL@1970-01-01T00:00:01Z 0 prev=OK", "CRITICAL@1970-01-01T00:00:02Z 1e+09 prev=CRITICAL", "CRITICAL@1970-01-01T00:00:04Z 0 prev=CRITICAL"}},
		{"a failing level expression counts as false",
			warnCrit(AlertConfig{}),
			[]string{"cpu other=90 1", "cpu value=90 2", "cpu other=1 3"},
			[]string{"CRITICAL@1970-01-01T00:00:02Z 0 prev=OK", "OK@1970-01-01T00:00:03Z 1e+09 prev=CRITICAL"}},
		{"a failing reset expression counts as true",
			AlertConfig{Crit: cmp("value", ">", 80), CritReset: cmp("value", "<", 10)},
			[]string{"cpu value=90 1", "cpu value=50 2", "cpu other=1 3"},
			[]string{"CRITICAL@1970-01-01T00:00:01Z 0 prev=OK", "CRITICAL@1970-01-01T00:00:02Z 1e+09 prev=CRITICAL", "OK@1970-01-01T00:00:03Z 2e+09 prev=CRITICAL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAlertTestTask(t, "stream", tt.cfg)
			for _, p := range tt.points {
				a.point(p)
			}
			eqStrings(t, "events", a.summary(), tt.want)
			if len(a.sink.points) != len(tt.want) {
				t.Errorf("forwarded %d points, want one per event (%d)", len(a.sink.points), len(tt.want))
			}
		})
	}
}

// The reference semantics of reset expressions (spec/alerting.md §4).
func TestAlertLevelSearchWithResets(t *testing.T) {
	a := newAlertTestTask(t, "stream", AlertConfig{
		Info: cmp("v", ">", 60), InfoReset: cmp("v", "<", 50),
		Warn: cmp("v", ">", 70), WarnReset: cmp("v", "<", 60),
		Crit: cmp("v", ">", 80), CritReset: cmp("v", "<", 70),
	})
	var got []string
	for i, v := range []string{"61", "73", "64", "85", "62", "56", "47"} {
		a.point("m v=" + v + " " + string(rune('1'+i)))
		got = append(got, a.node.groups.lookup(a.node.Task, NilGroup, 0).currentLevel().String())
	}
	eqStrings(t, "levels", got, []string{"INFO", "WARNING", "WARNING", "CRITICAL", "INFO", "INFO", "OK"})
}

// Level expressions keep one state shared by every group; the current
// level's expression runs in both searches.
func TestAlertLevelStateSharedByGroups(t *testing.T) {
	a := newAlertTestTask(t, "stream", AlertConfig{Crit: counting(3)})
	a.point("m,host=a v=1 1", "host") // count 1: OK
	a.point("m,host=b v=1 2", "host") // count 2: OK
	a.point("m,host=c v=1 3", "host") // count 3: CRITICAL
	eqStrings(t, "events", a.summary(), []string{"CRITICAL@1970-01-01T00:00:03Z 0 prev=OK"})
	if got := a.node.levelStates[LevelCritical].Count; got != 3 {
		t.Errorf("crit state count = %d, want 3", got)
	}
	// host=c is CRITICAL now: the crit expression is evaluated by the
	// upward search and again by the downward one only when false; it is
	// true, so once.
	a.point("m,host=c v=1 4", "host")
	if got := a.node.levelStates[LevelCritical].Count; got != 4 {
		t.Errorf("crit state count = %d, want 4", got)
	}
}

func TestAlertCurrentLevelEvaluatedTwice(t *testing.T) {
	calls := 0
	warn := &Lambda{Func: func(r *Row, _ *LambdaState) (Value, error) {
		calls++
		v, _ := r.Fields.Get("v")
		return Bool(v.F > 50), nil
	}}
	a := newAlertTestTask(t, "stream", AlertConfig{Warn: warn})
	a.point("m v=60 1") // OK: warn once (true)
	a.point("m v=10 2") // WARNING: warn up (false), warn down (false)
	if calls != 3 {
		t.Errorf("warn evaluated %d times, want 3", calls)
	}
}

// With history 4 one change weighs about 0.58 (the pair from the oldest
// entry to the newest counts too); alternating levels reach 0.93.
// Sequence C O C O O O O with flapping(0.25, 0.6): not flapping for the
// first two, flapping from the third to the sixth.
var flapSequence = []float64{90, 10, 90, 10, 10, 10, 10}

func flapConfig() AlertConfig {
	return AlertConfig{Crit: cmp("v", ">", 80), Flapping: true, FlapLow: 0.25, FlapHigh: 0.6, History: 4}
}

func TestAlertFlappingStreamSuppressesRecoveries(t *testing.T) {
	a := newAlertTestTask(t, "stream", flapConfig())
	var flapping []bool
	for i, v := range flapSequence {
		a.point(fmt.Sprintf("m v=%v %d", v, i+1))
		flapping = append(flapping, a.node.groups.lookup(a.node.Task, NilGroup, 0).flapping)
	}
	if fmt.Sprint(flapping) != "[false false true true true true false]" {
		t.Errorf("flapping %v", flapping)
	}
	eqStrings(t, "events", a.summary(), []string{
		"CRITICAL@1970-01-01T00:00:01Z 0 prev=OK",
		"OK@1970-01-01T00:00:02Z 1e+09 prev=CRITICAL",
	})
}

func TestAlertFlappingBatchSendsRecoveries(t *testing.T) {
	a := newAlertTestTask(t, "batch", flapConfig())
	for i, v := range flapSequence {
		if err := a.node.Batch(0, testBatch("m", int64(i+1)*10, nil, [2]float64{v, float64(i + 1)})); err != nil {
			t.Fatal(err)
		}
	}
	// The CRITICAL batch while flapping is suppressed (and does not move
	// the incident), the recovery after it is sent.
	eqStrings(t, "events", a.summary(), []string{
		"CRITICAL@1970-01-01T00:00:01Z 0 prev=OK",
		"OK@1970-01-01T00:00:20Z 1.9e+10 prev=CRITICAL",
		"OK@1970-01-01T00:00:40Z 3.9e+10 prev=OK",
	})
}

func TestAlertPercentChange(t *testing.T) {
	c := &alertStateConfig{history: 4}
	var g alertGroup
	g.init(c)
	for _, l := range []AlertLevel{LevelCritical, LevelOK} {
		g.addEvent(c, 0, l)
	}
	// history [O C O O], newest at 2: pairs (2,1) weigh 0.8 and change,
	// (3,2) 0.933 and (0,3) 1.067 do not → 0.8/3.
	if got, want := g.percentChange(c), 0.8/3; abs(got-want) > 1e-12 {
		t.Errorf("percentChange = %v, want %v", got, want)
	}
	g.init(c)
	g.addEvent(c, 0, LevelCritical)
	// [O C O O], newest at 1: (1,0) 0.8 and (2,1) 0.933 change → 1.733/3.
	if got, want := g.percentChange(c), (0.8+0.8+0.4/3)/3; abs(got-want) > 1e-12 {
		t.Errorf("percentChange = %v, want %v", got, want)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestAlertHistoryAtLeastTwo(t *testing.T) {
	for _, h := range []int{-1, 1, 2} {
		a := newAlertTestTask(t, "stream", AlertConfig{History: h})
		a.point("m v=1 1")
		if got := a.node.state.history; got != 2 {
			t.Errorf("history(%d): length %d, want 2", h, got)
		}
	}
	a := newAlertTestTask(t, "stream", AlertConfig{})
	a.point("m v=1 1")
	if got := a.node.state.history; got != 21 {
		t.Errorf("default history %d, want 21", got)
	}
}

func TestAlertFlapThresholdsAreFractions(t *testing.T) {
	task := NewTask("task", "stream", nil)
	n := NewAlert(task, 1, "alert1", AlertConfig{Flapping: true, FlapLow: 0.2, FlapHigh: 50})
	err := n.InitError()
	if err == nil || err.Error() != "alert1: alert flap thresholds are percentages and should be between 0 and 1" {
		t.Errorf("err = %v", err)
	}
}

// Flapping suppression of the first CRITICAL leaves lastTriggered at the
// zero time, so a later unchanged CRITICAL counts as expired, and its
// duration saturates (the incident never had a first trigger).
func TestAlertNeverTriggeredIsExpired(t *testing.T) {
	a := newAlertTestTask(t, "stream", AlertConfig{Crit: cmp("v", ">", 80), StateChangesOnly: true, StateChangesOnlyDuration: time.Hour})
	g := a.node.newGroup(NilGroup, []byte("m:nil"), 1e9, nil, Dimensions{})
	g.addEvent(&a.node.state, 1e9, LevelCritical) // as if suppressed
	a.point("m v=90 2")
	eqStrings(t, "events", a.summary(), []string{"CRITICAL@1970-01-01T00:00:02Z 9.223372036854776e+18 prev=OK"})
}

func TestAlertPreviousLevelAndRestoreAcrossGroups(t *testing.T) {
	// The ID ignores the group: the second group starts at the level the
	// first left in the topic.
	a := newAlertTestTask(t, "stream", AlertConfig{ID: "{{ .Name }}", Crit: cmp("v", ">", 80), StateChangesOnly: true})
	a.point("m,host=a v=90 1", "host")
	a.point("m,host=b v=90 2", "host") // restored CRITICAL: unchanged, suppressed
	a.point("m,host=b v=10 3", "host") // recovery of the restored incident
	eqStrings(t, "events", a.summary(), []string{
		"CRITICAL@1970-01-01T00:00:01Z 0 prev=OK",
		"OK@1970-01-01T00:00:03Z 2e+09 prev=CRITICAL",
	})
}

func TestAlertInhibition(t *testing.T) {
	task := NewTask("task", "stream", nil)
	task.Capture = NewCapture()
	inhibitor := NewAlert(task, 1, "alert1", withAlertDefaults(AlertConfig{Crit: cmp("v", ">", 80), Inhibitors: []AlertInhibitor{{Category: "sys", EqualTags: []string{"host"}}}}))
	inhibited := NewAlert(task, 2, "alert2", withAlertDefaults(AlertConfig{Crit: cmp("v", ">", 80), Category: "sys"}))
	sink := &alertSink{}
	sink.Init(task, 3, "sink3", sink)
	Link(inhibited, sink, 0)
	feed := func(n *AlertNode, line string) {
		p := parseTestPoint(t, line)
		p.Regroup(Dimensions{TagNames: []string{"host"}})
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
	}
	feed(inhibitor, "up,host=a v=90 1")
	feed(inhibited, "svc,host=a v=90 2") // inhibited
	feed(inhibited, "svc,host=b v=90 3") // other host: sent
	feed(inhibitor, "up,host=a v=10 4")
	feed(inhibited, "svc,host=a v=90 5") // inhibitor OK again: sent
	var got []string
	for _, raw := range capturedAlerts(t, task, 2) {
		got = append(got, raw[:strings.Index(raw, `","message"`)])
	}
	eqStrings(t, "events", got, []string{`{"id":"svc:host=b`, `{"id":"svc:host=a`})
	if inhibited.AlertsInhibited.Load() != 1 {
		t.Errorf("alerts_inhibited = %d, want 1", inhibited.AlertsInhibited.Load())
	}
	if len(sink.points) != 3 {
		t.Errorf("forwarded %d points, want 3 (inhibited data is still forwarded)", len(sink.points))
	}
}

func TestAlertForwardsAugmentedPoints(t *testing.T) {
	a := newAlertTestTask(t, "stream", AlertConfig{
		Crit: cmp("v", ">", 80), LevelTag: "level", IDTag: "id", LevelField: "lf",
		MessageField: "msg", IDField: "idf", DurationField: "dur",
	})
	a.point("cpu,host=a v=90 1", "host")
	a.point("cpu,host=a v=95 3", "host")
	a.point("cpu,host=a v=1 4", "host") // recovery
	a.point("cpu,host=a v=1 5", "host") // OK, unchanged: nothing
	if len(a.sink.points) != 3 {
		t.Fatalf("forwarded %d points, want 3", len(a.sink.points))
	}
	p := a.sink.points[1]
	if got := tagsString(p.Tags); got != "host=a,id=cpu:host=a,level=CRITICAL" {
		t.Errorf("tags %s", got)
	}
	if got := fieldsString(p.Fields); got != "dur=2000000000,idf=cpu:host=a,lf=CRITICAL,msg=cpu:host=a is CRITICAL,v=95" {
		t.Errorf("fields %s", got)
	}
	if p.Group != "host=a" {
		t.Errorf("group %q changed", p.Group)
	}
	// The event data is the point before augmentation.
	if ev := a.rawEvents()[1]; !strings.Contains(ev, `"data":{"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","v"],"values":[["1970-01-01T00:00:03Z",95]]}]}`) {
		t.Errorf("event data: %s", ev)
	}
}

func tagsString(ts Tags) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Key+"="+t.Value)
	}
	return strings.Join(s, ",")
}

func fieldsString(fs Fields) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Key+"="+f.Value.String())
	}
	return strings.Join(s, ",")
}

// The verified batch example of spec/alerting.md §4.1.
func TestAlertBatchHighestPointAndTMax(t *testing.T) {
	a := newAlertTestTask(t, "batch", AlertConfig{Warn: cmp("v", ">", 2), Crit: cmp("v", ">", 5), Message: `{{ .Level }} {{ index .Fields "v" }} {{ .Time }}`})
	b1 := testBatch("cpu", 10, nil, [2]float64{3, 1}, [2]float64{7, 2}, [2]float64{9, 3})
	b2 := testBatch("cpu", 21, nil, [2]float64{1, 11})
	for _, b := range []*Batch{b1, b2, testBatch("cpu", 30, nil)} {
		if err := a.node.Batch(0, b); err != nil {
			t.Fatal(err)
		}
	}
	eqStrings(t, "events", a.summary(), []string{"CRITICAL@1970-01-01T00:00:02Z 0 prev=OK", "OK@1970-01-01T00:00:21Z 1.9e+10 prev=CRITICAL"})
	ev := a.events()
	if got := ev[0]["message"]; got != "CRITICAL 7 1970-01-01 00:00:02 +0000 UTC" {
		t.Errorf("message %q", got)
	}
	if got := len(ev[0]["data"].(map[string]any)["series"].([]any)[0].(map[string]any)["values"].([]any)); got != 3 {
		t.Errorf("data has %d rows, want the whole batch (3)", got)
	}
	if len(a.sink.batches) != 2 {
		t.Errorf("forwarded %d batches, want 2", len(a.sink.batches))
	}
}

func TestAlertBatchAll(t *testing.T) {
	a := newAlertTestTask(t, "batch", AlertConfig{Crit: cmp("v", ">", 5), All: true})
	feed := func(b *Batch) {
		if err := a.node.Batch(0, b); err != nil {
			t.Fatal(err)
		}
	}
	feed(testBatch("cpu", 10, nil, [2]float64{9, 1}, [2]float64{1, 2})) // not all critical: OK, unchanged
	feed(testBatch("cpu", 20, nil, [2]float64{9, 11}, [2]float64{8, 12}))
	eqStrings(t, "events", a.summary(), []string{"CRITICAL@1970-01-01T00:00:20Z 0 prev=OK"})
}

func TestAlertBatchAugmentation(t *testing.T) {
	a := newAlertTestTask(t, "batch", AlertConfig{Crit: cmp("v", ">", 5), LevelTag: "lvl", DurationField: "dur"})
	b := testBatch("cpu", 10, Tags{{"host", "a"}}, [2]float64{9, 1}, [2]float64{1, 2})
	b.Points[0].Tags = b.Points[0].Tags.Set("extra", "x")
	if err := a.node.Batch(0, b); err != nil {
		t.Fatal(err)
	}
	out := a.sink.batches[0]
	if got := tagsString(out.Tags); got != "host=a,lvl=CRITICAL" {
		t.Errorf("batch tags %s", got)
	}
	if got := strings.Join(out.Dims.TagNames, ","); got != "host,lvl" {
		t.Errorf("dims %s", got)
	}
	if out.Group != "host=a,lvl=CRITICAL" {
		t.Errorf("group %q", out.Group)
	}
	if got := fieldsString(out.Points[1].Fields); got != "dur=0,v=1" {
		t.Errorf("point fields %s", got)
	}
	if tagsString(b.Tags) != "host=a" || len(b.Points[1].Fields) != 1 {
		t.Errorf("the input batch was changed")
	}
	// Columns come from the first point, including its extra tag.
	if ev := a.rawEvents()[0]; !strings.Contains(ev, `"columns":["time","extra","v"],"values":[["1970-01-01T00:00:01Z","x",9],["1970-01-01T00:00:02Z",null,1]]`) {
		t.Errorf("event data: %s", ev)
	}
}

func TestAlertIDTemplateErrorIsFatal(t *testing.T) {
	a := newAlertTestTask(t, "stream", AlertConfig{ID: "{{ .Foo }}"})
	err := a.node.Point(0, parseTestPoint(t, "m v=1 1"))
	if err == nil || !strings.HasPrefix(err.Error(), `alert1: template: id:1:3: executing "id" at <.Foo>: can't evaluate field Foo in type `) {
		t.Errorf("err = %v", err)
	}
}

func TestAlertTemplateSyntaxErrorFailsInit(t *testing.T) {
	task := NewTask("task", "stream", nil)
	n := NewAlert(task, 1, "alert1", AlertConfig{Message: "{{ if }}"})
	if err := n.InitError(); err == nil || !strings.Contains(err.Error(), "template: message:1: missing value for if") {
		t.Errorf("err = %v", err)
	}
}

func TestAlertEmptyBatchIgnored(t *testing.T) {
	a := newAlertTestTask(t, "batch", AlertConfig{Crit: cmp("v", ">", 5)})
	if err := a.node.Batch(0, testBatch("cpu", 10, nil)); err != nil {
		t.Fatal(err)
	}
	if len(a.events()) != 0 || a.node.groups.lookup(a.node.Task, NilGroup, 0).currentLevel() != LevelOK {
		t.Errorf("an empty batch changed something")
	}
}

func TestAlertIDPlan(t *testing.T) {
	tests := []struct {
		src  string
		memo bool
		keys string
	}{
		{`kapacitor/{{ .Name }}/{{ index .Tags "host" }}`, true, "host"},
		{`{{.TaskName}}:{{ .Group }}:{{ .ServerInfo.Hostname }}`, true, ""},
		{`{{ index .Tags "a" }}{{ index .Tags "b" }}`, true, "a,b"},
		{`{{ .Tags }}`, false, ""},
		{`{{ . }}`, false, ""},
		{`{{ if .Name }}x{{ end }}`, false, ""},
		{`{{ .Name | printf "%s" }}`, false, ""},
		{`{{ $x := .Name }}{{ $x }}`, false, ""},
		{`{{ .Foo }}`, false, ""},
	}
	for _, tt := range tests {
		at, err := parseAlertTemplates(NewTask("t", "stream", nil), tt.src, DefaultAlertMessage, DefaultAlertDetails)
		if err != nil {
			t.Fatal(err)
		}
		if at.idPlan.memo != tt.memo || strings.Join(at.idPlan.tagKeys, ",") != tt.keys {
			t.Errorf("%s: plan %+v, want memo=%v keys=%s", tt.src, at.idPlan, tt.memo, tt.keys)
		}
	}
}

// The memo of a group's ID follows the tags the template reads, also
// those that are not group dimensions.
func TestAlertIDFollowsNonDimensionTags(t *testing.T) {
	a := newAlertTestTask(t, "stream", AlertConfig{ID: `{{ .Name }}/{{ index .Tags "cpu" }}`, Crit: cmp("v", ">", 80), Details: "d"})
	a.point("m,host=a,cpu=0 v=90 1", "host")
	a.point("m,host=a,cpu=0 v=90 2", "host")
	a.point("m,host=a,cpu=1 v=90 3", "host")
	a.point("m,host=a v=90 4", "host")
	var ids []string
	for _, e := range a.events() {
		ids = append(ids, e["id"].(string))
	}
	// A missing tag indexes as "" (Tags is a map of strings).
	eqStrings(t, "ids", ids, []string{"m/0", "m/0", "m/1", "m/"})
}

// The common case, a point that leaves its group OK, must not allocate.
func BenchmarkAlertPointOK(b *testing.B) {
	task := NewTask("task", "stream", nil)
	task.Capture = NewCapture()
	n := NewAlert(task, 1, "alert1", withAlertDefaults(AlertConfig{Warn: cmp("v", ">", 50), Crit: cmp("v", ">", 80)}))
	pts := make([]*Point, 16)
	for i := range pts {
		pts[i] = &Point{Name: "cpu", Row: Row{Time: int64(i), Tags: Tags{{"host", string(rune('a' + i))}}, Fields: Fields{{"v", Float(1)}}}}
		pts[i].Regroup(Dimensions{TagNames: []string{"host"}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for i := 0; i < b.N; i++ {
		p := pts[i%len(pts)]
		p.Time = int64(i)
		if err := n.Point(0, p); err != nil {
			b.Fatal(err)
		}
	}
}

// Templates are taken as given: `.details(”)` sends empty details, and
// `.history(0)` is a history of 2.
func TestAlertExplicitEmptySettings(t *testing.T) {
	task := NewTask("task", "stream", nil)
	task.Capture = NewCapture()
	n := NewAlert(task, 1, "alert1", AlertConfig{ID: "x", Message: "", Details: "", History: 0, Crit: cmp("v", ">", 1)})
	if err := n.Point(0, parseTestPoint(t, "m v=2 1")); err != nil {
		t.Fatal(err)
	}
	if got := capturedAlerts(t, task, 1)[0]; !strings.HasPrefix(got, `{"id":"x","message":"","details":"","time"`) {
		t.Errorf("event %s", got)
	}
	if got := n.state.history; got != 2 {
		t.Errorf("history %d", got)
	}
}

// Every point is an event (CRITICAL without stateChangesOnly): the cost
// of rendering and encoding an event with the default templates.
func BenchmarkAlertEventDefaultTemplates(b *testing.B) {
	task := NewTask("task", "stream", nil)
	task.Capture = nil
	task.Log = nil
	n := NewAlert(task, 1, "alert1", withAlertDefaults(AlertConfig{Crit: cmp("v", ">", 0)}))
	p := &Point{Name: "cpu", Row: Row{Tags: Tags{{"host", "a"}, {"region", "eu"}}, Fields: Fields{{"n", Int(3)}, {"v", Float(92.5)}}}}
	p.Regroup(Dimensions{TagNames: []string{"host"}})
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for i := 0; i < b.N; i++ {
		p.Time = int64(i) * 1e9
		if err := n.Point(0, p); err != nil {
			b.Fatal(err)
		}
	}
}

// Without handlers (and outside capture) a node has no anonymous topic:
// a new group does not take over the level another group left under the
// same ID.
func TestAlertNoHandlersNoRestore(t *testing.T) {
	task := NewTask("task", "stream", nil)
	n := NewAlert(task, 1, "alert1", withAlertDefaults(AlertConfig{ID: "{{ .Name }}", Crit: cmp("v", ">", 80), LevelTag: "lvl"}))
	sink := &alertSink{}
	sink.Init(task, 2, "sink2", sink)
	Link(n, sink, 0)
	for _, line := range []string{"m,host=a v=90 1", "m,host=b v=10 2"} {
		p := parseTestPoint(t, line)
		p.Regroup(Dimensions{TagNames: []string{"host"}})
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
	}
	// host=b starts OK, so its OK point is no recovery and not forwarded.
	if len(sink.points) != 1 {
		t.Errorf("forwarded %d points, want 1", len(sink.points))
	}
}

// refRing is the plain form of a group's history: one byte a level.
type refRing struct {
	levels []AlertLevel
	idx    int
}

func (r *refRing) add(l AlertLevel) {
	r.idx = (r.idx + 1) % len(r.levels)
	r.levels[r.idx] = l
}

func (r *refRing) percentChange() float64 {
	n := len(r.levels)
	changes, weight := 0.0, flapMaxWeight/flapWeightDiff
	step := (flapMaxWeight - weight) / float64(n-1)
	for i := 0; i < n-1; i++ {
		c := (i + r.idx) % n
		p := (c + n - 1) % n
		if r.levels[c] != r.levels[p] {
			changes += weight
		}
		weight += step
	}
	return changes / float64(n-1)
}

// The packed ring (two bits a level up to 32 levels, bytes beyond) keeps
// the same levels and flap weights as a plain ring.
func TestAlertHistoryRingMatchesPlainRing(t *testing.T) {
	for _, size := range []int{2, 3, 4, 21, 31, 32, 33, 64, 100} {
		c := &alertStateConfig{history: size}
		var g alertGroup
		g.init(c)
		ref := refRing{levels: make([]AlertLevel, size)}
		x := uint32(size)
		for step := 0; step < 5*size; step++ {
			x = x*1664525 + 1013904223
			l := AlertLevel(x >> 30)
			g.addEvent(c, int64(step), l)
			ref.add(l)
			prev := ref.levels[(ref.idx+size-1)%size]
			if g.currentLevel() != l || g.previousLevel(c) != prev {
				t.Fatalf("history %d step %d: current %v previous %v, want %v %v", size, step, g.currentLevel(), g.previousLevel(c), l, prev)
			}
			if got, want := g.percentChange(c), ref.percentChange(); got != want {
				t.Fatalf("history %d step %d: percentChange %v, want %v", size, step, got, want)
			}
		}
	}
}

// Groups are found by the value of their ID, whether or not a point
// shares the ID string the group was created with, and with no group
// number (points here carry none).
func TestAlertGroupLookupByValue(t *testing.T) {
	const groups = 3 * 8192
	a := newAlertTestTask(t, "stream", AlertConfig{Crit: cmp("v", ">", 80), StateChangesOnly: true})
	ids := make([]GroupID, groups)
	for i := range ids {
		ids[i] = GroupID(fmt.Sprintf("host=h%d", i))
	}
	send := func(i int, v float64, sec int64, shared bool) {
		gid := ids[i]
		if !shared {
			gid = GroupID(strings.Clone(string(gid)))
		}
		p := &Point{Name: "m", Group: gid, Row: Row{Time: sec * 1e9, Fields: Fields{{"v", Float(v)}}}}
		if err := a.node.Point(0, p); err != nil {
			t.Fatal(err)
		}
	}
	// Every third group goes CRITICAL, then all are fed again with the
	// same level, half through fresh copies of their IDs: no new event.
	for i := range groups {
		v := 10.0
		if i%3 == 0 {
			v = 90
		}
		send(i, v, 1, true)
	}
	for i := range groups {
		v := 10.0
		if i%3 == 0 {
			v = 90
		}
		send(i, v, 2, i%2 == 0)
	}
	if got, want := len(a.events()), groups/3; got != want {
		t.Errorf("%d events, want %d", got, want)
	}
	if a.node.groups.count != groups {
		t.Errorf("%d groups, want %d", a.node.groups.count, groups)
	}
	for i, gid := range ids {
		want := LevelOK
		if i%3 == 0 {
			want = LevelCritical
		}
		if g := a.node.groups.lookup(a.node.Task, GroupID(strings.Clone(string(gid))), 0); g == nil || g.currentLevel() != want {
			t.Fatalf("group %s: %v, want level %v", gid, g, want)
		}
	}
}
