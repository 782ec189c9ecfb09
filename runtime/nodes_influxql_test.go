package runtime

import (
	"bytes"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// qlSink records what an InfluxQL node emits.
type qlSink struct {
	Base
	out []string // formatted points and batches, in emission order
}

func (s *qlSink) Point(_ int, p *Point) error {
	s.out = append(s.out, "P "+fmtQLRow(&p.Row))
	return nil
}

func (s *qlSink) Batch(_ int, b *Batch) error {
	rows := make([]string, len(b.Points))
	for i := range b.Points {
		rows[i] = fmtQLRow(&b.Points[i])
	}
	s.out = append(s.out, "B tmax="+fmtQLTime(b.TMax)+" ["+strings.Join(rows, " | ")+"]")
	return nil
}

// fmtQLTime prints a time in seconds when whole, else in nanoseconds.
func fmtQLTime(t int64) string {
	if t%int64(time.Second) == 0 {
		return strconv.FormatInt(t/int64(time.Second), 10)
	}
	return strconv.FormatInt(t, 10) + "ns"
}

// fmtQLRow prints `time tag=v,… field=v,…` with line-protocol types
// (1i integer, 1 float, "s" string, true/false).
func fmtQLRow(r *Row) string {
	var b strings.Builder
	b.WriteString(fmtQLTime(r.Time))
	for i, t := range r.Tags {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(t.Key + "=" + t.Value)
	}
	b.WriteByte(' ')
	for i, f := range r.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(f.Key + "=")
		switch f.Value.Kind {
		case KindInt:
			b.WriteString(strconv.FormatInt(f.Value.I, 10) + "i")
		case KindFloat:
			b.WriteString(strconv.FormatFloat(f.Value.F, 'g', -1, 64))
		case KindString:
			b.WriteString(strconv.Quote(f.Value.S))
		default:
			b.WriteString(f.Value.String())
		}
	}
	return b.String()
}

type qlHarness struct {
	node *InfluxQLNode
	sink *qlSink
	log  *bytes.Buffer
}

func newQLHarness(cfg InfluxQLConfig) *qlHarness {
	t := NewTask("task", "stream", nil)
	log := &bytes.Buffer{}
	t.Log = log
	if cfg.As == "" {
		cfg.As = cfg.Method
	}
	n := NewInfluxQL(t, 1, cfg.Method+"1", cfg)
	s := &qlSink{}
	s.Init(t, 2, "sink2", s)
	Link(n, s, 0)
	return &qlHarness{node: n, sink: s, log: log}
}

// qlRow builds a row at sec seconds from "k=v" items: tags are
// "#k=v", values use line-protocol types (1i, 1.5, "s", true).
func qlRow(sec float64, items ...string) Row {
	r := Row{Time: int64(sec * float64(time.Second))}
	for _, it := range items {
		k, v, _ := strings.Cut(it, "=")
		if strings.HasPrefix(k, "#") {
			r.Tags = r.Tags.Set(k[1:], v)
			continue
		}
		var val Value
		switch {
		case strings.HasPrefix(v, `"`):
			val = String(strings.Trim(v, `"`))
		case v == "true" || v == "false":
			val = Bool(v == "true")
		case strings.HasSuffix(v, "i"):
			i, _ := strconv.ParseInt(strings.TrimSuffix(v, "i"), 10, 64)
			val = Int(i)
		default:
			f, _ := strconv.ParseFloat(v, 64)
			val = Float(f)
		}
		r.Fields = r.Fields.Set(k, val)
	}
	return r
}

func qlPointOf(r Row) *Point {
	return &Point{Row: r, Name: "cpu", Database: "db", RP: "rp"}
}

func (h *qlHarness) stream(t *testing.T, rows ...Row) {
	t.Helper()
	for _, r := range rows {
		if err := h.node.Point(0, qlPointOf(r)); err != nil {
			t.Fatalf("point: %v", err)
		}
	}
}

func (h *qlHarness) batch(t *testing.T, tmax float64, rows ...Row) {
	t.Helper()
	b := &Batch{Name: "cpu", TMax: int64(tmax * float64(time.Second)), Points: rows}
	if err := h.node.Batch(0, b); err != nil {
		t.Fatalf("batch: %v", err)
	}
}

