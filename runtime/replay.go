package runtime

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// Stream replays parse beside the task: a splitter cuts the recording
// into blocks of whole records, background parsers (see parserCount) turn
// blocks into chunks of points, and the task, on the calling goroutine,
// takes the chunks in recording order and hands them back, with their
// memory, when done with them. When the next chunk is one no parser has
// started, the task parses it itself: the work goes to whichever side is
// idle, so a cheap task lends its core to parsing and a costly one is not
// slowed by parsers competing for the cores. Parsers share one key
// cache, so points of a series share their Tags whoever read them.
const (
	blockSize        = 128 << 10 // bytes of recording per chunk
	chunksPerParser  = 3         // chunks in flight per parsing goroutine
	maxParsers       = 4
	recordLines      = 3 // database, retention policy, line protocol
	minChunkCapacity = 256
)

// pointChunk is one block of a recording and its parsed points.
type pointChunk struct {
	raw       []byte // the block: whole records
	firstLine int    // lines of the recording before the block
	readErr   error  // reading failed after the block
	points    []Point
	// fields holds the points' fields when the task lets them be
	// recycled (StreamNode.recyclesFields); otherwise the parser cuts
	// them from fresh memory.
	fields []Field
	// last marks the final chunk: the recording ended (err nil), or
	// failed with err after these points.
	last bool
	err  error

	// state says who parses the chunk's current block: 2·gen while
	// nobody has claimed it, 2·gen+1 once somebody has, gen counting
	// the blocks the chunk has carried. A claim is a compare-and-swap,
	// so a parser holding a stale turn of a recycled chunk claims nothing.
	state atomic.Uint64
	// parsed receives once when a background parser has parsed a block
	// it claimed.
	parsed chan struct{}
}

// claim reports whether the caller is the one to parse turn gen.
func (c *pointChunk) claim(gen uint64) bool { return c.state.CompareAndSwap(2*gen, 2*gen+1) }

// chunkTurn is a chunk offered to the background parsers: its gen-th block.
type chunkTurn struct {
	c   *pointChunk
	gen uint64
}

// parserCount is the number of background parsers a stream replay runs
// beside the task (which parses too when it runs ahead): one fewer than
// the cores, at least one, up to maxParsers. The environment variable
// TICKC_PARSERS sets the number.
func parserCount() int {
	if v, err := strconv.Atoi(os.Getenv("TICKC_PARSERS")); err == nil && v > 0 {
		return min(v, maxParsers)
	}
	return min(max(goruntime.GOMAXPROCS(0)-1, 1), maxParsers)
}

