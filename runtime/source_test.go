package runtime

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// collector is a test node that keeps what reaches it.
type collector struct {
	Base
	points  []*Point
	batches []*Batch
	done    int
}

func newCollector(t *Task, id int) *collector {
	n := &collector{}
	n.Init(t, id, "collector", n)
	return n
}

func (n *collector) Point(_ int, p *Point) error { n.points = append(n.points, p); return nil }
func (n *collector) Batch(_ int, b *Batch) error { n.batches = append(n.batches, b); return nil }
func (n *collector) Done(int) error              { n.done++; return nil }

func fromPipeline(cfg FromConfig) (*Task, *FromNode, *collector) {
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	f := NewFrom(task, 1, "from1", cfg)
	c := newCollector(task, 2)
	Link(s, f, 0)
	Link(f, c, 0)
	return task, f, c
}

func TestFromFilters(t *testing.T) {
	tests := []struct {
		name string
		cfg  FromConfig
		want []string // names of the points kept
	}{
		{"no filter", FromConfig{}, []string{"cpu", "mem", "cpu2", "cpu3"}},
		{"database", FromConfig{Database: "db"}, []string{"cpu", "mem", "cpu3"}},
		{"retention policy", FromConfig{RetentionPolicy: "rp"}, []string{"cpu", "mem", "cpu2"}},
		{"measurement", FromConfig{Measurement: "mem"}, []string{"mem"}},
		{"all three", FromConfig{Database: "db", RetentionPolicy: "rp", Measurement: "cpu"}, []string{"cpu"}},
	}
	in := []*Point{
		{Name: "cpu", Database: "db", RP: "rp"},
		{Name: "mem", Database: "db", RP: "rp"},
		{Name: "cpu2", Database: "db2", RP: "rp"},
		{Name: "cpu3", Database: "db", RP: "rp2"},
	}
	for _, tt := range tests {
		_, f, c := fromPipeline(tt.cfg)
		for _, p := range in {
			if err := f.Point(0, p); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		for _, p := range c.points {
			got = append(got, p.Name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: kept %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Several .where() calls are one ANDed expression with one state:
// evaluated left to right, stopping at the first false, and stateful
// functions count every point the node sees.
func TestFromWhereSharedStateAndShortCircuit(t *testing.T) {
	var calls []string
	countEven := &Lambda{Stateful: true, Func: func(r *Row, st *LambdaState) (Value, error) {
		st.Count++
		calls = append(calls, "count")
		return Bool(st.Count%2 == 0), nil
	}}
	valueOver := &Lambda{Func: func(r *Row, st *LambdaState) (Value, error) {
		calls = append(calls, "value")
		v, _ := r.Fields.Get("v")
		return Bool(v.F > 1), nil
	}}
	_, f, c := fromPipeline(FromConfig{Where: []*Lambda{countEven, valueOver}})
	for _, v := range []float64{5, 5, 5, 0} {
		f.Point(0, &Point{Name: "m", Row: Row{Fields: Fields{{"v", Float(v)}}}})
	}
	if len(c.points) != 1 {
		t.Errorf("kept %d points, want 1 (the 2nd and 4th pass count, only the 2nd has v > 1)", len(c.points))
	}
	want := []string{"count", "count", "value", "count", "count", "value"}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("evaluation order %q, want %q", calls, want)
	}
}

func TestFromWhereErrorDropsPoint(t *testing.T) {
	task, f, c := fromPipeline(FromConfig{Where: []*Lambda{{Func: func(*Row, *LambdaState) (Value, error) {
		return Value{}, errors.New("no field or tag exists for x")
	}}}})
	var log strings.Builder
	task.Log = &log
	if err := f.Point(0, &Point{Name: "m"}); err != nil {
		t.Fatalf("an evaluation error must not stop the task: %v", err)
	}
	if len(c.points) != 0 || f.Errors.Load() != 1 {
		t.Errorf("kept %d points, %d errors", len(c.points), f.Errors.Load())
	}
	if !strings.Contains(log.String(), "from1: failed to evaluate WHERE expression: no field or tag exists for x") {
		t.Errorf("log = %q", log.String())
	}
}

func TestFromTruncateRound(t *testing.T) {
	ts := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixNano()
	}
	tests := []struct {
		name            string
		truncate, round time.Duration
		in, want        string
	}{
		{"truncate 1s", time.Second, 0, "1971-01-01T00:00:01.9Z", "1971-01-01T00:00:01Z"},
		{"round 1s half up", 0, time.Second, "1971-01-01T00:00:01.5Z", "1971-01-01T00:00:02Z"},
		{"round 1s down", 0, time.Second, "1971-01-01T00:00:01.4Z", "1971-01-01T00:00:01Z"},
		{"truncate then round", time.Second, 10 * time.Second, "1971-01-01T00:00:04.9Z", "1971-01-01T00:00:00Z"},
		// Multiples of a week count from year 1 (a Monday), not from the
		// Unix epoch (a Thursday).
		{"truncate 1w from year 1", 7 * 24 * time.Hour, 0, "1970-01-03T00:00:00Z", "1969-12-29T00:00:00Z"},
		{"truncate 7m from year 1", 7 * time.Minute, 0, "1970-01-01T00:00:00Z", "1969-12-31T23:59:00Z"},
		{"before the epoch", time.Hour, 0, "1969-12-31T23:30:00Z", "1969-12-31T23:00:00Z"},
	}
	for _, tt := range tests {
		_, f, c := fromPipeline(FromConfig{Truncate: tt.truncate, Round: tt.round})
		in := &Point{Name: "m", Row: Row{Time: ts(tt.in)}}
		f.Point(0, in)
		if got := time.Unix(0, c.points[0].Time).UTC().Format(time.RFC3339Nano); got != tt.want {
			t.Errorf("%s: %s → %s, want %s", tt.name, tt.in, got, tt.want)
		}
		if in.Time != ts(tt.in) {
			t.Errorf("%s: the input point was changed", tt.name)
		}
	}
}

func TestFromGrouping(t *testing.T) {
	tags := Tags{{"cpu", "cpu0"}, {"host", "a"}, {"zone", "z"}}
	tests := []struct {
		name      string
		cfg       FromConfig
		wantGroup GroupID
		wantDims  Dimensions
	}{
		{"none", FromConfig{}, "", Dimensions{}},
		{"sorted dims", FromConfig{GroupBy: []string{"zone", "host"}}, "host=a,zone=z", Dimensions{TagNames: []string{"host", "zone"}}},
		{"missing tag", FromConfig{GroupBy: []string{"dc"}}, "dc=", Dimensions{TagNames: []string{"dc"}}},
		{"star", FromConfig{GroupByAll: true}, "cpu=cpu0,host=a,zone=z", Dimensions{TagNames: []string{"cpu", "host", "zone"}}},
		{"measurement", FromConfig{GroupByMeasurement: true}, "m", Dimensions{ByName: true}},
		{"measurement and tag", FromConfig{GroupBy: []string{"host"}, GroupByMeasurement: true}, "m\nhost=a", Dimensions{ByName: true, TagNames: []string{"host"}}},
	}
	for _, tt := range tests {
		_, f, c := fromPipeline(tt.cfg)
		// An upstream grouping is replaced, not extended.
		in := &Point{Name: "m", Row: Row{Tags: tags}, Dims: Dimensions{TagNames: []string{"cpu"}}, Group: "cpu=cpu0"}
		f.Point(0, in)
		got := c.points[0]
		if got.Group != tt.wantGroup || !reflect.DeepEqual(got.Dims, tt.wantDims) {
			t.Errorf("%s: group %q dims %+v, want %q %+v", tt.name, got.Group, got.Dims, tt.wantGroup, tt.wantDims)
		}
		if !reflect.DeepEqual(got.Tags, tags) {
			t.Errorf("%s: tags changed to %v", tt.name, got.Tags)
		}
		if in.Group != "cpu=cpu0" {
			t.Errorf("%s: the input point was regrouped", tt.name)
		}
	}
}

func TestSourcesRejectTheOtherEdgeType(t *testing.T) {
	task, f, _ := fromPipeline(FromConfig{})
	if err := f.Batch(0, &Batch{}); err == nil || err.Error() != "from1: from does not support batch data" {
		t.Errorf("from.Batch: %v", err)
	}
	q := NewQuery(task, 5, "query5", QueryConfig{})
	if err := q.Point(0, &Point{}); err == nil || err.Error() != "query5: query does not support stream data" {
		t.Errorf("query.Point: %v", err)
	}
}

func TestQueryForwardsBatches(t *testing.T) {
	task := NewTask("t", "batch", nil)
	b := NewBatch(task, 0, "batch0", BatchConfig{})
	q := NewQuery(task, 1, "query1", QueryConfig{Query: "SELECT mean(v) FROM m", GroupByMeasurement: true})
	c := newCollector(task, 2)
	Link(b, q, 0)
	Link(q, c, 0)
	in := &Batch{Name: "m", Group: "host=a", Tags: Tags{{"host", "a"}}, Dims: Dimensions{TagNames: []string{"host"}}, Points: []Row{{Time: 1}}}
	if err := q.Collect(in); err != nil {
		t.Fatal(err)
	}
	if err := b.Done(0); err != nil {
		t.Fatal(err)
	}
	// In a replay the recorded grouping is kept: groupByMeasurement only
	// shapes live query results.
	if len(c.batches) != 1 || c.batches[0] != in || c.done != 1 {
		t.Errorf("got %d batches (%v), done %d", len(c.batches), c.batches, c.done)
	}
}

func TestQueryInitError(t *testing.T) {
	tests := []struct {
		cfg  QueryConfig
		want string
	}{
		{QueryConfig{Every: time.Second}, ""},
		{QueryConfig{Cron: "* * * * *"}, ""},
		{QueryConfig{Every: time.Second, Fill: QueryFill{Kind: "number", Value: Int(1)}}, ""},
		{QueryConfig{}, "query1: must define one of 'every' or 'cron'"},
		{QueryConfig{Every: time.Second, Cron: "* * * * *"}, "query1: must not set both 'every' and 'cron' properties"},
		{QueryConfig{Every: -time.Second}, "query1: 'every' duration must must non-negative"},
		{QueryConfig{Every: time.Second, Fill: QueryFill{Kind: "zero"}}, "query1: unexpected fill option zero"},
		{QueryConfig{Every: time.Second, GroupBy: []QueryDim{{IsTimeBucket: true, Time: time.Second}, {Tag: "host"}, {IsTimeBucket: true, Time: time.Minute}}},
			"query1: groupBy cannot have more than one time dimension"},
	}
	for _, tt := range tests {
		err := NewQuery(NewTask("t", "batch", nil), 1, "query1", tt.cfg).InitError()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%+v: InitError() = %q, want %q", tt.cfg, got, tt.want)
		}
	}
}

func TestGroupIDsMatchComputeGroupID(t *testing.T) {
	tags := Tags{{"cpu", "cpu0"}, {"host", "a"}}
	for _, dims := range []Dimensions{
		{}, {ByName: true}, {TagNames: []string{"host"}}, {TagNames: []string{"cpu", "host"}},
		{ByName: true, TagNames: []string{"host"}}, {TagNames: []string{"missing"}}, {TagNames: []string{"host", "host"}},
	} {
		var g groupIDs // one per from node: its dimensions are fixed
		for _, tt := range []struct {
			name string
			tags Tags
		}{
			{"m", tags}, {"m", tags}, // computed, then cached
			{"other", tags}, // another measurement, the same tags
			{"m", tags[:1]}, // a shorter slice at the same address
			{"m", nil}, {"m", nil},
		} {
			if got, want := g.id(tt.name, tt.tags, dims), ComputeGroupID(tt.name, tt.tags, dims); got != want {
				t.Errorf("%+v, %s %v: %q, want %q", dims, tt.name, tt.tags, got, want)
			}
		}
	}
}
