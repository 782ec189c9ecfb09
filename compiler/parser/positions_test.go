package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
)

// posProblem returns why p is not a faithful position in src, or "".
func posProblem(src string, p ast.Pos) string {
	if !p.IsValid() {
		return "invalid position"
	}
	if p.Offset < 0 || p.Offset > len(src) {
		return fmt.Sprintf("offset %d outside the source (%d bytes)", p.Offset, len(src))
	}
	line := 1 + strings.Count(src[:p.Offset], "\n")
	col := p.Offset - (strings.LastIndexByte(src[:p.Offset], '\n') + 1) + 1
	if p.Line != line || p.Col != col {
		return fmt.Sprintf("offset %d is %d:%d, not %d:%d", p.Offset, line, col, p.Line, p.Col)
	}
	return ""
}

// positionProblems lists the nodes of prog whose positions are invalid,
// outside src, inconsistent with their offsets, reversed, or outside their
// parent's span.
func positionProblems(src string, prog *ast.Program) []string {
	var problems []string
	report := func(n ast.Node, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%T at %v: %s", n, n.Pos(), fmt.Sprintf(format, args...)))
	}
	for _, c := range prog.Comments {
		for _, p := range []ast.Pos{c.Start, c.EndPos} {
			if msg := posProblem(src, p); msg != "" {
				report(c, "%s", msg)
			}
		}
	}
	if msg := posProblem(src, prog.EOF); msg != "" || prog.EOF.Offset != len(src) {
		problems = append(problems, fmt.Sprintf("EOF %v: %s", prog.EOF, msg))
	}
	var visit func(n, parent ast.Node)
	visit = func(n, parent ast.Node) {
		from, to := n.Pos(), n.End()
		for _, p := range []ast.Pos{from, to} {
			if msg := posProblem(src, p); msg != "" {
				report(n, "%s", msg)
			}
		}
		if to.Offset < from.Offset {
			report(n, "ends at %v, before it starts", to)
		}
		if parent != nil && (from.Offset < parent.Pos().Offset || to.Offset > parent.End().Offset) {
			report(n, "span %v-%v is outside its parent %T %v-%v", from, to, parent, parent.Pos(), parent.End())
		}
		for _, c := range children(n) {
			visit(c, n)
		}
	}
	for _, s := range prog.Stmts {
		visit(s, nil)
	}
	return problems
}

// children returns the direct children of n.
func children(n ast.Node) []ast.Node {
	var out []ast.Node
	ast.Inspect(n, func(c ast.Node) bool {
		if c == n {
			return true
		}
		out = append(out, c)
		return false
	})
	return out
}

// checkPositions fails the test when positionProblems finds any.
func checkPositions(t *testing.T, src string, prog *ast.Program) {
	t.Helper()
	for _, p := range positionProblems(src, prog) {
		t.Errorf("in %q: %s", src, p)
	}
}

