package check_test

import (
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/compiler/parser"
	"github.com/tickc/tickc/stdlib"
)

// checkSrc parses and checks a script that must have no syntax error.
func checkSrc(t *testing.T, src string, opts check.Options) (*ir.Pipeline, diag.List) {
	t.Helper()
	prog, diags := parser.ParseFile("test.tick", []byte(src))
	if diags.HasErrors() {
		t.Fatalf("syntax errors in test script: %v", diags)
	}
	return check.Check(prog, opts)
}

func lines(l diag.List) []string {
	out := make([]string, len(l))
	for i, d := range l {
		out[i] = d.Error()
	}
	return out
}

// TestDiagnostics: broken scripts get exactly these diagnostics, each at
// the most precise place.
func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"misspelled chaining method",
			`stream|from().measurement('cpu')|windw().period(1m)|httpOut('x')`,
			[]string{`1:34: no method or property "windw" on from node from1; did you mean "window"?`}},
		{"abbreviated chaining method",
			`stream|from()|movingAvg('x', 3)|httpOut('x')`,
			[]string{`1:15: no method or property "movingAvg" on from node from1; did you mean "movingAverage"?`}},
		{"property used with pipe",
			`stream|from()|measurement('cpu')|httpOut('x')`,
			[]string{`1:15: no chaining method "measurement" on from node from1, but property does exist; use '.' instead: .measurement(...)`}},
		{"chaining method used with dot silences what follows",
			`stream|from().window().period(1m)|httpOut('x')`,
			[]string{`1:15: no property method "window" on from node from1, but chaining method does exist; use '|' instead: |window(...)`}},
		{"udf",
			`stream|from()@myUDF().opt(1)|httpOut('x')`,
			[]string{`1:15: UDFs are not supported: @myUDF() calls a user-defined function of a Kapacitor server; tickc compiles tasks without one`}},
		{"window on a batch edge",
			`batch|query('SELECT mean(v) FROM "db"."rp"."m"').period(1m).every(1m)|window().period(1m)|httpOut('x')`,
			[]string{`1:71: cannot use window() on a batch edge: window wants a stream edge, but query1 provides batches (a batch edge)`}},
		{"from on batch",
			`batch|from()|httpOut('x')`,
			[]string{`1:7: no chaining method "from" on batch: from() reads a stream, write stream|from() (batch tasks read with batch|query(...))`}},
		{"query on stream",
			`stream|query('SELECT * FROM m')|httpOut('x')`,
			[]string{`1:8: no chaining method "query" on stream: query() runs a batch query, write batch|query(...)`}},
		{"missing argument",
			`stream|from()|mean()|httpOut('x')`,
			[]string{`1:15: mean() takes 1 argument, got 0`}},
		{"extra argument at the argument",
			`stream|from()|window(1m)|httpOut('x')`,
			[]string{`1:22: window() takes no arguments, got 1`}},
		{"int for float",
			`stream|from()|deadman(100, 10s).log('/tmp/x')`,
			[]string{`1:23: argument 1 of deadman() must be float, got int; write 100.0 for a float`}},
		{"float for int",
			`stream|from()|alert().crit(lambda: TRUE).history(21.0).log('/tmp/x')`,
			[]string{`1:50: the argument of .history() must be int, got float; floats are not converted to ints`}},
		{"double quotes for a string",
			`stream|from().measurement("cpu")|httpOut('x')`,
			[]string{`1:27: the argument of .measurement() must be string, got the reference "cpu"; did you use double quotes instead of single quotes?`}},
		{"field with two arguments",
			`stream|from()|window().period(1m, 2m)|httpOut('x')`,
			[]string{`1:35: .period() takes exactly one argument, got 2`}},
		{"internal property",
			`stream|from()|where(lambda: TRUE).lambda(lambda: FALSE)|httpOut('x')`,
			[]string{`1:35: property "lambda" of where node where2 is internal and cannot be set from a script`}},
		{"operator expression where a lambda is wanted",
			`stream|from()|where("host" == 'a')|httpOut('x')`,
			[]string{`1:21: the argument of where() must be lambda; write lambda: before the expression`}},
		{"literal where a lambda is wanted",
			`stream|from()|alert().crit(TRUE).log('/tmp/x')`,
			[]string{`1:28: the argument of .crit() must be lambda, got bool; write lambda: before the expression`}},
		{"predicate that is no boolean",
			`stream|from()|alert().crit(lambda: "x" + 1.0).log('/tmp/a')`,
			[]string{`1:36: the expression of .crit() must be a boolean predicate, but it yields float`}},
		{"eval of a time",
			`stream|from()|eval(lambda: "time").as('t')|httpOut('x')`,
			[]string{`1:28: the expression of eval() yields time; results must be int, float, string, bool or duration`}},
		{"redefined var, later uses quiet",
			"var x = 1\nvar x = 2.0\nstream|from()|sample(x)|httpOut('x')",
			[]string{`2:5: attempted to redefine x, vars are immutable`}},
		{"undefined var with suggestion",
			"var period = 1m\nstream|from()|window().period(perod).every(period)|httpOut('x')",
			[]string{`2:31: name "perod" is undefined; did you mean "period"?`}},
		{"used before declared",
			"stream|from()|window().period(p)|httpOut('x')\nvar p = 1m",
			[]string{`1:31: name "p" is used before it is declared (at 2:5)`}},
		{"bare word where a string is wanted",
			`stream|from()|httpOut(cpu)`,
			[]string{`1:23: name "cpu" is undefined; write 'cpu' for a string`}},
		{"lambda function outside a lambda",
			`stream|from()|httpOut(abs(1.0))`,
			[]string{`1:23: no global function "abs" defined; abs() is a lambda function, usable only inside lambda expressions`}},
		{"time is a function",
			`batch|query('SELECT * FROM m').every(1m).groupBy(time)|httpOut('x')`,
			[]string{`1:50: time is the group-by-time function; call it: time(1m) or time(1m, 10s)`}},
		{"time with three arguments",
			`batch|query('SELECT * FROM m').every(1m).groupBy(time(1m, 1s, 1s))|httpOut('x')`,
			[]string{`1:50: time() function expects 1 or 2 args, got 3`}},
		{"invalid var type",
			"var x time\nstream|from()|httpOut('x')",
			[]string{`1:7: invalid var type "time"; a template var is one of int, float, bool, string, regex, duration, lambda, list or star`}},
		{"both task types",
			"var a = stream|from()\nvar b = batch|query('SELECT * FROM m').every(1m)\na|httpOut('x')\nb|httpOut('y')",
			[]string{`2:9: invalid task type: the script reads both stream and batch (stream at 1:9); a task is either a stream or a batch task`}},
		{"no task type",
			"var a = 1.0",
			[]string{`1:1: invalid task type: the script reads neither stream nor batch`}},
		{"task does nothing",
			"dbrp \"db\".\"rp\"\n\nstream",
			[]string{`3:1: task does nothing: nothing is chained to stream0`}},
		{"terminal node",
			`stream|from()|influxDBOut()|httpOut('x')`,
			[]string{`1:29: no chaining method "httpOut" on influxDBOut node influxdb_out2: influxDBOut is terminal, only |stats() and |deadman() may follow it`}},
		{"not a node",
			`stream|from()|window().period(1m).every(1m).period.x()|httpOut('a')`,
			[]string{`1:51: cannot call .x() on duration: only nodes have chaining and property methods`}},

		// validation
		{"eval names",
			`stream|from()|eval(lambda: 1, lambda: 2).as('a')|httpOut('x')`,
			[]string{`1:42: eval2: must specify same number of expressions and .as() names: got 1 as names, and 2 expressions`}},
		{"eval tag not among names",
			`stream|from()|eval(lambda: 'a').as('a').tags('b')|httpOut('x')`,
			[]string{`1:46: eval2: invalid tag name "b", name is not present in .as() names`}},
		{"negative window period",
			`stream|from()|window().period(-1m)|httpOut('x')`,
			[]string{`1:31: window2: period must not be negative, got -1m`}},
		{"zero window period at the zero",
			`stream|from()|window().period(0s).every(1m)|httpOut('x')`,
			[]string{`1:31: window2: window node must have either a non zero period or non zero period count`}},
		{"window without period",
			`stream|from()|window().every(1m)|httpOut('x')`,
			[]string{`1:15: window2: window node must have either a non zero period or non zero period count`}},
		{"align on a count window, at the later setting",
			`stream|from()|window().periodCount(10).everyCount(10).align()|httpOut('x')`,
			[]string{`1:55: window2: can only align windows based off time, not count`}},
		{"every broken constraint",
			`stream|from()|kapacitorLoopback().measurement('m')`,
			[]string{`1:15: kapacitor_loopback2: must specify a database`, `1:15: kapacitor_loopback2: must specify a retention policy`}},
		{"zero shift and sample",
			`stream|from()|shift(0s)|sample(0)|httpOut('x')`,
			[]string{`1:21: shift2: invalid shift value: must be non zero duration`, `1:32: sample3: invalid sample rate: must be positive integer or duration`}},
		{"stats interval",
			`stream|from()|stats(0s)|httpOut('x')`,
			[]string{`1:21: stats2: stats node must have positive interval`}},
		{"relative log handler path",
			`stream|from()|alert().crit(lambda: TRUE).log('relative.log')`,
			[]string{`1:46: alert2: log path must be absolute: relative.log is not absolute`}},
		{"authenticate header",
			`stream|from()|alert().crit(lambda: TRUE).post('http://x').header('Authenticate', 'x')`,
			[]string{`1:66: alert2: cannot set 'authenticate' header`}},
		{"flapping thresholds",
			`stream|from()|alert().crit(lambda: TRUE).flapping(0.25, 1.5).log('/tmp/a')`,
			[]string{`1:57: alert2: alert flap thresholds are percentages and should be between 0 and 1, got 1.5`}},
		{"template syntax",
			`stream|from()|alert().crit(lambda: TRUE).message('{{ if }}').log('/tmp/a')`,
			[]string{`1:50: alert2: template: message:1: missing value for if`}},
		{"handler option shadows the alert property",
			`stream|from()|alert().crit(lambda: TRUE).opsGenie2().details('x')`,
			[]string{`1:62: .details() takes no arguments, got 1`}},
		{"handler option before its handler",
			`stream|from()|alert().crit(lambda: TRUE).channel('#ops').slack()`,
			[]string{`1:42: no method or property "channel" on alert node alert2; it is an option of the .slack() handler: write it after .slack()`}},
		{"loopback into its own dbrp",
			"dbrp \"db\".\"rp\"\nstream|from()|kapacitorLoopback().database('db').retentionPolicy('rp')",
			[]string{`2:15: kapacitor_loopback2: loop detected on dbrp: "db"."rp" (the task reads it)`}},
		{"star with named dimensions",
			"var g = ['host', 'dc']\nstream|from().groupBy(g)|groupBy(*, 'host').exclude('x')|httpOut('x')",
			[]string{`2:34: groupby2: cannot group by both '*' and named dimensions`}},
		{"exclude without star",
			`stream|from()|groupBy('host').exclude('x')|httpOut('x')`,
			[]string{`1:31: groupby2: exclude requires '*'`}},
		{"join of a node with the wrong edge",
			"var a = stream|from()\nvar b = stream|from()|window().period(1m)\na|join(b).as('a', 'b')|httpOut('x')",
			[]string{`3:8: cannot join window3 with from1: window3 provides batches (a batch edge) but from1 provides points (a stream edge)`}},
		{"join prefixes",
			"var a = stream|from()\nvar b = stream|from()\na|join(b).as('a')|httpOut('x')",
			[]string{`3:11: join4: number of prefixes specified by join.as() must match the number of joined streams: got 1 name for 2`}},
		{"join without as",
			"var a = stream|from()\nvar b = stream|from()\na|join(b)|httpOut('x')",
			[]string{`3:3: join4: a call to join.as() is required to specify the output stream prefixes`}},
		{"bad InfluxQL",
			`batch|query('SELECT mean(v) FORM m').every(1m)|httpOut('x')`,
			[]string{`1:13: query1: failed to parse InfluxQL query: found FORM, expected FROM at line 1, char 16`}},
		{"query without schedule",
			`batch|query('SELECT mean(v) FROM m')|httpOut('x')`,
			[]string{`1:7: query1: must define one of 'every' or 'cron'`}},
		{"unknown fill",
			`batch|query('SELECT mean(v) FROM m').every(1m).fill('zero')|httpOut('x')`,
			[]string{`1:53: query1: unexpected fill option zero; want 'null', 'none', 'previous', 'linear' or a number`}},
		{"a call with an error is not validated again",
			`stream|from()|window().perod(1m).every(1m)|httpOut('x')`,
			[]string{`1:24: no method or property "perod" on window node window2; did you mean "period"?`}},

		// lints
		{"lints",
			"var unused = 5\nvar crit float\nstream|from()|window().period(1m).every(2m)|mean('x')|httpOut('x')\nstream|from()|window().period(1m)|mean('x')",
			[]string{
				`1:5: warning: var unused is declared but never used`,
				`2:5: warning: template var crit is declared but never used`,
				`3:41: warning: window2: every(2m) is longer than period(1m): the points between two windows are dropped`,
				`4:35: warning: the output of mean7 goes nowhere: chain an output such as |httpOut(), |alert() or |influxDBOut() to it`,
			}},
		{"unused var holding a dangling node",
			"var x = stream|from()|window().period(1m)\nstream|from()|httpOut('x')",
			[]string{`1:5: warning: var x is declared but never used, and the output of window2 it holds goes nowhere`}},
		{"alert without handler",
			`stream|from()|alert().crit(lambda: TRUE)`,
			[]string{`1:15: warning: alert2 has no handler and nothing is chained to it, so its alerts go nowhere: add a handler such as .log() or .slack()`}},
		{"side branch and stats-only tasks stay quiet",
			"var d = stream|from()\nd|httpOut('x')\nd|where(lambda: FALSE)",
			nil},
		{"a task without outputs stays quiet",
			"stream|from()|eval(lambda: 1).as('x')",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := checkSrc(t, tt.src, check.Options{})
			got := lines(diags)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("script:\n%s\ngot:\n%s\nwant:\n%s", tt.src, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestGraph: node IDs, names, parents and children are Kapacitor's,
// implicit nodes included, and Dot prints them in Kapacitor's order.
func TestGraph(t *testing.T) {
	tests := []struct {
		name, src, dot string
	}{
		{"stats adds a noop child and a source",
			"stream|from()|stats(10s)|httpOut('s')",
			"stream0 -> from1; from1 -> noop3; stats2 -> http_out4;"},
		{"stats of a node with children adds no noop",
			"var f = stream|from()\nf|httpOut('a')\nf|stats(10s)|httpOut('s')",
			"stream0 -> from1; from1 -> http_out2; stats3 -> http_out4;"},
		{"deadman is stats, derivative and alert",
			"stream|from()|deadman(100.0, 10s).log('/tmp/d')",
			"stream0 -> from1; from1 -> noop3; stats2 -> derivative4; derivative4 -> alert5;"},
		{"union takes one ID per parent, left last",
			"var a = stream|from()\nvar b = stream|from()\nvar c = stream|from()\na|union(b, c)|httpOut('u')",
			"stream0 -> from1; stream0 -> from2; stream0 -> from3; from3 -> union6; from2 -> union6; from1 -> union6; union6 -> http_out7;"},
		{"join takes one ID per parent, left first",
			"var a = stream|from()\nvar b = stream|from()\na|join(b).as('a', 'b')|httpOut('j')",
			"stream0 -> from1; stream0 -> from2; from2 -> join4; from1 -> join4; join4 -> http_out5;"},
		{"a handler object chains on its alert node",
			"stream|from()|alert().crit(lambda: TRUE).post('http://a')|httpOut('x')",
			"stream0 -> from1; from1 -> alert2; alert2 -> http_out3;"},
		{"batch source is not printed",
			"batch|query('SELECT * FROM m').every(1m)|httpOut('x')",
			"query1 -> http_out2;"},
		{"nodes created in arguments take their IDs first",
			"stream|from()|join(stream|from()).as('a', 'b')|httpOut('x')",
			"stream0 -> from1; stream0 -> from2; from2 -> join4; from1 -> join4; join4 -> http_out5;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := checkSrc(t, tt.src, check.Options{})
			if diags.HasErrors() {
				t.Fatalf("errors: %v", lines(diags))
			}
			got := strings.Join(strings.Fields(p.Dot("t")), " ")
			want := "digraph t { " + tt.dot + " }"
			if got != want {
				t.Errorf("DOT\ngot:  %s\nwant: %s", got, want)
			}
			for i, n := range p.Nodes {
				if i > 0 && n.ID <= p.Nodes[i-1].ID {
					t.Errorf("nodes not in ID order: %s after %s", n.Name, p.Nodes[i-1].Name)
				}
			}
		})
	}
}

func TestDeadmanNodes(t *testing.T) {
	p, diags := checkSrc(t, "stream|from()|deadman(100.0, 10s, lambda: hour(\"time\") > 8).log('/tmp/d')", check.Options{})
	if diags.HasErrors() {
		t.Fatal(lines(diags))
	}
	var alert *ir.Node
	for _, n := range p.Nodes {
		if n.Kind.Name == "alert" {
			alert = n
		}
	}
	if alert == nil || !alert.Implicit || len(alert.Handlers) != 1 {
		t.Fatalf("deadman alert node: %+v", alert)
	}
	if got := alert.Prop("id").Arg(0).Str; got != "{{ .Group }}:from1 for task '{{ .TaskName }}'" {
		t.Errorf("id = %q", got)
	}
	if got := alert.Prop("message").Arg(0).Str; !strings.HasSuffix(got, "points/10s.") {
		t.Errorf("message = %q", got)
	}
	crit := alert.Prop("crit").Arg(0).Lambda
	if crit == nil || crit.Result != stdlib.Bool {
		t.Fatalf("crit lambda = %+v", crit)
	}
	if len(crit.Refs) == 0 || crit.Refs[0] != "emitted" {
		t.Errorf("crit refs = %v", crit.Refs)
	}
	if b, ok := crit.Body.(*ast.BinaryExpr); !ok || b.Op != ast.OpAnd {
		t.Errorf("crit body is not threshold AND extra expression: %#v", crit.Body)
	}
	stats := p.Sources[1]
	if stats.Kind.Name != "stats" || stats.Observed.Name != "from1" || stats.Prop("align") == nil {
		t.Errorf("stats node: %+v", stats)
	}
}

// TestHandlerObject: after a handler method the handler's options shadow
// the alert's properties; a property method returns the alert node.
func TestHandlerObject(t *testing.T) {
	p, diags := checkSrc(t, `stream|from()|alert().crit(lambda: TRUE).mqtt('t').topic('mq').qos(1).stateChangesOnly().topic('alerts')`, check.Options{})
	if diags.HasErrors() {
		t.Fatal(lines(diags))
	}
	alert := p.Nodes[2]
	h := alert.Handlers[0]
	if h.Handler.Name != "mqtt" || h.Option("topic").Arg(0).Str != "mq" || h.Option("qos").Arg(0).Int != 1 {
		t.Errorf("mqtt handler options: %+v", h.Options)
	}
	if got := alert.Prop("topic").Arg(0).Str; got != "alerts" {
		t.Errorf("alert topic = %q, want alerts", got)
	}
}

// TestTemplateVars: template vars check with placeholders, take supplied
// values of exactly their type, and supplied lambdas are typed in scope.
func TestTemplateVars(t *testing.T) {
	src := "var crit lambda\nvar period duration\nvar groups list\nvar name = 'cpu'\n" +
		"stream|from().measurement(name).groupBy(groups)|window().period(period).every(period)|alert().crit(crit).log('/tmp/a')"
	p, diags := checkSrc(t, src, check.Options{})
	if len(diags) > 0 {
		t.Fatalf("template without values: %v", lines(diags))
	}
	if v := p.Var("period"); v == nil || !v.Template || !v.Value.Placeholder {
		t.Errorf("period var: %+v", v)
	}

	vars, err := check.VarsFromJSON([]byte(`{
		"crit": {"type": "lambda", "value": "\"usage\" > 90.0"},
		"period": {"type": "duration", "value": "1m"},
		"groups": {"type": "list", "value": [{"type": "string", "value": "host"}]},
		"name": {"type": "string", "value": "mem"}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	p, diags = checkSrc(t, src, check.Options{Vars: vars})
	if len(diags) > 0 {
		t.Fatalf("template with values: %v", lines(diags))
	}
	from, window, alert := p.Nodes[1], p.Nodes[2], p.Nodes[3]
	if got := from.Prop("measurement").Arg(0).Str; got != "mem" {
		t.Errorf("measurement = %q, want the supplied mem", got)
	}
	if got := from.Prop("groupBy").Args; len(got) != 1 || got[0].Str != "host" {
		t.Errorf("groupBy = %+v", got)
	}
	if got := window.Prop("period").Arg(0).Dur.String(); got != "1m0s" {
		t.Errorf("period = %s", got)
	}
	crit := alert.Prop("crit").Arg(0).Lambda
	if crit == nil || crit.Types == nil || crit.Result&stdlib.Bool == 0 {
		t.Errorf("supplied lambda not typed: %+v", crit)
	}

	bad := map[string]ir.Value{"name": {Type: stdlib.Int, Int: 1}}
	_, diags = checkSrc(t, src, check.Options{Vars: bad})
	if got := strings.Join(lines(diags), "\n"); got != "4:5: invalid type supplied for name, got int exp string" {
		t.Errorf("wrong supplied type: %s", got)
	}
}

func TestVarsFromJSON(t *testing.T) {
	good := `{
		"b": {"type": "bool", "value": true},
		"i": {"type": "int", "value": 3},
		"f": {"type": "float", "value": 2},
		"s": {"type": "string", "value": "x", "description": "a string"},
		"d": {"type": "duration", "value": "10s"},
		"dn": {"type": "duration", "value": 1000000000},
		"r": {"type": "regex", "value": "^web[0-9]+$"},
		"l": {"type": "lambda", "value": "\"a\" > 1"},
		"g": {"type": "list", "value": [{"type": "string", "value": "host"}, {"type": "star", "value": null}]},
		"st": {"type": "star"}
	}`
	vars, err := check.VarsFromJSON([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]func(ir.Value) bool{
		"b":  func(v ir.Value) bool { return v.Type == stdlib.Bool && v.Bool },
		"i":  func(v ir.Value) bool { return v.Type == stdlib.Int && v.Int == 3 },
		"f":  func(v ir.Value) bool { return v.Type == stdlib.Float && v.Float == 2 },
		"s":  func(v ir.Value) bool { return v.Type == stdlib.String && v.Str == "x" },
		"d":  func(v ir.Value) bool { return v.Type == stdlib.Duration && v.Dur.String() == "10s" },
		"dn": func(v ir.Value) bool { return v.Type == stdlib.Duration && v.Dur.String() == "1s" },
		"r":  func(v ir.Value) bool { return v.Type == stdlib.Regex && v.Regex.MatchString("web1") },
		"l":  func(v ir.Value) bool { return v.Type == stdlib.Lambda && v.Lambda.Body != nil },
		"g": func(v ir.Value) bool {
			return v.Type == stdlib.List && len(v.List) == 2 && v.List[0].Str == "host" && v.List[1].Type == stdlib.Star
		},
		"st": func(v ir.Value) bool { return v.Type == stdlib.Star },
	}
	for name, ok := range checks {
		if !ok(vars[name]) {
			t.Errorf("%s = %+v", name, vars[name])
		}
	}

	bad := []struct{ json, err string }{
		{`{"x": {"type": "int", "value": 1.5}}`, "vars: x: want an integer, got 1.5"},
		{`{"x": {"type": "time", "value": 1}}`, `vars: x: invalid var type "time"`},
		{`{"x": {"type": "duration", "value": "1h30m"}}`, `vars: x: invalid duration "1h30m": unknown unit "h30m" (want u, ms, s, m, h, d or w)`},
		{`{"x": {"type": "list", "value": [{"type": "string"}]}}`, "vars: x: list item 0: expected list value key in object"},
		{`{"x": {"type": "list", "value": [{"type": "int", "value": 1}]}}`, `vars: x: list item 0: unsupported list item type "int"; list items are strings or star`},
		{`{"x": {"type": "lambda", "value": "\"a\" >"}}`, `vars: x: invalid lambda`},
		{`{"x": {"type": "string"}}`, "vars: x: missing value for a string var"},
	}
	for _, b := range bad {
		_, err := check.VarsFromJSON([]byte(b.json))
		if err == nil || !strings.HasPrefix(err.Error(), b.err) {
			t.Errorf("%s: err = %v, want %s", b.json, err, b.err)
		}
	}
}

// TestSuppliedLambdaErrors: errors in a supplied lambda are reported at
// the var's declaration, with the place in the lambda's own text.
func TestSuppliedLambdaErrors(t *testing.T) {
	vars, err := check.VarsFromJSON([]byte(`{"crit": {"type": "lambda", "value": "\"a\" > limit"}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, diags := checkSrc(t, "var crit lambda\nstream|from()|alert().crit(crit).log('/tmp/a')", check.Options{Vars: vars})
	got := strings.Join(lines(diags), "\n")
	if !strings.HasPrefix(got, `1:5: in the lambda supplied for crit (at 1:7 of its text): name "limit" is undefined`) {
		t.Errorf("got %s", got)
	}
}
