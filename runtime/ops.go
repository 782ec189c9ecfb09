package runtime

import (
	"errors"
	"math"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the operator semantics of the lambda layer
// (language.md §4.2) for operands whose types are only known at run time.
// Compiled lambdas call these when the static types of the operands do not
// settle the operation; otherwise they use Go operators directly.
//
// Error messages follow Kapacitor 1.5.9 (tick/stateful): a comparison or
// logical operator over a missing reference says which side is missing; a
// math operator treats a missing operand as the type "missing", because
// Kapacitor checks math operand types before it looks at the point.

// Ref reads the reference name of the row: a field, else a tag (as a
// string), else the missing value, which carries the name in S for error
// messages. A name that is both a field and a tag is an error. The
// reference "time" is not read here (compiled code uses r.Time).
func (r *Row) Ref(name string) (Value, error) {
	var at uint8
	return r.RefHinted(name, &at)
}

// RefHinted is Ref for compiled code, which keeps in *at where the
// reference was found (its index in Fields, or in Tags when it is a tag)
// and checks there first next time, inline (NoTag, NoField). An index
// too large for a uint8 is not kept.
func (r *Row) RefHinted(name string, at *uint8) (Value, error) {
	for i := range r.Fields {
		if r.Fields[i].Key == name {
			if !NoTag(r.Tags, name) {
				return Value{}, BothFieldAndTagError(name)
			}
			if i <= math.MaxUint8 {
				*at = uint8(i)
			}
			return r.Fields[i].Value, nil
		}
	}
	for j := range r.Tags {
		if r.Tags[j].Key == name {
			if j <= math.MaxUint8 {
				*at = uint8(j)
			}
			return Value{Kind: KindString, S: r.Tags[j].Value}, nil
		}
	}
	return Missing(name), nil
}

// NoTag reports that no tag is named name: a field read through its
// hint must still not also be a tag. Keys are compared by length and
// first byte before they are compared whole, which rules most out.
func NoTag(tags Tags, name string) bool {
	// Tags are sorted by key: a name whose first byte comes after the
	// last key's is none of them (field names mostly sort after tag
	// names: usage_idle after host, value after region).
	if n := len(tags); n == 0 || name != "" && tags[n-1].Key != "" && name[0] > tags[n-1].Key[0] {
		return true
	}
	for i := range tags {
		if k := tags[i].Key; len(k) != len(name) || k != "" && k[0] != name[0] {
			continue
		} else if k == name {
			return false
		}
	}
	return true
}

// NoField reports that no field is named name.
func NoField(fields Fields, name string) bool {
	for i := range fields {
		if k := fields[i].Key; len(k) != len(name) || k != "" && k[0] != name[0] {
			continue
		} else if k == name {
			return false
		}
	}
	return true
}

// BothFieldAndTagError is the error of a reference that names both a
// field and a tag of the row.
func BothFieldAndTagError(name string) error {
	return &TypeError{Msg: "cannot have field and tags with same name " + strconv.Quote(name)}
}

// Missing is the value of an absent reference; the name is kept for error
// messages.
func Missing(name string) Value { return Value{Kind: KindMissing, S: name} }

// ErrDivideByZero is the error of an integer (or duration) division or
// remainder by zero. Kapacitor panics with this text; tickc reports it.
var ErrDivideByZero = errors.New("runtime error: integer divide by zero")

// Op is a binary operator of the lambda layer.
type Op uint8

const (
	OpAdd Op = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpEq
	OpNeq
	OpLt
	OpLte
	OpGt
	OpGte
	OpRegexEq
	OpRegexNeq
	OpAnd
	OpOr
)

var opText = [...]string{"+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "AND", "OR"}

func (o Op) String() string { return opText[o] }

func (o Op) kind() string {
	switch {
	case o <= OpMod:
		return "math"
	case o <= OpRegexNeq:
		return "comparison"
	}
	return "logical"
}

// operandKinds[op] is every kind that takes part in some valid operand
// combination of op, on either side; Kapacitor uses it to choose between
// "invalid … operator" and "mismatched type".
var operandKinds = func() [OpOr + 1]uint16 {
	bits := func(ks ...Kind) uint16 {
		var b uint16
		for _, k := range ks {
			b |= 1 << k
		}
		return b
	}
	num := bits(KindInt, KindFloat, KindDuration)
	cmp := bits(KindInt, KindFloat, KindString, KindDuration)
	var t [OpOr + 1]uint16
	t[OpAdd] = num | bits(KindString)
	t[OpSub], t[OpMul], t[OpDiv] = num, num, num
	t[OpMod] = bits(KindInt)
	t[OpEq] = cmp | bits(KindBool)
	t[OpNeq] = t[OpEq]
	t[OpLt], t[OpLte], t[OpGt], t[OpGte] = cmp, cmp, cmp, cmp
	t[OpRegexEq] = bits(KindString) // and regex, which is never a Value
	t[OpRegexNeq] = t[OpRegexEq]
	t[OpAnd] = bits(KindBool)
	t[OpOr] = t[OpAnd]
	return t
}()

// OpError is the error of an operator applied to kinds it does not take,
// in Kapacitor's words.
func OpError(op Op, l, r Kind) error {
	if operandKinds[op]&(1<<l) != 0 {
		return &TypeError{Msg: "mismatched type to binary operator. got " + l.String() + " " + op.String() + " " + r.String() +
			". see bool(), int(), float(), string(), duration()"}
	}
	return &TypeError{Msg: "invalid " + op.kind() + " operator " + op.String() + " for type " + l.String()}
}

// RegexOpError is OpError for =~ and !~, whose right side is a regex.
func RegexOpError(op Op, l Kind) error {
	if l == KindString {
		return nil
	}
	return &TypeError{Msg: "invalid comparison operator " + op.String() + " for type " + l.String()}
}

// missingError reports a missing operand of a comparison or logical
// operator, the left one first.
func missingError(a, b Value) error {
	if a.Kind == KindMissing {
		return &TypeError{Msg: "left reference value " + strconv.Quote(a.S) + " is missing value"}
	}
	return &TypeError{Msg: "right reference value " + strconv.Quote(b.S) + " is missing value"}
}

// MissingError is the error of a whole predicate that is a missing
// reference.
func MissingError(v Value) error {
	return &TypeError{Msg: "reference " + strconv.Quote(v.S) + " is missing value"}
}

// ---------------------------------------------------------------------------
// Arithmetic

// Add is a + b: int, float, string (concatenation) and duration, never mixed.
func Add(a, b Value) (Value, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return Value{Kind: KindFloat, F: a.F + b.F}, nil
	}
	return add(a, b)
}

func add(a, b Value) (Value, error) {
	if a.Kind == b.Kind {
		switch a.Kind {
		case KindFloat:
			return Value{Kind: KindFloat, F: a.F + b.F}, nil
		case KindInt, KindDuration:
			return Value{Kind: a.Kind, I: a.I + b.I}, nil
		case KindString:
			return Value{Kind: KindString, S: a.S + b.S}, nil
		}
	}
	return Value{}, OpError(OpAdd, a.Kind, b.Kind)
}

// Sub is a - b over int, float or duration.
func Sub(a, b Value) (Value, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return Value{Kind: KindFloat, F: a.F - b.F}, nil
	}
	return sub(a, b)
}

