package runtime

// Benchmarks of what an alert event costs on its way out: building and
// capturing it (replay --capture), handing it to a log handler, and
// writing the captured events into result.json.

import (
	"io"
	"testing"
)

// flippingPoints returns the threshold workload's series with values
// that change every series' level at each of its points, so every point
// is an event.
func flippingPoints() []*Point { return alertSeries(250) }

func flip(p *Point, i, series int) {
	p.Time = int64(i/series) * 1e9
	p.Fields[0].Value.F = 90
	if (i/series)%2 == 0 {
		p.Fields[0].Value.F = 13.44588757745801
	}
}

// BenchmarkAlertEventCapture: one event per op, built and captured as in
// the threshold replay.
func BenchmarkAlertEventCapture(b *testing.B) {
	pts := flippingPoints()
	n := thresholdNode()
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for i := 0; i < b.N; i++ {
		if i%20000 == 0 {
			// Bound the memory the captured events hold.
			n.Task.Capture = NewCapture()
		}
		p := pts[i%len(pts)]
		flip(p, i, len(pts))
		if err := n.Point(0, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAlertEventLogHandler: one event per op, sent to
// `.log('/dev/null')` outside capture mode (CPU of the handler's
// goroutine included in cpu-ns/op).
func BenchmarkAlertEventLogHandler(b *testing.B) {
	pts := flippingPoints()
	n := thresholdNode()
	n.Task.Capture = nil
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for i := 0; i < b.N; i++ {
		if i%1000 == 999 {
			// Wait for the queue to drain: a full queue drops events.
			for _, h := range n.handlers {
				h.close()
			}
		}
		p := pts[i%len(pts)]
		flip(p, i, len(pts))
		if err := n.Point(0, p); err != nil {
			b.Fatal(err)
		}
	}
	for _, h := range n.handlers {
		h.close()
	}
}

// BenchmarkResultWriteJSONCaptured writes 10,000 events captured by the
// threshold alert node.
func BenchmarkResultWriteJSONCaptured(b *testing.B) {
	pts := flippingPoints()
	n := thresholdNode()
	for i := 0; i < 10000; i++ {
		p := pts[i%len(pts)]
		flip(p, i, len(pts))
		if err := n.Point(0, p); err != nil {
			b.Fatal(err)
		}
	}
	r := n.Task.Result()
	cw := &countingWriter{}
	if err := r.WriteJSON(cw); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ResetTimer()
	for b.Loop() {
		if err := r.WriteJSON(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
