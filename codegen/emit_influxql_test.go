package codegen

import (
	"fmt"
	"go/format"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
)

// influxQLCtor compiles script and returns the gofmt-formatted
// constructor the emitter writes for the node named name, whitespace
// runs collapsed to one space.
func influxQLCtor(t *testing.T, script, name string) string {
	t.Helper()
	res := compiler.Compile("task.tick", []byte(script), check.Options{})
	if !res.OK() {
		t.Fatalf("script does not compile: %v", res.Diags)
	}
	for _, n := range res.Pipeline.Nodes {
		if n.Name != name {
			continue
		}
		code, err := emitInfluxQL(&Gen{P: res.Pipeline}, n)
		if err != nil {
			t.Fatalf("emit %s: %v", name, err)
		}
		out, err := format.Source([]byte(fmt.Sprintf("package p\nvar x = %#v\n", code)))
		if err != nil {
			t.Fatalf("generated code does not parse: %v", err)
		}
		got := strings.TrimPrefix(string(out), "package p\n\nvar x = ")
		return strings.Join(strings.Fields(got), " ")
	}
	t.Fatalf("no node %s", name)
	return ""
}

func TestEmitInfluxQL(t *testing.T) {
	tests := []struct {
		script, node string
		want         []string
	}{
		{"stream|from()|mean('value')", "mean2",
			[]string{`NewInfluxQL(t, 2, "mean2", runtime.InfluxQLConfig{`, `As: "mean",`, `Field: "value",`, `Method: "mean",`}},
		{"stream|from()|count('value').as('n').usePointTimes().quiet()", "count2",
			[]string{`As: "n",`, `UsePointTimes: true,`, `Quiet: true,`}},
		{"stream|from()|percentile('value', 99.5)", "percentile2",
			[]string{`Percentile: 99.5,`, `Field: "value",`}},
		{"stream|from()|top(3, 'value', 'host', 'cpu')", "top2",
			[]string{`N: 3,`, `Field: "value",`, `FieldsAndTags: []string{"host", "cpu"},`, `As: "top",`}},
		{"stream|from()|bottom(1, 'v')", "bottom2",
			[]string{`N: 1,`, `Field: "v",`, `Method: "bottom",`}},
		{"stream|from()|elapsed('v', 1ms)", "elapsed2",
			[]string{`Unit: 1 * time.Millisecond,`}},
		{"stream|from()|movingAverage('v', 4)", "movingAverage2",
			[]string{`Window: 4,`}},
		{"stream|from()|holtWintersWithFit('v', 10, 4, 1h)", "holtWinters2",
			[]string{`Method: "holtWintersWithFit",`, `As: "holtWinters",`, `H: 10,`, `M: 4,`, `Interval: 1 * time.Hour,`}},
		{"stream|from()|holtWinters('v', 1, 0, 1500ms)", "holtWinters2",
			[]string{`Interval: 1500 * time.Millisecond,`}},
	}
	for _, tt := range tests {
		got := influxQLCtor(t, tt.script, tt.node)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in\n%s", tt.script, w, got)
			}
		}
		for _, absent := range []string{"UsePointTimes", "Quiet"} {
			if !strings.Contains(tt.script, "usePointTimes") && strings.Contains(got, absent) && !strings.Contains(tt.script, "quiet") {
				t.Errorf("%s: unexpected %s in\n%s", tt.script, absent, got)
			}
		}
	}
}
