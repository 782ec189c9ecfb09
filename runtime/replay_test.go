package runtime

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// probe is a test node that logs what reaches it.
type probe struct {
	Base
	log *[]string
}

func newProbe(t *Task, id int, log *[]string) *probe {
	n := &probe{log: log}
	n.Init(t, id, fmt.Sprintf("probe%d", id), n)
	return n
}

func (n *probe) Point(_ int, p *Point) error {
	*n.log = append(*n.log, fmt.Sprintf("%s: %s %s %s", n.Name, p.Name, time.Unix(0, p.Time).UTC().Format(time.RFC3339Nano), p.Group))
	return nil
}

func (n *probe) Batch(_ int, b *Batch) error {
	*n.log = append(*n.log, fmt.Sprintf("%s: %s tmax=%s n=%d first=%s %s", n.Name, b.Name,
		time.Unix(0, b.TMax).UTC().Format(time.RFC3339Nano), len(b.Points),
		time.Unix(0, b.Points[0].Time).UTC().Format(time.RFC3339Nano), b.Group))
	return nil
}

func (n *probe) Done(int) error {
	*n.log = append(*n.log, n.Name+": done")
	return nil
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var zero1971 = time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)

func srpl(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		// "db rp line"
		db, rest, _ := strings.Cut(l, " ")
		rp, lp, _ := strings.Cut(rest, " ")
		fmt.Fprintf(&b, "%s\n%s\n%s\n", db, rp, lp)
	}
	return b.String()
}

func TestReplayStreamRebaseAndCut(t *testing.T) {
	rec := writeFile(t, "in.srpl", srpl(
		"other rp cpu v=0 100", // not delivered (other db), but sets the zero
		"db rp cpu v=1 101",
		"db rp mem v=1 102", // no from() wants mem
		"db rp cpu v=2 110", // exactly zero+10s: delivered
		"db rp cpu v=3 103", // earlier again: delivered (file order)
		"db rp cpu v=4 111", // past the end: the recording stops here
		"db rp cpu v=5 104", // would be in range, but after the cut
	))
	var log []string
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	f := NewFrom(task, 1, "from1", FromConfig{Measurement: "cpu"})
	Link(s, f, 0)
	Link(f, newProbe(task, 2, &log), 0)
	res, err := Replay(task, ReplayOptions{Recordings: []string{rec}, Precision: "s", ClockZero: zero1971, Duration: 10 * time.Second, Bounded: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"probe2: cpu 1971-01-01T00:00:01Z ",
		"probe2: cpu 1971-01-01T00:00:10Z ",
		"probe2: cpu 1971-01-01T00:00:03Z ",
		"probe2: done",
	}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("delivered:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if res.Error != "" {
		t.Errorf("error = %q", res.Error)
	}
}

func TestReplayStreamNotRebased(t *testing.T) {
	rec := writeFile(t, "in.srpl", srpl("db rp cpu v=1 100", "db rp cpu v=1 105", "db rp cpu v=1 106"))
	var log []string
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	f := NewFrom(task, 1, "from1", FromConfig{})
	Link(s, f, 0)
	Link(f, newProbe(task, 2, &log), 0)
	if _, err := Replay(task, ReplayOptions{Recordings: []string{rec}, Precision: "s", Duration: 5 * time.Second, Bounded: true}); err != nil {
		t.Fatal(err)
	}
	want := []string{"probe2: cpu 1970-01-01T00:01:40Z ", "probe2: cpu 1970-01-01T00:01:45Z ", "probe2: done"}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("delivered %q, want %q", log, want)
	}
}

