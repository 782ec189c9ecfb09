package runtime

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func otCaptureTask() *Task {
	t := jtTask()
	t.Capture = NewCapture()
	return t
}

func TestHTTPPostCapture(t *testing.T) {
	pt := jtPoint("cpu", 1, jtTags("host", "a", "cpu", "0"), jtFields("value", 97.5, "n", 3), "host")
	tests := []struct {
		name     string
		cfg      HTTPPostConfig
		wantURL  string
		wantBody string
	}{
		{
			name:     "url: a stream point is one row with all its tags",
			cfg:      HTTPPostConfig{URL: "http://127.0.0.1:9"},
			wantURL:  "http://127.0.0.1:9",
			wantBody: `{"series":[{"name":"cpu","tags":{"cpu":"0","host":"a"},"columns":["time","n","value"],"values":[["1970-01-01T00:00:01Z",3,97.5]]}]}`,
		},
		{
			name:    "url template over name and tags",
			cfg:     HTTPPostConfig{URL: `http://x/{{ .Name }}/?host={{ index .Tags "host" }}&v={{ index (index .Values 0) "value" }}&no={{ index .Tags "nope" }}`},
			wantURL: "http://x/cpu/?host=a&v=97.5&no=",
		},
		{
			name:    "endpoint",
			cfg:     HTTPPostConfig{Endpoint: "test", Headers: [][2]string{{"my", "header"}}},
			wantURL: "endpoint:test",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := otCaptureTask()
			n := NewHTTPPost(task, 2, "http_post2", tt.cfg)
			sink := jtLink(task, n, 1)
			if err := n.InitError(); err != nil {
				t.Fatal(err)
			}
			if err := n.Point(0, pt); err != nil {
				t.Fatal(err)
			}
			posts := task.Capture.posts[2]
			if len(posts) != 1 || posts[0].URL != tt.wantURL {
				t.Fatalf("posts %+v, want one to %s", posts, tt.wantURL)
			}
			if tt.wantBody != "" && string(posts[0].Body) != tt.wantBody {
				t.Fatalf("body\n %s\nwant\n %s", posts[0].Body, tt.wantBody)
			}
			if !json.Valid(posts[0].Body) {
				t.Fatalf("body is not JSON: %s", posts[0].Body)
			}
			if len(sink.points) != 1 || sink.points[0] != pt {
				t.Fatalf("the point was not forwarded unchanged")
			}
		})
	}
}

func TestHTTPPostBatchAndCodeField(t *testing.T) {
	task := otCaptureTask()
	n := NewHTTPPost(task, 2, "http_post2", HTTPPostConfig{URL: "http://h", CodeField: "code"})
	sink := jtLink(task, n, 1)
	b := jtBatch("cpu", 4, jtTags("cpu", "x"),
		Row{Time: 2 * jtSec, Tags: jtTags("cpu", "x", "host", "a"), Fields: jtFields("mean", 1.5)},
		Row{Time: 4 * jtSec, Tags: jtTags("cpu", "x", "host", "b"), Fields: jtFields("mean", 2.0, "extra", 1)},
	)
	if err := n.Batch(0, b); err != nil {
		t.Fatal(err)
	}
	want := `{"series":[{"name":"cpu","tags":{"cpu":"x"},"columns":["time","host","mean"],"values":[["1970-01-01T00:00:02Z","a",1.5],["1970-01-01T00:00:04Z","b",2]]}]}`
	if got := string(task.Capture.posts[2][0].Body); got != want {
		t.Fatalf("body\n %s\nwant\n %s", got, want)
	}
	out := sink.batches[0]
	for _, r := range out.Points {
		if v, _ := r.Fields.Get("code"); v != Int(200) {
			t.Fatalf("code field %v, want int 200", v)
		}
	}
	if _, ok := b.Points[0].Fields.Get("code"); ok {
		t.Fatal("the parent's batch was changed")
	}
}

func TestHTTPPostNaNIsNotPosted(t *testing.T) {
	task := otCaptureTask()
	n := NewHTTPPost(task, 2, "http_post2", HTTPPostConfig{URL: "http://h", CodeField: "code"})
	sink := jtLink(task, n, 1)
	if err := n.Point(0, jtPoint("m", 0, nil, jtFields("v", nan()))); err != nil {
		t.Fatal(err)
	}
	if len(task.Capture.posts[2]) != 0 {
		t.Fatal("a row that cannot be encoded was posted")
	}
	if v, _ := sink.points[0].Fields.Get("code"); v != Int(0) {
		t.Fatalf("code %v, want 0", v)
	}
	if n.Errors.Load() != 1 {
		t.Fatalf("errors %d", n.Errors.Load())
	}
}

