package runtime

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// lineReader must split exactly as strings.Split on "\n" does (a final
// empty line is no line), whatever the buffer and read sizes.
func TestLineReaderSplitsLines(t *testing.T) {
	texts := []string{"", "a", "a\n", "a\nb", "\n\n", "abc\r\ndef\n\nlong" + strings.Repeat("x", 100) + "\nend\n"}
	for _, text := range texts {
		want := strings.Split(text, "\n")
		if want[len(want)-1] == "" {
			want = want[:len(want)-1]
		}
		for _, size := range []int{1, 2, 3, 7, 64} {
			for name, r := range map[string]io.Reader{
				"whole":    strings.NewReader(text),
				"one byte": iotest.OneByteReader(strings.NewReader(text)),
				"half":     iotest.HalfReader(strings.NewReader(text)),
			} {
				lr := lineReader{r: r, buf: make([]byte, size)}
				var got []string
				for {
					line, err := lr.next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, string(line))
				}
				if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
					t.Errorf("%q, buffer %d, %s reads: got %q, want %q", text, size, name, got, want)
				}
			}
		}
	}
}

func TestLineReaderReportsReadErrors(t *testing.T) {
	lr := lineReader{r: io.MultiReader(strings.NewReader("a\nb"), iotest.ErrReader(io.ErrUnexpectedEOF)), buf: make([]byte, 4)}
	if line, err := lr.next(); string(line) != "a" || err != nil {
		t.Fatalf("first line %q, %v", line, err)
	}
	if _, err := lr.next(); err != io.ErrUnexpectedEOF {
		t.Fatalf("got %v, want the read error", err)
	}
}

// ingestRecording is a recording of n points over 40 series with
// fields of every type, some points with fewer fields.
func ingestRecording(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "db\nrp\ncpu,host=h%02d,dc=d%d v=%d.%03d,n=%di,s=\"x%d\",ok=%v", i%40, i%3, i%97, i%1000, i, i%5, i%2 == 0)
		if i%7 == 0 {
			fmt.Fprintf(&b, ",extra=%d", i)
		}
		fmt.Fprintf(&b, " %d\n", 1000+i/20)
	}
	return b.String()
}

func testLambda(text string, f func(r *Row) bool) *Lambda {
	return &Lambda{Text: text, Func: func(r *Row, _ *LambdaState) (Value, error) { return Bool(f(r)), nil }}
}

func fieldAbove(name string, x float64) func(r *Row) bool {
	return func(r *Row) bool {
		v, _ := r.Fields.Get(name)
		return v.Kind == KindFloat && v.F > x
	}
}

// newCaptureTask is a stream task on db.rp that captures its output and
// logs nothing.
func newCaptureTask() *Task {
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	task.Capture = NewCapture()
	task.Log = io.Discard
	return task
}