// Kapacitor's task master delivers a point once per subscription it
// matches: (db, rp, measurement) and (db, rp, any measurement).
func TestStreamRoutingPerSubscription(t *testing.T) {
	var log []string
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}, {"db", "rp2"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	named := NewFrom(task, 1, "from1", FromConfig{Measurement: "cpu"})
	any := NewFrom(task, 2, "from2", FromConfig{})
	Link(s, named, 0)
	Link(s, any, 0)
	Link(named, newProbe(task, 3, &log), 0)
	Link(any, newProbe(task, 4, &log), 0)
	for _, p := range []*Point{
		{Name: "cpu", Database: "db", RP: "rp"},
		{Name: "mem", Database: "db", RP: "rp2"},
		{Name: "cpu", Database: "db", RP: "other"},
	} {
		if err := s.Collect(p); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		// cpu: once for the cpu subscription, once for the any one; each
		// delivery goes to both froms, and from1 keeps only cpu.
		"probe3: cpu 1970-01-01T00:00:00Z ", "probe4: cpu 1970-01-01T00:00:00Z ",
		"probe3: cpu 1970-01-01T00:00:00Z ", "probe4: cpu 1970-01-01T00:00:00Z ",
		"probe4: mem 1970-01-01T00:00:00Z ",
	}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("delivered:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
}

func brplLine(name, tmax string, times ...string) string {
	var pts []string
	for _, tm := range times {
		pts = append(pts, fmt.Sprintf(`{"fields":{"v":1},"time":%q}`, tm))
	}
	tm := ""
	if tmax != "" {
		tm = fmt.Sprintf(`"tmax":%q,`, tmax)
	}
	return fmt.Sprintf(`{"name":%q,%s"tags":{"host":"a"},"points":[%s]}`+"\n", name, tm, strings.Join(pts, ","))
}

func TestReplayBatches(t *testing.T) {
	// Recording 0 feeds the last query (q2), recording 1 the first (q1).
	rec0 := writeFile(t, "input.0.brpl",
		brplLine("q2a", "", "2020-01-01T00:00:00Z", "2020-01-01T00:00:05Z")+ // tmax absent → last point
			brplLine("q2b", "1970-06-01T00:00:00Z", "2020-01-01T00:00:20Z")+ // tmax (not rebased) earlier → last point
			brplLine("q2c", "", "2020-01-01T00:00:31Z")) // past the duration
	rec1 := writeFile(t, "input.1.brpl",
		brplLine("q1a", "2030-01-01T00:00:00Z", "2015-10-30T17:14:12Z")+ // tmax later: kept as is
			`{"name":"empty","points":[]}`+"\n"+
			brplLine("q1b", "", "2015-10-30T17:14:32Z")+ // zero+20s: same release as q2b, q1 first
			brplLine("q1c", "", "2015-10-30T17:14:42Z")) // zero+30s: delivered (not later than the end)
	var log []string
	task := NewTask("t", "batch", []DBRP{{"db", "rp"}})
	b := NewBatch(task, 0, "batch0", BatchConfig{})
	q1 := NewQuery(task, 1, "query1", QueryConfig{Query: "SELECT 1", Every: time.Second})
	q2 := NewQuery(task, 2, "query2", QueryConfig{Query: "SELECT 2", Every: time.Second})
	Link(b, q1, 0)
	Link(b, q2, 0)
	Link(q1, newProbe(task, 3, &log), 0)
	Link(q2, newProbe(task, 4, &log), 0)
	res, err := Replay(task, ReplayOptions{Recordings: []string{rec0, rec1}, ClockZero: zero1971, Duration: 30 * time.Second, Bounded: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"probe3: q1a tmax=2030-01-01T00:00:00Z n=1 first=1971-01-01T00:00:00Z host=a",
		"probe4: q2a tmax=1971-01-01T00:00:05Z n=2 first=1971-01-01T00:00:00Z host=a",
		"probe3: q1b tmax=1971-01-01T00:00:20Z n=1 first=1971-01-01T00:00:20Z host=a",
		"probe4: q2b tmax=1971-01-01T00:00:20Z n=1 first=1971-01-01T00:00:20Z host=a",
		"probe4: done",
		"probe3: q1c tmax=1971-01-01T00:00:30Z n=1 first=1971-01-01T00:00:30Z host=a",
		"probe3: done",
	}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("delivered:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if res.Error != "" {
		t.Errorf("error = %q", res.Error)
	}
	if q1.BatchesQueried != 3 || q1.PointsQueried != 3 {
		t.Errorf("query1 stats: %d batches, %d points", q1.BatchesQueried, q1.PointsQueried)
	}
}

func TestReplayInputErrors(t *testing.T) {
	srplFile := writeFile(t, "in.srpl", srpl("db rp cpu v=1 1"))
	brplFile := writeFile(t, "in.brpl", brplLine("m", "", "2020-01-01T00:00:00Z"))
	stream := func() *Task {
		task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
		Link(NewStream(task, 0, "stream0", StreamConfig{}), NewFrom(task, 1, "from1", FromConfig{}), 0)
		return task
	}
	batch := func(queries int) *Task {
		task := NewTask("t", "batch", []DBRP{{"db", "rp"}})
		b := NewBatch(task, 0, "batch0", BatchConfig{})
		for i := 1; i <= queries; i++ {
			Link(b, NewQuery(task, i, fmt.Sprintf("query%d", i), QueryConfig{}), 0)
		}
		return task
	}
	tests := []struct {
		name string
		task *Task
		recs []string
		want string
	}{
		{"batch recording into stream", stream(), []string{brplFile}, "a batch recording cannot feed a stream task"},
		{"stream recording into batch", batch(1), []string{srplFile}, "a stream recording cannot feed a batch task"},
		{"too few recordings", batch(2), []string{brplFile}, "the task has 2 query nodes but 1 batch recordings were given"},
		{"missing file", stream(), []string{"/nonexistent.srpl"}, "no such file"},
	}
	for _, tt := range tests {
		_, err := Replay(tt.task, ReplayOptions{Recordings: tt.recs, Precision: "s"})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// failing is a node whose every point is a fatal error.
type failing struct{ Base }

func (n *failing) Point(int, *Point) error { return n.Fatal(fmt.Errorf("boom")) }
func (n *failing) Batch(int, *Batch) error { return nil }

func TestReplayTaskErrorStopsInput(t *testing.T) {
	rec := writeFile(t, "in.srpl", srpl("db rp cpu v=1 1", "db rp cpu v=2 2"))
	var log []string
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	f := NewFrom(task, 1, "from1", FromConfig{})
	p := newProbe(task, 2, &log)
	bad := &failing{}
	bad.Init(task, 3, "bad3", bad)
	Link(s, f, 0)
	Link(f, p, 0)
	Link(f, bad, 0)
	res, err := Replay(task, ReplayOptions{Recordings: []string{rec}, Precision: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != "bad3: boom" {
		t.Errorf("error = %q, want %q", res.Error, "bad3: boom")
	}
	// No more input after the failure, but the end of input still comes.
	if want := []string{"probe2: cpu 1970-01-01T00:00:01Z ", "probe2: done"}; !reflect.DeepEqual(log, want) {
		t.Errorf("delivered %q, want %q", log, want)
	}
}

func TestReplayInitError(t *testing.T) {
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	st := NewStats(task, 1, "stats1", StatsConfig{Observed: 0})
	_ = s
	res, err := Replay(task, ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != "stats1: stats node must have positive interval" {
		t.Errorf("error = %q", res.Error)
	}
	_ = st
}

// sink is a node that drops what it gets.
type sink struct{ Base }

func (n *sink) Point(int, *Point) error { return nil }
func (n *sink) Batch(int, *Batch) error { return nil }

// BenchmarkStreamIngest measures reading a stream recording and routing
// its points through stream and a grouping from(): the per-point cost
// every stream task pays before its own nodes.
func BenchmarkStreamIngest(b *testing.B) {
	var sb strings.Builder
	const points = 10000
	for i := 0; i < points; i++ {
		fmt.Fprintf(&sb, "telegraf\nautogen\ncpu,cpu=cpu%d,datacenter=dc%d,host=host%03d,service=svc%d usage_user=%d.5,usage_system=3.25,usage_idle=84.25 %d\n",
			i%4, i%4, (i/4)%250, i%8, i%100, 1609459200+i/1000)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		task := NewTask("t", "stream", []DBRP{{"telegraf", "autogen"}})
		s := NewStream(task, 0, "stream0", StreamConfig{})
		f := NewFrom(task, 1, "from1", FromConfig{Measurement: "cpu", GroupBy: []string{"host", "cpu"}})
		k := &sink{}
		k.Init(task, 2, "sink2", k)
		Link(s, f, 0)
		Link(f, k, 0)
		rec, err := NewStreamRecording(bytes.NewReader(data), "bench.srpl", "s")
		if err != nil {
			b.Fatal(err)
		}
		if err := replayStream(task, s, []*StreamRecording{rec}, ReplayOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*points), "ns/point")
}

// failingBatches fails on every batch.
type failingBatches struct{ Base }

func (n *failingBatches) Point(int, *Point) error { return nil }
func (n *failingBatches) Batch(int, *Batch) error { return n.Fatal(fmt.Errorf("bad batch")) }

func TestReplayBatchTaskErrorClosesEveryQuery(t *testing.T) {
	rec0 := writeFile(t, "input.0.brpl", brplLine("late", "", "2020-01-01T00:00:05Z", "2020-01-01T00:00:10Z"))
	rec1 := writeFile(t, "input.1.brpl", brplLine("early", "", "2020-01-01T00:00:00Z")+brplLine("never", "", "2020-01-01T00:00:01Z"))
	var log []string
	task := NewTask("t", "batch", nil)
	b := NewBatch(task, 0, "batch0", BatchConfig{})
	q1 := NewQuery(task, 1, "query1", QueryConfig{Every: time.Second})
	q2 := NewQuery(task, 2, "query2", QueryConfig{Every: time.Second})
	bad := &failingBatches{}
	bad.Init(task, 3, "bad3", bad)
	Link(b, q1, 0)
	Link(b, q2, 0)
	Link(q1, bad, 0)
	Link(q2, newProbe(task, 4, &log), 0)
	res, err := Replay(task, ReplayOptions{Recordings: []string{rec0, rec1}, ClockZero: zero1971})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != "bad3: bad batch" {
		t.Errorf("error = %q", res.Error)
	}
	if want := []string{"probe4: done"}; !reflect.DeepEqual(log, want) {
		t.Errorf("query2's child got %q, want %q", log, want)
	}
}
