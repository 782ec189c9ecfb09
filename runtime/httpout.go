package runtime

import (
	"sync"
	"time"
)

// httpOut, noop and stats (nodes.md §8.1, §10).

// ---- httpOut ------------------------------------------------------------

// HTTPOutConfig configures an httpOut node.
type HTTPOutConfig struct {
	Endpoint string
	Quiet    bool
}

// HTTPOutNode keeps the latest point or batch of each group and serves
// them as one JSON result (spec/io.md §3); it forwards everything to its
// children.
type HTTPOutNode struct {
	Base
	cfg HTTPOutConfig

	mu    sync.RWMutex
	index map[GroupID]*httpOutEntry
	byNum groupNumIndex[httpOutEntry]
	// latest holds, per group in order of first appearance, the last
	// point or batch the group received (one of the two is set).
	latest []*httpOutEntry
}

// httpOutEntry is a group's latest data. A point is copied, fields
// included (into the entry's own buffer), so that parents may reuse the
// points and fields they hand the node (borrowsPoints, borrowsFields).
type httpOutEntry struct {
	point    Point
	hasPoint bool
	batch    *Batch
}

// NewHTTPOut returns an httpOut node.
func NewHTTPOut(t *Task, id int, name string, cfg HTTPOutConfig) *HTTPOutNode {
	n := &HTTPOutNode{cfg: cfg, index: map[GroupID]*httpOutEntry{}}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// Endpoint is the name under the task's URL the node serves.
func (n *HTTPOutNode) Endpoint() string { return n.cfg.Endpoint }

// entry returns the entry of group g; n.mu is held.
func (n *HTTPOutNode) entry(g GroupID) *httpOutEntry {
	e, ok := n.index[g]
	if !ok {
		e = new(httpOutEntry)
		n.index[g] = e
		n.latest = append(n.latest, e)
	}
	return e
}

// Point records p as its group's latest row and forwards it.
func (n *HTTPOutNode) Point(_ int, p *Point) error {
	n.mu.Lock()
	e := n.byNum.get(p)
	if e == nil {
		e = n.entry(p.Group)
		n.byNum.set(p, e)
	}
	fields := append(e.point.Fields[:0], p.Fields...)
	e.point, e.hasPoint, e.batch = *p, true, nil
	e.point.Fields = fields
	n.mu.Unlock()
	return n.EmitPoint(p)
}

// Batch records b as its group's latest rows and forwards it.
func (n *HTTPOutNode) Batch(_ int, b *Batch) error {
	n.mu.Lock()
	e := n.entry(b.Group)
	e.batch, e.hasPoint = b, false
	n.mu.Unlock()
	return n.EmitBatch(b)
}

// The node copies the points it keeps and passes them on.
func (n *HTTPOutNode) borrowsPoints() bool { return childrenBorrowPoints(&n.Base) }
func (n *HTTPOutNode) borrowsFields() bool { return childrenAll(n, lendableFields) }

// Body returns the JSON the endpoint serves: {"series":[…]} with one row
// per group, {"series":null} before any data. A NaN or infinite float
// cannot be encoded: the body is then Kapacitor's error object.
func (n *HTTPOutNode) Body() []byte {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if len(n.latest) == 0 {
		return []byte(`{"series":null}`)
	}
	b := []byte(`{"series":[`)
	var err error
	for i, e := range n.latest {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case e.hasPoint:
			b, err = appendPointRow(b, &e.point)
		case e.batch != nil:
			b, err = appendBatchRow(b, e.batch)
		default:
			b = append(b, "null"...)
		}
		if err != nil {
			return append(append([]byte(`{"error":`), appendJSONString(nil, err.Error())...), '}')
		}
	}
	return append(b, "]}"...)
}

// ---- noop ---------------------------------------------------------------

// NoopConfig configures a noop node.
type NoopConfig struct {
	Quiet bool
}

// NoopNode is the hidden child Kapacitor gives a childless node watched
// by stats(); it passes nothing on.
type NoopNode struct {
	Base
}

// NewNoop returns a noop node.
func NewNoop(t *Task, id int, name string, cfg NoopConfig) *NoopNode {
	n := &NoopNode{}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *NoopNode) Point(int, *Point) error { return nil }
func (n *NoopNode) Batch(int, *Batch) error { return nil }

// ---- stats --------------------------------------------------------------

// StatsConfig configures a stats node.
type StatsConfig struct {
	// Observed is the ID of the node whose emitted counts are reported.
	Observed int
	Interval time.Duration
	Align    bool
	Quiet    bool
}

// StatsNode is a source that, every Interval of wall-clock time, emits
// the observed node's per-group emitted counts. Replays are not timed by
// the wall clock, so in a replay it emits nothing; it only passes the end
// of input on.
type StatsNode struct {
	Base
	cfg StatsConfig
}

// NewStats returns a stats node.
func NewStats(t *Task, id int, name string, cfg StatsConfig) *StatsNode {
	n := &StatsNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// Point and Batch cannot happen: stats is a source.
func (n *StatsNode) Point(int, *Point) error { return nil }
func (n *StatsNode) Batch(int, *Batch) error { return nil }

// InitError is Kapacitor's task-start check of the interval.
func (n *StatsNode) InitError() error {
	if n.cfg.Interval <= 0 {
		return n.Fatal(errStatsInterval)
	}
	return nil
}

var errStatsInterval = errorString("stats node must have positive interval")

type errorString string

func (e errorString) Error() string { return string(e) }
