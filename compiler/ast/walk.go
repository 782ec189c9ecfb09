package ast

// Inspect calls f for n and, while f returns true, for each of n's
// children in source order, depth first.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	switch n := n.(type) {
	case *Program:
		for _, s := range n.Stmts {
			Inspect(s, f)
		}
	case *DbrpStmt:
		inspectOpt(n.DB, f)
		inspectOpt(n.RP, f)
	case *TypeDecl:
		inspectOpt(n.Name, f)
		inspectOpt(n.Type, f)
	case *VarDecl:
		inspectOpt(n.Name, f)
		inspectExpr(n.Value, f)
	case *ExprStmt:
		inspectExpr(n.X, f)
	case *ListLit:
		for _, x := range n.Items {
			inspectExpr(x, f)
		}
	case *LambdaExpr:
		inspectExpr(n.Body, f)
	case *UnaryExpr:
		inspectExpr(n.X, f)
	case *BinaryExpr:
		inspectExpr(n.X, f)
		inspectExpr(n.Y, f)
	case *ParenExpr:
		inspectExpr(n.X, f)
	case *CallExpr:
		inspectOpt(n.Fun, f)
		for _, x := range n.Args {
			inspectExpr(x, f)
		}
	case *ChainExpr:
		inspectExpr(n.Left, f)
		inspectOpt(n.Name, f)
		for _, x := range n.Args {
			inspectExpr(x, f)
		}
	}
}

// inspectOpt skips typed nil pointers, which would otherwise reach f as
// non-nil interfaces.
func inspectOpt[T interface {
	*Ident | *Reference
	Node
}](n T, f func(Node) bool) {
	if n != nil {
		Inspect(n, f)
	}
}

func inspectExpr(x Expr, f func(Node) bool) {
	if x != nil {
		Inspect(x, f)
	}
}
