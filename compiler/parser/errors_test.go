package parser

import (
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
)

// TestSyntaxErrors asserts the message and line:col of each error. Every
// diagnostic must have code "syntax", and a partial program must come back.
func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "line:col: message"
	}{
		// Unexpected tokens.
		{"missing value", `var x = `, []string{`1:9: unexpected end of input, expected an expression`}},
		{"stray paren", `var x = )`, []string{`1:9: unexpected ')', expected an expression`}},
		{"missing var name", `var = 5`, []string{`1:5: unexpected '=', expected a variable name after 'var'`}},
		{"number as var name", `var 5 = x`, []string{`1:5: unexpected number 5, expected a variable name after 'var'`}},
		{"missing = or type", `var x 5`, []string{`1:7: unexpected number 5, expected '=' or a type name after var x`}},
		{"assignment without var", `x = 6`, []string{`1:3: unexpected '=', expected a statement (declare a variable with var name = value)`}},
		{"lower-case and", `stream|from().where(lambda: "a" and "b")`,
			[]string{`1:33: unexpected identifier "and", expected ',' or ')' (the logical operators are AND and OR, in upper case)`}},
		{"single = in lambda", "stream|from()\n  .where(lambda: \"x\" = 5)", []string{`2:22: unexpected '=', expected ',' or ')' (compare with ==)`}},
		{"missing method name after |", `stream|`, []string{`1:8: unexpected end of input, expected a method name after '|'`}},
		{"missing method name after .", `stream|from().`, []string{`1:15: unexpected end of input, expected a method name after '.'`}},
		{"missing (", "stream|window\n  .period(10s)", []string{`1:8: expected '(' after method name "window": a chaining method is always called, as in |window()`}},
		{"unclosed paren", `var x = (1 + 2`, []string{`1:15: unexpected end of input, expected ')'`}},
		{"dangling operator", `var x = 1 +`, []string{`1:12: unexpected end of input, expected an expression`}},
		{"double operator", `var x = 5 ++ 3`, []string{`1:12: unexpected '+', expected an expression`}},
		{"operator then paren", `stream|from().where(lambda: "value" > 10 AND)`, []string{`1:45: unexpected ')', expected an expression`}},
		{"missing comma", `f(a b)`, []string{`1:5: unexpected identifier "b", expected ',' or ')'`}},
		{"empty list item", `var x = [a, , b]`, []string{`1:13: unexpected ',', expected an expression or ']'`}},
		{"missing list comma", `stream|from().groupBy(['a' 'b'])`, []string{`1:28: unexpected string 'b', expected ',' or ']'`}},
		{"unclosed call over lines", "stream\n|from()\n|window()\n.period(10s\n|mean('x')\n\nvar y = 1",
			[]string{`5:1: unexpected '|', expected ',' or ')' to close the '(' at 4:8`}},
		{"unclosed args before chain", "stream|from(\n|window()", []string{`2:1: unexpected '|', expected an expression or ')' to close the '(' at 1:12`}},
		{"nested lambda", `var x = lambda: lambda: 1`, []string{`1:17: unexpected 'lambda:', expected an expression`}},
		{"stray close at top level", "var x = 1\n)", []string{`2:1: unexpected ')', expected a statement`}},
		{"dbrp single quotes", `dbrp 'telegraf'.'autogen'`,
			[]string{`1:6: unexpected string 'telegraf', expected a reference: dbrp names take double quotes, as in dbrp "telegraf"."autogen"`}},
		{"dbrp without rp", `dbrp "telegraf"`, []string{`1:16: unexpected end of input, expected '.'`}},

		// Lexical errors.
		{"unterminated string", `stream|from().where(lambda: 'untermina`, []string{`1:29: unterminated string`}},
		{"unterminated triple string", `var x = '''abc`, []string{`1:9: unterminated string`}},
		{"string ending in backslash", `var x = 'a\'`, []string{`1:9: unterminated string`}},
		{"unterminated reference", `var x = "abc`, []string{`1:9: unterminated reference (missing closing ")`}},
		{"unterminated regex", `var x = /abc`, []string{`1:9: unterminated regex`}},
		{"two decimal points", `var x = 1.2.3`, []string{`1:9: invalid number "1.2.3": more than one decimal point`}},
		{"leading underscore", `var _x = 1`, []string{`1:5: invalid character '_': names must start with a letter`}},
		{"hash is no comment", `var x = 1 # c`, []string{`1:11: invalid character '#': comments start with //`}},
		{"lambda with space", `var x = lambda : TRUE`, []string{`1:16: invalid character ':': write lambda: with no space before ':'`}},
		{"semicolon", `var x = 1;`, []string{`1:10: invalid character ';': statements need no terminator`}},
		{"invalid UTF-8", "var x = \x80", []string{`1:9: invalid UTF-8 byte`}},
		{"byte order mark", "\uFEFFvar x = 1", []string{`1:1: invalid character U+FEFF (a byte order mark): save the file as UTF-8 without BOM`}},
		{"statement starting with an operator", "var x = TRUE\n!x", []string{`2:1: unexpected '!', expected a statement`}},

		// Literal values.
		{"bad octal", `var x = 09`, []string{`1:9: illegal number syntax: "09" (a leading 0 makes an octal number, with digits 0-7)`}},
		{"int overflow", `var x = 9223372036854775808`, []string{`1:9: integer 9223372036854775808 is out of range (the largest is 9223372036854775807)`}},
		{"duration overflow", `var x = 99999999999w`, []string{`1:9: duration 99999999999w is out of range`}},
		{"bad regex", `var x = /[/`, []string{"1:9: error parsing regexp: missing closing ]: `[`"}},
		{"fractional duration", `stream|from().period(1.5s)`, []string{`1:22: invalid duration "1.5s": a duration is a whole number of units (1500ms, not 1.5s)`}},
		{"fractional duration in var", `var z = 1.5s`, []string{`1:9: invalid duration "1.5s": a duration is a whole number of units (1500ms, not 1.5s)`}},
		{"compound duration", `var x = 1h30m`, []string{`1:9: invalid duration "1h30m": a duration has a single unit (90m, not 1h30m)`}},
		{"ns is no unit", `f(10ns)`, []string{`1:3: invalid duration "10ns": units are u, ms, s, m, h, d and w`}},
		{"exponent", `var x = 1e5`, []string{`1:9: invalid number "1e5": numbers have no exponent form`}},
		{"exponent in args", `f(1.5E3)`, []string{`1:3: invalid number "1.5E3": numbers have no exponent form`}},
		{"fraction then letters", `f(1.5x)`, []string{`1:3: invalid number "1.5x"`}},
		{"fraction of a millisecond", `f(1.5ms)`, []string{`1:3: invalid duration "1.5ms": a duration is a whole number of units (1500u, not 1.5ms)`}},
		{"fraction of a microsecond", `f(1.5u)`, []string{`1:3: invalid duration "1.5u": a duration is a whole number of units`}},
		{"three-part duration", `f(1h30m15s)`, []string{`1:3: invalid duration "1h30m15s": a duration has a single unit (5415s, not 1h30m15s)`}},
		{"two glued durations in one statement", "stream|window()\n.period(1h30m)\n.every(2h30m)", []string{
			`2:9: invalid duration "1h30m": a duration has a single unit (90m, not 1h30m)`,
			`3:8: invalid duration "2h30m": a duration has a single unit (150m, not 2h30m)`}},
		{"glued duration hides what follows in the statement", "f(1.5m", []string{
			`1:3: invalid duration "1.5m": a duration is a whole number of units (90s, not 1.5m)`}},
		{"glued duration after a syntax error", "f(lambda: \"a\" = 1, 1.5m)", []string{
			`1:15: unexpected '=', expected ',' or ')' (compare with ==)`,
			`1:20: invalid duration "1.5m": a duration is a whole number of units (90s, not 1.5m)`}},
		{"arrow operator", `f(lambda: "a" => 1)`, []string{`1:15: unexpected '=', expected ',' or ')' (greater or equal is written >=)`}},
		{"sql not equal", `f(lambda: "a" <> 1)`, []string{`1:16: unexpected '>', expected an expression (not equal is written !=)`}},
		{"double pipe", `f(lambda: "a" == 'x' || TRUE)`, []string{`1:22: unexpected '|', expected ',' or ')' (the logical operators are AND and OR)`}},
		{"double ampersand", `f(lambda: "a" && TRUE)`, []string{`1:15: invalid character '&': the logical operators are AND and OR`}},

		// Script-layer constructs misplaced.
		{"chain in lambda", `var l = lambda: "a" > x|foo()`, []string{`1:24: a lambda cannot contain '|' method calls: it is evaluated per point`}},
		{"chain on a literal", "stream|from().measurement('cpu'\n|window()", []string{`2:1: unexpected '|', expected ',' or ')' to close the '(' at 1:26`}},
		{"chain on parens", "var x = (a)|b()", []string{`1:12: unexpected '|', expected a statement`}},
		{"list in lambda", `var l = lambda: ['a']`, []string{`1:17: a lambda cannot contain a list`}},
		{"number in list", `var g = [1, 'a']`, []string{`1:10: a list holds only strings, names of vars and *`}},

		// Several errors in one pass, one per statement, no cascade.
		{"errors in separate statements", "var a = )\nvar b = 1\nvar c = (", []string{
			`1:9: unexpected ')', expected an expression`,
			`3:10: unexpected end of input, expected an expression`}},
		{"lexical and syntax errors", "var a = 'x\nvar b = 1", []string{`1:9: unterminated string`}},
		{"literal errors are all reported", "var a = 09\nvar b = /(/\nvar c = 1.5s", []string{
			`1:9: illegal number syntax: "09" (a leading 0 makes an octal number, with digits 0-7)`,
			"2:9: error parsing regexp: missing closing ): `(`",
			`3:9: invalid duration "1.5s": a duration is a whole number of units (1500ms, not 1.5s)`}},
		{"run of bad characters is one error", `var x = 1 ###`, []string{`1:11: invalid character '#': comments start with //`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, diags := ParseFile("test.tick", []byte(tt.src))
			if prog == nil {
				t.Fatal("nil program")
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
				if d.Code != CodeSyntax {
					t.Errorf("%s: code %q, want %q", d.Error(), d.Code, CodeSyntax)
				}
				if !d.End.IsValid() || d.End.Offset < d.Pos.Offset {
					t.Errorf("%s: bad end %v", d.Error(), d.End)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("parse %q:\n got %q\nwant %q", tt.src, got, tt.want)
			}
			checkPartialTree(t, tt.src, prog)
		})
	}
}

