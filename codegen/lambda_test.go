package codegen

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
)

// testRow is a row a test lambda runs on.
type testRow struct {
	fields map[string]any // float64, int, int64, string, bool
	tags   map[string]string
	time   int64 // Unix ns; 0 means rowTime
}

// rowTime is 2021-03-04T05:06:07Z, a Thursday.
const rowTime = 1614834367000000000

// rowA is the row most cases read.
var rowA = testRow{
	fields: map[string]any{
		"usage_idle": 42.5, "usage_user": 3.0, "usage_system": 4.0,
		"i": 7, "s": "hello world", "b": true,
	},
	tags: map[string]string{"host": "web01", "cpu": "cpu0", "dc": "us-east"},
}

func vals(field string, vs ...any) []testRow {
	out := make([]testRow, len(vs))
	for i, v := range vs {
		out[i] = testRow{fields: map[string]any{field: v}}
	}
	return out
}

// lambdaCase is a lambda, the rows it runs on (with one state) and the
// results: "kind:value" (rt.Value.String), "missing:name" or "error:msg".
type lambdaCase struct {
	decls string
	expr  string
	pred  bool // evaluate with rt.EvalPredicate
	plain bool // compile without fast paths and reference hints
	rows  []testRow
	want  []string
}

func one(expr, want string) lambdaCase {
	return lambdaCase{expr: expr, rows: []testRow{rowA}, want: []string{want}}
}

func withVars(decls, expr, want string) lambdaCase {
	c := one(expr, want)
	c.decls = decls
	return c
}

func onRows(expr string, rows []testRow, want ...string) lambdaCase {
	return lambdaCase{expr: expr, rows: rows, want: want}
}

func predicate(expr string, row testRow, want string) lambdaCase {
	return lambdaCase{expr: expr, pred: true, rows: []testRow{row}, want: []string{want}}
}

const mismatch = ". see bool(), int(), float(), string(), duration()"