func nan() float64 { var z float64; return z / z }

func TestHTTPPostReal(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.URL.Path+" "+r.Header.Get("Content-Type")+" "+r.Header.Get("X-My")+" "+string(b))
		mu.Unlock()
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	task := jtTask()
	n := NewHTTPPost(task, 2, "http_post2", HTTPPostConfig{URL: srv.URL + "/{{.Name}}", CodeField: "code", Headers: [][2]string{{"X-My", "h"}}, Timeout: time.Second})
	sink := jtLink(task, n, 1)
	if err := n.Point(0, jtPoint("m", 0, nil, jtFields("v", 1.0))); err != nil {
		t.Fatal(err)
	}
	want := "/m application/json h " + `{"series":[{"name":"m","columns":["time","v"],"values":[["1970-01-01T00:00:00Z",1]]}]}` + "\n"
	if len(got) != 1 || got[0] != want {
		t.Fatalf("server got %q, want %q", got, want)
	}
	if v, _ := sink.points[0].Fields.Get("code"); v != Int(http.StatusTeapot) {
		t.Fatalf("code %v", v)
	}
}

func TestHTTPPostUnknownEndpointOutsideCapture(t *testing.T) {
	n := NewHTTPPost(jtTask(), 2, "http_post2", HTTPPostConfig{Endpoint: "nope"})
	if err := n.InitError(); err == nil || err.Error() != "http_post2: endpoint 'nope' does not exist" {
		t.Fatalf("InitError = %v", err)
	}
}