func sub(a, b Value) (Value, error) {
	if a.Kind == b.Kind {
		switch a.Kind {
		case KindFloat:
			return Value{Kind: KindFloat, F: a.F - b.F}, nil
		case KindInt, KindDuration:
			return Value{Kind: a.Kind, I: a.I - b.I}, nil
		}
	}
	return Value{}, OpError(OpSub, a.Kind, b.Kind)
}

// Mul is a * b: int*int, float*float, and a duration scaled by an int or a
// float (either order; a float product is truncated toward zero).
func Mul(a, b Value) (Value, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return Value{Kind: KindFloat, F: a.F * b.F}, nil
	}
	return mul(a, b)
}

func mul(a, b Value) (Value, error) {
	switch {
	case a.Kind == KindFloat && b.Kind == KindFloat:
		return Value{Kind: KindFloat, F: a.F * b.F}, nil
	case a.Kind == KindInt && b.Kind == KindInt:
		return Value{Kind: KindInt, I: a.I * b.I}, nil
	case a.Kind == KindDuration && b.Kind == KindInt:
		return Value{Kind: KindDuration, I: a.I * b.I}, nil
	case a.Kind == KindInt && b.Kind == KindDuration:
		return Value{Kind: KindDuration, I: a.I * b.I}, nil
	case a.Kind == KindDuration && b.Kind == KindFloat:
		return Value{Kind: KindDuration, I: int64(float64(a.I) * b.F)}, nil
	case a.Kind == KindFloat && b.Kind == KindDuration:
		return Value{Kind: KindDuration, I: int64(a.F * float64(b.I))}, nil
	}
	return Value{}, OpError(OpMul, a.Kind, b.Kind)
}

