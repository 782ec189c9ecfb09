package runtime

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// outputTestEvents are events of every shape the encoder knows: points
// with and without name, tags and fields, batches with extra tag columns
// and missing values, empty batches, no data at all, and strings that
// need escaping.
func outputTestEvents() []*AlertEvent {
	odd := "a<b>&c\"d\\e\u2028f\u2029g'h+i\x01j\xffk é"
	pt := &Point{Name: "cpu", Row: Row{Time: 1609459200123456789,
		Tags:   Tags{{"cpu", "cpu0"}, {"host", odd}},
		Fields: Fields{{"f", Float(1e21)}, {"g", Float(-1e-7)}, {"i", Int(-3)}, {"s", String(odd)}, {"t", Bool(true)}}}}
	bare := &Point{Row: Row{Time: 5}}
	batch := &Batch{Name: "m", TMax: 7e9, Tags: Tags{{"host", "a"}}, Points: []Row{
		{Time: 1e9, Tags: Tags{{"host", "a"}, {"x", "1"}}, Fields: Fields{{"v", Float(2.5)}}},
		{Time: 2e9, Tags: Tags{{"host", "a"}}, Fields: Fields{{"w", Int(4)}}},
	}}
	events := []*AlertEvent{
		{ID: "cpu:" + odd, Message: odd, Details: odd, Level: LevelCritical, Point: pt, Tags: pt.Tags, Fields: pt.Fields, Recoverable: true},
		{ID: "x", Level: LevelWarning, PreviousLevel: LevelCritical, Duration: 3 * time.Second, Point: bare},
		{ID: "b", Level: LevelInfo, Batch: batch, Tags: batch.Tags, Fields: Fields{{"v", Float(1)}}, Message: odd},
		{ID: "empty batch", Batch: &Batch{}},
		{ID: "empty named batch", Batch: &Batch{Name: "m"}},
		{ID: "empty grouped batch", Batch: &Batch{Tags: Tags{{"host", "a"}}}},
		{ID: "empty named grouped batch", Batch: &Batch{Name: "m", Tags: Tags{{"host", "a"}}}},
		{ID: "no data"},
	}
	at, err := parseAlertTemplates(NewTask("task", "batch", nil), DefaultAlertID, DefaultAlertMessage, DefaultAlertDetails)
	if err != nil {
		panic(err)
	}
	events[2].defaultDetails = at
	for _, e := range events {
		e.Time = time.Unix(0, 1609459200123456789)
	}
	return events
}

// An event captured laid out is the handlers' compact JSON as
// json.MarshalIndent places it in result.json.
func TestAlertEventLaidOutIsIndentedJSON(t *testing.T) {
	for _, e := range outputTestEvents() {
		compact, err := e.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(compact) {
			t.Fatalf("%s: invalid JSON %s", e.ID, compact)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, strings.Repeat("  ", resultAlertDepth), "  "); err != nil {
			t.Fatal(err)
		}
		got, err := e.appendLaidOut([]byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "prefix"+want.String() {
			t.Errorf("%s: got\n%s\nwant\n%s", e.ID, got, want.Bytes())
		}
	}
}

func TestAlertEventLaidOutUnsupportedValue(t *testing.T) {
	p := &Point{Name: "m", Row: Row{Fields: Fields{{"v", Float(math.NaN())}}}}
	e := &AlertEvent{ID: "x", Point: p}
	if _, err := e.appendLaidOut(nil); err != errUnsupportedValue {
		t.Errorf("err %v, want %v", err, errUnsupportedValue)
	}
}

// result.json of a capture is json.MarshalIndent of the events as
// handlers receive them, whether an alert node captured them laid out or
// another node gave Capture.Alert compact (or spaced) JSON.
func TestResultWriteJSONOfCapturedAlerts(t *testing.T) {
	task := NewTask("task", "stream", nil)
	task.Capture = NewCapture()
	n := NewAlert(task, 1, "alert1", withAlertDefaults(AlertConfig{Crit: cmp("v", ">", 50)}))
	var compact []json.RawMessage
	for i, e := range outputTestEvents() {
		ev := *e
		if i%2 == 0 {
			if err := n.sendEvent(&ev); err != nil {
				t.Fatal(err)
			}
			// sendEvent rendered the message and details: encode the
			// event as it was sent.
			b, err := ev.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			compact = append(compact, b)
		} else {
			b, err := ev.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			compact = append(compact, b)
			spaced := bytes.ReplaceAll(b, []byte(`,"`), []byte(" ,\n\t\""))
			task.Capture.Alert(1, spaced)
		}
	}
	r := task.Result()
	var got bytes.Buffer
	if err := r.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	r.Alerts = compact
	if want := marshalIndentResult(t, r); !bytes.Equal(got.Bytes(), want) {
		t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want)
	}
}

// Slices appended in place into the arena keep their bytes, whether they
// fit their room or outgrew it.
func TestByteArenaKeepsAppendedSlices(t *testing.T) {
	var a byteArena
	var kept [][]byte
	var want []string
	for i := 0; i < 200; i++ {
		s := strings.Repeat(string(rune('a'+i%26)), 1+(i*7919)%3000)
		if i%50 == 49 {
			s = strings.Repeat("x", byteArenaChunk+i) // larger than a chunk
		}
		b := append(a.room(len(s)/2), s...) // a room too small at times
		kept = append(kept, a.keep(b))
		want = append(want, s)
	}
	for i := range kept {
		if string(kept[i]) != want[i] {
			t.Fatalf("slice %d changed", i)
		}
		if cap(kept[i]) != len(kept[i]) {
			t.Fatalf("slice %d can grow into the next", i)
		}
	}
}