func checkQLOut(t *testing.T, name string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// Batch input: one result per batch at tmax; types and empty batches.
func TestInfluxQLBatchAggregates(t *testing.T) {
	ints := []Row{qlRow(1, "v=1i", "#host=a"), qlRow(2, "v=4i", "#host=b"), qlRow(3, "v=2i"), qlRow(4, "v=4i")}
	floats := []Row{qlRow(1, "v=1.5"), qlRow(2, "v=4"), qlRow(3, "v=2"), qlRow(4, "v=4")}
	tests := []struct {
		method string
		rows   []Row
		want   string
	}{
		{"count", ints, "P 10 count=4i"},
		{"sum", ints, "P 10 sum=11i"},
		{"sum", floats, "P 10 sum=11.5"},
		{"mean", ints, "P 10 mean=2.75"},
		{"mean", floats, "P 10 mean=2.875"},
		{"median", ints, "P 10 median=3"},
		{"median", floats, "P 10 median=3"},
		{"median", ints[:3], "P 10 median=2"},
		{"mode", ints, "P 10 mode=4i"},
		{"mode", floats, "P 10 mode=4"},
		{"spread", ints, "P 10 spread=3i"},
		{"spread", floats, "P 10 spread=2.5"},
		{"stddev", ints, "P 10 stddev=1.5"},
		{"stddev", ints[:1], "P 10 stddev=0"},
		{"first", ints, "P 10 host=a v=1i"},
		{"last", ints, "P 10 v=4i"},
		{"min", floats, "P 10 v=1.5"},
		{"max", ints, "P 10 host=b v=4i"}, // equal values: the earlier point
		{"distinct", ints, "B tmax=10 [10 distinct=1i | 10 distinct=4i | 10 distinct=2i]"},
		{"top", ints, "B tmax=10 [10 host=b top=4i | 10 top=4i]"},
		{"bottom", floats, "B tmax=10 [10 bottom=1.5 | 10 bottom=2]"},
	}
	for _, tt := range tests {
		cfg := InfluxQLConfig{Method: tt.method, Field: "v", N: 2}
		if tt.method == "first" || tt.method == "last" || tt.method == "min" || tt.method == "max" {
			cfg.As = "v" // keep the field name: nothing renamed
		}
		h := newQLHarness(cfg)
		h.batch(t, 10, tt.rows...)
		checkQLOut(t, tt.method, h.sink.out, []string{tt.want})
	}
}

// Only count and sum emit on an empty batch (sum as a float).
func TestInfluxQLEmptyBatch(t *testing.T) {
	for _, m := range []string{"count", "sum", "mean", "median", "mode", "spread", "stddev", "distinct",
		"first", "last", "min", "max", "percentile", "top", "bottom", "holtWinters"} {
		h := newQLHarness(InfluxQLConfig{Method: m, Field: "v", Percentile: 50, N: 1, H: 1, Interval: time.Second})
		h.batch(t, 10)
		var want []string
		switch m {
		case "count":
			want = []string{"P 10 count=0i"}
		case "sum":
			want = []string{"P 10 sum=0"}
		}
		checkQLOut(t, m, h.sink.out, want)
	}
	// A batch whose points all lack the field counts as empty.
	h := newQLHarness(InfluxQLConfig{Method: "count", Field: "v"})
	h.batch(t, 10, qlRow(1, "w=1"), qlRow(2, "w=2"))
	checkQLOut(t, "count without the field", h.sink.out, []string{"P 10 count=0i"})
}

// Points without the field or with another type are skipped; the first
// point that has the field fixes the type.
func TestInfluxQLMissingAndWrongType(t *testing.T) {
	h := newQLHarness(InfluxQLConfig{Method: "sum", Field: "v"})
	h.batch(t, 10, qlRow(1, "w=1"), qlRow(2, "v=2i"), qlRow(3, "v=2.5"), qlRow(4, "v=3i"), qlRow(5, `v="x"`))
	checkQLOut(t, "sum", h.sink.out, []string{"P 10 sum=5i"})
	if !strings.Contains(h.log.String(), "field v has wrong type: got float64 exp int64") ||
		!strings.Contains(h.log.String(), `field "v" missing from point`) {
		t.Errorf("log does not report the skipped points:\n%s", h.log)
	}
	if h.node.Errors.Load() != 3 {
		t.Errorf("errors = %d, want 3", h.node.Errors.Load())
	}

	// mean of strings: nothing, logged.
	h = newQLHarness(InfluxQLConfig{Method: "mean", Field: "v"})
	h.batch(t, 10, qlRow(1, `v="a"`), qlRow(2, `v="b"`))
	checkQLOut(t, "mean of strings", h.sink.out, nil)
	if !strings.Contains(h.log.String(), "invalid influxql func mean with field v: cannot apply mean to string field") {
		t.Errorf("log: %s", h.log)
	}
	// ... but a later float point starts a float reducer.
	h = newQLHarness(InfluxQLConfig{Method: "mean", Field: "v"})
	h.batch(t, 10, qlRow(1, `v="a"`), qlRow(2, "v=3"), qlRow(3, `v="b"`), qlRow(4, "v=5"))
	checkQLOut(t, "mean after a string", h.sink.out, []string{"P 10 mean=4"})
}

// String and boolean fields for the functions that take them.
func TestInfluxQLStringsAndBools(t *testing.T) {
	strs := []Row{qlRow(2, `v="b"`), qlRow(1, `v="c"`), qlRow(1, `v="a"`), qlRow(3, `v="b"`)}
	bools := []Row{qlRow(1, "v=true"), qlRow(1, "v=false"), qlRow(2, "v=true"), qlRow(2, "v=false")}
	tests := []struct {
		method string
		rows   []Row
		want   string
	}{
		{"count", strs, "P 10 count=4i"},
		{"first", strs, `P 10 x="c"`}, // same time: the greater string
		{"last", strs, `P 10 x="b"`},
		{"distinct", strs, `B tmax=10 [10 distinct="a" | 10 distinct="c" | 10 distinct="b"]`},
		{"count", bools, "P 10 count=4i"},
		{"first", bools, "P 10 x=false"}, // same time: false wins
		{"last", bools, "P 10 x=true"},   // same time: true wins
		{"distinct", bools, "B tmax=10 [10 distinct=false | 10 distinct=true]"},
	}
	for _, tt := range tests {
		as := ""
		if tt.method == "first" || tt.method == "last" {
			as = "x"
		}
		h := newQLHarness(InfluxQLConfig{Method: tt.method, Field: "v", As: as})
		h.batch(t, 10, tt.rows...)
		checkQLOut(t, tt.method, h.sink.out, []string{tt.want})
	}
	for _, m := range []string{"sum", "mean", "median", "mode", "spread", "stddev", "min", "max", "percentile", "top", "bottom"} {
		h := newQLHarness(InfluxQLConfig{Method: m, Field: "v", N: 1, Percentile: 50})
		h.batch(t, 10, strs...)
		var want []string
		if m == "sum" {
			// No point could be aggregated: an empty batch to sum.
			want = []string{"P 10 sum=0"}
		}
		checkQLOut(t, m+" of strings", h.sink.out, want)
	}
}

// Selectors keep the whole point (fields and tags), the field renamed;
// usePointTimes gives the point's time.
func TestInfluxQLSelectorShape(t *testing.T) {
	rows := []Row{qlRow(1, "v=3", "w=1i", "#host=a"), qlRow(2, "v=7", "w=2i", "#host=b", "#cpu=0"), qlRow(3, "v=5", "#host=c")}
	h := newQLHarness(InfluxQLConfig{Method: "max", Field: "v"})
	h.batch(t, 10, rows...)
	checkQLOut(t, "max", h.sink.out, []string{"P 10 cpu=0,host=b max=7,w=2i"})

	h = newQLHarness(InfluxQLConfig{Method: "max", Field: "v", UsePointTimes: true})
	h.batch(t, 10, rows...)
	checkQLOut(t, "max usePointTimes", h.sink.out, []string{"P 2 cpu=0,host=b max=7,w=2i"})

	// A renamed field replaces a field of the new name.
	h = newQLHarness(InfluxQLConfig{Method: "min", Field: "v", As: "w"})
	h.batch(t, 10, rows...)
	checkQLOut(t, "min as w", h.sink.out, []string{"P 10 host=a w=3"})

	// Aggregates keep only the group tags and their field.
	h = newQLHarness(InfluxQLConfig{Method: "mean", Field: "v", UsePointTimes: true})
	b := &Batch{Name: "cpu", TMax: 10e9, Tags: Tags{{"host", "a"}}, Dims: Dimensions{TagNames: []string{"host"}},
		Group: "host=a", Points: rows}
	if err := h.node.Batch(0, b); err != nil {
		t.Fatal(err)
	}
	checkQLOut(t, "mean", h.sink.out, []string{"P 10 host=a mean=5"})
}

func TestInfluxQLPercentile(t *testing.T) {
	rows := []Row{qlRow(1, "v=9"), qlRow(2, "v=3", "#host=x"), qlRow(3, "v=5"), qlRow(4, "v=1")}
	tests := []struct {
		p    float64
		want []string
	}{
		{0, nil}, // selects nothing
		{10, nil},
		{25, []string{"P 4 percentile=1"}},
		{50, []string{"P 2 host=x percentile=3"}},
		{90, []string{"P 1 percentile=9"}},
		{100, []string{"P 1 percentile=9"}},
		{150, nil},
	}
	for _, tt := range tests {
		h := newQLHarness(InfluxQLConfig{Method: "percentile", Field: "v", Percentile: tt.p, UsePointTimes: true})
		h.batch(t, 10, rows...)
		checkQLOut(t, "percentile "+strconv.FormatFloat(tt.p, 'g', -1, 64), h.sink.out, tt.want)
	}
	// Integer percentiles carry no time of their own.
	h := newQLHarness(InfluxQLConfig{Method: "percentile", Field: "v", Percentile: 50, UsePointTimes: true})
	h.batch(t, 10, qlRow(1, "v=9i"), qlRow(2, "v=3i"))
	checkQLOut(t, "integer percentile", h.sink.out, []string{"P 10 percentile=3i"})
}

// top/bottom: ranking, ties, ordering by time, extra tags and fields.
func TestInfluxQLTopBottom(t *testing.T) {
	rows := []Row{
		qlRow(1, "v=5", "#host=a", "#cpu=0"),
		qlRow(2, "v=9", "#host=b", "#cpu=0"),
		qlRow(3, "v=9", "#host=a", "#cpu=1"),
		qlRow(4, "v=1", "#host=c", "#cpu=1"),
		qlRow(5, "v=7", "#host=a", "#cpu=1"),
	}
	tests := []struct {
		cfg  InfluxQLConfig
		want string
	}{
		{InfluxQLConfig{Method: "top", N: 2}, "B tmax=10 [10 cpu=0,host=b top=9 | 10 cpu=1,host=a top=9]"},
		{InfluxQLConfig{Method: "top", N: 3, UsePointTimes: true},
			"B tmax=10 [2 cpu=0,host=b top=9 | 3 cpu=1,host=a top=9 | 5 cpu=1,host=a top=7]"},
		{InfluxQLConfig{Method: "top", N: 10, FieldsAndTags: []string{"host"}, UsePointTimes: true},
			"B tmax=10 [2 cpu=0,host=b top=9 | 3 cpu=1,host=a top=9 | 4 cpu=1,host=c top=1]"},
		{InfluxQLConfig{Method: "bottom", N: 2, FieldsAndTags: []string{"cpu"}, UsePointTimes: true},
			"B tmax=10 [1 cpu=0,host=a bottom=5 | 4 cpu=1,host=c bottom=1]"},
		{InfluxQLConfig{Method: "bottom", N: 0}, "B tmax=10 []"},
	}
	for _, tt := range tests {
		tt.cfg.Field = "v"
		h := newQLHarness(tt.cfg)
		h.batch(t, 10, rows...)
		checkQLOut(t, tt.cfg.Method, h.sink.out, []string{tt.want})
	}
	// The batch's tmax moves up to the latest point.
	h := newQLHarness(InfluxQLConfig{Method: "top", Field: "v", N: 1, UsePointTimes: true})
	h.batch(t, 3, qlRow(1, "v=1"), qlRow(7, "v=2"))
	checkQLOut(t, "top tmax", h.sink.out, []string{"B tmax=7 [7 top=2]"})
}

// Stream input: a bucket of equal times is emitted when a later time
// arrives; the last bucket is never emitted.
func TestInfluxQLStreamBuckets(t *testing.T) {
	h := newQLHarness(InfluxQLConfig{Method: "sum", Field: "v"})
	h.stream(t, qlRow(1, "v=1i"), qlRow(1, "v=2i"), qlRow(2, "v=5i"), qlRow(3, "w=1i"), qlRow(4, "v=1i"), qlRow(4, "v=1i"))
	if err := h.node.Done(0); err != nil {
		t.Fatal(err)
	}
	// The bucket at 3 has no value: nothing for it.
	checkQLOut(t, "sum", h.sink.out, []string{"P 1 sum=3i", "P 2 sum=5i"})

	h = newQLHarness(InfluxQLConfig{Method: "top", Field: "v", N: 1})
	h.stream(t, qlRow(1, "v=1"), qlRow(1, "v=3", "#host=z"), qlRow(2, "v=5"))
	checkQLOut(t, "top on a stream", h.sink.out, []string{"B tmax=1 [1 host=z top=3]"})

	// Groups keep separate buckets.
	h = newQLHarness(InfluxQLConfig{Method: "count", Field: "v"})
	dims := Dimensions{TagNames: []string{"host"}}
	for _, r := range []Row{qlRow(1, "v=1", "#host=a"), qlRow(2, "v=1", "#host=b"), qlRow(2, "v=1", "#host=a"), qlRow(3, "v=1", "#host=b")} {
		p := qlPointOf(r)
		p.Regroup(dims)
		if err := h.node.Point(0, p); err != nil {
			t.Fatal(err)
		}
	}
	checkQLOut(t, "count per group", h.sink.out, []string{"P 1 host=a count=1i", "P 2 host=b count=1i"})
}

func TestInfluxQLTransformations(t *testing.T) {
	stream := []Row{qlRow(1, "v=1i"), qlRow(3, "v=4i"), qlRow(3, "v=9i"), qlRow(4, "w=1i"), qlRow(6, "v=10i")}
	tests := []struct {
		cfg  InfluxQLConfig
		want []string
	}{
		{InfluxQLConfig{Method: "elapsed", Unit: time.Second},
			[]string{"P 3 elapsed=2i", "P 3 elapsed=0i", "P 3 elapsed=0i", "P 6 elapsed=3i"}},
		{InfluxQLConfig{Method: "difference"},
			[]string{"P 3 difference=3i", "P 6 difference=6i"}},
		{InfluxQLConfig{Method: "movingAverage", Window: 2},
			[]string{"P 3 movingAverage=2.5", "P 3 movingAverage=6.5", "P 3 movingAverage=6.5", "P 6 movingAverage=9.5"}},
		{InfluxQLConfig{Method: "cumulativeSum", As: "cs"},
			[]string{"P 1 cs=1i", "P 3 cs=5i", "P 3 cs=14i", "P 3 cs=14i", "P 6 cs=24i"}},
	}
	for _, tt := range tests {
		tt.cfg.Field = "v"
		h := newQLHarness(tt.cfg)
		h.stream(t, stream...)
		checkQLOut(t, tt.cfg.Method+" stream", h.sink.out, tt.want)
	}

	// On batches the state starts afresh with each batch, the batch is
	// passed on with its tmax, and the points get the group tags only.
	h := newQLHarness(InfluxQLConfig{Method: "difference", Field: "v"})
	h.batch(t, 10, qlRow(1, "v=1.5", "#host=a"), qlRow(2, "v=4"))
	h.batch(t, 20, qlRow(11, "v=10"), qlRow(12, "v=4"))
	h.batch(t, 30)
	checkQLOut(t, "difference batches", h.sink.out, []string{
		"B tmax=10 [2 difference=2.5]", "B tmax=20 [12 difference=-6]", "B tmax=30 []"})

	h = newQLHarness(InfluxQLConfig{Method: "movingAverage", Field: "v", Window: 3})
	h.batch(t, 10, qlRow(1, "v=1"), qlRow(2, "v=2"), qlRow(3, "v=6"), qlRow(4, "v=1"))
	checkQLOut(t, "movingAverage batch", h.sink.out, []string{"B tmax=10 [3 movingAverage=3 | 4 movingAverage=3]"})

	h = newQLHarness(InfluxQLConfig{Method: "elapsed", Field: "v", Unit: time.Millisecond})
	h.batch(t, 10, qlRow(1, `v="a"`), qlRow(1.5, "v=true"), qlRow(2.25, `v="c"`))
	// The boolean point is skipped (wrong type): elapsed since the first.
	checkQLOut(t, "elapsed of strings", h.sink.out, []string{"B tmax=10 [2250000000ns elapsed=1250i]"})

	// Zero units and windows stop the task, as they crash Kapacitor.
	h = newQLHarness(InfluxQLConfig{Method: "elapsed", Field: "v"})
	h.stream(t, qlRow(1, "v=1"))
	if err := h.node.Point(0, qlPointOf(qlRow(2, "v=1"))); err == nil {
		t.Error("elapsed with a zero unit: no error")
	}
}

func TestInfluxQLDistinctOrder(t *testing.T) {
	h := newQLHarness(InfluxQLConfig{Method: "distinct", Field: "v", UsePointTimes: true})
	h.batch(t, 10, qlRow(3, "v=1"), qlRow(1, "v=5"), qlRow(1, "v=2"), qlRow(2, "v=1"), qlRow(4, "v=5"))
	checkQLOut(t, "distinct", h.sink.out, []string{"B tmax=10 [1 distinct=2 | 1 distinct=5 | 3 distinct=1]"})
}

// usePointTimes on aggregates: no time of their own, except sum (and
// an empty count), whose seed time 0 Kapacitor reports as the epoch.
func TestInfluxQLAggregatePointTimes(t *testing.T) {
	tests := []struct {
		method string
		rows   []Row
		want   []string
	}{
		{"mean", []Row{qlRow(1, "v=1"), qlRow(2, "v=2")}, []string{"P 10 mean=1.5"}},
		{"count", []Row{qlRow(1, "v=1")}, []string{"P 10 count=1i"}},
		{"count", nil, []string{"P 0 count=0i"}},
		{"sum", []Row{qlRow(1, "v=1")}, []string{"P 0 sum=1"}},
		{"median", []Row{qlRow(1, "v=1")}, []string{"P 1 median=1"}}, // a single float point is returned whole
		{"median", []Row{qlRow(1, "v=1i")}, []string{"P 10 median=1"}},
		{"mode", []Row{qlRow(1, "v=1i")}, []string{"P 1 mode=1i"}},
		{"mode", []Row{qlRow(1, "v=1i"), qlRow(2, "v=1i")}, []string{"P 10 mode=1i"}},
	}
	for _, tt := range tests {
		h := newQLHarness(InfluxQLConfig{Method: tt.method, Field: "v", UsePointTimes: true})
		h.batch(t, 10, tt.rows...)
		checkQLOut(t, tt.method, h.sink.out, tt.want)
	}
}

func TestInfluxQLMode(t *testing.T) {
	// Equal counts: the value whose run starts earliest in time wins.
	h := newQLHarness(InfluxQLConfig{Method: "mode", Field: "v"})
	h.batch(t, 10, qlRow(1, "v=3"), qlRow(2, "v=1"), qlRow(3, "v=3"), qlRow(4, "v=1"), qlRow(5, "v=2"))
	checkQLOut(t, "mode tie", h.sink.out, []string{"P 10 mode=3"})
}

func TestInfluxQLStddevNaN(t *testing.T) {
	h := newQLHarness(InfluxQLConfig{Method: "stddev", Field: "v"})
	h.batch(t, 10, qlRow(1, "v=2"), Row{Time: 2e9, Fields: Fields{{"v", Float(math.NaN())}}}, qlRow(3, "v=4"))
	checkQLOut(t, "stddev", h.sink.out, []string{"P 10 stddev=1.4142135623730951"})
}

// The legacy sort must sort, whatever the input.
func TestLegacySortSorts(t *testing.T) {
	for n := 0; n < 300; n += 7 {
		a := make([]qlPoint, n)
		for i := range a {
			a[i] = qlPoint{Time: int64(i), Value: Float(float64((i * 7919) % 13))}
		}
		legacySort(byValue(a))
		if !sort.SliceIsSorted(a, func(i, j int) bool { return a[i].Value.F < a[j].Value.F }) {
			t.Fatalf("n=%d: not sorted", n)
		}
	}
}

// legacySortKeys must leave points in exactly the order legacySort does,
// ties included (which point a percentile selects depends on it).
func TestLegacySortKeysMatchesLegacySort(t *testing.T) {
	x := uint64(7)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	for _, n := range []int{0, 1, 2, 5, 12, 13, 40, 41, 100, 1000, 5000} {
		for _, distinct := range []uint64{1, 3, 50, 1 << 30} {
			a := make([]qlPoint, n)
			fk := make([]sortKey[float64], n)
			ik := make([]sortKey[int64], n)
			for i := range a {
				v := next() % distinct
				a[i] = qlPoint{Time: int64(i), Value: Float(float64(v))}
				fk[i] = sortKey[float64]{float64(v), int32(i)}
				ik[i] = sortKey[int64]{int64(v), int32(i)}
			}
			legacySort(byValue(a))
			legacySortKeys(fk)
			legacySortKeys(ik)
			for i := range a {
				if int64(fk[i].i) != a[i].Time || int64(ik[i].i) != a[i].Time {
					t.Fatalf("n=%d distinct=%d: position %d holds %d/%d, legacySort %d", n, distinct, i, fk[i].i, ik[i].i, a[i].Time)
				}
			}
		}
	}
}

// percentileOfPoints is the percentile as first written: sort the points
// themselves. The reducer must select the same point.
func percentileOfPoints(percentile float64, a []qlPoint) []qlPoint {
	i := int(math.Floor(float64(len(a))*percentile/100.0+0.5)) - 1
	if i < 0 || i >= len(a) {
		return nil
	}
	legacySort(byValue(a))
	t := a[i].Time
	if a[i].Value.Kind == KindInt {
		t = qlZeroTime
	}
	return []qlPoint{{Time: t, Value: a[i].Value, Row: a[i].Row}}
}

func TestPercentileReducerMatchesSortingPoints(t *testing.T) {
	x := uint64(11)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	for _, ints := range []bool{false, true} {
		r := &percentileReducer{ints: ints}
		for _, n := range []int{0, 1, 3, 20, 77, 500} {
			for _, pct := range []float64{0, 1, 50, 95, 99.9, 100} {
				r.percentile = pct
				r.reset()
				rows := make([]Row, n)
				var pts []qlPoint
				for i := range rows {
					v := Float(float64(next() % 7))
					if ints {
						v = Int(int64(next() % 7))
					}
					rows[i] = Row{Time: int64(i)}
					p := qlPoint{Time: int64(i), Value: v, Row: &rows[i]}
					pts = append(pts, p)
					r.aggregate(p)
				}
				got, err := r.emit()
				want := percentileOfPoints(pct, pts)
				if err != nil || len(got) != len(want) || (len(got) == 1 && got[0] != want[0]) {
					t.Fatalf("ints=%v n=%d p=%g: got %+v, want %+v", ints, n, pct, got, want)
				}
			}
		}
	}
}

// The ≤12-element path of the legacy sort is not stable: a gap-6 pass
// moves a smaller element past equal ones before insertion sort.
func TestLegacySortTies(t *testing.T) {
	vals := []float64{5, 1, 1, 1, 1, 1, 0}
	a := make([]qlPoint, len(vals))
	for i, v := range vals {
		a[i] = qlPoint{Time: int64(i), Value: Float(v)}
	}
	legacySort(byValue(a))
	var times []string
	for _, p := range a {
		times = append(times, strconv.FormatInt(p.Time, 10))
	}
	// The gap pass swaps 0 (t6) and 5 (t0) first.
	if got, want := strings.Join(times, ","), "6,1,2,3,4,5,0"; got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
}

func BenchmarkInfluxQLBatchMean(b *testing.B) {
	h := newQLHarness(InfluxQLConfig{Method: "mean", Field: "v"})
	h.node.Edges = nil // no children: measure the node alone
	rows := make([]Row, 100)
	for i := range rows {
		rows[i] = qlRow(float64(i), "v=1.5", "w=2i")
	}
	bt := &Batch{Name: "cpu", TMax: 100e9, Points: rows}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = h.node.Batch(0, bt)
	}
}