// Div is a / b: int/int (truncating), float/float (IEEE), duration/int,
// duration/float, and duration/duration, which is an int ratio. Integer
// division by zero is ErrDivideByZero.
func Div(a, b Value) (Value, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return Value{Kind: KindFloat, F: a.F / b.F}, nil
	}
	return div(a, b)
}

func div(a, b Value) (Value, error) {
	switch {
	case a.Kind == KindFloat && b.Kind == KindFloat:
		return Value{Kind: KindFloat, F: a.F / b.F}, nil
	case a.Kind == KindInt && b.Kind == KindInt:
		if b.I == 0 {
			return Value{}, ErrDivideByZero
		}
		return Value{Kind: KindInt, I: a.I / b.I}, nil
	case a.Kind == KindDuration && b.Kind == KindInt:
		if b.I == 0 {
			return Value{}, ErrDivideByZero
		}
		return Value{Kind: KindDuration, I: a.I / b.I}, nil
	case a.Kind == KindDuration && b.Kind == KindFloat:
		return Value{Kind: KindDuration, I: int64(float64(a.I) / b.F)}, nil
	case a.Kind == KindDuration && b.Kind == KindDuration:
		if b.I == 0 {
			return Value{}, ErrDivideByZero
		}
		return Value{Kind: KindInt, I: a.I / b.I}, nil
	}
	return Value{}, OpError(OpDiv, a.Kind, b.Kind)
}

// Mod is a % b over ints (Go remainder, sign of the dividend).
func Mod(a, b Value) (Value, error) {
	if a.Kind == KindInt && b.Kind == KindInt {
		if b.I == 0 {
			return Value{}, ErrDivideByZero
		}
		return Value{Kind: KindInt, I: a.I % b.I}, nil
	}
	return Value{}, OpError(OpMod, a.Kind, b.Kind)
}

// DivInt is a / b over ints, for compiled code that knows both are ints.
func DivInt(a, b int64) (int64, error) {
	if b == 0 {
		return 0, ErrDivideByZero
	}
	return a / b, nil
}

// ModInt is a % b over ints.
func ModInt(a, b int64) (int64, error) {
	if b == 0 {
		return 0, ErrDivideByZero
	}
	return a % b, nil
}

// Neg is unary minus over int, float and duration.
func Neg(a Value) (Value, error) {
	switch a.Kind {
	case KindFloat:
		return Value{Kind: KindFloat, F: -a.F}, nil
	case KindInt, KindDuration:
		return Value{Kind: a.Kind, I: -a.I}, nil
	case KindMissing:
		return Value{}, MissingError(a)
	}
	return Value{}, &TypeError{Msg: "invalid unary operator - for type " + a.Kind.String()}
}

// Not is unary ! over a boolean.
func Not(a Value) (bool, error) {
	switch a.Kind {
	case KindBool:
		return a.I == 0, nil
	case KindMissing:
		return false, MissingError(a)
	}
	return false, typeGuard(a.Kind, KindBool)
}

func typeGuard(got, want Kind) error {
	return &TypeError{Msg: "TypeGuard: expression returned unexpected type " + got.String() + ", expected " + want.String()}
}

// ---------------------------------------------------------------------------
// Comparisons

// compare orders a and b: -1, 0 or 1, and whether ordering is defined for
// their kinds (ints and floats mix; bools only have equality, eq says so).
// NaN makes every ordering false, as in Go: unordered is reported as 2.
func compare(op Op, a, b Value) (int, error) {
	if a.Kind == KindMissing || b.Kind == KindMissing {
		return 0, missingError(a, b)
	}
	switch {
	case a.Kind == b.Kind:
		switch a.Kind {
		case KindFloat:
			return cmpFloat(a.F, b.F), nil
		case KindInt, KindDuration:
			return cmpInt(a.I, b.I), nil
		case KindString:
			return strings.Compare(a.S, b.S), nil
		case KindBool:
			if op == OpEq || op == OpNeq {
				return cmpInt(a.I, b.I), nil
			}
		}
	case a.Kind == KindInt && b.Kind == KindFloat:
		return cmpFloat(float64(a.I), b.F), nil
	case a.Kind == KindFloat && b.Kind == KindInt:
		return cmpFloat(a.F, float64(b.I)), nil
	}
	return 0, OpError(op, a.Kind, b.Kind)
}