var lambdaCases = []lambdaCase{
	// Comparisons, int and float mix only here.
	one(`"usage_idle" < 70.0`, "boolean:true"),
	one(`"usage_idle" > 70`, "boolean:false"),
	one(`"i" > 6.5`, "boolean:true"),
	one(`"i" == 7.0`, "boolean:true"),
	one(`7.0 == "i"`, "boolean:true"),
	one(`"host" == 'web01'`, "boolean:true"),
	one(`"s" > 'hello'`, "boolean:true"),
	one(`'abc' < 'abd'`, "boolean:true"),
	one(`"i" > 3 == TRUE`, "boolean:true"),
	one(`"usage_idle" != float('NaN')`, "boolean:true"),
	one(`float('NaN') == float('NaN')`, "boolean:false"),
	one(`duration("i", 1s) > 5s`, "boolean:true"),
	one(`"b" < "b"`, "error:invalid comparison operator < for type boolean"),
	// Arithmetic never mixes int and float.
	one(`"i" + 1`, "int:8"),
	one(`"i" + 1.0`, "error:mismatched type to binary operator. got int + float"+mismatch),
	one(`"usage_idle" + 1`, "error:mismatched type to binary operator. got float + int"+mismatch),
	one(`"s" - "s"`, "error:invalid math operator - for type string"),
	one(`"s" + '!'`, "string:hello world!"),
	one(`'it\'s ' + "s"`, "string:it's hello world"),
	one(`100.0 - "usage_idle"`, "float:57.5"),
	one(`"usage_idle" / 0.0`, "float:+Inf"),
	one(`"i" / ("i" - 7)`, "error:runtime error: integer divide by zero"),
	one(`"i" % ("i" - 7)`, "error:runtime error: integer divide by zero"),
	one(`int("usage_idle") / (7 - "i")`, "error:runtime error: integer divide by zero"),
	one(`(0 - "i") % 3`, "int:-1"),
	one(`(0 - "i") / 2`, "int:-3"),
	one(`9223372036854775807 + "i"`, "int:-9223372036854775802"),
	one(`int("usage_idle") * 3`, "int:126"),
	one(`float(2 * 3) + 1.5 * 2.0`, "float:9"),
	one(`-"usage_idle"`, "float:-42.5"),
	one(`-"s"`, "error:invalid unary operator - for type string"),
	one(`-float("i") * 2.0`, "float:-14"),
	// Durations.
	one(`10s / 3s`, "int:3"),
	one(`"i" * 1s`, "duration:7s"),
	one(`1.5 * 1s`, "duration:1.5s"),
	one(`"i" * 2s - 4s`, "duration:10s"),
	one(`5m + 30s`, "duration:5m30s"),
	one(`duration("i", 1m) / 2`, "duration:3m30s"),
	one(`duration("i", 1m) / ("i" - 7)`, "error:runtime error: integer divide by zero"),
	// Missing references.
	one(`"nope" > 1`, `error:left reference value "nope" is missing value`),
	one(`1 < "nope"`, `error:right reference value "nope" is missing value`),
	one(`"nope" + 1`, "error:invalid math operator + for type missing"),
	one(`"usage_idle" + "nope"`, "error:mismatched type to binary operator. got float + missing"+mismatch),
	one(`"nope"`, "missing:nope"),
	predicate(`"nope"`, rowA, `error:reference "nope" is missing value`),
	predicate(`"b"`, rowA, "boolean:true"),
	predicate(`"i"`, rowA, "error:TypeGuard: expression returned unexpected type int, expected boolean"),
	// Regexes.
	one(`"host" =~ /^web/`, "boolean:true"),
	one(`"host" !~ /^web/`, "boolean:false"),
	one(`"dc" =~ /^us-/ AND "cpu" != 'cpu-total'`, "boolean:true"),
	one(`"i" =~ /7/`, "error:invalid comparison operator =~ for type int"),
	one(`"nope" =~ /7/`, `error:left reference value "nope" is missing value`),
	one(`'cat' =~ if("b", /a/, /z/)`, "boolean:true"),
	withVars(`var re = /^web/`, `"host" =~ re`, "boolean:true"),
	// Logical operators.
	one(`"b" AND TRUE`, "boolean:true"),
	one(`"b" AND "i" > 100`, "boolean:false"),
	one(`"i" AND TRUE`, "error:invalid logical operator AND for type int"),
	one(`TRUE AND "i"`, "error:mismatched type to binary operator. got boolean AND int"+mismatch),
	one(`"i" > 1 AND "i"`, "error:mismatched type to binary operator. got boolean AND int"+mismatch),
	one(`isPresent("nope") AND "nope" > 1`, "boolean:false"),
	one(`isPresent("i") OR "nope" > 1`, "boolean:true"),
	one(`"i" < 1 OR "nope" > 1`, `error:left reference value "nope" is missing value`),
	one(`"usage_idle" > 40 AND "usage_idle" < 50 OR "s" == 'x'`, "boolean:true"),
	one(`!"b"`, "boolean:false"),
	one(`!("i" > 10)`, "boolean:true"),
	one(`!"i"`, "error:TypeGuard: expression returned unexpected type int, expected boolean"),
	// Type conversion.
	one(`string(90s)`, "string:90s"),
	one(`string(1500ms)`, "string:1500ms"),
	one(`string(14d)`, "string:2w"),
	one(`string(duration("i", 1u) / 7)`, "string:1u"),
	one(`string(1.0)`, "string:1"),
	one(`string(-1.5) + 'x'`, "string:-1.5x"),
	one(`string("i")`, "string:7"),
	one(`string("b")`, "string:true"),
	one(`strLength(string("i" * 1000))`, "int:4"),
	one(`bool('T')`, "boolean:true"),
	one(`bool("s")`, `error:error calling "bool": strconv.ParseBool: parsing "hello world": invalid syntax`),
	one(`bool("i" - 5)`, `error:error calling "bool": cannot convert 2 to boolean`),
	one(`bool(float("i") - 6.0)`, "boolean:true"),
	one(`int('12')`, "int:12"),
	one(`int(-3.9)`, "int:-3"),
	one(`int("b")`, "int:1"),
	one(`int("s")`, `error:error calling "int": strconv.ParseInt: parsing "hello world": invalid syntax`),
	one(`float('1e3')`, "float:1000"),
	one(`float("i")`, "float:7"),
	one(`duration('5m', 1s)`, "duration:5m0s"),
	one(`duration("s", 1s)`, `error:error calling "duration": invalid duration string "hello world"`),
	// Signatures.
	one(`sigma("i")`, `error:Cannot call function "sigma" with args ("i": int), available signatures are [(float)].`),
	one(`abs("nope") + "usage_idle"`, `error:Cannot call function "abs" argument "nope" is missing, values in scope are ["usage_idle"]`),
	one(`abs("s" + 1.0)`, "error:Failed to handle 1 argument: mismatched type to binary operator. got string + float"+mismatch),
	one(`sqrt(abs("i"))`, `error:Failed to handle 1 argument: Cannot call function "abs" with args ("i": int), available signatures are [(float)].`),
	// Math.
	one(`abs("usage_idle" - 50.0)`, "float:7.5"),
	one(`sqrt(pow("usage_user", 2.0) + pow("usage_system", 2.0))`, "float:5"),
	one(`log10(1.0 + "usage_user")`, "float:0.6020599913279624"),
	one(`floor("usage_idle" * 10.0) / 10.0`, "float:42.5"),
	one(`mod(-7.0, float("i") - 4.0)`, "float:-1"),
	one(`max("usage_user", "usage_system")`, "float:4"),
	one(`pow10("i" - 4)`, "float:1000"),
	one(`jn(1, "usage_idle" - 40.5)`, "float:0.5767248077568733"),
	one(`sqrt(-1.0 * "usage_user") == sqrt(-1.0)`, "boolean:false"),
	// Strings.
	one(`strContains("s", 'world')`, "boolean:true"),
	one(`strCount("s", 'o')`, "int:2"),
	one(`abs("s" - "s")`, "error:Failed to handle 1 argument: invalid math operator - for type string"),
	one(`strIndex("s", 'o')`, "int:4"),
	one(`strLastIndex("s", 'o')`, "int:7"),
	one(`strLength('héllo') + strLength("host")`, "int:11"),
	one(`strReplace("s", 'o', '0', 1)`, "string:hell0 world"),
	one(`strReplace("s", 'o', '0', -1)`, "string:hell0 w0rld"),
	one(`strSubstring("s", 0, 5)`, "string:hello"),
	one(`strSubstring("host", 0, 5)`, `error:error calling "strSubstring": stop index too large for string in strSubstring: 5`),
	one(`strSubstring("host", -1, 2)`, `error:error calling "strSubstring": found negative index for strSubstring: -1`),
	one(`strToUpper("host")`, "string:WEB01"),
	one(`strTrim('xxhixx', 'x') + strTrimLeft('abcba', 'ab') + strTrimPrefix('abcab', 'ab')`, "string:hicbacab"),
	one(`strTrimSpace('  a ') + strTrimSuffix("host", '01')`, "string:aweb"),
	one(`strHasPrefix("host", 'we') AND strHasSuffix("host", '01')`, "boolean:true"),
	one(`regexReplace(/a(b)/, 'xab', '$1$1')`, "string:xbb"),
	one(`regexReplace(/(\d+)/, "host", '<$1>')`, "string:web<01>"),
	// Presence, time, formatting, if.
	one(`isPresent("i")`, "boolean:true"),
	one(`isPresent("nope")`, "boolean:false"),
	one(`unixNano("time")`, "int:1614834367000000000"),
	one(`hour("time") * 100 + minute("time")`, "int:506"),
	one(`weekday("time") * 10000 + month("time") * 100 + day("time")`, "int:40304"),
	one(`year("time")`, "int:2021"),
	one(`unixNano(now()) > 1600000000000000000`, "boolean:true"),
	one(`humanBytes(123456789)`, "string:124 MB"),
	one(`humanBytes(1500.0)`, "string:1.5 kB"),
	one(`humanBytes("i" - 2)`, "string:5 B"),
	one(`humanBytes(82854982)`, "string:83 MB"),
	one(`humanBytes(999999)`, "string:1000 kB"),
	one(`if("i" > 5, 'big', 'small')`, "string:big"),
	one(`if("b", "i", "i" * 2)`, "int:7"),
	one(`if("i", 1, 2)`, `error:Cannot call function "if" with args ("i": int,1: int,2: int), available signatures are `+sigIfText+`.`),
	// Stateful functions: one state per function per expression.
	onRows(`count() + count()`, []testRow{rowA, rowA}, "int:3", "int:7"),
	onRows(`sigma("v")`, vals("v", 1.0, 2.0, 3.0), "float:0", "float:0.7071067811865475", "float:1"),
	onRows(`spread("v")`, vals("v", 1.0, 3.0, 2.0), "float:0", "float:2", "float:2"),
	// spread() sees only the rows that count() lets through.
	onRows(`count() > 1 AND spread("v") > 0.5`, vals("v", 1.0, 3.0, 2.0), "boolean:false", "boolean:false", "boolean:true"),
	// AND stops before count() on the first row; if() evaluates both branches.
	onRows(`if("v" > 1.0 AND count() > 0, count(), 0)`, vals("v", 1.0, 3.0, 2.0), "int:0", "int:3", "int:5"),
	// Script vars inlined when the lambda is defined.
	withVars("var crit = 40.0\nvar base = lambda: \"usage_idle\" > crit", `base AND "i" == 7`, "boolean:true"),
	withVars("var n = 3\nvar unit = 2m", `duration("i" + n, unit)`, "duration:20m0s"),
	withVars("var f = 'usage'", `"host" + f`, "string:web01usage"),
	// Field names that look like the generated code's own names.
	onRows(`"lambda0Re" =~ /x/ AND "err" + "r" + "st" + "rt" + "math" == 'abcde'`, []testRow{{fields: map[string]any{
		"lambda0Re": "x", "err": "a", "r": "b", "st": "c", "rt": "d", "math": "e"}}}, "boolean:true"),
	// A field and a tag of one name: any lambda naming it fails.
	onRows(`FALSE AND "host" == 'x'`, []testRow{{fields: map[string]any{"host": 1.0}, tags: map[string]string{"host": "h"}}},
		`error:cannot have field and tags with same name "host"`),
}