// replayJSON replays the stream recording rec (precision s) into task
// and returns its result.json.
func replayJSON(t *testing.T, task *Task, rec string) []byte {
	t.Helper()
	res, err := Replay(task, ReplayOptions{Recordings: []string{rec}, Precision: "s"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := res.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func testAlert(task *Task, id int, crit *Lambda) *AlertNode {
	return NewAlert(task, id, fmt.Sprintf("alert%d", id), AlertConfig{
		Crit: crit, ID: DefaultAlertID, Message: DefaultAlertMessage, Details: DefaultAlertDetails, History: DefaultAlertHistory,
	})
}

// The reuse of points and field memory (node.go's reuse rule) must not
// change what a task produces: each pipeline is replayed with reuse and
// without, and the results compared.
func TestReplayReuseChangesNothing(t *testing.T) {
	rec := writeFile(t, "in.srpl", ingestRecording(5000))
	type decision struct{ fromReuses, inPlace, recycles bool }
	pipelines := []struct {
		name  string
		build func(task *Task, s *StreamNode) *FromNode
		want  decision
	}{
		{"from alert", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{Measurement: "cpu", GroupBy: []string{"host"}})
			Link(s, f, 0)
			Link(f, testAlert(task, 2, testLambda(`"v" > 50`, fieldAbove("v", 50))), 0)
			return f
		}, decision{true, true, true}},
		{"two froms: each point goes to both", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{Measurement: "cpu", GroupBy: []string{"host"}, Truncate: 10 * time.Second})
			Link(s, f, 0)
			Link(f, testAlert(task, 2, testLambda(`"v" > 50`, fieldAbove("v", 50))), 0)
			f2 := NewFrom(task, 3, "from3", FromConfig{GroupBy: []string{"dc"}})
			Link(s, f2, 0)
			Link(f2, testAlert(task, 4, testLambda(`"v" > 90`, fieldAbove("v", 90))), 0)
			return f
		}, decision{true, false, true}},
		{"from where alert", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{GroupByAll: true})
			w := NewWhere(task, 2, "where2", WhereConfig{Lambda: testLambda(`"v" > 10`, fieldAbove("v", 10))})
			Link(s, f, 0)
			Link(f, w, 0)
			Link(w, testAlert(task, 3, testLambda(`"v" > 80`, fieldAbove("v", 80))), 0)
			return f
		}, decision{true, true, true}},
		{"from stateDuration alert", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host", "dc"}})
			sd := NewStateDuration(task, 2, "stateDuration2", StateConfig{Lambda: testLambda(`"v" > 30`, fieldAbove("v", 30)), As: "d"})
			Link(s, f, 0)
			Link(f, sd, 0)
			Link(sd, testAlert(task, 3, testLambda(`"d" > 2`, fieldAbove("d", 2))), 0)
			return f
		}, decision{true, true, true}},
		{"from window alert", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host"}})
			w := NewWindow(task, 2, "window2", WindowConfig{Period: 10 * time.Second, Every: 5 * time.Second})
			Link(s, f, 0)
			Link(f, w, 0)
			Link(w, testAlert(task, 3, testLambda(`"v" > 90`, fieldAbove("v", 90))), 0)
			return f
		}, decision{true, true, false}},
		{"from alert httpOut", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host"}})
			a := testAlert(task, 2, testLambda(`"v" > 50`, fieldAbove("v", 50)))
			Link(s, f, 0)
			Link(f, a, 0)
			Link(a, NewHTTPOut(task, 3, "httpOut3", HTTPOutConfig{Endpoint: "out"}), 0)
			return f
		}, decision{false, false, false}},
		{"from eval window percentile httpOut", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"dc"}})
			e := NewEval(task, 2, "eval2", EvalConfig{Lambdas: []*Lambda{
				{Text: `"v" * 2.0`, Func: func(r *Row, _ *LambdaState) (Value, error) { v, _ := r.Fields.Get("v"); return Float(v.F * 2), nil }},
				{Text: `"s"`, Func: func(r *Row, _ *LambdaState) (Value, error) { v, _ := r.Fields.Get("s"); return v, nil }},
			}, Refs: [][]string{{"v"}, {"s"}}, As: []string{"x", "s2"}})
			w := NewWindow(task, 3, "window3", WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second})
			pc := NewInfluxQL(task, 4, "percentile4", InfluxQLConfig{Method: "percentile", Field: "x", As: "p", Percentile: 90})
			Link(s, f, 0)
			Link(f, e, 0)
			Link(e, w, 0)
			Link(w, pc, 0)
			Link(pc, NewHTTPOut(task, 5, "httpOut5", HTTPOutConfig{Endpoint: "out"}), 0)
			return f
		}, decision{true, true, true}},
		{"from, two evals, groupBy windows", func(task *Task, s *StreamNode) *FromNode {
			// from has two children, eval has two: each must get the
			// point as its parent made it.
			f := NewFrom(task, 1, "from1", FromConfig{})
			Link(s, f, 0)
			for i, k := range []float64{2, 3} {
				id := 2 + 9*i
				e := NewEval(task, id, fmt.Sprintf("eval%d", id), EvalConfig{Lambdas: []*Lambda{
					{Text: `"v" * k`, Func: func(r *Row, _ *LambdaState) (Value, error) {
						v, ok := r.Fields.Get("v")
						if !ok {
							return Value{}, fmt.Errorf("no v")
						}
						return Float(v.F * k), nil
					}},
				}, Refs: [][]string{{"v"}}, As: []string{"x"}})
				Link(f, e, 0)
				for j, dim := range []string{"host", "dc"} {
					id := id + 1 + 4*j
					g := NewGroupBy(task, id, fmt.Sprintf("groupby%d", id), GroupByConfig{Dims: []string{dim}})
					w := NewWindow(task, id+1, fmt.Sprintf("window%d", id+1), WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second})
					c := NewInfluxQL(task, id+2, fmt.Sprintf("sum%d", id+2), InfluxQLConfig{Method: "sum", Field: "x", As: "n"})
					Link(e, g, 0)
					Link(g, w, 0)
					Link(w, c, 0)
					Link(c, NewHTTPOut(task, id+3, fmt.Sprintf("httpOut%d", id+3), HTTPOutConfig{Endpoint: fmt.Sprintf("%s%d", dim, i)}), 0)
				}
			}
			return f
		}, decision{true, true, true}},
		{"from eval keep movingAverage httpOut", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host"}})
			e := NewEval(task, 2, "eval2", EvalConfig{Lambdas: []*Lambda{
				{Text: `"v" + 1.0`, Func: func(r *Row, _ *LambdaState) (Value, error) { v, _ := r.Fields.Get("v"); return Float(v.F + 1), nil }},
			}, Refs: [][]string{{"v"}}, As: []string{"x"}, Keep: true})
			m := NewInfluxQL(task, 3, "movingAverage3", InfluxQLConfig{Method: "movingAverage", Field: "x", As: "avg", Window: 3})
			Link(s, f, 0)
			Link(f, e, 0)
			Link(e, m, 0)
			Link(e, NewHTTPOut(task, 4, "httpOut4", HTTPOutConfig{Endpoint: "kept"}), 0)
			Link(m, NewHTTPOut(task, 5, "httpOut5", HTTPOutConfig{Endpoint: "avg"}), 0)
			return f
		}, decision{true, true, true}},
		{"from httpOut", func(task *Task, s *StreamNode) *FromNode {
			f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host"}})
			Link(s, f, 0)
			Link(f, NewHTTPOut(task, 2, "httpOut2", HTTPOutConfig{Endpoint: "out"}), 0)
			return f
		}, decision{false, false, false}},
	}
	run := func(t *testing.T, build func(*Task, *StreamNode) *FromNode, reuse bool) ([]byte, decision) {
		t.Helper()
		defer func(old bool) { reuseIngestMemory = old }(reuseIngestMemory)
		reuseIngestMemory = reuse
		task := newCaptureTask()
		s := NewStream(task, 0, "stream0", StreamConfig{})
		f := build(task, s)
		out := replayJSON(t, task, rec)
		return out, decision{f.out != nil, f.inPlace, s.recyclesFields()}
	}
	for _, p := range pipelines {
		t.Run(p.name, func(t *testing.T) {
			t.Setenv("TICKC_PARSERS", "2")
			reused, d := run(t, p.build, true)
			if d != p.want {
				t.Errorf("reuse decisions %+v, want %+v", d, p.want)
			}
			copied, _ := run(t, p.build, false)
			if !bytes.Equal(reused, copied) {
				t.Errorf("results differ with reuse:\n%.2000s\nwithout:\n%.2000s", reused, copied)
			}
			if len(copied) < 200 {
				t.Errorf("the pipeline produced almost nothing: %s", copied)
			}
		})
	}
}

