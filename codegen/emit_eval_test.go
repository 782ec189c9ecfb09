package codegen

import (
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
)

// TestUnusedEvalResults: eval results no node below reads or outputs
// are left out of the points (EvalConfig.Unused) and compiled without
// their computation on the fast path; any doubt keeps them.
func TestUnusedEvalResults(t *testing.T) {
	tests := []struct{ script, want string }{
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: "b" * 2.0).as('x', 'y')|groupBy('host')|movingAverage('x', 60).as('avg')|httpOut('out')`,
			`Unused: []string{"y"},`},
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: "b" * 2.0).as('x', 'y')|window().period(1m).every(1m)|mean('y')|httpOut('out')`,
			`Unused: []string{"x"},`},
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: "b" * 2.0).as('x', 'y')|where(lambda: "x" > 1.0)|count('x')|httpOut('out')`,
			`Unused: []string{"y"},`},
		// Alert data and httpOut hold every field.
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: "b" * 2.0).as('x', 'y')|alert().crit(lambda: "x" > 1.0)`, ""},
		{`stream|from()|eval(lambda: "a" * 2.0).as('x')|httpOut('out')`, ""},
		// Results stored as tags, .keep(), a result read by a later
		// expression, a stateful expression.
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: "b" * 2.0).as('x', 'y').tags('y')|groupBy('y')|count('x')|httpOut('out')`, ""},
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: "b" * 2.0).as('x', 'y').keep('x')|count('x')|httpOut('out')`, ""},
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: "y" * 2.0).as('y', 'x')|count('x')|httpOut('out')`, ""},
		{`stream|from()|eval(lambda: "a" * 2.0, lambda: sigma("b")).as('x', 'y')|count('x')|httpOut('out')`, ""},
		// Two children: either may read it.
		{`var e = stream|from()|eval(lambda: "a" * 2.0, lambda: "b" * 2.0).as('x', 'y')
e|count('x')|httpOut('a')
e|count('y')|httpOut('b')`, ""},
	}
	for _, tt := range tests {
		got := emitNode(t, tt.script, "eval2")
		switch {
		case tt.want == "" && strings.Contains(got, "Unused"):
			t.Errorf("%s: want no unused result:\n%s", tt.script, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s:\n%s\nlacks %s", tt.script, got, tt.want)
		}
	}
}

// TestUnusedLambdaFastPath: an unused result's function keeps the
// reference reads and the checked path (for the errors) but returns a
// zero of the fast path's kind instead of computing it; one whose fast
// path can fail keeps it whole.
func TestUnusedLambdaFastPath(t *testing.T) {
	src := generate(t, `stream|from()|eval(lambda: sqrt("a"), lambda: "b" * 2.0).as('x', 'y')|count('y')|httpOut('out')`)
	fn := funcText(t, src, "lambda0")
	if !strings.Contains(fn, "return rt.Float(0.0), nil") || strings.Contains(fn, "math.Sqrt(a.F)") {
		t.Errorf("unused result computed on the fast path:\n%s", fn)
	}
	if !strings.Contains(fn, "rt.FnSqrt(a)") {
		t.Errorf("unused result lost its checked path:\n%s", fn)
	}
	if y := funcText(t, src, "lambda1"); !strings.Contains(y, "* 2.0") {
		t.Errorf("used result not computed:\n%s", y)
	}
}

// generate compiles script into the task's Go source.
func generate(t *testing.T, script string) string {
	t.Helper()
	res := compiler.Compile("task.tick", []byte(script), check.Options{})
	if !res.OK() {
		t.Fatalf("script does not compile: %v", res.Diags)
	}
	src, err := Generate(res.Pipeline, Options{TaskName: "task"})
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// funcText is the text of the top-level function name in src.
func funcText(t *testing.T, src, name string) string {
	t.Helper()
	start := strings.Index(src, "\nfunc "+name+"(")
	if start < 0 {
		t.Fatalf("no function %s in:\n%s", name, src)
	}
	end := strings.Index(src[start:], "\n}\n")
	return src[start : start+end+3]
}