func BenchmarkInfluxQLStreamMax(b *testing.B) {
	h := newQLHarness(InfluxQLConfig{Method: "max", Field: "v"})
	h.node.Edges = nil
	pts := make([]*Point, 1000)
	for i := range pts {
		pts[i] = qlPointOf(qlRow(float64(i), "v=1.5", "w=2i", "#host=a"))
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = h.node.Point(0, pts[i%len(pts)])
	}
}

// Holt-Winters: output times and counts. (The numerics were checked bit
// for bit against InfluxDB 1.1.4's reducer on random series while
// writing it.)
func TestInfluxQLHoltWinters(t *testing.T) {
	line := []Row{qlRow(1, "v=1i"), qlRow(2, "v=2i"), qlRow(3, "v=3i"), qlRow(4, "v=4i"), qlRow(5.2, "v=5i")}
	times := func(out string) string {
		var ts []string
		for _, f := range strings.Split(strings.Trim(out[strings.Index(out, "[")+1:], "]"), " | ") {
			ts = append(ts, strings.Fields(f)[0])
		}
		return strings.Join(ts, ",")
	}
	h := newQLHarness(InfluxQLConfig{Method: "holtWinters", Field: "v", H: 3, Interval: time.Second})
	h.batch(t, 5, line...)
	if len(h.sink.out) != 1 || !strings.HasPrefix(h.sink.out[0], "B tmax=8200000000ns [") {
		t.Fatalf("holtWinters: %v", h.sink.out)
	}
	// Forecasts start one interval after the last, unrounded, time.
	if got := times(h.sink.out[0]); got != "6200000000ns,7200000000ns,8200000000ns" {
		t.Errorf("forecast times %s", got)
	}
	// A straight line is continued.
	for i, f := range strings.Split(h.sink.out[0], " | ") {
		v, _ := strconv.ParseFloat(f[strings.Index(f, "holtWinters=")+len("holtWinters="):strings.IndexAny(f+"]", "]")], 64)
		if math.Abs(v-float64(6+i)) > 0.5 {
			t.Errorf("forecast %d = %v, want about %d", i, v, 6+i)
		}
	}

	h = newQLHarness(InfluxQLConfig{Method: "holtWintersWithFit", Field: "v", As: "hw", H: 2, Interval: time.Second})
	h.batch(t, 5, line...)
	if got := times(h.sink.out[0]); got != "1,2,3,4,5,6,7" {
		t.Errorf("fit times %s", got)
	}

	for _, tt := range []struct {
		cfg  InfluxQLConfig
		rows []Row
	}{
		{InfluxQLConfig{H: 3}, line[:1]},                           // fewer than two points
		{InfluxQLConfig{H: 3, M: 6}, line},                         // fewer points than a season
		{InfluxQLConfig{H: 0}, line},                               // no horizon
		{InfluxQLConfig{H: 2}, []Row{line[0], qlRow(1.4, "v=2i")}}, // one bucket
	} {
		tt.cfg.Method, tt.cfg.Field, tt.cfg.Interval = "holtWinters", "v", time.Second
		h := newQLHarness(tt.cfg)
		h.batch(t, 10, tt.rows...)
		checkQLOut(t, "holtWinters without forecast", h.sink.out, []string{"B tmax=10 []"})
	}

	h = newQLHarness(InfluxQLConfig{Method: "holtWinters", Field: "v", H: 2})
	if err := h.node.Batch(0, &Batch{Name: "cpu", TMax: 10e9, Points: line}); err == nil {
		t.Error("a zero interval: no error")
	}
}