// Decoding only the fields the compiler says the task reads must not
// change what it produces.
func TestReplayFieldProjectionChangesNothing(t *testing.T) {
	rec := writeFile(t, "in.srpl", ingestRecording(5000))
	run := func(project bool) ([]byte, []string) {
		defer func(old bool) { projectIngestFields = old }(projectIngestFields)
		projectIngestFields = project
		task := newCaptureTask()
		s := NewStream(task, 0, "stream0", StreamConfig{})
		f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host"}, ProjectFields: true, Fields: []string{"v", "ok"}})
		w := NewWhere(task, 2, "where2", WhereConfig{Lambda: testLambda(`"ok"`, func(r *Row) bool { v, _ := r.Fields.Get("ok"); return v.Bool() })})
		win := NewWindow(task, 3, "window3", WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second})
		mean := NewInfluxQL(task, 4, "mean4", InfluxQLConfig{Method: "mean", Field: "v", As: "mean"})
		sum := NewInfluxQL(task, 5, "sum5", InfluxQLConfig{Method: "sum", Field: "v", As: "sum"})
		Link(s, f, 0)
		Link(f, w, 0)
		Link(w, win, 0)
		Link(win, mean, 0)
		Link(win, sum, 0)
		Link(mean, NewHTTPOut(task, 6, "httpOut6", HTTPOutConfig{Endpoint: "mean"}), 0)
		Link(sum, testAlert(task, 7, testLambda(`"sum" > 900`, fieldAbove("sum", 900))), 0)
		out := replayJSON(t, task, rec)
		fields, _ := s.fieldProjection()
		return out, fields
	}
	projected, fields := run(true)
	if fmt.Sprint(fields) != "[v ok]" {
		t.Errorf("projection %v, want [v ok]", fields)
	}
	all, _ := run(false)
	if !bytes.Equal(projected, all) {
		t.Errorf("results differ with the projection:\n%.3000s\nwithout:\n%.3000s", projected, all)
	}
	if len(all) < 500 {
		t.Errorf("the pipeline produced almost nothing: %s", all)
	}
}

