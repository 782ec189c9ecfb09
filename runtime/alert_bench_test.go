package runtime

// Benchmarks and memory checks of the alert node alone, shaped like the
// tickbench workloads: threshold (1,000 series, a crit level, only state
// changes sent) and cardinality (many groups, each with its own state).

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// processCPU is the process's user+system CPU time: on a loaded machine
// it varies less than the wall time benchmarks report.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per iteration since start as cpu-ns/op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}

// thresholdLambda is a twin of the generated `"usage_idle" < 70`.
var thresholdLambda = &Lambda{Text: `"usage_idle" < 70`, Func: func(r *Row, _ *LambdaState) (Value, error) {
	v, err := r.Ref("usage_idle")
	if err != nil {
		return Value{}, err
	}
	lt, err := Lt(v, Int(70))
	if err != nil {
		return Value{}, err
	}
	return Bool(lt), nil
}}

// alertSeries returns one point per series (hosts × 4 cpus) with
// tickbench's tags, grouped by host and cpu, sharing tags and group IDs
// from one time to the next as replayed points do.
func alertSeries(hosts int) []*Point {
	services := []string{"api", "auth", "billing", "checkout"}
	pts := make([]*Point, 0, hosts*4)
	for h := 0; h < hosts; h++ {
		for c := 0; c < 4; c++ {
			p := &Point{Name: "cpu", Row: Row{
				Tags: Tags{{"cpu", fmt.Sprintf("cpu%d", c)}, {"datacenter", "us-east-1"},
					{"host", fmt.Sprintf("host-%05d", h)}, {"service", services[h%4]}},
				Fields: Fields{{"usage_idle", Float(90)}, {"usage_system", Float(3)}, {"usage_user", Float(7)}},
			}}
			p.Regroup(Dimensions{TagNames: []string{"host", "cpu"}})
			pts = append(pts, p)
		}
	}
	return pts
}

// thresholdNode is the threshold workload's alert node in capture mode.
func thresholdNode() *AlertNode {
	task := NewTask("threshold", "stream", nil)
	task.Capture = NewCapture()
	return NewAlert(task, 2, "alert2", withAlertDefaults(AlertConfig{
		Crit: thresholdLambda, StateChangesOnly: true,
		Handlers: []AlertHandlerSpec{{Kind: "log", Args: []Value{String("/dev/null")}}},
	}))
}

// BenchmarkAlertThreshold feeds 1,000 series in turn; about one point in
// sixty changes its series' level (and is sent), the others stay put.
func BenchmarkAlertThreshold(b *testing.B) {
	pts := alertSeries(250)
	values := make([]float64, 4096)
	x := uint64(1)
	for i := range values {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		values[i] = 90
		if x%120 == 0 {
			values[i] = 50
		}
	}
	n := thresholdNode()
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for i := 0; i < b.N; i++ {
		p := pts[i%len(pts)]
		p.Time = int64(i/len(pts)) * 1e9
		p.Fields[0].Value.F = values[i%len(values)]
		if err := n.Point(0, p); err != nil {
			b.Fatal(err)
		}
	}
}

// alertBytesPerGroup is the heap the node keeps per group after one OK
// point of each of groups groups.
func alertBytesPerGroup(tb testing.TB, groups int) float64 {
	pts := alertSeries(groups / 4)
	n := thresholdNode()
	for _, p := range pts {
		// Numbered upstream, as a grouping node does: the task's
		// numbering, like the IDs, is not the node's memory.
		p.GroupNum = n.Task.groupNumber(p.Group)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i, p := range pts {
		p.Time = int64(i)
		if err := n.Point(0, p); err != nil {
			tb.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(n)
	runtime.KeepAlive(pts)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(len(pts))
}

// The cardinality workload has 100,000 groups: the state of a group (its
// ring of 21 levels, incident times, index entry) must stay
// small. The group IDs, their numbers and the tags belong to the points
// and are not counted.
func TestAlertMemoryPerGroup(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 100,000 groups")
	}
	got := alertBytesPerGroup(t, 100_000)
	t.Logf("%.0f bytes per group", got)
	if got > 100 {
		t.Errorf("%.0f bytes per group, want at most 100", got)
	}
}

func BenchmarkAlertNewGroups(b *testing.B) {
	var perGroup float64
	for i := 0; i < b.N; i++ {
		perGroup = alertBytesPerGroup(b, 100_000)
	}
	b.ReportMetric(perGroup, "B/group")
}
