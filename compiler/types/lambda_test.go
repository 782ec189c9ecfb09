package types

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/compiler/parser"
	"github.com/tickc/tickc/stdlib"
)

// mapEnv is an Env over a fixed set of vars.
type mapEnv map[string]ir.Value

func (e mapEnv) Var(name string) (ir.Value, bool) { v, ok := e[name]; return v, ok }

func (e mapEnv) Names() []string {
	names := make([]string, 0, len(e))
	for n := range e {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func mustParse(t testing.TB, src string) ast.Expr {
	t.Helper()
	x, d := parser.ParseLambda(src)
	if len(d) > 0 {
		t.Fatalf("parse %q: %v", src, d)
	}
	return x
}

// testEnv builds the vars the testdata cases use.
func testEnv(t testing.TB) mapEnv {
	env := mapEnv{
		"crit":   {Type: stdlib.Float, Float: 90},
		"n":      {Type: stdlib.Int, Int: 5},
		"host":   {Type: stdlib.String, Str: "web01"},
		"re":     {Type: stdlib.Regex, Str: "^web", Regex: regexp.MustCompile("^web")},
		"d":      {Type: stdlib.Duration, Dur: 10 * time.Second},
		"on":     {Type: stdlib.Bool, Bool: true},
		"tmpl":   {Type: stdlib.Lambda},
		"s":      {Type: stdlib.Node, Node: &ir.Node{}},
		"groups": {Type: stdlib.List, List: []ir.Value{{Type: stdlib.String, Str: "host"}}},
		"all":    {Type: stdlib.Star},
		"broken": {},
		"fref":   {Type: stdlib.Missing, Ref: true, Str: "f"},
		"td":     {Type: stdlib.TimeDim, Dur: time.Minute},
		"time":   {Str: "time"}, // as the checker binds the predefined name
	}
	for name, body := range map[string]string{
		"isHot":    `"cpu" > crit`,
		"counting": `count() > 3`,
	} {
		var d diag.List
		lam := CheckLambda(mustParse(t, body), env, &d)
		if len(d) > 0 {
			t.Fatalf("%s: %v", name, d)
		}
		env[name] = ir.Value{Type: stdlib.Lambda, Lambda: lam}
	}
	return env
}

type lambdaCase struct {
	line int
	body string
	want string
}

func loadCases(t *testing.T, file string) []lambdaCase {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []lambdaCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		body, want, ok := strings.Cut(line, " ==> ")
		if !ok {
			t.Fatalf("%s:%d: no ==>", file, n)
		}
		cases = append(cases, lambdaCase{n, strings.ReplaceAll(body, "⏎", "\n"), want})
	}
	return cases
}

// describeLambda renders what a case expects: the errors, or the result
// with refs and statefulness.
func describeLambda(lam *ir.Lambda, d diag.List) string {
	if len(d) > 0 {
		msgs := make([]string, len(d))
		for i, x := range d {
			msgs[i] = x.Error()
		}
		return strings.Join(msgs, " && ")
	}
	s := "unknown"
	if lam.Result != 0 {
		s = altName(lam.Result)
	}
	if len(lam.Refs) > 0 {
		s += " refs=" + strings.Join(lam.Refs, ",")
	}
	if lam.Stateful {
		s += " stateful"
	}
	return s
}

func TestCheckLambda(t *testing.T) {
	env := testEnv(t)
	cases := loadCases(t, "testdata/lambdas.txt")
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		body := mustParse(t, tc.body)
		var d diag.List
		lam := CheckLambda(body, env, &d)
		if got := describeLambda(lam, d); got != tc.want {
			t.Errorf("lambdas.txt:%d: %s\n got: %s\nwant: %s", tc.line, tc.body, got, tc.want)
		}
		checkTypesComplete(t, tc, body, lam)
	}
}

// checkTypesComplete asserts that Lambda.Types has every subexpression
// and that the body's entry is the result.
func checkTypesComplete(t *testing.T, tc lambdaCase, body ast.Expr, lam *ir.Lambda) {
	t.Helper()
	ast.Inspect(body, func(n ast.Node) bool {
		x, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		if _, isCallee := n.(*ast.Ident); isCallee && isFunName(body, n) {
			return true
		}
		if _, ok := lam.Types[x]; !ok {
			t.Errorf("lambdas.txt:%d: no type recorded for %T at %v", tc.line, x, x.Pos())
		}
		return true
	})
	if lam.Types[body] != lam.Result {
		t.Errorf("lambdas.txt:%d: Types[body] = %v, Result = %v", tc.line, lam.Types[body], lam.Result)
	}
}

func isFunName(body ast.Expr, n ast.Node) bool {
	found := false
	ast.Inspect(body, func(m ast.Node) bool {
		if c, ok := m.(*ast.CallExpr); ok && ast.Node(c.Fun) == n {
			found = true
		}
		return !found
	})
	return found
}