const sigIfText = "[(boolean,float,float), (boolean,int,int), (boolean,string,string), (boolean,boolean,boolean), (boolean,regex,regex), (boolean,time,time), (boolean,duration,duration)]"

// rowVars declares each list of rows the cases share once.
type rowVars struct {
	names map[*testRow]string
	decls []jen.Code
}

// of returns the variable holding rows.
func (v *rowVars) of(rows []testRow) jen.Code {
	if len(rows) == 0 {
		return jen.Nil()
	}
	if v.names == nil {
		v.names = map[*testRow]string{}
	}
	name, ok := v.names[&rows[0]]
	if !ok {
		name = fmt.Sprintf("rows%d", len(v.names))
		v.names[&rows[0]] = name
		codes := make([]jen.Code, len(rows))
		for i, r := range rows {
			codes[i] = rowCode(r)
		}
		v.decls = append(v.decls, jen.Var().Id(name).Op("=").Index().Op("*").Add(rt("Row")).Values(codes...))
	}
	return jen.Id(name)
}

// rowCode writes a test row as an *rt.Row literal.
func rowCode(r testRow) jen.Code {
	keys := make([]string, 0, len(r.fields))
	for k := range r.fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fields []jen.Code
	for _, k := range keys {
		var v jen.Code
		switch x := r.fields[k].(type) {
		case float64:
			v = rt("Float").Call(jen.Lit(x))
		case int:
			v = rt("Int").Call(jen.Lit(x))
		case string:
			v = rt("String").Call(jen.Lit(x))
		case bool:
			v = rt("Bool").Call(jen.Lit(x))
		default:
			panic(fmt.Sprintf("field %s: %T", k, x))
		}
		fields = append(fields, jen.Values(jen.Lit(k), v))
	}
	keys = keys[:0]
	for k := range r.tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var tags []jen.Code
	for _, k := range keys {
		tags = append(tags, jen.Values(jen.Lit(k), jen.Lit(r.tags[k])))
	}
	t := r.time
	if t == 0 {
		t = rowTime
	}
	return jen.Op("&").Add(rt("Row")).Values(jen.Dict{
		jen.Id("Time"):   jen.Id(strconv.FormatInt(t, 10)),
		jen.Id("Tags"):   rt("Tags").Values(tags...),
		jen.Id("Fields"): rt("Fields").Values(fields...),
	})
}

