package runtime

import (
	"math"
	goruntime "runtime"
	"runtime/debug"
	"testing"
	"time"
)

// A replay runs without collections until the heap reaches
// replayHeapFree; after the first one, with GOGC 400 and no limit.
func TestReplayGCSwitchesAfterTheFirstCollection(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetGCPercent(100)
	replayGC()
	if got := debug.SetMemoryLimit(-1); got != replayHeapFree {
		t.Fatalf("memory limit %d, want %d", got, replayHeapFree)
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) != math.MaxInt64 {
		if time.Now().After(deadline) {
			t.Fatal("no switch after collections")
		}
		goruntime.GC()
		time.Sleep(time.Millisecond)
	}
	if p := debug.SetGCPercent(100); p != replayGCPercent {
		t.Errorf("GOGC %d after the first collection, want %d", p, replayGCPercent)
	}
}

// GOGC in the environment is the user's choice.
func TestReplayGCLeavesGOGCFromTheEnvironment(t *testing.T) {
	t.Setenv("GOGC", "100")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	replayGC()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GOGC %d, want 100", p)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit %d, want none", got)
	}
}
