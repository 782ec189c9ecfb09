package runtime

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"
)

// Replay (conformance/FORMAT.md "Replay", spec/io.md §6): recordings are
// fed to the task's sources with their times rebased onto a clock zero
// and cut at a duration, the input is closed, and what the task produced
// is collected into a Result.

// ReplayOptions say what to replay and how.
type ReplayOptions struct {
	// Recordings are .srpl files for a stream task, .brpl files for a
	// batch task, in FORMAT.md's order: batch recording i feeds the
	// (k-1-i)-th of the task's k query nodes (the last query() first).
	Recordings []string
	// Precision is the unit of .srpl timestamps (n, u, ms, s, m, h).
	Precision string
	// ClockZero is where the first record of each recording lands; when
	// zero, times are not rebased.
	ClockZero time.Time
	// Duration bounds the input when Bounded: records later than
	// ClockZero+Duration (for a batch, its last point) end the recording.
	Duration time.Duration
	Bounded  bool
}

// Replay runs the task over the recordings and returns what it produced.
// A task failure is reported in Result.Error; the returned error is for
// input that cannot be replayed (unreadable or malformed recordings,
// recordings that do not fit the task).
func Replay(t *Task, opts ReplayOptions) (*Result, error) {
	var stream *StreamNode
	var queries []*QueryNode
	for _, n := range t.Nodes {
		switch n := n.(type) {
		case *StreamNode:
			stream = n
		case *QueryNode:
			queries = append(queries, n)
		}
	}
	// Read what can be read before the task starts, so that input that
	// does not fit is reported as such.
	var run func() error
	switch {
	case stream != nil:
		recs, err := openStreamRecordings(opts)
		if err != nil {
			return nil, err
		}
		defer func() {
			for _, r := range recs {
				r.Close()
			}
		}()
		run = func() error { return replayStream(t, stream, recs, opts) }
	case len(queries) > 0:
		queues, err := loadBatchRecordings(len(queries), opts)
		if err != nil {
			return nil, err
		}
		run = func() error { return replayBatches(t, queries, queues) }
	case len(opts.Recordings) > 0:
		return nil, errors.New("the task has no stream or query node to replay recordings into")
	}
	// A task that cannot start runs nothing. Once running, a fatal node
	// error stops the input, but the end of input still travels through
	// the graph: Kapacitor closes the edges below a failed node and the
	// nodes above it fail in turn, so buffering nodes (join, union,
	// influxDBOut) still flush.
	if t.Start() != nil {
		return t.Result(), nil
	}
	if run != nil {
		if err := run(); err != nil {
			return nil, err
		}
	}
	t.Fail(closeOtherSources(t))
	return t.Result(), nil
}

// closeOtherSources ends the input of the sources that recordings do not
// feed (stats nodes), so every node sees its end of input.
func closeOtherSources(t *Task) error {
	for _, n := range t.Nodes {
		if n == nil || n.Info().Parents > 0 {
			continue
		}
		switch n.(type) {
		case *StreamNode, *BatchNode, *QueryNode:
			continue
		}
		if err := n.Done(0); err != nil {
			return err
		}
	}
	return nil
}

// rebaser moves times onto the clock zero and applies the duration cut.
type rebaser struct {
	zero     int64
	rebase   bool
	started  bool
	offset   int64
	bounded  bool
	deadline int64
}

func newRebaser(opts ReplayOptions) *rebaser {
	r := &rebaser{rebase: !opts.ClockZero.IsZero(), bounded: opts.Bounded}
	if r.rebase {
		r.zero = opts.ClockZero.UnixNano()
	}
	r.setDeadline(opts.Duration)
	return r
}

func (r *rebaser) setDeadline(d time.Duration) {
	r.deadline = math.MaxInt64
	if r.bounded && r.zero <= math.MaxInt64-int64(d) {
		r.deadline = r.zero + int64(d)
	}
}

// start fixes the offset from the first record's time.
func (r *rebaser) start(first int64, d time.Duration) {
	if r.started {
		return
	}
	r.started = true
	if r.rebase {
		r.offset = r.zero - first
	} else {
		// Not rebased: the duration counts from the first record.
		r.zero = first
		r.setDeadline(d)
	}
}

func (r *rebaser) at(t int64) int64 { return t + r.offset }

// past reports whether a rebased time is beyond the duration.
func (r *rebaser) past(t int64) bool { return r.bounded && t > r.deadline }