// runnerMain is the main of the test program: it evaluates every case on
// its rows and prints "case row result" lines.
var runnerMain = jen.Func().Id("main").Params().Block(
	jen.For(jen.List(jen.Id("i"), jen.Id("c")).Op(":=").Range().Id("cases")).Block(
		jen.Var().Id("st").Add(rt("LambdaState")),
		jen.For(jen.List(jen.Id("j"), jen.Id("row")).Op(":=").Range().Id("c").Dot("rows")).Block(
			jen.Var().Id("out").String(),
			jen.If(jen.Id("c").Dot("pred")).Block(
				jen.List(jen.Id("ok"), jen.Err()).Op(":=").Add(rt("EvalPredicate")).Call(jen.Id("c").Dot("l"), jen.Id("row"), jen.Op("&").Id("st")),
				jen.Id("out").Op("=").Lit("boolean:").Op("+").Qual("strconv", "FormatBool").Call(jen.Id("ok")),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("out").Op("=").Lit("error:").Op("+").Err().Dot("Error").Call()),
			).Else().Block(
				jen.List(jen.Id("v"), jen.Err()).Op(":=").Id("c").Dot("l").Dot("Func").Call(jen.Id("row"), jen.Op("&").Id("st")),
				jen.Id("out").Op("=").Id("v").Dot("Kind").Dot("String").Call().Op("+").Lit(":").Op("+").Id("v").Dot("String").Call(),
				jen.If(jen.Id("v").Dot("Kind").Op("==").Add(rt("KindMissing"))).Block(
					jen.Id("out").Op("=").Lit("missing:").Op("+").Id("v").Dot("S"),
				),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("out").Op("=").Lit("error:").Op("+").Err().Dot("Error").Call()),
			),
			jen.Qual("fmt", "Println").Call(jen.Id("i"), jen.Id("j"), jen.Qual("strconv", "Quote").Call(jen.Id("out"))),
		),
	),
)