// A recording that fails after several blocks: the points before the
// bad line are delivered, then the error names the line.
func TestReplayStreamErrorAfterBlocks(t *testing.T) {
	forEachParserCount(t, testReplayStreamErrorAfterBlocks)
}

// forEachParserCount runs a test with one parser and with three.
func forEachParserCount(t *testing.T, test func(t *testing.T)) {
	for _, n := range []string{"1", "3"} {
		t.Run("parsers="+n, func(t *testing.T) {
			t.Setenv("TICKC_PARSERS", n)
			test(t)
		})
	}
}

func testReplayStreamErrorAfterBlocks(t *testing.T) {
	const good = 10000 // several blocks
	rec := writeFile(t, "in.srpl", ingestRecording(good)+"db\nrp\ncpu v=oops 1\n"+ingestRecording(10))
	var log []string
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	f := NewFrom(task, 1, "from1", FromConfig{})
	Link(s, f, 0)
	Link(f, newProbe(task, 2, &log), 0)
	_, err := Replay(task, ReplayOptions{Recordings: []string{rec}, Precision: "s"})
	want := fmt.Sprintf("%s:%d: unable to parse 'cpu v=oops 1': invalid boolean", rec, 3*good+3)
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	if len(log) != good {
		t.Errorf("%d points delivered before the error, want %d", len(log), good)
	}
}

// A read error after several blocks: the whole lines before it are
// delivered, then the error names the line after them.
func TestReplayStreamReadError(t *testing.T) { forEachParserCount(t, testReplayStreamReadError) }

func testReplayStreamReadError(t *testing.T) {
	const good = 10000
	data := ingestRecording(good) + "db\nrp\ncpu,host=partial"
	in := io.MultiReader(strings.NewReader(data), iotest.ErrReader(io.ErrUnexpectedEOF))
	rec, err := NewStreamRecording(in, "in.srpl", "s")
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	f := NewFrom(task, 1, "from1", FromConfig{})
	Link(s, f, 0)
	Link(f, newProbe(task, 2, &log), 0)
	err = replayStream(task, s, []*StreamRecording{rec}, ReplayOptions{})
	want := fmt.Sprintf("in.srpl:%d: unexpected EOF", 3*good+3)
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	if len(log) != good {
		t.Errorf("%d points delivered before the error, want %d", len(log), good)
	}
}

// The duration cut ends the replay in the middle of a later block.
func TestReplayStreamStopsAtDuration(t *testing.T) {
	forEachParserCount(t, testReplayStreamStopsAtDuration)
}

