package check

import (
	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/compiler/types"
)

// The lambda layer is typed by package types; these are the only calls
// into it.

func checkLambda(body ast.Expr, env types.Env, diags *diag.List) *ir.Lambda {
	return types.CheckLambda(body, env, diags)
}

func evalConst(x ast.Expr, env types.Env, diags *diag.List) (ir.Value, bool) {
	return types.EvalConst(x, env, diags)
}

func doubleQuoteGotcha(body ast.Expr, diags *diag.List) {
	types.DoubleQuoteGotcha(body, diags)
}