// lambdaRuntimeFiles are the runtime files compiled lambdas need. The test
// program links a runtime package made of only these, so that the rest of
// the runtime, which other work may have half-written, cannot break it.
var lambdaRuntimeFiles = []string{"value.go", "point.go", "lambda.go", "ops.go", "funcs.go"}

// buildAndRun writes src as the main package of a module whose
// github.com/tickc/tickc/runtime is the lambda part of this repository's
// runtime, runs it with TZ=UTC and returns its output.
func buildAndRun(t *testing.T, src string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a program")
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod := filepath.Join(dir, "tickc")
	files := map[string][]byte{
		"tickc/go.mod":    []byte("module github.com/tickc/tickc\n\ngo 1.26\n"),
		"prog/go.mod":     []byte("module lambdatest\n\ngo 1.26\n\nrequire github.com/tickc/tickc v0.0.0\n\nreplace github.com/tickc/tickc => " + mod + "\n"),
		"prog/main.go":    []byte(src),
		"prog/go.sum":     nil,
		"tickc/runtime/x": nil,
	}
	delete(files, "tickc/runtime/x")
	for _, f := range lambdaRuntimeFiles {
		data, err := os.ReadFile(filepath.Join(repo, "runtime", f))
		if err != nil {
			t.Fatal(err)
		}
		files["tickc/runtime/"+f] = data
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "lambdatest")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join(dir, "prog")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s\n%s", err, out, numbered(src))
	}
	run := exec.Command(bin)
	run.Env = append(os.Environ(), "TZ=UTC")
	out, err := run.Output()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return string(out)
}

func numbered(src string) string {
	lines := strings.Split(src, "\n")
	for i := range lines {
		lines[i] = fmt.Sprintf("%4d %s", i+1, lines[i])
	}
	return strings.Join(lines, "\n")
}

// TestLambdaCases compiles every case into one program, runs it and
// compares each result.
func TestLambdaCases(t *testing.T) {
	if len(lambdaCases) < 60 {
		t.Errorf("only %d cases", len(lambdaCases))
	}
	got := runCompiled(t, lambdaCases)
	for i, c := range lambdaCases {
		for j, want := range c.want {
			if g := got[[2]int{i, j}]; g != want {
				t.Errorf("%s (row %d):\n got %s\nwant %s", c.expr, j, g, want)
			}
		}
	}
}

// runCompiled compiles the cases' lambdas into one program, runs every
// lambda on its rows (one state per case) and returns the results by
// case and row, as "kind:value", "missing:name" or "error:message".
func runCompiled(t *testing.T, cases []lambdaCase) map[[2]int]string {
	t.Helper()
	g := newTestGen()
	var entries []jen.Code
	var rowLists rowVars
	checked := make([]*ir.Lambda, len(cases))
	for i, c := range cases {
		l, err := tryCheckLambda(c.decls, c.expr)
		if err != nil {
			t.Error(err)
		}
		checked[i] = l
	}
	if t.Failed() {
		t.FailNow()
	}
	for i, c := range cases {
		lambdaFastPaths = !c.plain
		code, err := g.Lambda(checked[i])
		lambdaFastPaths = true
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		entries = append(entries, jen.Values(jen.Dict{
			jen.Id("l"):    code,
			jen.Id("pred"): jen.Lit(c.pred),
			jen.Id("rows"): rowLists.of(c.rows),
		}))
	}
	casesVar := jen.Var().Id("cases").Op("=").Index().Struct(
		jen.Id("l").Op("*").Add(rt("Lambda")),
		jen.Id("pred").Bool(),
		jen.Id("rows").Index().Op("*").Add(rt("Row")),
	).Values(entries...)
	src := render(t, g, append(rowLists.decls, casesVar, runnerMain)...)
	if _, err := parser.ParseFile(token.NewFileSet(), "main.go", src, parser.AllErrors); err != nil {
		t.Fatalf("generated code does not parse: %v", err)
	}
	out := buildAndRun(t, src)
	got := map[[2]int]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var i, j int
		var q string
		if _, err := fmt.Sscanf(sc.Text(), "%d %d %q", &i, &j, &q); err != nil {
			t.Fatalf("bad output line %q: %v", sc.Text(), err)
		}
		got[[2]int{i, j}] = q
	}
	return got
}