func TestPositions(t *testing.T) {
	src := "var x = 1\nstream\n    |from()\n        .where(lambda: \"v\" >= -2.5)\n    @udf(x, [ 'a' ])\n"
	prog := parseOK(t, src)

	// Each node as Type@start-end, depth first.
	var got []string
	ast.Inspect(prog, func(n ast.Node) bool {
		if _, ok := n.(*ast.Program); !ok {
			got = append(got, fmt.Sprintf("%s@%v-%v", strings.TrimPrefix(fmt.Sprintf("%T", n), "*ast."), n.Pos(), n.End()))
		}
		return true
	})
	want := []string{
		"VarDecl@1:1-1:10", "Ident@1:5-1:6", "NumberLit@1:9-1:10",
		"ExprStmt@2:1-5:21",
		"ChainExpr@2:1-5:21", // @udf(x, ['a'])
		"ChainExpr@2:1-4:36", // .where(...)
		"ChainExpr@2:1-3:12", // |from()
		"Ident@2:1-2:7",      // stream
		"Ident@3:6-3:10",     // from
		"Ident@4:10-4:15",    // where
		"LambdaExpr@4:16-4:35",
		"BinaryExpr@4:24-4:35", "Reference@4:24-4:27",
		"UnaryExpr@4:31-4:35", "NumberLit@4:32-4:35",
		"Ident@5:6-5:9", // udf
		"Ident@5:10-5:11",
		"ListLit@5:13-5:20", "StringLit@5:15-5:18",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("positions:\n got %s\nwant %s", strings.Join(got, " "), strings.Join(want, " "))
	}

	chain := prog.Stmts[1].(*ast.ExprStmt).X.(*ast.ChainExpr)
	if chain.Op != ast.ChainAt || chain.OpPos != (ast.Pos{Offset: 69, Line: 5, Col: 5}) {
		t.Errorf("@udf: op %v at %v, want @ at 5:5", chain.Op, chain.OpPos)
	}
	if chain.Lparen.String() != "5:9" || chain.Rparen.String() != "5:20" {
		t.Errorf("@udf parens at %v and %v, want 5:9 and 5:20", chain.Lparen, chain.Rparen)
	}
	where := chain.Left.(*ast.ChainExpr)
	if where.Op != ast.ChainDot || where.OpPos.String() != "4:9" {
		t.Errorf(".where: op %v at %v, want . at 4:9", where.Op, where.OpPos)
	}
	from := where.Left.(*ast.ChainExpr)
	if from.Op != ast.ChainPipe || from.OpPos.String() != "3:5" || from.Lparen.String() != "3:10" || from.Rparen.String() != "3:11" {
		t.Errorf("|from: op %v at %v, parens %v %v; want | at 3:5, parens 3:10 3:11", from.Op, from.OpPos, from.Lparen, from.Rparen)
	}
	bin := where.Args[0].(*ast.LambdaExpr).Body.(*ast.BinaryExpr)
	if bin.Op != ast.OpGte || bin.OpPos.String() != "4:28" {
		t.Errorf(">=: %v at %v, want >= at 4:28", bin.Op, bin.OpPos)
	}
	if prog.EOF != (ast.Pos{Offset: len(src), Line: 6, Col: 1}) {
		t.Errorf("EOF at %+v", prog.EOF)
	}
}

func TestPositionsOtherNodes(t *testing.T) {
	tests := []struct {
		src  string
		find func(*ast.Program) ast.Node
		want string // start-end
	}{
		{`dbrp "db"."rp"`, func(p *ast.Program) ast.Node { return p.Stmts[0] }, "1:1-1:15"},
		{`dbrp "db"."rp"`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.DbrpStmt).RP }, "1:11-1:15"},
		{`var t duration`, func(p *ast.Program) ast.Node { return p.Stmts[0] }, "1:1-1:15"},
		{`var t duration`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.TypeDecl).Type }, "1:7-1:15"},
		{`var p = ( 1 )`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-1:14"},
		{`var s = '''a` + "\n" + `b'''`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-2:5"},
		{`var s = TRUE OR FALSE`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-1:22"},
		{`var s = *`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-1:10"},
		{`var r = /a b/`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-1:14"},
		{`var d = 10ms`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-1:13"},
		{`var c = f( )`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-1:13"},
		{`var c = w.period`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value }, "1:9-1:17"},
		// Columns count bytes: é and µ take two.
		{`var é = 'ü' + 1µ`, func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value.(*ast.BinaryExpr).Y }, "1:17-1:20"},
		{"var é = 'ü'\n+ 1", func(p *ast.Program) ast.Node { return p.Stmts[0].(*ast.VarDecl).Value.(*ast.BinaryExpr).X }, "1:10-1:14"},
	}
	for _, tt := range tests {
		n := tt.find(parseOK(t, tt.src))
		if got := fmt.Sprintf("%v-%v", n.Pos(), n.End()); got != tt.want {
			t.Errorf("%q: %T spans %s, want %s", tt.src, n, got, tt.want)
		}
	}
}