func openStreamRecordings(opts ReplayOptions) ([]*StreamRecording, error) {
	var recs []*StreamRecording
	for _, path := range opts.Recordings {
		if isBatchRecording(path) {
			return nil, fmt.Errorf("%s: a batch recording cannot feed a stream task", path)
		}
	}
	for _, path := range opts.Recordings {
		r, err := OpenStreamRecording(path, opts.Precision)
		if err != nil {
			for _, r := range recs {
				r.Close()
			}
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// replayStream feeds the stream recordings one after the other, each
// rebased on its own first point, then closes the stream.
func replayStream(t *Task, stream *StreamNode, recs []*StreamRecording, opts ReplayOptions) error {
	for _, rec := range recs {
		if err := replayStreamRecording(t, stream, rec, opts); err != nil {
			return err
		}
		if t.Err() != nil {
			break
		}
	}
	t.Fail(stream.Done(0))
	return nil
}

// Stream replays read and parse on one goroutine and run the task on
// another: the reader fills chunks of points and hands them over, and
// gets them back, with their memory, once the task is done with them.
const (
	chunkPoints = 1024 // points per chunk
	chunkCount  = 4    // chunks in flight
)

// pointChunk is a run of parsed, rebased points.
type pointChunk struct {
	points []Point
	// fields holds the points' fields when the task lets them be
	// recycled (StreamNode.recyclesFields); otherwise the parser cuts
	// them from fresh memory.
	fields []Field
	// last marks the final chunk: the recording ended (err nil), or
	// failed with err after these points.
	last bool
	err  error
}

func replayStreamRecording(t *Task, stream *StreamNode, rec *StreamRecording, opts ReplayOptions) error {
	free := make(chan *pointChunk, chunkCount)
	full := make(chan *pointChunk, chunkCount)
	for range chunkCount {
		free <- &pointChunk{points: make([]Point, 0, chunkPoints)}
	}
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readChunks(rec, newRebaser(opts), opts.Duration, stream.recyclesFields(), free, full, stop)
	}()
	defer func() {
		close(stop)
		<-readerDone
	}()
	for c := range full {
		for i := range c.points {
			if err := stream.Collect(&c.points[i]); err != nil {
				t.Fail(err)
				return nil
			}
		}
		if c.last {
			return c.err
		}
		free <- c
	}
	return nil
}

// readChunks parses the recording into the chunks it takes from free and
// sends them on full, until the recording ends, fails, or runs past the
// duration, or until stop is closed.
func readChunks(rec *StreamRecording, rb *rebaser, d time.Duration, recycle bool, free <-chan *pointChunk, full chan<- *pointChunk, stop <-chan struct{}) {
	defer close(full)
	for {
		var c *pointChunk
		select {
		case c = <-free:
		case <-stop:
			return
		}
		c.points, c.fields = c.points[:0], c.fields[:0]
		if recycle {
			rec.lp.fieldBuf = &c.fields
		}
		for len(c.points) < cap(c.points) {
			c.points = c.points[:len(c.points)+1]
			p := &c.points[len(c.points)-1]
			err := rec.NextInto(p)
			if err == nil {
				rb.start(p.Time, d)
				p.Time = rb.at(p.Time)
				if !rb.past(p.Time) {
					continue
				}
			}
			c.points = c.points[:len(c.points)-1]
			c.last = true
			if err != io.EOF {
				c.err = err
			}
			break
		}
		rec.lp.fieldBuf = nil
		select {
		case full <- c:
		case <-stop:
			return
		}
		if c.last {
			return
		}
	}
}

func isBatchRecording(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".brpl")
}

// pendingBatch is a rebased batch waiting for delivery.
type pendingBatch struct {
	b       *Batch
	release int64 // rebased time of its last point
}

// loadBatchRecordings reads the batch recordings and returns, for each
// of the k query nodes in script order, its rebased batches.
func loadBatchRecordings(k int, opts ReplayOptions) ([][]pendingBatch, error) {
	var recs []*BatchRecording
	for _, path := range opts.Recordings {
		if strings.EqualFold(filepath.Ext(path), ".srpl") {
			return nil, fmt.Errorf("%s: a stream recording cannot feed a batch task", path)
		}
		rs, err := ReadBatchRecordings(path)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rs...)
	}
	if len(recs) != k {
		return nil, fmt.Errorf("the task has %d query nodes but %d batch recordings were given", k, len(recs))
	}
	// Recording i feeds the (k-1-i)-th query of the script.
	queue := make([][]pendingBatch, k)
	for i, rec := range recs {
		queue[k-1-i] = rebaseBatches(rec, opts)
	}
	return queue, nil
}

// replayBatches feeds each query node its recording. Kapacitor replays
// the recordings concurrently, each on its own goroutine against one
// clock, so only the order within a recording is fixed; here they are
// merged by the rebased time of each batch's last point (the time the
// replay clock releases it), ties going to the query that comes first in
// the script. A query's input is closed when its recording runs out.
func replayBatches(t *Task, queries []*QueryNode, queue [][]pendingBatch) error {
	k := len(queries)
	done := make([]bool, k)
	for {
		next := -1
		for q := range queue {
			if len(queue[q]) == 0 {
				if !done[q] {
					done[q] = true
					t.Fail(queries[q].Done(0))
				}
				continue
			}
			if next < 0 || queue[q][0].release < queue[next][0].release {
				next = q
			}
		}
		if next < 0 {
			return nil
		}
		pb := queue[next][0]
		queue[next] = queue[next][1:]
		if err := queries[next].Collect(pb.b); err != nil {
			// The task failed: no more input, only the end of it.
			t.Fail(err)
			for q := range queue {
				queue[q] = nil
			}
		}
	}
}

// rebaseBatches rebases the batches of one recording on its own first
// point and cuts it at the duration. A batch's tmax becomes its last
// point's rebased time when absent or earlier than that; otherwise the
// recorded tmax is kept as is (Kapacitor's replay does not shift it).
func rebaseBatches(rec *BatchRecording, opts ReplayOptions) []pendingBatch {
	rb := newRebaser(opts)
	out := make([]pendingBatch, 0, len(rec.Batches))
	for _, r := range rec.Batches {
		src := r.Batch
		rb.start(src.Points[0].Time, opts.Duration)
		b := *src
		b.Points = make([]Row, len(src.Points))
		for i, row := range src.Points {
			row.Time = rb.at(row.Time)
			b.Points[i] = row
		}
		last := b.Points[len(b.Points)-1].Time
		if rb.past(last) {
			break
		}
		b.TMax = last
		if !r.TMax.Before(time.Unix(0, last)) {
			b.TMax = clampUnixNano(r.TMax)
		}
		out = append(out, pendingBatch{b: &b, release: last})
	}
	return out
}

// clampUnixNano converts a time to Unix nanoseconds, saturating outside
// the int64 range.
func clampUnixNano(t time.Time) int64 {
	if t.After(time.Unix(0, math.MaxInt64)) {
		return math.MaxInt64
	}
	if t.Before(time.Unix(0, math.MinInt64)) {
		return math.MinInt64
	}
	return t.UnixNano()
}