// checkPartialTree asserts what the language server relies on after errors:
// no nil expressions in the tree, and positions within the source.
func checkPartialTree(t *testing.T, src string, prog *ast.Program) {
	t.Helper()
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		if n.Pos().Offset < 0 || n.End().Offset > len(src) || n.End().Offset < n.Pos().Offset {
			t.Errorf("%T spans %v-%v, outside the %d-byte source", n, n.Pos(), n.End(), len(src))
		}
		switch n := n.(type) {
		case *ast.VarDecl:
			if n.Name == nil || n.Value == nil {
				t.Errorf("VarDecl at %v with nil parts", n.Pos())
			}
		case *ast.TypeDecl:
			if n.Name == nil || n.Type == nil {
				t.Errorf("TypeDecl at %v with nil parts", n.Pos())
			}
		case *ast.DbrpStmt:
			if n.DB == nil || n.RP == nil {
				t.Errorf("DbrpStmt at %v with nil parts", n.Pos())
			}
		case *ast.ExprStmt:
			if n.X == nil {
				t.Errorf("ExprStmt with nil X")
			}
		case *ast.ChainExpr:
			if n.Left == nil || n.Name == nil {
				t.Errorf("ChainExpr at %v with nil parts", n.OpPos)
			}
		case *ast.BinaryExpr:
			if n.X == nil || n.Y == nil {
				t.Errorf("BinaryExpr at %v with nil operand", n.OpPos)
			}
		case *ast.UnaryExpr:
			if n.X == nil {
				t.Errorf("UnaryExpr at %v with nil operand", n.OpPos)
			}
		case *ast.LambdaExpr:
			if n.Body == nil {
				t.Errorf("LambdaExpr at %v with nil body", n.Lambda)
			}
		case *ast.ParenExpr:
			if n.X == nil {
				t.Errorf("ParenExpr at %v with nil X", n.Lparen)
			}
		}
		for _, c := range children(n) {
			visit(c)
		}
	}
	for _, s := range prog.Stmts {
		visit(s)
	}
}

// TestPartialTree checks what recovery leaves for the language server.
func TestPartialTree(t *testing.T) {
	tests := []struct{ src, want string }{
		{"var x = )\nvar y = 2", `(var x = BAD); (var y = int(2))`},
		{"stream|from().where(lambda: \"a\" > )\nvar y = 2", `(. (| stream from()) where() (lambda (> ref(a) BAD))); (var y = int(2))`},
		{"stream|", `(| stream )`},
		{"stream|from(\n|window()", `(| stream from() (call window))`}, // ANTLR drops the '|'

		{"var x = 1\n)\nvar y = 2", `(var x = int(1)); BADSTMT; (var y = int(2))`},
		{"var = 1", `BADSTMT`},
	}
	for _, tt := range tests {
		prog, diags := ParseFile("test.tick", []byte(tt.src))
		if len(diags) == 0 {
			t.Errorf("%q: no diagnostics", tt.src)
		}
		if got := dumpProgram(prog); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
		checkPartialTree(t, tt.src, prog)
	}
}
