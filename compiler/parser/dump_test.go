package parser

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tickc/tickc/compiler/ast"
)

// dump renders a node as a compact S-expression, so tests can state the
// shape of a tree in one line: (+ 1 (* 2 3)), (| stream from()), ...
func dump(n ast.Node) string {
	var b strings.Builder
	dumpTo(&b, n)
	return b.String()
}

func dumpProgram(p *ast.Program) string {
	var parts []string
	for _, s := range p.Stmts {
		parts = append(parts, dump(s))
	}
	return strings.Join(parts, "; ")
}

func dumpTo(b *strings.Builder, n ast.Node) {
	list := func(xs []ast.Expr) {
		for _, x := range xs {
			b.WriteByte(' ')
			dumpTo(b, x)
		}
	}
	switch n := n.(type) {
	case *ast.DbrpStmt:
		fmt.Fprintf(b, "(dbrp %s %s)", dump(n.DB), dump(n.RP))
	case *ast.VarDecl:
		fmt.Fprintf(b, "(var %s = %s)", n.Name.Name, dump(n.Value))
	case *ast.TypeDecl:
		fmt.Fprintf(b, "(var %s %s)", n.Name.Name, n.Type.Name)
	case *ast.ExprStmt:
		dumpTo(b, n.X)
	case *ast.BadStmt:
		b.WriteString("BADSTMT")
	case *ast.Ident:
		b.WriteString(n.Name)
	case *ast.NumberLit:
		if n.IsInt {
			fmt.Fprintf(b, "int(%d)", n.Int)
		} else {
			fmt.Fprintf(b, "float(%s)", strconv.FormatFloat(n.Float, 'g', -1, 64))
		}
	case *ast.DurationLit:
		fmt.Fprintf(b, "dur(%s)", n.Value)
	case *ast.StringLit:
		if n.Triple {
			b.WriteString("triple")
		}
		fmt.Fprintf(b, "%q", n.Value)
	case *ast.BoolLit:
		if n.Value {
			b.WriteString("TRUE")
		} else {
			b.WriteString("FALSE")
		}
	case *ast.RegexLit:
		fmt.Fprintf(b, "re(%s)", n.Pattern)
	case *ast.StarLit:
		b.WriteString("*")
	case *ast.Reference:
		fmt.Fprintf(b, "ref(%s)", n.Name)
	case *ast.ListLit:
		b.WriteString("[list")
		list(n.Items)
		b.WriteString("]")
	case *ast.LambdaExpr:
		fmt.Fprintf(b, "(lambda %s)", dump(n.Body))
	case *ast.UnaryExpr:
		fmt.Fprintf(b, "(%s %s)", n.Op, dump(n.X))
	case *ast.BinaryExpr:
		fmt.Fprintf(b, "(%s %s %s)", n.Op, dump(n.X), dump(n.Y))
	case *ast.ParenExpr:
		fmt.Fprintf(b, "(paren %s)", dump(n.X))
	case *ast.CallExpr:
		fmt.Fprintf(b, "(call %s", n.Fun.Name)
		list(n.Args)
		b.WriteString(")")
	case *ast.ChainExpr:
		fmt.Fprintf(b, "(%s %s %s", n.Op, dump(n.Left), n.Name.Name)
		if n.Call {
			b.WriteString("()")
		}
		list(n.Args)
		b.WriteString(")")
	case *ast.BadExpr:
		b.WriteString("BAD")
	default:
		fmt.Fprintf(b, "?%T", n)
	}
}
