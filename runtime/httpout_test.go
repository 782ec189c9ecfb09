package runtime

import (
	"math"
	"testing"
	"time"
)

func sec(s int64) int64 { return time.Unix(s, 0).UnixNano() }

func TestHTTPOutBody(t *testing.T) {
	hostA := Tags{{"host", "a"}}
	tests := []struct {
		name string
		feed func(n *HTTPOutNode)
		want string
	}{
		{"nothing yet", func(*HTTPOutNode) {}, `{"series":null}`},
		{"stream: all tags, sorted fields, last point per group in first-seen order", func(n *HTTPOutNode) {
			n.Point(0, &Point{Name: "cpu", Group: "host=b", Row: Row{Time: sec(1), Tags: Tags{{"dc", "x"}, {"host", "b"}}, Fields: Fields{{"a", Int(1)}, {"b", Float(2.5)}}}})
			n.Point(0, &Point{Name: "cpu", Group: "host=a", Row: Row{Time: sec(2), Tags: hostA, Fields: Fields{{"v", String("s")}}}})
			n.Point(0, &Point{Name: "cpu", Group: "host=b", Row: Row{Time: sec(3) + 250e6, Tags: Tags{{"host", "b"}}, Fields: Fields{{"ok", Bool(true)}, {"v", Float(1e21)}}}})
		}, `{"series":[` +
			`{"name":"cpu","tags":{"host":"b"},"columns":["time","ok","v"],"values":[["1970-01-01T00:00:03.25Z",true,1e+21]]},` +
			`{"name":"cpu","tags":{"host":"a"},"columns":["time","v"],"values":[["1970-01-01T00:00:02Z","s"]]}]}`},
		{"stream: no name, no tags", func(n *HTTPOutNode) {
			n.Point(0, &Point{Row: Row{Time: 0, Fields: Fields{{"v", Float(0.1)}}}})
		}, `{"series":[{"columns":["time","v"],"values":[["1970-01-01T00:00:00Z",0.1]]}]}`},
		{"batch: group tags; columns from the first point's fields and non-group tags; null where absent", func(n *HTTPOutNode) {
			n.Batch(0, &Batch{Name: "cpu", Group: "host=a", Tags: hostA, Dims: Dimensions{TagNames: []string{"host"}}, Points: []Row{
				{Time: sec(10), Tags: Tags{{"cpu", "cpu0"}, {"host", "a"}}, Fields: Fields{{"mean", Float(10)}}},
				{Time: sec(20), Tags: Tags{{"host", "a"}}, Fields: Fields{{"extra", Int(1)}, {"mean", Float(20)}}},
			}})
		}, `{"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","cpu","mean"],"values":[["1970-01-01T00:00:10Z","cpu0",10],["1970-01-01T00:00:20Z",null,20]]}]}`},
		{"empty batch: name and tags only", func(n *HTTPOutNode) {
			n.Batch(0, &Batch{Name: "m", Group: "host=a", Tags: hostA})
		}, `{"series":[{"name":"m","tags":{"host":"a"}}]}`},
		{"a later batch replaces its group's rows", func(n *HTTPOutNode) {
			n.Batch(0, &Batch{Name: "m", Points: []Row{{Time: sec(1), Fields: Fields{{"v", Float(1)}}}, {Time: sec(2), Fields: Fields{{"v", Float(2)}}}}})
			n.Batch(0, &Batch{Name: "m", Points: []Row{{Time: sec(3), Fields: Fields{{"v", Float(3)}}}}})
		}, `{"series":[{"name":"m","columns":["time","v"],"values":[["1970-01-01T00:00:03Z",3]]}]}`},
		{"NaN cannot be encoded", func(n *HTTPOutNode) {
			n.Point(0, &Point{Name: "m", Row: Row{Fields: Fields{{"v", Float(math.NaN())}}}})
		}, `{"error":"json: unsupported value: NaN or Inf"}`},
	}
	for _, tt := range tests {
		task := NewTask("t", "stream", nil)
		n := NewHTTPOut(task, 1, "http_out1", HTTPOutConfig{Endpoint: "out"})
		tt.feed(n)
		if got := string(n.Body()); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestHTTPOutForwards(t *testing.T) {
	task := NewTask("t", "stream", nil)
	n := NewHTTPOut(task, 1, "http_out1", HTTPOutConfig{Endpoint: "out"})
	c := newCollector(task, 2)
	Link(n, c, 0)
	p := &Point{Name: "m"}
	b := &Batch{Name: "m"}
	n.Point(0, p)
	n.Batch(0, b)
	n.Done(0)
	if len(c.points) != 1 || c.points[0] != p || len(c.batches) != 1 || c.batches[0] != b || c.done != 1 {
		t.Errorf("child got %d points, %d batches, done %d", len(c.points), len(c.batches), c.done)
	}
}

func TestNoopPassesNothing(t *testing.T) {
	task := NewTask("t", "stream", nil)
	n := NewNoop(task, 1, "noop1", NoopConfig{})
	c := newCollector(task, 2)
	Link(n, c, 0)
	n.Point(0, &Point{})
	n.Batch(0, &Batch{})
	if len(c.points)+len(c.batches) != 0 {
		t.Errorf("noop passed data on")
	}
}

// httpOut copies the points it keeps, fields included: a parent may reuse
// the point and its fields once the call returns (as an InfluxQL node
// lending its one result point does), and the body still shows what
// each group last received. Group numbers (stale ones too) find the
// right group.
func TestHTTPOutKeepsCopies(t *testing.T) {
	task := NewTask("t", "stream", nil)
	n := NewHTTPOut(task, 1, "http_out1", HTTPOutConfig{Endpoint: "out"})
	if !lendablePoint(n) || !lendableFields(n) {
		t.Fatal("httpOut without children should borrow points and fields")
	}
	fields := Fields{{"v", Float(0)}}
	p := &Point{Name: "m", Row: Row{Fields: fields}}
	feed := func(group GroupID, num uint32, s int64, v float64) {
		fields[0].Value = Float(v)
		p.Time, p.Group, p.GroupNum, p.Tags = sec(s), group, num, Tags{{"g", string(group)}}
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
		fields[0].Value, p.Time = Float(-1), 0 // the parent reuses both
	}
	feed("a", 1, 1, 1)
	feed("b", 2, 2, 2)
	feed("a", 1, 3, 3)
	feed("c", 2, 4, 4) // a stale number: another group's
	feed("b", 2, 5, 5)
	want := `{"series":[` +
		`{"name":"m","tags":{"g":"a"},"columns":["time","v"],"values":[["1970-01-01T00:00:03Z",3]]},` +
		`{"name":"m","tags":{"g":"b"},"columns":["time","v"],"values":[["1970-01-01T00:00:05Z",5]]},` +
		`{"name":"m","tags":{"g":"c"},"columns":["time","v"],"values":[["1970-01-01T00:00:04Z",4]]}]}`
	if got := string(n.Body()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// A child that keeps points makes httpOut keep its parents' too.
	Link(n, newCollector(task, 2), 0)
	if lendablePoint(n) {
		t.Error("httpOut lends to a child that keeps points")
	}
}