func testReplayStreamStopsAtDuration(t *testing.T) {
	rec := writeFile(t, "in.srpl", ingestRecording(20000))
	var log []string
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	f := NewFrom(task, 1, "from1", FromConfig{})
	Link(s, f, 0)
	Link(f, newProbe(task, 2, &log), 0)
	// 20 points a second: 600 s hold 12,020 points (times 0 to 600 s).
	if _, err := Replay(task, ReplayOptions{Recordings: []string{rec}, Precision: "s", Duration: 10 * time.Minute, Bounded: true}); err != nil {
		t.Fatal(err)
	}
	if got := len(log) - 1; got != 12020 { // the last entry is "done"
		t.Errorf("%d points delivered, want 12020", got)
	}
}

// Parallel parsers share their key cache: points of a series share one
// Tags slice whichever parser read them.
func TestReplayStreamSharesSeriesTags(t *testing.T) {
	forEachParserCount(t, testReplayStreamSharesSeriesTags)
}

func testReplayStreamSharesSeriesTags(t *testing.T) {
	rec := writeFile(t, "in.srpl", ingestRecording(20000))
	task := NewTask("t", "stream", []DBRP{{"db", "rp"}})
	s := NewStream(task, 0, "stream0", StreamConfig{})
	tags := map[string]map[*Tag]bool{}
	f := NewFrom(task, 1, "from1", FromConfig{})
	k := &tagCollector{tags: tags}
	k.Init(task, 2, "collector2", k)
	Link(s, f, 0)
	Link(f, k, 0)
	if err := replayStream(task, s, []*StreamRecording{mustOpen(t, rec)}, ReplayOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(tags) != 120 {
		t.Errorf("%d series, want 120", len(tags))
	}
	for series, slices := range tags {
		if len(slices) != 1 {
			t.Errorf("series %s has %d tag slices", series, len(slices))
		}
	}
}

type tagCollector struct {
	Base
	tags map[string]map[*Tag]bool
}

func (n *tagCollector) Point(_ int, p *Point) error {
	key := fmt.Sprint(p.Tags)
	if n.tags[key] == nil {
		n.tags[key] = map[*Tag]bool{}
	}
	n.tags[key][&p.Tags[0]] = true
	return nil
}
func (n *tagCollector) Batch(int, *Batch) error { return nil }

func mustOpen(t *testing.T, path string) *StreamRecording {
	t.Helper()
	rec, err := OpenStreamRecording(path, "s")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	return rec
}

func TestRecordCut(t *testing.T) {
	tests := []struct {
		raw         string
		linesBefore int
		cut, lines  int
	}{
		{"a\nb\nc\n", 0, 6, 3},
		{"a\nb\nc\nd", 0, 6, 3},
		{"a\nb\nc\nd\ne\n", 0, 6, 3},
		{"c\nd\ne\nf\n", 1, 4, 2}, // the record of the line before ends at d
		{"a\nb\n", 0, -1, 0},
		{"a\nb\nc\nd\ne\nf\n", 0, 12, 6},
	}
	for _, tt := range tests {
		cut, lines := recordCut([]byte(tt.raw), tt.linesBefore)
		if cut != tt.cut || lines != tt.lines {
			t.Errorf("recordCut(%q, %d) = %d, %d; want %d, %d", tt.raw, tt.linesBefore, cut, lines, tt.cut, tt.lines)
		}
	}
}

// Fields the stream defers to alert events (FromConfig.DeferFields) must
// come out of the events as if decoded with the others: the line's
// fields, with those nodes on the way set (here stateCount's "ok", which
// the line has too) winning.
func TestReplayDeferredFieldsChangeNothing(t *testing.T) {
	rec := writeFile(t, "in.srpl", ingestRecording(5000))
	run := func(project bool) ([]byte, bool) {
		defer func(old bool) { projectIngestFields = old }(projectIngestFields)
		projectIngestFields = project
		task := newCaptureTask()
		s := NewStream(task, 0, "stream0", StreamConfig{})
		f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host"}, ProjectFields: true, Fields: []string{"ok", "v"}, DeferFields: true})
		w := NewWhere(task, 2, "where2", WhereConfig{Lambda: testLambda(`"v" > 10`, fieldAbove("v", 10))})
		sc := NewStateCount(task, 3, "stateCount3", StateConfig{Lambda: testLambda(`"v" > 50`, fieldAbove("v", 50)), As: "ok"})
		a := NewAlert(task, 4, "alert4", AlertConfig{
			Crit: testLambda(`"ok" >= 2`, func(r *Row) bool { v, _ := r.Fields.Get("ok"); return v.Kind == KindInt && v.I >= 2 }),
			ID:   DefaultAlertID, Message: `{{ .ID }} n={{ index .Fields "n" }} s={{ index .Fields "s" }}`,
			Details: DefaultAlertDetails, History: DefaultAlertHistory, StateChangesOnly: true,
			DeferredFields: true,
		})
		// A from node that does not defer: it clears what the stream kept.
		f2 := NewFrom(task, 5, "from5", FromConfig{ProjectFields: true, Fields: []string{"v"}})
		win := NewWindow(task, 6, "window6", WindowConfig{Period: 10 * time.Second, Every: 10 * time.Second})
		mean := NewInfluxQL(task, 7, "mean7", InfluxQLConfig{Method: "mean", Field: "v", As: "mean"})
		Link(s, f, 0)
		Link(f, w, 0)
		Link(w, sc, 0)
		Link(sc, a, 0)
		Link(s, f2, 0)
		Link(f2, win, 0)
		Link(win, mean, 0)
		Link(mean, NewHTTPOut(task, 8, "httpOut8", HTTPOutConfig{Endpoint: "mean"}), 0)
		out := replayJSON(t, task, rec)
		_, deferred := s.fieldProjection()
		return out, deferred
	}
	projected, deferred := run(true)
	if !deferred {
		t.Errorf("the stream does not defer fields")
	}
	all, _ := run(false)
	if !bytes.Equal(projected, all) {
		t.Errorf("results differ with deferred fields:\n%.3000s\nwithout:\n%.3000s", projected, all)
	}
	if n := bytes.Count(all, []byte(`"extra"`)); n < 10 {
		t.Errorf("%d alerts show the field extra, want more:\n%.3000s", n, all)
	}
}

// A from node that defers fields for one alert hands the line to its
// other branches too: an alert below an eval there (its points hold the
// eval's results only) must not take the line's fields for its events.
func TestReplayDeferredFieldsOnlyForTheirAlert(t *testing.T) {
	rec := writeFile(t, "in.srpl", ingestRecording(3000))
	run := func(project bool) []byte {
		defer func(old bool) { projectIngestFields = old }(projectIngestFields)
		projectIngestFields = project
		task := newCaptureTask()
		s := NewStream(task, 0, "stream0", StreamConfig{})
		f := NewFrom(task, 1, "from1", FromConfig{GroupBy: []string{"host"}, ProjectFields: true, Fields: []string{"v"}, DeferFields: true})
		Link(s, f, 0)
		a := testAlert(task, 2, testLambda(`"v" > 90`, fieldAbove("v", 90)))
		a.cfg.DeferredFields = true
		Link(f, a, 0)
		e := NewEval(task, 3, "eval3", EvalConfig{Lambdas: []*Lambda{
			{Text: `"v" * 2.0`, Func: func(r *Row, _ *LambdaState) (Value, error) { v, _ := r.Fields.Get("v"); return Float(v.F * 2), nil }},
		}, Refs: [][]string{{"v"}}, As: []string{"x"}})
		Link(f, e, 0)
		Link(e, testAlert(task, 4, testLambda(`"x" > 150`, fieldAbove("x", 150))), 0)
		return replayJSON(t, task, rec)
	}
	deferred, all := run(true), run(false)
	if !bytes.Equal(deferred, all) {
		t.Errorf("results differ with deferred fields:\n%.3000s\nwithout:\n%.3000s", deferred, all)
	}
	if !bytes.Contains(all, []byte(`"extra"`)) || !bytes.Contains(all, []byte(`"x"`)) {
		t.Errorf("want events of both alerts:\n%.2000s", all)
	}
}
