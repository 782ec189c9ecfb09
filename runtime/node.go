package runtime

import (
	"fmt"
	"sync/atomic"
)

// Node is a pipeline node. Port says which parent a message came from
// (the parent's index in the node's parent list; 0 for single-parent
// nodes). A returned error is fatal: it stops the task with the error
// `<node name>: <message>`. Errors a node only logs are reported through
// Base.LogError and do not stop anything.
type Node interface {
	Info() *Base
	Point(port int, p *Point) error
	Batch(port int, b *Batch) error
	// Done is called once per parent when that parent's input ends. A node
	// that buffers (join, union) flushes when the last parent is done, then
	// calls Done on its children; others just pass it on (Base.Done).
	Done(port int) error
}

// Reuse of points (the ownership rule). Data handed to a child is
// read-only: a node that changes a point or row copies it first. A node
// may keep what it was handed (the *Point, or a row's Tags and Fields)
// after its Point or Batch call returns, which is why, in general, every
// point is memory of its own. The ingest path reuses memory only where
// it knows nothing keeps it:
//
//   - the points the stream node hands its from() children are borrowed:
//     valid during the call only (from copies what it forwards);
//   - a from node reuses one output point for every point when no node
//     below it can keep a *Point (pointSafe);
//   - a replay recycles the memory behind the parsed points' Fields when
//     no node of the task can keep a Fields slice it was handed
//     (fieldsSafe).
//
// Both questions are answered from the node types whose code is known
// not to keep such memory; any other type is assumed to keep it. A node
// that starts keeping a *Point or a Fields slice must leave these lists
// (or copy what it keeps).

// reuseIngestMemory enables the reuse above; tests turn it off to compare.
var reuseIngestMemory = true

// pointSafe reports whether no node of the tree below n (n included) can
// keep a *Point it receives after its Point call: each is a node that
// keeps no *Point and either forwards the same pointer to children that
// are safe in turn, or only forwards copies of its own.
func pointSafe(n Node) bool {
	switch n.(type) {
	case *EvalNode, *GroupByNode, *StateNode, *WindowNode, *FromNode, *NoopNode:
		// They emit copies (or batches of row values), never the *Point
		// they received.
		return true
	case *AlertNode, *WhereNode, *BarrierNode:
		// They may forward the *Point they received.
		return childrenAll(n, pointSafe)
	}
	return false
}

// fieldsSafe reports whether no node of the tree below n (n included)
// can keep the Fields of a point it receives after its Point call.
func fieldsSafe(n Node) bool {
	switch n.(type) {
	case *NoopNode, *StateNode, *EvalNode:
		// StateNode forwards a copy of the fields with its own added;
		// EvalNode builds new fields (results, kept names copied).
		return true
	case *AlertNode:
		// Without capture, queued alert handlers hold events (and their
		// Fields) until delivered.
		return n.Info().Task.Capture != nil && childrenAll(n, fieldsSafe)
	case *FromNode, *WhereNode:
		// They keep no Fields and may forward them.
		return childrenAll(n, fieldsSafe)
	}
	return false
}

func childrenAll(n Node, ok func(Node) bool) bool {
	for _, e := range n.Info().Edges {
		if !ok(e.Child) {
			return false
		}
	}
	return true
}

// Edge is a link from a parent to a child, counting what crossed it.
type Edge struct {
	Child Node
	Port  int // the parent's index among the child's parents
	// Processed counts the messages sent; only the goroutine running the
	// nodes touches it (a locked add per message and edge cost more than
	// some nodes' work), so others read it through that goroutine.
	Processed int64
}

// Base is embedded by every node: name, children, stats and the task.
type Base struct {
	Task     *Task
	ID       int
	Name     string // Kapacitor's node name, e.g. "window2"
	Edges    []*Edge
	Parents  int  // number of parents linked so far
	parent   Node // the first parent linked (the only one when Parents is 1)
	doneSeen int
	Errors   atomic.Int64
	Quiet    bool
}

// Info returns the node's base.
func (b *Base) Info() *Base { return b }

// Init sets up the base of a new node and registers it with the task.
func (b *Base) Init(t *Task, id int, name string, self Node) {
	b.Task, b.ID, b.Name = t, id, name
	t.register(id, self)
}

// Link makes child a child of parent, after parent's existing children;
// port is parent's index among child's parents (join and union tell their
// parents apart by it).
func Link(parent, child Node, port int) {
	pb, cb := parent.Info(), child.Info()
	pb.Edges = append(pb.Edges, &Edge{Child: child, Port: port})
	if cb.parent == nil {
		cb.parent = parent
	}
	if port >= cb.Parents {
		cb.Parents = port + 1
	}
}

// EmitPoint sends p to every child in creation order.
func (b *Base) EmitPoint(p *Point) error {
	if len(b.Edges) == 1 { // mostly: a chain
		e := b.Edges[0]
		e.Processed++
		return e.Child.Point(e.Port, p)
	}
	for _, e := range b.Edges {
		e.Processed++
		if err := e.Child.Point(e.Port, p); err != nil {
			return err
		}
	}
	return nil
}

// EmitBatch sends bt to every child in creation order.
func (b *Base) EmitBatch(bt *Batch) error {
	for _, e := range b.Edges {
		e.Processed++
		if err := e.Child.Batch(e.Port, bt); err != nil {
			return err
		}
	}
	return nil
}

// Done passes end of input on once every parent is done. Nodes that
// buffer override Done and flush before calling Base.DoneChildren.
func (b *Base) Done(port int) error {
	if !b.AllParentsDone() {
		return nil
	}
	return b.DoneChildren()
}

// AllParentsDone counts one more parent done and reports whether that
// was the last.
func (b *Base) AllParentsDone() bool {
	b.doneSeen++
	return b.doneSeen >= b.Parents
}

// DoneChildren signals end of input to every child.
func (b *Base) DoneChildren() error {
	for _, e := range b.Edges {
		if err := e.Child.Done(e.Port); err != nil {
			return err
		}
	}
	return nil
}

// LogError records an error the node handles by logging it (usually the
// point is then dropped): it counts in the node's errors stat and is
// written to the task's log unless the node is quiet.
func (b *Base) LogError(format string, args ...any) {
	b.Errors.Add(1)
	if !b.Quiet && b.Task != nil {
		b.Task.Logf("E! %s: %s", b.Name, fmt.Sprintf(format, args...))
	}
}

// Fatal wraps err as the task error Kapacitor reports for a node.
func (b *Base) Fatal(err error) error {
	if err == nil {
		return nil
	}
	return &NodeError{Node: b.Name, Err: err}
}

// NodeError is a fatal node error: the task stops with "<node>: <err>".
type NodeError struct {
	Node string
	Err  error
}

func (e *NodeError) Error() string { return e.Node + ": " + e.Err.Error() }
func (e *NodeError) Unwrap() error { return e.Err }