const unordered = 2

// compareOp is the slow path of the comparison operators.
func compareOp(op Op, a, b Value) (bool, error) {
	c, err := compare(op, a, b)
	if err != nil {
		return false, err
	}
	switch op {
	case OpEq:
		return c == 0, nil
	case OpNeq:
		return c != 0, nil
	case OpLt:
		return c == -1, nil
	case OpLte:
		return c == -1 || c == 0, nil
	case OpGt:
		return c == 1, nil
	}
	return c == 1 || c == 0, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return unordered
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Eq is a == b.
func Eq(a, b Value) (bool, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return a.F == b.F, nil
	}
	return compareOp(OpEq, a, b)
}

// Neq is a != b.
func Neq(a, b Value) (bool, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return a.F != b.F, nil
	}
	return compareOp(OpNeq, a, b)
}

// Lt is a < b.
func Lt(a, b Value) (bool, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return a.F < b.F, nil
	}
	return compareOp(OpLt, a, b)
}

// Lte is a <= b.
func Lte(a, b Value) (bool, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return a.F <= b.F, nil
	}
	return compareOp(OpLte, a, b)
}

// Gt is a > b.
func Gt(a, b Value) (bool, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return a.F > b.F, nil
	}
	return compareOp(OpGt, a, b)
}

// Gte is a >= b.
func Gte(a, b Value) (bool, error) {
	if a.Kind == KindFloat && b.Kind == KindFloat {
		return a.F >= b.F, nil
	}
	return compareOp(OpGte, a, b)
}

// Regex is a regular expression of a lambda. A pattern that is only a
// literal, maybe anchored (^us-, -total$), is matched with the string
// functions, which say the same as the regexp and cost far less.
type Regex struct {
	*regexp.Regexp
	lit  string
	mode literalMode
}

type literalMode uint8

const (
	notLiteral literalMode = iota
	containsLiteral
	prefixLiteral
	suffixLiteral
	equalsLiteral
)

// CompileRegex compiles a pattern (Go RE2 syntax).
func CompileRegex(pattern string) (*Regex, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	r := &Regex{Regexp: re}
	r.lit, r.mode = literalForm(pattern)
	return r, nil
}

// MustCompileRegex is CompileRegex for patterns known to be valid.
func MustCompileRegex(pattern string) *Regex {
	r, err := CompileRegex(pattern)
	if err != nil {
		panic(err)
	}
	return r
}

// literalForm recognises literal, ^literal, literal$ and ^literal$. A
// literal holding U+FFFD is left to the regexp, which matches it against
// invalid UTF-8 too.
func literalForm(pattern string) (string, literalMode) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", notLiteral
	}
	re = re.Simplify()
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	begin, end := false, false
	if len(subs) > 0 && subs[0].Op == syntax.OpBeginText {
		begin, subs = true, subs[1:]
	}
	if len(subs) > 0 && subs[len(subs)-1].Op == syntax.OpEndText {
		end, subs = true, subs[:len(subs)-1]
	}
	lit := ""
	switch {
	case len(subs) == 1 && subs[0].Op == syntax.OpLiteral && subs[0].Flags&syntax.FoldCase == 0:
		lit = string(subs[0].Rune)
	case len(subs) == 0 && (begin || end):
	default:
		return "", notLiteral
	}
	if strings.ContainsRune(lit, utf8.RuneError) {
		return "", notLiteral
	}
	switch {
	case begin && end:
		return lit, equalsLiteral
	case begin:
		return lit, prefixLiteral
	case end:
		return lit, suffixLiteral
	}
	return lit, containsLiteral
}

// MatchString reports whether s contains a match.
func (r *Regex) MatchString(s string) bool {
	switch r.mode {
	case containsLiteral:
		return strings.Contains(s, r.lit)
	case prefixLiteral:
		return strings.HasPrefix(s, r.lit)
	case suffixLiteral:
		return strings.HasSuffix(s, r.lit)
	case equalsLiteral:
		return s == r.lit
	}
	return r.Regexp.MatchString(s)
}