func replayStreamRecording(t *Task, stream *StreamNode, rec *StreamRecording, opts ReplayOptions) error {
	n := parserCount()
	pool := chunksPerParser * (n + 1)
	free := make(chan *pointChunk, pool)
	order := make(chan chunkTurn, pool) // to the task, in recording order
	ready := make(chan chunkTurn, pool) // to the background parsers
	for range pool {
		free <- &pointChunk{parsed: make(chan struct{}, 1)}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1 + n)
	go func() {
		defer wg.Done()
		splitBlocks(rec.in, free, order, ready, stop)
	}()
	shared := &seriesCache{}
	recycle := stream.recyclesFields()
	projection, deferOthers := stream.fieldProjection()
	verdicts := stream.verdictFrom()
	newReader := func() *recordReader {
		rr := &recordReader{name: rec.name, lp: NewLineParser(rec.precision)}
		rr.lp.shared = shared
		rr.lp.SetFieldProjection(projection)
		rr.lp.DeferLeftOut(deferOthers) // the block stays until its points are handled
		if verdicts != nil {
			rr.lp.SetVerdictRefs(verdicts.cfg.WhereRefs)
		}
		return rr
	}
	for range n {
		go func() {
			defer wg.Done()
			parseBlocks(newReader(), recycle, ready, stop)
		}()
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()

	// A chunk's points are read no more once handed on.
	stream.handOverPoints()
	own := newReader() // for the blocks the task parses itself
	rb := newRebaser(opts)
	var ahead []chunkTurn // turns taken from order, not yet replayed
	for {
		if len(ahead) == 0 {
			ahead = append(ahead, <-order) // every block is delivered until the last one
		}
		c := ahead[0].c
		if c.claim(ahead[0].gen) {
			parseChunk(own, c, recycle)
		} else if !chunkParsed(c) {
			// A parser is on it: parse a later block meanwhile, if one
			// is free, else wait.
			if parseAhead(own, recycle, &ahead, order) {
				continue
			}
			<-c.parsed
		}
		ahead = ahead[1:]
		for i := range c.points {
			p := &c.points[i]
			rb.start(p.Time, opts.Duration)
			p.Time = rb.at(p.Time)
			if rb.past(p.Time) {
				return nil
			}
			if err := stream.Collect(p); err != nil {
				t.Fail(err)
				return nil
			}
		}
		if c.last {
			return c.err
		}
		free <- c
	}
}

// chunkParsed reports whether the parser that claimed c is done with it
// (consuming the signal).
func chunkParsed(c *pointChunk) bool {
	select {
	case <-c.parsed:
		return true
	default:
		return false
	}
}

// parseAhead parses the first block after ahead[0] that nobody has
// claimed, taking turns from order as far as they are there; it reports
// whether it found one.
func parseAhead(rr *recordReader, recycle bool, ahead *[]chunkTurn, order <-chan chunkTurn) bool {
	for k := 1; ; k++ {
		if k == len(*ahead) {
			select {
			case turn := <-order:
				*ahead = append(*ahead, turn)
			default:
				return false
			}
		}
		if turn := (*ahead)[k]; turn.c.claim(turn.gen) {
			parseChunk(rr, turn.c, recycle)
			// Marked as parsed like a background parser's block.
			turn.c.parsed <- struct{}{}
			return true
		}
	}
}

// splitBlocks reads the recording into the chunks it takes from free and
// offers them, each holding the whole records of about blockSize bytes,
// to the task (order) and to the background parsers (ready).
func splitBlocks(in io.Reader, free chan *pointChunk, order, ready chan<- chunkTurn, stop <-chan struct{}) {
	var carry []byte // the start of a record the previous block cut off
	var eof bool
	var readErr error
	line := 0
	for {
		var c *pointChunk
		select {
		case c = <-free:
		case <-stop:
			return
		}
		c.raw = append(c.raw[:0], carry...)
		c.firstLine, c.readErr, c.last, c.err = line, nil, false, nil
		cut, lines := 0, 0
		for {
			if !eof && len(c.raw) >= blockSize {
				if cut, lines = recordCut(c.raw, line); cut >= 0 {
					break
				}
			}
			if eof {
				cut = len(c.raw)
				if readErr != nil {
					// The partial line before a read error is not a line.
					cut = bytes.LastIndexByte(c.raw, '\n') + 1
				}
				c.last, c.readErr = true, readErr
				break
			}
			if cap(c.raw)-len(c.raw) < blockSize/2 {
				c.raw = slices.Grow(c.raw, max(blockSize, len(c.raw)))
			}
			m, err := in.Read(c.raw[len(c.raw):cap(c.raw)])
			c.raw = c.raw[:len(c.raw)+m]
			if err != nil {
				eof = true
				if err != io.EOF {
					readErr = err
				}
			}
		}
		carry = append(carry[:0], c.raw[cut:]...)
		c.raw = c.raw[:cut]
		line += lines
		// A new turn: the chunk is unclaimed again. The order channel
		// holds the whole pool, so that send does not wait; ready may
		// still hold stale turns the parsers have not read yet.
		gen := c.state.Load()/2 + 1
		c.state.Store(2 * gen)
		last := c.last
		order <- chunkTurn{c, gen}
		if last {
			return // the task parses the last block itself
		}
		select {
		case ready <- chunkTurn{c, gen}:
		case <-stop:
			return
		}
	}
}

// recordCut returns where the last whole record of raw ends (after its
// line break) and how many lines come before that, given the number of
// lines before raw; -1 when raw holds no whole record.
func recordCut(raw []byte, linesBefore int) (cut, lines int) {
	count := bytes.Count(raw, []byte{'\n'})
	lines = count - (linesBefore+count)%recordLines
	if lines <= 0 {
		return -1, 0
	}
	pos := len(raw)
	for range count - lines + 1 {
		pos = bytes.LastIndexByte(raw[:pos], '\n')
	}
	return pos + 1, lines
}

// parseBlocks parses the blocks offered on ready that nobody has claimed
// yet, until stop is closed.
func parseBlocks(rr *recordReader, recycle bool, ready <-chan chunkTurn, stop <-chan struct{}) {
	for {
		var turn chunkTurn
		select {
		case turn = <-ready:
		case <-stop:
			return
		}
		if !turn.c.claim(turn.gen) {
			continue // the task took it
		}
		parseChunk(rr, turn.c, recycle)
		turn.c.parsed <- struct{}{}
	}
}

// parseChunk parses the records of c.raw into c.points; a bad record
// ends the chunk, and the recording, with its error.
func parseChunk(rr *recordReader, c *pointChunk, recycle bool) {
	// The block's end is the recording's end, or where reading failed.
	rr.lines = lineReader{buf: c.raw, end: len(c.raw), err: io.EOF}
	if c.readErr != nil {
		rr.lines.err = c.readErr
	}
	rr.line = c.firstLine
	c.points, c.fields = c.points[:0], c.fields[:0]
	rr.lp.fieldBuf = nil
	if recycle {
		rr.lp.fieldBuf = &c.fields
	}
	for {
		if len(c.points) == cap(c.points) {
			c.points = slices.Grow(c.points, max(minChunkCapacity, cap(c.points)))
		}
		c.points = c.points[:len(c.points)+1]
		err := rr.next(&c.points[len(c.points)-1])
		if err == nil {
			continue
		}
		c.points = c.points[:len(c.points)-1]
		if err != io.EOF {
			c.err, c.last = err, true
		}
		break
	}
	rr.lp.fieldBuf = nil
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
