package compiler_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
)

// conformanceCase is what the tests read from a conformance case folder.
type conformanceCase struct {
	Dir  string
	Skip string          `json:"skip"`
	Vars json.RawMessage `json:"vars"`
}

func conformanceCases(t testing.TB) []conformanceCase {
	dirs, _ := filepath.Glob("../../shared/conformance/kapacitor/*")
	var out []conformanceCase
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(d, "case.json"))
		if err != nil {
			continue
		}
		cc := conformanceCase{Dir: d}
		if err := json.Unmarshal(data, &cc); err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		out = append(out, cc)
	}
	if len(out) == 0 {
		t.Skip("no conformance cases at ../../shared/conformance/kapacitor")
	}
	return out
}

// compileCase compiles a case's task.tick with its vars.
func compileCase(t *testing.T, cc conformanceCase) *compiler.Result {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(cc.Dir, "task.tick"))
	if err != nil {
		t.Fatal(err)
	}
	var opts check.Options
	if len(cc.Vars) > 0 && string(cc.Vars) != "{}" && string(cc.Vars) != "null" {
		opts.Vars, err = check.VarsFromJSON(cc.Vars)
		if err != nil {
			t.Fatalf("vars: %v", err)
		}
	}
	return compiler.Compile("task.tick", src, opts)
}

// TestConformanceScriptsCheck: every script of Kapacitor's own test suite
// checks without an error or a warning (skipped cases: without an error,
// unless they need a UDF), and prints the DOT graph Kapacitor printed.
func TestConformanceScriptsCheck(t *testing.T) {
	checked, dots := 0, 0
	for _, cc := range conformanceCases(t) {
		t.Run(filepath.Base(cc.Dir), func(t *testing.T) {
			res := compileCase(t, cc)
			var buf strings.Builder
			res.Diags.Print(&buf, "task.tick", nil)
			switch {
			case cc.Skip == "":
				if len(res.Diags) > 0 {
					t.Fatalf("diagnostics:\n%s", buf.String())
				}
			case strings.Contains(cc.Skip, "UDF"):
				return
			default:
				if res.Diags.HasErrors() {
					t.Fatalf("skipped case (%s) does not check:\n%s", cc.Skip, buf.String())
				}
			}
			checked++
			want, err := os.ReadFile(filepath.Join(cc.Dir, "expected.dot"))
			if err != nil {
				return
			}
			got := res.Pipeline.Dot("task")
			if normalizeDot(got) != normalizeDot(string(want)) {
				t.Errorf("DOT differs\n--- got\n%s\n--- want\n%s", got, want)
			}
			dots++
		})
	}
	t.Logf("%d scripts checked, %d DOT graphs compared", checked, dots)
}

// normalizeDot removes all whitespace: DOT is compared up to whitespace.
func normalizeDot(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// chainLines is one realistic stream chain of the benchmark script, with a
// %d for unique names.
const chainLines = `
// threshold %[1]d
var crit%[1]d = 90.0
var data%[1]d = stream
    |from()
        .measurement('cpu%[1]d')
        .where(lambda: "cpu" == 'cpu-total' AND "host" =~ /^web[0-9]+$/)
        .groupBy('host', 'dc')
    |eval(lambda: 100.0 - "usage_idle", lambda: "usage_user" + "usage_system")
        .as('used', 'busy')
    |window()
        .period(1m)
        .every(1m)
data%[1]d
    |mean('used')
        .as('used')
    |alert()
        .id('cpu%[1]d:{{ index .Tags "host" }}')
        .message('{{ .ID }} is {{ .Level }}: {{ index .Fields "used" }}')
        .warn(lambda: "used" > crit%[1]d - 10.0)
        .crit(lambda: "used" > crit%[1]d)
        .stateChangesOnly()
        .post('http://localhost/alert')
        .log('/var/log/cpu%[1]d.log')
data%[1]d
    |max('busy')
    |influxDBOut()
        .database('out')
        .measurement('busy%[1]d')
`

// benchScript repeats chainLines until the script has at least n lines.
func benchScript(n int) []byte {
	var b strings.Builder
	b.WriteString("dbrp \"telegraf\".\"autogen\"\n")
	for i := 0; strings.Count(b.String(), "\n") < n; i++ {
		fmt.Fprintf(&b, chainLines, i)
	}
	return []byte(b.String())
}

// BenchmarkCompile5000Lines parses and checks a 5,000-line script.
func BenchmarkCompile5000Lines(b *testing.B) {
	src := benchScript(5000)
	res := compiler.Compile("bench.tick", src, check.Options{})
	if len(res.Diags) > 0 {
		var buf strings.Builder
		res.Diags.Print(&buf, "bench.tick", nil)
		b.Fatalf("benchmark script has diagnostics:\n%s", buf.String())
	}
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		compiler.Compile("bench.tick", src, check.Options{})
	}
}

// BenchmarkCheck5000Lines checks an already parsed 5,000-line script (the
// checker's share of BenchmarkCompile5000Lines; the target is < 100 ms).
func BenchmarkCheck5000Lines(b *testing.B) {
	src := benchScript(5000)
	res := compiler.Compile("bench.tick", src, check.Options{})
	if res.Program == nil || len(res.Diags) > 0 {
		b.Fatal("benchmark script does not compile")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		check.Check(res.Program, check.Options{})
	}
}