func TestInfluxDBOutCapture(t *testing.T) {
	ms := int64(time.Millisecond)
	tests := []struct {
		name  string
		cfg   InfluxDBOutConfig
		point *Point
		batch *Batch
		want  []CapturedWrite
	}{
		{
			name:  "stream: node settings, time truncated to the precision, node tags override",
			cfg:   InfluxDBOutConfig{Database: "db2", RetentionPolicy: "rp2", Measurement: "m", Precision: "s", Tags: jtTags("host", "fixed", "key", "value")},
			point: &Point{Row: Row{Time: 10*jtSec + 999*ms, Tags: jtTags("host", "a", "empty", ""), Fields: jtFields("count", 10, "f", 1.5, "s", "x", "b", true)}, Name: "cpu", Database: "db", RP: "rp"},
			want: []CapturedWrite{{Database: "db2", RetentionPolicy: "rp2", Measurement: "m",
				Tags:   map[string]string{"host": "fixed", "key": "value"},
				Fields: map[string]any{"count": int64(10), "f": 1.5, "s": "x", "b": true},
				Time:   "1970-01-01T00:00:10Z", SortTime: 10 * jtSec}},
		},
		{
			name:  "stream: the point's db, rp and name when the node sets none; ms precision",
			cfg:   InfluxDBOutConfig{Precision: "ms"},
			point: &Point{Row: Row{Time: 10*jtSec + 999999, Tags: jtTags("host", "a"), Fields: jtFields("v", 1.0)}, Name: "cpu", Database: "db", RP: "rp"},
			want: []CapturedWrite{{Database: "db", RetentionPolicy: "rp", Measurement: "cpu",
				Tags: map[string]string{"host": "a"}, Fields: map[string]any{"v": 1.0},
				Time: "1970-01-01T00:00:10Z", SortTime: 10 * jtSec}},
		},
		{
			name: "batch: every point, no db/rp fallback, nanoseconds by default; a null field makes the point invalid",
			cfg:  InfluxDBOutConfig{},
			batch: jtBatch("cpu", 2, jtTags("cpu", "x"),
				Row{Time: jtSec + 5, Tags: jtTags("cpu", "x", "host", "a"), Fields: jtFields("v", 1.0)},
				Row{Time: 2 * jtSec, Tags: jtTags("cpu", "x"), Fields: jtFields("v", nil)},
			),
			want: []CapturedWrite{{Measurement: "cpu",
				Tags: map[string]string{"cpu": "x", "host": "a"}, Fields: map[string]any{"v": 1.0},
				Time: "1970-01-01T00:00:01.000000005Z", SortTime: jtSec + 5}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := otCaptureTask()
			n := NewInfluxDBOut(task, 4, "influxdb_out4", tt.cfg)
			jtLink(task, n, 1)
			if err := n.InitError(); err != nil {
				t.Fatal(err)
			}
			var err error
			if tt.point != nil {
				err = n.Point(0, tt.point)
			} else {
				err = n.Batch(0, tt.batch)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := n.Done(0); err != nil {
				t.Fatal(err)
			}
			if got := task.Capture.influxWrite; !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("writes\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

func TestInfluxDBOutNeedsAClusterOutsideCapture(t *testing.T) {
	n := NewInfluxDBOut(jtTask(), 4, "influxdb_out4", InfluxDBOutConfig{})
	if err := n.InitError(); err == nil || !strings.Contains(err.Error(), "no InfluxDB cluster configured") {
		t.Fatalf("InitError = %v", err)
	}
}

func TestInfluxDBOutWrites(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.URL.Path+"?"+r.URL.RawQuery+"\n"+string(b))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	InfluxDBClusters["test-cluster"] = InfluxDBCluster{URL: srv.URL}
	defer delete(InfluxDBClusters, "test-cluster")

	task := jtTask()
	n := NewInfluxDBOut(task, 4, "influxdb_out4", InfluxDBOutConfig{Cluster: "test-cluster", Database: "db", Precision: "s", Buffer: 2, FlushInterval: time.Hour})
	jtLink(task, n, 1)
	for i := 0; i < 3; i++ {
		p := jtPoint("cpu load", float64(i), jtTags("host", "a,b"), jtFields("v", float64(i)+0.5, "n", i, "s", `q"`))
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Done(0); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/write?db=db&precision=s&rp=rp\n" +
			`cpu\ load,host=a\,b n=0i,s="q\"",v=0.5 0` + "\n" +
			`cpu\ load,host=a\,b n=1i,s="q\"",v=1.5 1` + "\n",
		"/write?db=db&precision=s&rp=rp\n" +
			`cpu\ load,host=a\,b n=2i,s="q\"",v=2.5 2` + "\n",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("requests\n%q\nwant\n%q", got, want)
	}
}

func TestKapacitorLoopback(t *testing.T) {
	task := jtTask()
	n := NewKapacitorLoopback(task, 2, "kapacitor_loopback2", KapacitorLoopbackConfig{Database: "db", RetentionPolicy: "rp"})
	if err := n.InitError(); err == nil || err.Error() != `kapacitor_loopback2: loop detected on dbrp: "db"."rp"` {
		t.Fatalf("InitError = %v", err)
	}

	var got []*Point
	LoopbackWrite = func(p *Point) error { got = append(got, p); return nil }
	defer func() { LoopbackWrite = nil }()
	n = NewKapacitorLoopback(task, 2, "kapacitor_loopback2", KapacitorLoopbackConfig{Database: "other", RetentionPolicy: "rp", Measurement: "m2", Tags: jtTags("k", "v")})
	jtLink(task, n, 1)
	if err := n.Point(0, jtPoint("m", 1, jtTags("host", "a"), jtFields("v", 1.0))); err != nil {
		t.Fatal(err)
	}
	if err := n.Batch(0, jtBatch("b", 1, nil, Row{Time: jtSec, Tags: jtTags("host", "c"), Fields: jtFields("v", 2.0)})); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("looped %d points", len(got))
	}
	if p := got[0]; p.Name != "m2" || p.Database != "other" || p.RP != "rp" || jtShow(p.Name, p.Row) != "1 m2{host=a,k=v} v=1" {
		t.Fatalf("stream point %+v", p)
	}
	// Batches keep their name: the measurement override does not apply.
	if p := got[1]; p.Name != "b" || p.Database != "other" || jtShow(p.Name, p.Row) != "1 b{host=c,k=v} v=2" {
		t.Fatalf("batch point %+v", p)
	}

	// In capture mode nothing is looped back.
	got = nil
	ct := otCaptureTask()
	n = NewKapacitorLoopback(ct, 2, "kapacitor_loopback2", KapacitorLoopbackConfig{Database: "other", RetentionPolicy: "rp"})
	jtLink(ct, n, 1)
	if err := n.Point(0, jtPoint("m", 1, nil, jtFields("v", 1.0))); err != nil || len(got) != 0 {
		t.Fatalf("capture mode looped back %d points (err %v)", len(got), err)
	}
}
