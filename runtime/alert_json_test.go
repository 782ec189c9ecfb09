package runtime

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// The hand-written encoder must agree with encoding/json, which is what
// Kapacitor's handlers use.
func TestAlertJSONStringsMatchEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", `q"uote`, `back\slash`, "<tag>&amp;", "tab\tnl\ncr\r", "\b\f\x00\x01\x1f\x7f",
		"é ü 日本", "\u2028\u2029", "bad \xff utf8 \xc3", "emoji 🎉", "{{ .ID }}",
	} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

func FuzzAlertJSONString(f *testing.F) {
	f.Add("a<b>\"c\"\\\n\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	})
}

// The details of an event are encoded once by html/template's escaping
// and again as a JSON string; the one-pass form must agree for any input.
var jsonOfHTMLSamples = []string{
	"", "plain", `{"Name":"cpu","Tags":{"a":"it's 1+1"}}` + "\n", `q"uote`, `back\slash`, "<tag>&amp;",
	"tab\tnl\ncr\r", "\b\f\x00\x1f\x7f", "é ü 日本 \ufffd", "\u2028\u2029", "bad \xff utf8 \xc3\"", "+'\"",
}

func TestAlertJSONStringOfHTML(t *testing.T) {
	for _, s := range jsonOfHTMLSamples {
		checkJSONStringOfHTML(t, s)
	}
}

func FuzzAlertJSONStringOfHTML(f *testing.F) {
	for _, s := range jsonOfHTMLSamples {
		f.Add(s)
	}
	f.Fuzz(checkJSONStringOfHTML)
}

func checkJSONStringOfHTML(t *testing.T, s string) {
	want := appendJSONString(nil, htmlEscapeJSON([]byte(s)))
	if got := appendJSONStringOfHTML(nil, []byte(s)); string(got) != string(want) {
		t.Errorf("%q: got %s, want %s", s, got, want)
	}
}

func TestAlertJSONFloatsMatchEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, -0.0, 1, -1, 60, 92.6, 0.1, 1e-6, 9.99e-7, 1e-7, 123456789, 1e20, 1e21, 1.5e300, -2.5e-300, math.MaxFloat64, math.SmallestNonzeroFloat64, 95.98484848485191} {
		want, _ := json.Marshal(f)
		got, err := appendJSONFloat(nil, f)
		if err != nil || string(got) != string(want) {
			t.Errorf("%v: got %s (%v), want %s", f, got, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := appendJSONFloat(nil, f); err == nil {
			t.Errorf("%v: no error", f)
		}
	}
}

func TestAlertJSONTimesMatchEncodingJSON(t *testing.T) {
	for _, ns := range []int64{0, 1, 1500000000, 31536000123456789, -1} {
		tm := time.Unix(0, ns).UTC()
		want, _ := json.Marshal(tm)
		if got := appendJSONTime(nil, tm); string(got) != string(want) {
			t.Errorf("%d: got %s, want %s", ns, got, want)
		}
	}
}

// A NaN field cannot be encoded: the event is dropped (Kapacitor's
// handlers fail to marshal it), the data is still forwarded.
func TestAlertNaNFieldDropsTheEvent(t *testing.T) {
	a := newAlertTestTask(t, "stream", AlertConfig{Crit: cmp("v", ">", 80), Details: "d"})
	p := parseTestPoint(t, "m v=90,w=1 1")
	p.Fields = p.Fields.Set("w", Float(math.NaN()))
	if err := a.node.Point(0, p); err != nil {
		t.Fatal(err)
	}
	if len(a.events()) != 0 || len(a.sink.points) != 1 {
		t.Errorf("events %d, forwarded %d", len(a.events()), len(a.sink.points))
	}
}

// The default details are rendered without html/template; they must be
// what html/template renders for `{{ json . }}`.
func TestAlertDefaultDetailsMatchHTMLTemplate(t *testing.T) {
	for _, tc := range []struct {
		tags   Tags
		fields Fields
		msg    string
	}{
		{nil, nil, ""},
		{Tags{{"host", "a"}}, Fields{{"v", Float(92.6)}}, "cpu:host=a is CRITICAL"},
		{Tags{{"a", `q"u'o+te<>&`}, {"b", "é\u2028"}}, Fields{{"b", Bool(true)}, {"f", Float(1e21)}, {"i", Int(-3)}, {"s", String("x+y 'z'")}}, `it's "bad" & <b>+1</b>`},
	} {
		checkDefaultDetails(t, tc.tags, tc.fields, tc.msg, time.Unix(1, 500))
	}
	checkDefaultDetails(t, nil, Fields{{"v", Float(math.NaN())}}, "nan", time.Unix(1, 0))
}

func FuzzAlertDefaultDetails(f *testing.F) {
	f.Add("host", "a'+\"<", "v", 1.5, "msg + 'x'", int64(1))
	f.Fuzz(func(t *testing.T, tk, tv, fk string, fv float64, msg string, ns int64) {
		checkDefaultDetails(t, Tags{{tk, tv}}, Fields{{fk, Float(fv)}, {fk + "s", String(tv)}}, msg, time.Unix(0, ns))
	})
}

func checkDefaultDetails(t *testing.T, tags Tags, fields Fields, msg string, tm time.Time) {
	t.Helper()
	task := NewTask("task'+", "stream", nil)
	at, err := parseAlertTemplates(task, DefaultAlertID, DefaultAlertMessage, DefaultAlertDetails)
	if err != nil {
		t.Fatal(err)
	}
	e := &AlertEvent{ID: "id+'\"", Name: "cpu", Group: "host=a", Tags: tags, Fields: fields, Level: LevelCritical, Time: tm, Duration: 3 * time.Second, Message: msg}
	fieldMap := map[string]any{}
	for _, f := range fields {
		fieldMap[f.Key] = f.Value.Interface()
	}
	mi := messageInfo{idInfo: at.idData(e.Name, e.Group, tags), ID: e.ID, Fields: fieldMap, Level: "CRITICAL", Time: templateTime(tm), Duration: e.Duration}
	var want strings.Builder
	if err := at.details.Execute(&want, detailsInfo{messageInfo: mi, Message: msg}); err != nil {
		t.Fatal(err)
	}
	if got := htmlEscapeJSON(at.appendDefaultDetails(nil, e, false, nil)); got != want.String() {
		t.Errorf("got:  %s\nwant: %s", got, want.String())
	}
	// Rendered straight into the event JSON, they are that text as a
	// JSON string.
	inEvent := append(at.appendDefaultDetails([]byte(`"`), e, true, appendJSONTime(nil, e.Time)), '"')
	if want := appendJSONString(nil, want.String()); string(inEvent) != string(want) {
		t.Errorf("in the event JSON got:  %s\nwant: %s", inEvent, want)
	}
}

// An ungrouped batch has no tags map: its default details say null.
func TestAlertDefaultDetailsUngroupedBatch(t *testing.T) {
	a := newAlertTestTask(t, "batch", AlertConfig{Crit: cmp("v", ">", 5)})
	if err := a.node.Batch(0, testBatch("cpu", 10, nil, [2]float64{9, 1})); err != nil {
		t.Fatal(err)
	}
	if d := a.events()[0]["details"].(string); !strings.Contains(d, "&#34;Tags&#34;:null,") {
		t.Errorf("details %s", d)
	}
}
