package parser

import (
	"testing"

	"github.com/tickc/tickc/compiler/ast"
)

// parseOK parses src and fails the test on any diagnostic.
func parseOK(t *testing.T, src string) *ast.Program {
	t.Helper()
	prog, diags := ParseFile("test.tick", []byte(src))
	if len(diags) > 0 {
		t.Fatalf("ParseFile(%q): unexpected diagnostics:\n%v", src, diags)
	}
	checkPositions(t, src, prog)
	return prog
}

func TestShapes(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// Precedence (spec §4.1) and associativity.
		{"mul binds tighter than add", `var x = 1 + 2 * 3`, `(var x = (+ int(1) (* int(2) int(3))))`},
		{"sub is left associative", `var x = 1 - 2 - 3`, `(var x = (- (- int(1) int(2)) int(3)))`},
		{"div and mod left associative", `var x = 8 / 4 % 3`, `(var x = (% (/ int(8) int(4)) int(3)))`},
		{"unary binds to the primary", `var x = -a * b`, `(var x = (* (- a) b))`},
		{"unary after binary", `var x = 2 * -3`, `(var x = (* int(2) (- int(3))))`},
		{"double not", `var x = !!a`, `(var x = (! (! a)))`},
		{"ordering above equality", `var x = "x" > 1 == TRUE`, `(var x = (== (> ref(x) int(1)) TRUE))`},
		{"comparison chains parse", `var x = 1 < 2 < 3`, `(var x = (< (< int(1) int(2)) int(3)))`},
		{"AND above OR", `var x = a OR b AND c`, `(var x = (OR a (AND b c)))`},
		{"not then AND", `var x = !a AND b`, `(var x = (AND (! a) b))`},
		{"regex match", `var x = "host" =~ /^web/ AND "cpu" !~ /total/`, `(var x = (AND (=~ ref(host) re(^web)) (!~ ref(cpu) re(total))))`},
		{"parens override", `var x = (1 + 2) * 3`, `(var x = (* (paren (+ int(1) int(2))) int(3)))`},
		{"all levels", `var x = a OR b AND c == d < e + f * -g`,
			`(var x = (OR a (AND b (== c (< d (+ e (* f (- g))))))))`},

		// Chains.
		{"pipe and dot", `stream|from().measurement('cpu')|window().period(10s)`,
			`(. (| (. (| stream from()) measurement() "cpu") window()) period() dur(10s))`},
		{"dynamic method", `a@myUDF().field('x', 1)`, `(. (@ a myUDF()) field() "x" int(1))`},
		{"property read", `var p = w.period`, `(var p = (. w period))`},
		{"chain over lines", "stream\n    |from()\n        .measurement('cpu')\n", `(. (| stream from()) measurement() "cpu")`},
		{"chain argument", `a|join(b|from(), c).as('a', 'b',)`, `(. (| a join() (| b from()) c) as() "a" "b")`},
		{"global call in groupBy", `batch|query('q').groupBy(time(1m, 10s), *)`,
			`(. (| batch query() "q") groupBy() (call time dur(1m0s) dur(10s)) *)`},
		{"lambda argument", `stream|from().where(lambda: "a" > 1 AND "b" < 2.5)`,
			`(. (| stream from()) where() (lambda (AND (> ref(a) int(1)) (< ref(b) float(2.5)))))`},
		{"lambda function call", `var x = lambda: sigma("v", 2) > 3.0`, `(var x = (lambda (> (call sigma ref(v) int(2)) float(3))))`},
		{"call continues on the next line", "var x = a\n(b)", `(var x = (call a b))`},
		{"minus on the next line subtracts", "var x = a\n- 1", `(var x = (- a int(1)))`},

		// Statements.
		{"dbrp", `dbrp "telegraf"."autogen"`, `(dbrp ref(telegraf) ref(autogen))`},
		{"type decl", `var crit float`, `(var crit float)`},
		{"two statements on one line", `var a = 1 var b = 2`, `(var a = int(1)); (var b = int(2))`},
		{"statement after a chain", "var s = stream|from()\ns|log()", `(var s = (| stream from())); (| s log())`},
		{"list with trailing comma", `var g = ['a', b, *,]`, `(var g = [list "a" b *])`},
		{"empty list", `var g = []`, `(var g = [list])`},
		{"statement lambda", `lambda: TRUE`, `(lambda TRUE)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dumpProgram(parseOK(t, tt.src)); got != tt.want {
				t.Errorf("parse %q\n got %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

// TestLexerCorners covers the lexical rules of spec §2: regex versus
// division, keywords, number and duration forms, escapes.
func TestLexerCorners(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// `/` is a regex where an operand may start, a division after one.
		{"division after reference", `var x = "a" / 2`, `(var x = (/ ref(a) int(2)))`},
		{"division after paren", `var x = (x) / 2`, `(var x = (/ (paren x) int(2)))`},
		{"division after ident", `var x = a/b`, `(var x = (/ a b))`},
		{"division after number", `var x = 10/2`, `(var x = (/ int(10) int(2)))`},
		{"division after duration", `var x = 10s/2`, `(var x = (/ dur(10s) int(2)))`},
		{"division after string", `var x = 'a' / 2`, `(var x = (/ "a" int(2)))`},
		{"division after TRUE", `var x = TRUE / 2`, `(var x = (/ TRUE int(2)))`},
		{"regex in parens", `var x = (/ab/)`, `(var x = (paren re(ab)))`},
		{"regex argument", `f(/ab/)`, `(call f re(ab))`},
		{"regex after assign", `var r = /^cpu/`, `(var r = re(^cpu))`},
		{"regex after =~ without space", `var x = "a"=~/b/`, `(var x = (=~ ref(a) re(b)))`},
		{"regex after comma", `f(1, /x/)`, `(call f int(1) re(x))`},
		{"escaped slash in regex", `var r = /a\/b/`, `(var r = re(a/b))`},
		{"other escapes stay in regex", `var r = /\d+\.\w/`, `(var r = re(\d+\.\w))`},
		{"regex with spaces", `var r = / a b /`, `(var r = re( a b ))`},
		{"comment after operand", "var x = \"a\" // note\nvar y = 1", `(var x = ref(a)); (var y = int(1))`},
		{"comment where a regex could start", "f( // note\n1)", `(call f int(1))`},

		// Keywords are case-sensitive; lambda: needs the colon glued.
		{"true is an identifier", `var x = true`, `(var x = true)`},
		{"and is an identifier", `var and = 1`, `(var and = int(1))`},
		{"lambda without colon is an identifier", `var x = lambda`, `(var x = lambda)`},
		{"lambda keyword", `var x = lambda: FALSE`, `(var x = (lambda FALSE))`},
		{"keyword prefix in a name", `var variable = TRUEish`, `(var variable = TRUEish)`},
		{"dbrp prefix in a name", `var dbrps = ORx`, `(var dbrps = ORx)`},
		{"unicode identifier", `var café = Ωmega_2`, `(var café = Ωmega_2)`},

		// Numbers.
		{"octal", `var x = 010`, `(var x = int(8))`},
		{"zero", `var x = 0`, `(var x = int(0))`},
		{"trailing dot float", `var x = 1.`, `(var x = float(1))`},
		{"leading dot float", `var x = .5`, `(var x = float(0.5))`},
		{"leading zero float is decimal", `var x = 010.5`, `(var x = float(10.5))`},
		{"max int64", `var x = 9223372036854775807`, `(var x = int(9223372036854775807))`},
		{"negative is unary", `var x = -1`, `(var x = (- int(1)))`},

		// Durations.
		{"microseconds u", `var d = 1u`, `(var d = dur(1µs))`},
		{"microseconds µ", `var d = 1µ`, `(var d = dur(1µs))`},
		{"milliseconds", `var d = 10ms`, `(var d = dur(10ms))`},
		{"seconds", `var d = 10s`, `(var d = dur(10s))`},
		{"minutes", `var d = 5m`, `(var d = dur(5m0s))`},
		{"hours", `var d = 2h`, `(var d = dur(2h0m0s))`},
		{"days", `var d = 1d`, `(var d = dur(24h0m0s))`},
		{"weeks", `var d = 1w`, `(var d = dur(168h0m0s))`},
		{"duration digits are decimal", `var d = 010s`, `(var d = dur(10s))`},

		// Strings and references.
		{"escaped quote", `var s = 'it\'s'`, `(var s = "it's")`},
		{"other backslashes stay", `var s = 'a\nb'`, `(var s = "a\\nb")`},
		{"backslash run before quote", `var s = 'a\\'b'`, `(var s = "a\\'b")`},
		{"empty string", `var s = ''`, `(var s = "")`},
		{"string over lines", "var s = 'a\nb'", `(var s = "a\nb")`},
		{"triple string", `var s = '''it's "raw" \'''`, `(var s = triple"it's \"raw\" \\")`},
		{"empty triple string", `var s = ''''''`, `(var s = triple"")`},
		{"triple over lines", "var s = '''a\n'b'\n'''", `(var s = triple"a\n'b'\n")`},
		{"reference escape", `var r = "a\"b"`, `(var r = ref(a"b))`},
		{"reference keeps other backslashes", `var r = "a\b"`, `(var r = ref(a\b))`},
		{"star", `f(*)`, `(call f *)`},
		{"multiplication", `var x = a * b`, `(var x = (* a b))`},
		{"whitespace of all kinds", "var\u00a0x\u2003=\t1\r\nvar\u000by = 2", `(var x = int(1)); (var y = int(2))`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dumpProgram(parseOK(t, tt.src)); got != tt.want {
				t.Errorf("parse %q\n got %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestParseLambda(t *testing.T) {
	tests := []struct{ src, want string }{
		{`"mean" < 20.0`, `(< ref(mean) float(20))`},
		{`"a" > 1 AND "b" =~ /x/`, `(AND (> ref(a) int(1)) (=~ ref(b) re(x)))`},
		{`abs("v")`, `(call abs ref(v))`},
		{`TRUE`, `TRUE`},
	}
	for _, tt := range tests {
		x, diags := ParseLambda(tt.src)
		if len(diags) > 0 {
			t.Errorf("ParseLambda(%q): %v", tt.src, diags)
			continue
		}
		if got := dump(x); got != tt.want {
			t.Errorf("ParseLambda(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}

	errs := []struct{ src, want string }{
		{`lambda: TRUE`, `1:1: unexpected 'lambda:', expected an expression`},
		{`"a" > `, `1:7: unexpected end of input, expected an expression`},
		{`"a" > 1 )`, `1:9: unexpected ')', expected end of input`},
		{`stream|from()`, `1:7: a lambda cannot contain '|' method calls: it is evaluated per point`},
		{``, `1:1: unexpected end of input, expected an expression`},
	}
	for _, tt := range errs {
		x, diags := ParseLambda(tt.src)
		if x == nil {
			t.Errorf("ParseLambda(%q) returned a nil expression", tt.src)
		}
		if len(diags) != 1 || diags[0].Error() != tt.want {
			t.Errorf("ParseLambda(%q) diagnostics = %v, want [%s]", tt.src, diags, tt.want)
		}
	}
}

func TestLiteralValues(t *testing.T) {
	prog := parseOK(t, `var a = 017
var b = 2.50
var c = 90s
var d = 'x\'y'
var e = '''x\'y'''
var f = /a\/b/
var g = "f\"g"
var h = TRUE`)
	values := map[string]ast.Expr{}
	for _, s := range prog.Stmts {
		d := s.(*ast.VarDecl)
		values[d.Name.Name] = d.Value
	}
	if n := values["a"].(*ast.NumberLit); !n.IsInt || n.Int != 15 || n.Raw != "017" {
		t.Errorf("a = %+v, want int 15 raw 017", n)
	}
	if n := values["b"].(*ast.NumberLit); n.IsInt || n.Float != 2.5 || n.Raw != "2.50" {
		t.Errorf("b = %+v, want float 2.5 raw 2.50", n)
	}
	if d := values["c"].(*ast.DurationLit); d.Value.Seconds() != 90 || d.Raw != "90s" {
		t.Errorf("c = %+v, want 90s", d)
	}
	if s := values["d"].(*ast.StringLit); s.Value != "x'y" || s.Raw != `'x\'y'` || s.Triple {
		t.Errorf("d = %+v", s)
	}
	if s := values["e"].(*ast.StringLit); s.Value != `x\'y` || !s.Triple {
		t.Errorf("e = %+v", s)
	}
	if r := values["f"].(*ast.RegexLit); r.Pattern != "a/b" || r.Raw != `/a\/b/` {
		t.Errorf("f = %+v", r)
	}
	if r := values["g"].(*ast.Reference); r.Name != `f"g` || r.Raw != `"f\"g"` {
		t.Errorf("g = %+v", r)
	}
	if b := values["h"].(*ast.BoolLit); !b.Value {
		t.Errorf("h = %+v", b)
	}
}

func TestComments(t *testing.T) {
	src := `// Header of the script

// Which measurement to watch
// (a template var)
var measurement string
var window = 5m // trailing, not a doc
var crit = 90.0
//no space
//   indented  
var warn lambda
stream
    // inside a chain
    |from()
`
	prog := parseOK(t, src)
	var texts []string
	for _, c := range prog.Comments {
		texts = append(texts, c.Text)
	}
	wantTexts := []string{"// Header of the script", "// Which measurement to watch", "// (a template var)",
		"// trailing, not a doc", "//no space", "//   indented  ", "// inside a chain"}
	if len(texts) != len(wantTexts) {
		t.Fatalf("comments = %q, want %q", texts, wantTexts)
	}
	for i := range texts {
		if texts[i] != wantTexts[i] {
			t.Errorf("comment %d = %q, want %q", i, texts[i], wantTexts[i])
		}
	}
	if c := prog.Comments[1]; c.Start != (ast.Pos{Offset: 25, Line: 3, Col: 1}) || c.EndPos != (ast.Pos{Offset: 54, Line: 3, Col: 30}) {
		t.Errorf("comment 1 spans %v-%v, want 3:1-3:30", c.Start, c.EndPos)
	}

	docs := map[string]string{}
	for _, s := range prog.Stmts {
		switch s := s.(type) {
		case *ast.VarDecl:
			docs[s.Name.Name] = s.Doc
		case *ast.TypeDecl:
			docs[s.Name.Name] = s.Doc
		}
	}
	want := map[string]string{
		"measurement": "Header of the script\nWhich measurement to watch\n(a template var)",
		"window":      "",
		"crit":        "",
		"warn":        "no space\n  indented",
	}
	for name, doc := range want {
		if docs[name] != doc {
			t.Errorf("doc of %s = %q, want %q", name, docs[name], doc)
		}
	}
}