// Literal tells how MatchString decides without the regexp, for code
// generators that match a constant pattern inline: the strings function
// it uses ("Contains", "HasPrefix", "HasSuffix", or "==" for an exact
// match) and the literal; fn is "" when the regexp runs.
func (r *Regex) Literal() (fn, lit string) {
	switch r.mode {
	case containsLiteral:
		return "Contains", r.lit
	case prefixLiteral:
		return "HasPrefix", r.lit
	case suffixLiteral:
		return "HasSuffix", r.lit
	case equalsLiteral:
		return "==", r.lit
	}
	return "", ""
}

// Match is a =~ re: an unanchored search in a string.
func Match(a Value, re *Regex) (bool, error) {
	if a.Kind != KindString {
		return false, regexOperandError(OpRegexEq, a)
	}
	return re.MatchString(a.S), nil
}

// NotMatch is a !~ re.
func NotMatch(a Value, re *Regex) (bool, error) {
	if a.Kind == KindString {
		return !re.MatchString(a.S), nil
	}
	return false, regexOperandError(OpRegexNeq, a)
}

func regexOperandError(op Op, a Value) error {
	if a.Kind == KindMissing {
		return missingError(a, Value{})
	}
	return RegexOpError(op, a.Kind)
}

// ---------------------------------------------------------------------------
// Logical operators

// And is a AND b when both operands are already known (references or
// literals, whose types Kapacitor checks before it evaluates either side).
func And(a, b Value) (bool, error) {
	if err := logicalKinds(OpAnd, a, b); err != nil {
		return false, err
	}
	return a.I != 0 && b.I != 0, nil
}

// Or is a OR b when both operands are already known.
func Or(a, b Value) (bool, error) {
	if err := logicalKinds(OpOr, a, b); err != nil {
		return false, err
	}
	return a.I != 0 || b.I != 0, nil
}

func logicalKinds(op Op, a, b Value) error {
	if a.Kind == KindMissing || b.Kind == KindMissing {
		return missingError(a, b)
	}
	if a.Kind != KindBool || b.Kind != KindBool {
		return OpError(op, a.Kind, b.Kind)
	}
	return nil
}

// LogicalLeft checks the left operand of AND / OR before compiled code
// short-circuits on it; the right operand is evaluated only when needed.
func LogicalLeft(op Op, a Value) (bool, error) {
	switch a.Kind {
	case KindBool:
		return a.I != 0, nil
	case KindMissing:
		return false, missingError(a, Value{})
	}
	return false, OpError(op, a.Kind, KindBool)
}

// LogicalRight checks the right operand of AND / OR once evaluated.
func LogicalRight(op Op, b Value) (bool, error) {
	switch b.Kind {
	case KindBool:
		return b.I != 0, nil
	case KindMissing:
		return false, missingError(Value{Kind: KindBool}, b)
	}
	return false, OpError(op, KindBool, b.Kind)
}

// ---------------------------------------------------------------------------
// Generic dispatch

// Binary applies a non-logical, non-regex operator to two values; compiled
// code calls the operator functions directly, constant folding and tests
// use this.
func Binary(op Op, a, b Value) (Value, error) {
	var (
		ok  bool
		err error
	)
	switch op {
	case OpAdd:
		return Add(a, b)
	case OpSub:
		return Sub(a, b)
	case OpMul:
		return Mul(a, b)
	case OpDiv:
		return Div(a, b)
	case OpMod:
		return Mod(a, b)
	case OpEq:
		ok, err = Eq(a, b)
	case OpNeq:
		ok, err = Neq(a, b)
	case OpLt:
		ok, err = Lt(a, b)
	case OpLte:
		ok, err = Lte(a, b)
	case OpGt:
		ok, err = Gt(a, b)
	case OpGte:
		ok, err = Gte(a, b)
	case OpAnd:
		ok, err = And(a, b)
	case OpOr:
		ok, err = Or(a, b)
	default:
		return Value{}, &TypeError{Msg: "unknown binary operator " + op.String()}
	}
	if err != nil {
		return Value{}, err
	}
	return Bool(ok), nil
}
