package types

import (
	"fmt"
	mbits "math/bits"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/stdlib"
)

// binaryRule is one valid operand combination of a binary operator
// (language.md §4.2; Kapacitor's tick/stateful/evaluation_funcs.go has the
// same 61 combinations).
type binaryRule struct {
	op     ast.Op
	l, r   stdlib.Type
	result stdlib.Type
}

const (
	tInt  = stdlib.Int
	tFlt  = stdlib.Float
	tStr  = stdlib.String
	tBool = stdlib.Bool
	tDur  = stdlib.Duration
	tRe   = stdlib.Regex
)

var binaryRules = func() []binaryRule {
	var rules []binaryRule
	add := func(op ast.Op, l, r, res stdlib.Type) {
		rules = append(rules, binaryRule{op, l, r, res})
	}
	// Arithmetic: never mixes int and float.
	for _, t := range []stdlib.Type{tInt, tFlt, tStr, tDur} {
		add(ast.OpAdd, t, t, t)
	}
	for _, t := range []stdlib.Type{tInt, tFlt, tDur} {
		add(ast.OpSub, t, t, t)
	}
	add(ast.OpMul, tInt, tInt, tInt)
	add(ast.OpMul, tFlt, tFlt, tFlt)
	add(ast.OpMul, tDur, tInt, tDur)
	add(ast.OpMul, tInt, tDur, tDur)
	add(ast.OpMul, tDur, tFlt, tDur)
	add(ast.OpMul, tFlt, tDur, tDur)
	add(ast.OpDiv, tInt, tInt, tInt)
	add(ast.OpDiv, tFlt, tFlt, tFlt)
	add(ast.OpDiv, tDur, tInt, tDur)
	add(ast.OpDiv, tDur, tFlt, tDur)
	add(ast.OpDiv, tDur, tDur, tInt)
	add(ast.OpMod, tInt, tInt, tInt)
	// Comparisons: the only place int and float mix.
	for _, op := range []ast.Op{ast.OpEq, ast.OpNeq} {
		for _, t := range []stdlib.Type{tBool, tInt, tFlt, tStr, tDur} {
			add(op, t, t, tBool)
		}
		add(op, tInt, tFlt, tBool)
		add(op, tFlt, tInt, tBool)
	}
	for _, op := range []ast.Op{ast.OpLt, ast.OpLte, ast.OpGt, ast.OpGte} {
		for _, t := range []stdlib.Type{tInt, tFlt, tStr, tDur} {
			add(op, t, t, tBool)
		}
		add(op, tInt, tFlt, tBool)
		add(op, tFlt, tInt, tBool)
	}
	add(ast.OpRegexEq, tStr, tRe, tBool)
	add(ast.OpRegexNeq, tStr, tRe, tBool)
	add(ast.OpAnd, tBool, tBool, tBool)
	add(ast.OpOr, tBool, tBool, tBool)
	return rules
}()

const (
	numOps   = int(ast.OpNeg) + 1
	numTypes = 13 // single types in stdlib.Type (Int … TimeDim)
)

var (
	// binaryTable[op][l][r] is the result type, 0 when not allowed.
	binaryTable [numOps][numTypes][numTypes]stdlib.Type
	// operandTypes[op] is every type that takes part in some valid
	// combination of op, on either side. Kapacitor uses it to choose
	// between "invalid … operator" and "mismatched type" messages.
	operandTypes [numOps]stdlib.Type
	// leftTypes[op] and rightTypes[op] are the types valid on each side.
	leftTypes, rightTypes [numOps]stdlib.Type
)

func init() {
	for _, r := range binaryRules {
		binaryTable[r.op][bitIndex(r.l)][bitIndex(r.r)] = r.result
		operandTypes[r.op] |= r.l | r.r
		leftTypes[r.op] |= r.l
		rightTypes[r.op] |= r.r
	}
}

func bitIndex(t stdlib.Type) int { return mbits.TrailingZeros32(uint32(t)) }

// isBinaryOp reports whether op is a binary operator.
func isBinaryOp(op ast.Op) bool { return op >= ast.OpAdd && op <= ast.OpOr }

// operatorKind is the word Kapacitor puts before "operator".
func operatorKind(op ast.Op) string {
	switch {
	case op.IsMath():
		return "math"
	case op.IsComparison():
		return "comparison"
	case op.IsLogical():
		return "logical"
	}
	return "unary"
}

// BinaryResult gives the result type set of l op r: the union of the
// results of every combination of one type of l and one of r that the
// operator table allows. Missing is ignored (a possibly missing field is a
// run-time matter). When no combination is allowed the result is 0 and the
// message says why, in Kapacitor's words. An operand of 0 (unknown after an
// earlier error) gives 0 and no message.
func BinaryResult(op ast.Op, l, r stdlib.Type) (stdlib.Type, string) {
	if !isBinaryOp(op) {
		return 0, fmt.Sprintf("unknown binary operator %v", op)
	}
	if l == 0 || r == 0 {
		return 0, ""
	}
	lv, rv := l&^stdlib.Missing, r&^stdlib.Missing
	if lv == 0 {
		return 0, fmt.Sprintf("left operand of %v is always a missing value", op)
	}
	if rv == 0 {
		return 0, fmt.Sprintf("right operand of %v is always a missing value", op)
	}
	var res stdlib.Type
	bits(lv&leftTypes[op], func(lb stdlib.Type) {
		bits(rv&rightTypes[op], func(rb stdlib.Type) {
			res |= binaryTable[op][bitIndex(lb)][bitIndex(rb)]
		})
	})
	if res != 0 {
		return res, ""
	}
	return 0, binaryError(op, lv, rv)
}

// binaryError follows Kapacitor's choice of message: if the left type can
// take part in the operator at all, the pair is "mismatched"; otherwise the
// operator is "invalid" for the left type. For sets, the left types that
// can take part are named.
func binaryError(op ast.Op, l, r stdlib.Type) string {
	if ok := l & operandTypes[op]; ok != 0 {
		return fmt.Sprintf("mismatched type to binary operator. got %s %v %s. see bool(), int(), float(), string(), duration()",
			TypeName(ok), op, TypeName(r))
	}
	return fmt.Sprintf("invalid %s operator %v for type %s", operatorKind(op), op, TypeName(l))
}

// UnaryResult gives the result type set of a unary operator: `-` keeps int,
// float and duration; `!` gives bool from bool. Missing is ignored, and an
// operand of 0 gives 0 and no message.
func UnaryResult(op ast.Op, x stdlib.Type) (stdlib.Type, string) {
	if x == 0 {
		return 0, ""
	}
	xv := x &^ stdlib.Missing
	if xv == 0 {
		return 0, fmt.Sprintf("operand of %v is always a missing value", op)
	}
	var res stdlib.Type
	switch op {
	case ast.OpNeg:
		res = xv & (stdlib.Int | stdlib.Float | stdlib.Duration)
	case ast.OpNot:
		res = xv & stdlib.Bool
	default:
		return 0, fmt.Sprintf("unknown unary operator %v", op)
	}
	if res == 0 {
		return 0, fmt.Sprintf("invalid unary operator %v for type %s", op, TypeName(xv))
	}
	return res, ""
}

// IsBoolish reports whether a predicate (where, alert levels) with result
// type set t can be valid: t may be a bool. 0 (unknown after an earlier
// error) counts as valid so that no second error is reported.
func IsBoolish(t stdlib.Type) bool { return t == 0 || t&stdlib.Bool != 0 }
