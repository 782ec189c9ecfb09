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
