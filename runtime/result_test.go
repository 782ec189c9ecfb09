package runtime

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// marshalIndentResult is what WriteJSON must reproduce byte for byte.
func marshalIndentResult(t *testing.T, r *Result) []byte {
	t.Helper()
	want, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(want, '\n')
}

func TestResultWriteJSONMatchesMarshalIndent(t *testing.T) {
	cases := []struct {
		name string
		r    *Result
	}{
		{"empty", &Result{HTTPOut: map[string]json.RawMessage{}, Alerts: []json.RawMessage{}, HTTPPost: []CapturedPost{}, InfluxDBOut: []CapturedWrite{}}},
		{"nil parts", &Result{Error: "stream0: boom <&>"}},
		{"httpOut bodies sorted by endpoint", &Result{HTTPOut: map[string]json.RawMessage{
			"b":     json.RawMessage(`{"series":null}`),
			"a<&>":  json.RawMessage(`{"series":[{"name":"cpu","values":[[1,2.5,"x"]]}]}`),
			"empty": nil,
		}}},
		{"alerts with spacing, escapes and empty containers", &Result{Alerts: []json.RawMessage{
			json.RawMessage(` { "id" : "a\"b\\c<d>&e" , "data":{"series":[]},"x":{},"n":[ 1 , -2.5e3, true,false,null ] } `),
			json.RawMessage("{\"s\":\"line\u2028sep\u2029end \\u003c\",\"t\":\"\\\\\"}"),
			json.RawMessage(`[[[]],[{}],{"a":[{"b":{}}]}]`),
		}}},
		{"posts and writes", &Result{
			HTTPPost: []CapturedPost{{URL: "http://x/?a=1&b=<2>", Body: json.RawMessage(`{"k": [1, 2]}`)}},
			InfluxDBOut: []CapturedWrite{{Database: "db", RetentionPolicy: "rp", Measurement: "m",
				Tags: map[string]string{"b": "2", "a": "1"}, Fields: map[string]any{"f": 1.5, "s": "<>", "i": int64(3)}, Time: "t"}},
			Error: "",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := c.r.WriteJSON(&got); err != nil {
				t.Fatal(err)
			}
			if want := marshalIndentResult(t, c.r); !bytes.Equal(got.Bytes(), want) {
				t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want)
			}
		})
	}
}

// randomJSON writes a random JSON value with random insignificant
// whitespace.
func randomJSON(rng *rand.Rand, b *strings.Builder, depth int) {
	space := func() {
		if rng.Intn(4) == 0 {
			b.WriteString([]string{" ", "\n", "\t", "\r\n  "}[rng.Intn(4)])
		}
	}
	space()
	k := rng.Intn(7)
	if depth > 4 {
		k = rng.Intn(4)
	}
	switch k {
	case 0:
		b.WriteString(strconv.FormatFloat(rng.NormFloat64()*1e3, 'g', -1, 64))
	case 1:
		b.WriteString([]string{"true", "false", "null"}[rng.Intn(3)])
	case 2, 3:
		pieces := []string{"a", "<", ">", "&", `\"`, `\\`, `\n`, `\u00e9`, "é", "\u2028", "\u2029", "\xe2\x80", ",", ":", "{", "]", " "}
		b.WriteByte('"')
		for n := rng.Intn(6); n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		b.WriteByte('"')
	case 4, 5:
		b.WriteByte('[')
		for i, n := 0, rng.Intn(4); i < n; i++ {
			if i > 0 {
				space()
				b.WriteByte(',')
			}
			randomJSON(rng, b, depth+1)
		}
		space()
		b.WriteByte(']')
	case 6:
		b.WriteByte('{')
		for i, n := 0, rng.Intn(4); i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			space()
			b.WriteString(`"k` + strconv.Itoa(i) + `<"`)
			space()
			b.WriteByte(':')
			randomJSON(rng, b, depth+1)
		}
		space()
		b.WriteByte('}')
	}
	space()
}

func TestResultWriteJSONRandomAlerts(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		r := &Result{Alerts: []json.RawMessage{}}
		for n := rng.Intn(4); n > 0; n-- {
			var b strings.Builder
			randomJSON(rng, &b, 0)
			if !json.Valid([]byte(b.String())) {
				t.Fatalf("generator made invalid JSON: %q", b.String())
			}
			r.Alerts = append(r.Alerts, json.RawMessage(b.String()))
		}
		var got bytes.Buffer
		if err := r.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if want := marshalIndentResult(t, r); !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("alerts %q:\ngot\n%s\nwant\n%s", r.Alerts, got.Bytes(), want)
		}
	}
}

func BenchmarkResultWriteJSON(b *testing.B) {
	ev := json.RawMessage(`{"id":"cpu:cpu=cpu0,host=host-00003","message":"cpu:cpu=cpu0,host=host-00003 is CRITICAL","details":"{\u0026#34;Name\u0026#34;:\u0026#34;cpu\u0026#34;}\n","time":"2021-01-01T00:00:00Z","duration":0,"level":"CRITICAL","data":{"series":[{"name":"cpu","tags":{"cpu":"cpu0","host":"host-00003"},"columns":["time","usage_idle"],"values":[["2021-01-01T00:00:00Z",13.44588757745801]]}]},"previousLevel":"OK","recoverable":true}`)
	r := &Result{Alerts: make([]json.RawMessage, 1000)}
	for i := range r.Alerts {
		r.Alerts[i] = ev
	}
	b.SetBytes(int64(len(ev) * len(r.Alerts)))
	for b.Loop() {
		if err := r.WriteJSON(&bytes.Buffer{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResultMarshalIndent(b *testing.B) {
	ev := json.RawMessage(`{"id":"cpu:cpu=cpu0,host=host-00003","message":"cpu:cpu=cpu0,host=host-00003 is CRITICAL","details":"{\u0026#34;Name\u0026#34;:\u0026#34;cpu\u0026#34;}\n","time":"2021-01-01T00:00:00Z","duration":0,"level":"CRITICAL","data":{"series":[{"name":"cpu","tags":{"cpu":"cpu0","host":"host-00003"},"columns":["time","usage_idle"],"values":[["2021-01-01T00:00:00Z",13.44588757745801]]}]},"previousLevel":"OK","recoverable":true}`)
	r := &Result{Alerts: make([]json.RawMessage, 1000)}
	for i := range r.Alerts {
		r.Alerts[i] = ev
	}
	b.SetBytes(int64(len(ev) * len(r.Alerts)))
	for b.Loop() {
		if _, err := json.MarshalIndent(r, "", "  "); err != nil {
			b.Fatal(err)
		}
	}
}
