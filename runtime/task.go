package runtime

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// Server identity that templates can see (alert details). Replays use
// these fixed values (FORMAT.md).
type ServerInfo struct {
	Hostname  string
	ClusterID string
	ServerID  string
}

// ReplayServerInfo is the fixed identity of a replay.
var ReplayServerInfo = ServerInfo{
	Hostname:  "localhost",
	ClusterID: "00000000-0000-0000-0000-000000000001",
	ServerID:  "00000000-0000-0000-0000-000000000002",
}

// Task is one running task: its nodes, its identity and where its
// outputs go.
type Task struct {
	ID     string // task name, e.g. "cpu_alert"
	Server ServerInfo
	// Type is "stream" or "batch".
	Type  string
	Dbrps []DBRP
	// Nodes by ID; IDs are Kapacitor's (the source is 0). Implicit nodes
	// Kapacitor creates but tickc does not need may leave holes (nil).
	Nodes []Node
	// Capture, when set, records what outputs and alert handlers would
	// send instead of sending it (replay --capture).
	Capture *Capture
	// Log receives log lines; os.Stderr by default.
	Log io.Writer

	logMu sync.Mutex

	errMu sync.Mutex
	err   error // the first fatal error

	// groupNumbers numbers group IDs (see groupNumber); groupIDs are the
	// IDs by number.
	groupNumbers map[GroupID]uint32
	groupIDs     []GroupID
}

// maxGroupNumbers bounds the group numbers; later groups get none
// (a variable for tests).
var maxGroupNumbers = 1 << 22

// groupNumber returns the number of group id, 1, 2, … in the order the
// task's grouping nodes first hand them out, or 0 past maxGroupNumbers:
// nodes keep per-group state in slices indexed by it (Point.GroupNum).
// Only the goroutine running the nodes calls it.
func (t *Task) groupNumber(id GroupID) uint32 {
	if n, ok := t.groupNumbers[id]; ok {
		return n
	}
	if len(t.groupNumbers) >= maxGroupNumbers {
		return 0
	}
	if t.groupNumbers == nil {
		t.groupNumbers = make(map[GroupID]uint32)
		t.groupIDs = []GroupID{""} // no group 0
	}
	n := uint32(len(t.groupIDs))
	t.groupNumbers[id] = n
	t.groupIDs = append(t.groupIDs, id)
	return n
}

// sharedGroup returns the task's copy of group id and its number (0 and
// id itself past maxGroupNumbers): points that carry the same copy are
// matched to their group by address, without comparing the bytes.
func (t *Task) sharedGroup(id GroupID) (GroupID, uint32) {
	num := t.groupNumber(id)
	if num == 0 {
		return id, 0
	}
	return t.groupIDs[num], num
}

// numberOf returns the number of group id: num when that is it (the
// hint a message carries), else groupNumber(id).
func (t *Task) numberOf(id GroupID, num uint32) uint32 {
	// Mostly both are the task's copy of the ID (sharedGroup).
	if num != 0 && int(num) < len(t.groupIDs) && equalFast(string(t.groupIDs[num]), string(id)) {
		return num
	}
	return t.groupNumber(id)
}

// DBRP is a database and retention policy pair.
type DBRP struct{ DB, RP string }

// NewTask returns an empty task.
func NewTask(id, typ string, dbrps []DBRP) *Task {
	return &Task{ID: id, Type: typ, Dbrps: dbrps, Server: ReplayServerInfo, Log: os.Stderr}
}

func (t *Task) register(id int, n Node) {
	for len(t.Nodes) <= id {
		t.Nodes = append(t.Nodes, nil)
	}
	t.Nodes[id] = n
}

// Logf writes one log line.
func (t *Task) Logf(format string, args ...any) {
	if t.Log == nil {
		return
	}
	t.logMu.Lock()
	fmt.Fprintf(t.Log, format+"\n", args...)
	t.logMu.Unlock()
}

// TaskSpec is what a generated main package hands to Main: the task's
// identity as compiled, and the function that builds its pipeline.
type TaskSpec struct {
	Name  string
	Type  string // "stream" or "batch"
	Dbrps []DBRP // from the script's dbrp statements
	Build func(*Task)
}

// subscribes reports whether points of this database and retention
// policy reach the task (one of its dbrps).
func (t *Task) subscribes(db, rp string) bool {
	for _, d := range t.Dbrps {
		if d.DB == db && d.RP == rp {
			return true
		}
	}
	return false
}

// Fail records err as the task's error unless one is recorded already:
// the task error is the first fatal error ("<node>: <msg>"). A nil err
// is ignored.
func (t *Task) Fail(err error) {
	if err == nil {
		return
	}
	t.errMu.Lock()
	if t.err == nil {
		t.err = err
	}
	t.errMu.Unlock()
}

// Err returns the task's error, nil while it runs fine.
func (t *Task) Err() error {
	t.errMu.Lock()
	defer t.errMu.Unlock()
	return t.err
}

// initErrorer is a node that can be invalid before it runs (a bad
// template, a window without period, …); InitError returns the fatal
// error that stops the task at start, nil when the node is fine.
type initErrorer interface {
	InitError() error
}

// Start checks every node for errors that stop the task before it runs,
// in node ID order, and records the first as the task error.
func (t *Task) Start() error {
	for _, n := range t.Nodes {
		if ie, ok := n.(initErrorer); ok {
			if err := ie.InitError(); err != nil {
				t.Fail(err)
				return err
			}
		}
	}
	return nil
}
