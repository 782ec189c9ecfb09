package runtime

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readAllPoints(t *testing.T, sr *StreamRecording) ([]*Point, error) {
	t.Helper()
	var pts []*Point
	for {
		p, err := sr.Next()
		if err == io.EOF {
			return pts, nil
		}
		if err != nil {
			return pts, err
		}
		pts = append(pts, p)
	}
}

func TestStreamRecording(t *testing.T) {
	text := "db\nrp\ncpu,host=a value=1 1\r\n" +
		"other\nautogen\nmem v=2i 2\n"
	for _, gz := range []bool{false, true} {
		data := []byte(text)
		if gz {
			var b bytes.Buffer
			w := gzip.NewWriter(&b)
			w.Write(data)
			w.Close()
			data = b.Bytes()
		}
		sr, err := NewStreamRecording(bytes.NewReader(data), "in.srpl", "s")
		if err != nil {
			t.Fatal(err)
		}
		pts, err := readAllPoints(t, sr)
		if err != nil {
			t.Fatalf("gzip=%v: %v", gz, err)
		}
		want := []*Point{
			{Database: "db", RP: "rp", Name: "cpu", Row: Row{Time: 1e9, Tags: Tags{{"host", "a"}}, Fields: Fields{{"value", Float(1)}}}, Series: 1},
			{Database: "other", RP: "autogen", Name: "mem", Row: Row{Time: 2e9, Fields: Fields{{"v", Int(2)}}}, Series: 2},
		}
		for _, p := range pts {
			p.verdict = nil // the series' own
		}
		if !reflect.DeepEqual(pts, want) {
			t.Errorf("gzip=%v: got %+v, want %+v", gz, pts, want)
		}
	}
}

func TestStreamRecordingErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"truncated after db", "db\nrp\nm v=1 1\ndb\n", "in.srpl:4: invalid replay file format, expected another line"},
		{"truncated after rp", "db\nrp\n", "in.srpl:2: invalid replay file format, expected another line"},
		{"bad line protocol", "db\nrp\nm v=1 1\ndb\nrp\nm v=x 2\n", "in.srpl:6: unable to parse 'm v=x 2': invalid boolean"},
		{"truncated after a repeated rp", "db\nrp\nm v=1 1\ndb\nrp\n", "in.srpl:5: invalid replay file format, expected another line"},
		{"bad line after CRLF records", "db\r\nrp\r\nm v=1 1\r\ndb\r\nrp\r\nm v=x 2\r\n", "in.srpl:6: unable to parse 'm v=x 2': invalid boolean"},
		{"bad line after another rp", "db\nrp\nm v=1 1\ndb\nrp2\nm v=x 2\n", "in.srpl:6: unable to parse 'm v=x 2': invalid boolean"},
		{"blank point line", "db\nrp\n\n", "in.srpl:3: expected a line of line protocol, got a blank line or a comment"},
		{"no timestamp", "db\nrp\nm v=1\n", "in.srpl:3: point has no timestamp"},
	}
	for _, tt := range tests {
		sr, _ := NewStreamRecording(strings.NewReader(tt.text), "in.srpl", "s")
		_, err := readAllPoints(t, sr)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParseBatchRecording(t *testing.T) {
	data := `{"name":"cpu","tmax":"2015-10-30T17:14:20Z","group":"ignored","tags":{"cpu":"cpu0","host":"a"},"points":[{"fields":{"mean":90.5,"n":3,"s":"x","b":true,"nil":null},"time":"2015-10-30T17:14:12Z"},{"fields":{"mean":1},"tags":{"cpu":"cpu0","host":"a","extra":"e"},"time":"2015-10-30T17:14:14.5Z"}]}

{"name":"cpu","points":[]}
  {"name":"mem","byname":true,"points":[{"fields":{"v":1},"tags":null,"time":"2015-10-30T17:14:16Z"}]}
`
	rec, err := ParseBatchRecording([]byte(data), "in.brpl")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Batches) != 2 {
		t.Fatalf("got %d batches, want 2 (the empty one dropped)", len(rec.Batches))
	}
	b0 := rec.Batches[0]
	tags := Tags{{"cpu", "cpu0"}, {"host", "a"}}
	want0 := &Batch{
		Name: "cpu", Tags: tags, Group: "cpu=cpu0,host=a",
		Dims: Dimensions{TagNames: []string{"cpu", "host"}},
		Points: []Row{
			{Time: time.Date(2015, 10, 30, 17, 14, 12, 0, time.UTC).UnixNano(), Tags: tags,
				Fields: Fields{{"b", Bool(true)}, {"mean", Float(90.5)}, {"n", Float(3)}, {"s", String("x")}}},
			{Time: time.Date(2015, 10, 30, 17, 14, 14, 5e8, time.UTC).UnixNano(), Tags: Tags{{"cpu", "cpu0"}, {"extra", "e"}, {"host", "a"}},
				Fields: Fields{{"mean", Float(1)}}},
		},
	}
	if !reflect.DeepEqual(b0.Batch, want0) {
		t.Errorf("batch 0:\n got %+v\nwant %+v", b0.Batch, want0)
	}
	if !b0.TMax.Equal(time.Date(2015, 10, 30, 17, 14, 20, 0, time.UTC)) || b0.Line != 1 {
		t.Errorf("batch 0: tmax %v line %d", b0.TMax, b0.Line)
	}
	b1 := rec.Batches[1]
	if b1.Batch.Group != "mem" || !b1.Batch.Dims.ByName || b1.Batch.Points[0].Tags != nil || !b1.TMax.IsZero() || b1.Line != 4 {
		t.Errorf("batch 1: %+v tmax %v line %d", b1.Batch, b1.TMax, b1.Line)
	}
}

func TestParseBatchRecordingErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"syntax error on line 2", "{\"name\":\"a\",\"points\":[]}\n{\"name\": }\n", "in.brpl:2: invalid batch: invalid character '}' looking for beginning of value"},
		{"truncated", "{\"name\":\"a\",\n\"points\":[", "in.brpl:2: unexpected end of JSON input"},
		{"wrong type", "\n{\"name\":1}", "in.brpl:2: invalid batch: json: cannot unmarshal number into Go struct field brplBatch.name of type string"},
		{"bad time", `{"name":"a","points":[{"time":"yesterday","fields":{"v":1}}]}`, "in.brpl:1: invalid batch: "},
		{"point without time", "\n\n{\"name\":\"a\",\"points\":[{\"fields\":{\"v\":1}}]}", "in.brpl:3: point 1 has no time"},
		{"object field", `{"name":"a","points":[{"time":"2020-01-01T00:00:00Z","fields":{"v":{}}}]}`, `in.brpl:1: point 1: field "v": unsupported value map[]`},
	}
	for _, tt := range tests {
		_, err := ParseBatchRecording([]byte(tt.data), "in.brpl")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want prefix %q", tt.name, err, tt.want)
		}
	}
}

func TestReadBatchRecordingsZip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.brpl")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct{ name, body string }{
		{"1", `{"name":"second","points":[{"fields":{"v":1},"time":"2020-01-01T00:00:00Z"}]}`},
		{"0", `{"name":"first","points":[{"fields":{"v":1},"time":"2020-01-01T00:00:00Z"}]}`},
	} {
		w, _ := zw.Create(e.name)
		w.Write([]byte(e.body))
	}
	zw.Close()
	os.WriteFile(path, buf.Bytes(), 0o644)
	recs, err := ReadBatchRecordings(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Batches[0].Batch.Name != "first" || recs[1].Batches[0].Batch.Name != "second" {
		t.Fatalf("entries not read in index order: %+v", recs)
	}
	if recs[0].Source != path+"[0]" {
		t.Errorf("source = %q", recs[0].Source)
	}
}
