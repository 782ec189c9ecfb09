package types

import (
	"fmt"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/stdlib"
)

// binaryDiag places an operator error and adds a hint. It points at the
// culprit: an operand whose type can never stand on its side of the
// operator (`"host" =~ 'web'`, `'up' OR "ok"`), or the operator when the
// operands are each fine but not together (`1 + 2.0`).
func binaryDiag(x *ast.BinaryExpr, l, r stdlib.Type, msg string) diag.Diagnostic {
	msg += binaryHint(x, l, r)
	lok := l&^stdlib.Missing&leftTypes[x.Op] != 0
	rok := r&^stdlib.Missing&rightTypes[x.Op] != 0
	switch {
	case lok && !rok:
		return nodeDiag(x.Y, msg)
	case !lok && rok:
		return nodeDiag(x.X, msg)
	}
	return opDiag(x.OpPos, x.Op, msg)
}

// binaryHint suggests a fix for the common mistakes.
func binaryHint(x *ast.BinaryExpr, l, r stdlib.Type) string {
	lv, rv := l&^stdlib.Missing, r&^stdlib.Missing
	switch {
	case x.Op == ast.OpRegexEq || x.Op == ast.OpRegexNeq:
		if rv&stdlib.Regex != 0 {
			return ""
		}
		switch y := unparen(x.Y).(type) {
		case *ast.StringLit:
			return fmt.Sprintf("; the right side of %v must be a regex: write /%s/", x.Op, y.Value)
		case *ast.Ident:
			if rv == stdlib.String {
				return fmt.Sprintf("; the right side of %v must be a regex, but var %q holds a string: declare it with /…/", x.Op, y.Name)
			}
		}
		return fmt.Sprintf("; the right side of %v must be a regex (/…/ or a regex var)", x.Op)
	case lv == stdlib.Time || rv == stdlib.Time:
		return "; times have no operators: use unixNano() for int nanoseconds"
	case x.Op.IsComparison() && isComparison(x.X):
		return "; comparisons do not chain: write a < b AND b < c"
	case x.Op.IsMath() && rv == stdlib.Float:
		if s, ok := intLitText(x.X); ok {
			return fmt.Sprintf("; write %s.0 for a float, or use float()", s)
		}
	case x.Op.IsMath() && lv == stdlib.Float:
		if s, ok := intLitText(x.Y); ok {
			return fmt.Sprintf("; write %s.0 for a float, or use float()", s)
		}
	}
	return ""
}

func isComparison(x ast.Expr) bool {
	b, ok := unparen(x).(*ast.BinaryExpr)
	return ok && b.Op.IsComparison()
}

// intLitText gives the decimal text of an int literal, negated or not.
func intLitText(x ast.Expr) (string, bool) {
	x = unparen(x)
	neg := ""
	if u, ok := x.(*ast.UnaryExpr); ok && u.Op == ast.OpNeg {
		neg, x = "-", unparen(u.X)
	}
	if n, ok := x.(*ast.NumberLit); ok && n.IsInt {
		return fmt.Sprintf("%s%d", neg, n.Int), true
	}
	return "", false
}

func unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok || p.X == nil {
			return x
		}
		x = p.X
	}
}

// opDiag is a type error at an operator token.
func opDiag(p ast.Pos, op ast.Op, msg string) diag.Diagnostic {
	n := len(op.String())
	end := ast.Pos{Offset: p.Offset + n, Line: p.Line, Col: p.Col + n}
	return diag.Diagnostic{Pos: p, End: end, Severity: diag.Error, Code: CodeType, Msg: msg}
}

// nodeDiag is a type error spanning a node.
func nodeDiag(n ast.Node, msg string) diag.Diagnostic {
	return diag.Diagnostic{Pos: n.Pos(), End: n.End(), Severity: diag.Error, Code: CodeType, Msg: msg}
}
