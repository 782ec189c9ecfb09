package parser

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bigScript returns a realistic script of about n lines: blocks of vars,
// lambdas and alert pipelines with comments, as a long task would have.
func bigScript(n int) string {
	const block = `// Thresholds for %[1]s
var warn_%[1]s = 80.0
var crit_%[1]s = 90.0
var period_%[1]s = 1m

var data_%[1]s = stream
    |from()
        .database('telegraf')
        .measurement('%[1]s')
        .where(lambda: "host" =~ /^web[0-9]+$/ AND "cpu" == 'cpu-total')
        .groupBy('host', 'dc')
    |window()
        .period(period_%[1]s)
        .every(10s)
    |mean('usage_idle')
        .as('used')

data_%[1]s
    |eval(lambda: 100.0 - "used", lambda: "used" * 2.0 / (1.0 + abs("used")))
        .as('busy', 'twice')
    |alert()
        .id('%[1]s:{{ index .Tags "host" }}')
        .warn(lambda: "busy" > warn_%[1]s OR ("twice" >= 10.0 AND !isPresent("x")))
        .crit(lambda: "busy" > crit_%[1]s)
        .stateChangesOnly()
        .log('/var/log/alerts_%[1]s.log')
`
	var b strings.Builder
	b.WriteString("dbrp \"telegraf\".\"autogen\"\n\n")
	for i := 0; strings.Count(b.String(), "\n") < n; i++ {
		fmt.Fprintf(&b, block, fmt.Sprintf("m%d", i))
	}
	return b.String()
}

func TestBigScriptParses(t *testing.T) {
	src := bigScript(5000)
	prog, diags := ParseFile("big.tick", []byte(src))
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags[:min(3, len(diags))])
	}
	if len(prog.Stmts) < 900 {
		t.Errorf("only %d statements", len(prog.Stmts))
	}
}

// BenchmarkParse5000Lines parses a generated 5,000-line script. Besides
// ns/op it reports cpu-ns/op, the process CPU time per parse (GC included),
// which stays meaningful on a busy machine where wall time does not.
func BenchmarkParse5000Lines(b *testing.B) {
	src := []byte(bigScript(5000))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	before := cpuTime()
	n := 0
	for b.Loop() {
		if _, diags := ParseFile("big.tick", src); len(diags) > 0 {
			b.Fatal(diags[0].Error())
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-before)/float64(n), "cpu-ns/op")
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