func TestCheckLambdaInlined(t *testing.T) {
	env := testEnv(t)
	body := mustParse(t, `"cpu" > crit AND isHot AND "host" == host`)
	var d diag.List
	lam := CheckLambda(body, env, &d)
	if len(d) > 0 {
		t.Fatal(d)
	}
	got := map[string]string{}
	for id, v := range lam.Inlined {
		got[id.Name] = fmt.Sprintf("%s@%v", TypeName(v.Type), id.Pos())
		if id.Name == "isHot" && (v.Lambda == nil || v.Lambda.Result != stdlib.Bool) {
			t.Errorf("isHot inlined without its checked lambda: %+v", v.Lambda)
		}
	}
	want := map[string]string{"crit": "float@1:9", "isHot": "lambda@1:18", "host": "string@1:38"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Inlined = %v, want %v", got, want)
	}
	if fmt.Sprint(lam.Refs) != "[cpu host]" {
		t.Errorf("Refs = %v", lam.Refs)
	}
}

// An unchecked lambda var (a template value supplied from outside) is
// checked when inlined, and its errors are reported.
func TestCheckLambdaUncheckedVar(t *testing.T) {
	env := testEnv(t)
	env["supplied"] = ir.Value{Type: stdlib.Lambda, Lambda: &ir.Lambda{Body: mustParse(t, `sigma("v") > 'a'`)}}
	var d diag.List
	lam := CheckLambda(mustParse(t, `supplied OR "w" > 1`), env, &d)
	if len(d) != 1 || !strings.Contains(d[0].Msg, "mismatched type to binary operator. got float > string") {
		t.Fatalf("diags = %v", d)
	}
	if !lam.Stateful || fmt.Sprint(lam.Refs) != "[v w]" {
		t.Errorf("Stateful = %v, Refs = %v", lam.Stateful, lam.Refs)
	}
}

func TestCheckLambdaNilBody(t *testing.T) {
	var d diag.List
	lam := CheckLambda(nil, mapEnv{}, &d)
	if lam == nil || lam.Result != 0 || len(d) != 0 {
		t.Errorf("CheckLambda(nil) = %+v, %v", lam, d)
	}
}

func TestErrorSpans(t *testing.T) {
	env := testEnv(t)
	for _, tc := range []struct {
		src        string
		start, end string
		code       string
	}{
		{`"a" AND 1`, "1:9", "1:10", CodeType},
		{`1 AND TRUE`, "1:1", "1:2", CodeType},
		{`1.0 + 2`, "1:5", "1:6", CodeType},
		{`"x" =~ 'a'`, "1:8", "1:11", CodeType},
		{`1 + 'a'`, "1:3", "1:4", CodeType},
		{`abs(1)`, "1:5", "1:6", CodeType},
		{`ab(1.0)`, "1:1", "1:3", CodeUndefined},
		{`xyz`, "1:1", "1:4", CodeUndefined},
		{`"x" > groups`, "1:7", "1:13", CodeType},
	} {
		var d diag.List
		CheckLambda(mustParse(t, tc.src), env, &d)
		if len(d) != 1 {
			t.Fatalf("%s: %v", tc.src, d)
		}
		if d[0].Pos.String() != tc.start || d[0].End.String() != tc.end || d[0].Code != tc.code {
			t.Errorf("%s: span %v-%v code %q, want %s-%s %q", tc.src, d[0].Pos, d[0].End, d[0].Code, tc.start, tc.end, tc.code)
		}
	}
}

// laterEnv also knows the vars declared further down.
type laterEnv struct {
	mapEnv
	later map[string]ast.Pos
}

func (e laterEnv) DeclaredLater(name string) (ast.Pos, bool) {
	p, ok := e.later[name]
	return p, ok
}

func TestUsedBeforeDeclared(t *testing.T) {
	env := laterEnv{testEnv(t), map[string]ast.Pos{"limit": {Offset: 200, Line: 10, Col: 5}}}
	want := `1:7: name "limit" is used before it is declared (at 10:5)`
	var d diag.List
	CheckLambda(mustParse(t, `"x" > limit`), env, &d)
	if len(d) != 1 || d[0].Error() != want {
		t.Errorf("CheckLambda: %v, want %s", d, want)
	}
	d = nil
	EvalConst(mustParse(t, `1 + limit`), env, &d)
	if want := `1:5: name "limit" is used before it is declared (at 10:5)`; len(d) != 1 || d[0].Error() != want {
		t.Errorf("EvalConst: %v, want %s", d, want)
	}
}

// A var named time that is unknown after an error (a failed redefinition)
// is quiet; only the predefined binding gets the group-by-time hint.
func TestPoisonedTimeIsQuiet(t *testing.T) {
	env := testEnv(t)
	env["time"] = ir.Value{}
	var d diag.List
	CheckLambda(mustParse(t, `hour(time) > 1`), env, &d)
	if _, ok := EvalConst(mustParse(t, `time * 2`), env, &d); ok || len(d) != 0 {
		t.Errorf("ok=%v diags=%v", ok, d)
	}
}