// uniqueKth must find what the legacy sort puts at index k whenever it
// answers, answer whenever that key is unique, and leave the keys as they
// were (the fallback sorts them in their original order).
func TestUniqueKthMatchesLegacySort(t *testing.T) {
	x := uint64(11)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	var fs []float64
	var is []int64
	for _, n := range []int{1, 2, 3, 16, 17, 40, 100, 1000, 7500} {
		for _, distinct := range []uint64{1, 2, 7, 300, 1 << 40} {
			for _, shape := range []string{"random", "sorted", "reversed", "nan", "zeros"} {
				fk := make([]sortKey[float64], n)
				ik := make([]sortKey[int64], n)
				for i := range fk {
					v := next() % distinct
					switch shape {
					case "sorted":
						v = uint64(i) % distinct
					case "reversed":
						v = uint64(n-i) % distinct
					}
					f := float64(v) / 3
					if shape == "nan" && i == n/2 {
						f = math.NaN()
					}
					if shape == "zeros" && v == 0 && i%2 == 0 {
						f = math.Copysign(0, -1)
					}
					fk[i] = sortKey[float64]{f, int32(i)}
					ik[i] = sortKey[int64]{int64(v), int32(i)}
				}
				for _, k := range []int{0, n / 3, n / 2, n * 95 / 100, n - 1} {
					checkUniqueKth(t, fk, k, &fs)
					checkUniqueKth(t, ik, k, &is)
				}
			}
		}
	}
}

func checkUniqueKth[K int64 | float64](t *testing.T, d []sortKey[K], k int, scratch *[]K) {
	t.Helper()
	orig := slices.Clone(d)
	got, ok := uniqueKth(d, k, scratch)
	for i := range d {
		if d[i].i != orig[i].i {
			t.Fatalf("n=%d k=%d: keys reordered", len(d), k)
		}
	}
	sorted := slices.Clone(d)
	legacySortKeys(sorted)
	want := sorted[k]
	unique := want.k == want.k
	for i := range d {
		if d[i].k != d[i].k || (d[i].k == want.k && d[i].i != want.i) {
			unique = false
		}
	}
	if ok != unique {
		t.Fatalf("n=%d k=%d: answered %v, the key is unique: %v", len(d), k, ok, unique)
	}
	if ok && got != want {
		t.Fatalf("n=%d k=%d: got %v, the legacy sort puts %v there", len(d), k, got, want)
	}
}
