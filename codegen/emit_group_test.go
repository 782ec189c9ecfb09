package codegen

import (
	"fmt"
	"go/format"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/compiler/ir"
)

// emitNode compiles script and returns the constructor expression the
// emitter writes for the node named name, gofmt-formatted.
func emitNode(t *testing.T, script, name string) string {
	t.Helper()
	res := compiler.Compile("task.tick", []byte(script), check.Options{})
	if !res.OK() {
		t.Fatalf("script does not compile: %v", res.Diags)
	}
	var node *ir.Node
	for _, n := range res.Pipeline.Nodes {
		if n.Name == name {
			node = n
		}
	}
	if node == nil {
		t.Fatalf("no node %s", name)
	}
	g := &Gen{P: res.Pipeline, lambdas: map[lambdaKey]string{}}
	code, err := emitters[node.Kind.Name](g, node)
	if err != nil {
		t.Fatalf("emit %s: %v", name, err)
	}
	src := fmt.Sprintf("package p\nvar x = %#v\n", code)
	out, err := format.Source([]byte(src))
	if err != nil {
		t.Fatalf("generated code does not parse: %v\n%s", err, src)
	}
	// Compare with runtime as rt and whitespace runs as one space.
	got := strings.TrimPrefix(string(out), "package p\n\nvar x = ")
	got = strings.ReplaceAll(got, "runtime.", "rt.")
	return strings.Join(strings.Fields(got), " ")
}

func TestEmitGroupAndWindow(t *testing.T) {
	tests := []struct {
		script, node string
		want         []string
	}{
		{
			"stream|from()|window().period(10s).every(5s).align().fillPeriod()",
			"window2",
			[]string{`rt.NewWindow(t, 2, "window2", rt.WindowConfig{`, `Period: 10 * time.Second,`, `Every: 5 * time.Second,`, `Align: true,`, `FillPeriod: true,`},
		},
		{
			"stream|from()|window().periodCount(10).everyCount(2)",
			"window2",
			[]string{`PeriodCount: 10,`, `EveryCount: 2,`},
		},
		{
			"stream|from()|groupBy(*).exclude('a').exclude('b').byMeasurement()",
			"groupby2",
			[]string{`All: true,`, `Exclude: []string{"a", "b"},`, `ByMeasurement: true,`},
		},
		{
			"stream|from()|groupBy('host', 'cpu')",
			"groupby2",
			[]string{`Dims: []string{"host", "cpu"},`},
		},
		{
			"stream|from()|flatten().on('a', 'b').tolerance(1500ms).dropOriginalFieldName()",
			"flatten2",
			[]string{`On: []string{"a", "b"},`, `Delimiter: ".",`, `Tolerance: 1500 * time.Millisecond,`, `DropOriginalFieldName: true,`},
		},
		{
			"stream|from()|flatten().delimiter('').dropOriginalFieldName(FALSE)",
			"flatten2",
			[]string{`Delimiter: "",`},
		},
		{
			"stream|from()|barrier().idle(5s).delete(TRUE).quiet()",
			"barrier2",
			[]string{`Idle: 5 * time.Second,`, `Delete: true,`, `Quiet: true,`},
		},
		{
			"stream|from()|shift(-5m)|sample(3)|sample(10s)",
			"shift2",
			[]string{`rt.ShiftConfig{ Shift: -5 * time.Minute, }`},
		},
		{
			"stream|from()|sample(3)",
			"sample2",
			[]string{`rt.SampleConfig{ N: 3, }`},
		},
		{
			"stream|from()|derivative('x').as('d').unit(1m).nonNegative()",
			"derivative2",
			[]string{`Field: "x",`, `As: "d",`, `Unit: time.Minute,`, `NonNegative: true,`},
		},
		{
			"stream|from()|default().field('a', 1).field('b', 'x').field('a', 2.5).tag('t', 'v')",
			"default2",
			[]string{`Fields: rt.Fields{{ Key: "a", Value: rt.Float(2.5), }, { Key: "b", Value: rt.String("x"), }}`, `Tags: rt.Tags{{ Key: "t", Value: "v", }}`},
		},
		{
			"stream|from()|delete().field('a').field('b').tag('t')",
			"delete2",
			[]string{`Fields: []string{"a", "b"},`, `Tags: []string{"t"},`},
		},
		{
			"stream|from()|changeDetect('a', 'b')",
			"changeDetect2",
			[]string{`rt.ChangeDetectConfig{ Fields: []string{"a", "b"}, }`},
		},
		{
			"stream|from()|eval(lambda: \"a\" * 2.0, lambda: 'x').as('b', 't').tags('t').keep('a', 'b')",
			"eval2",
			[]string{`Func: lambda0,`, `Func: lambda1,`, `Refs: [][]string{{"a"}, {}},`, `As: []string{"b", "t"},`, `Tags: []string{"t"},`, `Keep: true,`, `KeepList: []string{"a", "b"},`},
		},
		{
			"stream|from()|eval(lambda: \"a\").as('b').keep()",
			"eval2",
			[]string{`Keep: true,`},
		},
		{
			"stream|from()|where(lambda: \"a\" > 1).quiet()",
			"where2",
			[]string{`Lambda: &rt.Lambda{`, `Quiet: true,`},
		},
		{
			"stream|from()|combine(lambda: TRUE, lambda: TRUE).as('x', 'y').max(5)",
			"combine2",
			[]string{`As: []string{"x", "y"},`, `Delimiter: ".",`, `Max: 5,`},
		},
		{
			"stream|from()|stateDuration(lambda: TRUE).unit(1m).as('d')|stateCount(lambda: TRUE)",
			"state_duration2",
			[]string{`rt.NewStateDuration(`, `As: "d",`, `Unit: time.Minute,`},
		},
		{
			"stream|from()|log().level('debug').prefix('P')",
			"log2",
			[]string{`Level: "debug",`, `Prefix: "P",`},
		},
	}
	for _, tt := range tests {
		got := emitNode(t, tt.script, tt.node)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in\n%s", tt.script, w, got)
			}
		}
	}
}
