package codegen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/compiler/types"
	rtm "github.com/tickc/tickc/runtime"
	"github.com/tickc/tickc/stdlib"
)

// A lambda becomes one top-level Go function
//
//	func lambdaN(r *rt.Row, st *rt.LambdaState) (rt.Value, error)
//
// or, when its result is always a boolean, a predicate
//
//	func lambdaN(r *rt.Row, st *rt.LambdaState) (bool, error)
//
// that reads the references it needs once, up front (as Kapacitor fills
// its scope before evaluating), then computes the expression in straight
// Go. When the references have the kinds the expression suggests (a float
// compared with a number, a string matched with a regex), a fast path
// computes it with those kinds known (lambda_fast.go). Where the checker's static types settle an operation (a float
// literal against a float function result, say), the Go operator or the
// Go library function is used directly; otherwise the runtime's operator
// and function entries check the kinds of the values at run time, with
// Kapacitor's messages. Constant subexpressions are folded with the same
// runtime code that would compute them.

// Lambda compiles l into a top-level Go function and returns an
// expression of type *rt.Lambda that refers to it. Compiling the same
// lambda twice yields the same function.
func (g *Gen) Lambda(l *ir.Lambda) (jen.Code, error) {
	fields, err := g.lambdaFields(l, false)
	if err != nil {
		return nil, err
	}
	return jen.Op("&").Add(rt("Lambda")).Values(fields), nil
}

// Lambdas compiles every lambda value of vs and returns a []*rt.Lambda
// literal, in order.
func (g *Gen) Lambdas(vs []ir.Value) (jen.Code, error) {
	items := make([]jen.Code, 0, len(vs))
	for i, v := range vs {
		if v.Lambda == nil {
			return nil, fmt.Errorf("argument %d is a %s, not a lambda", i+1, v.Type)
		}
		fields, err := g.lambdaFields(v.Lambda, false)
		if err != nil {
			return nil, err
		}
		items = append(items, jen.Values(fields))
	}
	return jen.Index().Op("*").Add(rt("Lambda")).Values(items...), nil
}

// UnusedLambda compiles a lambda whose result nothing reads (an eval
// result no node below uses): it must fail as the lambda would, but on
// its fast path, where nothing can fail, it returns a zero of the
// result's kind without computing it.
func (g *Gen) UnusedLambda(l *ir.Lambda) (jen.Code, error) {
	fields, err := g.lambdaFields(l, true)
	if err != nil {
		return nil, err
	}
	return jen.Op("&").Add(rt("Lambda")).Values(fields), nil
}

// lambdaKey names a compiled lambda function: one per lambda and use.
type lambdaKey struct {
	l      *ir.Lambda
	unused bool
}

// lambdaFields compiles l once (per use: unused, see UnusedLambda) and
// returns the fields of its rt.Lambda.
func (g *Gen) lambdaFields(l *ir.Lambda, unused bool) (jen.Dict, error) {
	if l == nil || l.Body == nil {
		return nil, fmt.Errorf("empty lambda")
	}
	if g.lambdas == nil {
		g.lambdas = map[lambdaKey]string{}
	}
	key := lambdaKey{l, unused}
	name, ok := g.lambdas[key]
	if !ok {
		name = fmt.Sprintf("lambda%d", len(g.lambdas))
		c := newLambdaCompiler(g, name, l)
		c.unusedResult = unused
		fn, err := c.compile()
		if err != nil {
			return nil, err
		}
		g.lambdas[key] = name
		for _, d := range c.decls {
			g.AddFunc(d)
		}
		g.AddFunc(fn)
	}
	fields := jen.Dict{jen.Id("Text"): jen.Lit(SourceText(l.Body))}
	if isPredicate(l) {
		fields[jen.Id("Func")] = rt("PredicateLambda").Call(jen.Id(name))
		fields[jen.Id("Pred")] = jen.Id(name)
	} else {
		fields[jen.Id("Func")] = jen.Id(name)
	}
	if l.Stateful || usesState(l) {
		fields[jen.Id("Stateful")] = jen.True()
	}
	return fields, nil
}

// usesState reports a call of count, sigma or spread, inlined lambdas
// included.
func usesState(l *ir.Lambda) bool {
	return anyExpr(l, func(x ast.Expr) bool {
		c, ok := x.(*ast.CallExpr)
		if !ok {
			return false
		}
		f := stdlib.LookupFunc(c.Fun.Name)
		return f != nil && f.Stateful
	})
}

// readsTime reports a reference to the point's time ("time"), inlined
// lambdas included.
func readsTime(l *ir.Lambda) bool {
	return anyExpr(l, func(x ast.Expr) bool {
		r, ok := x.(*ast.Reference)
		return ok && r.Name == types.TimeRef
	})
}

// anyExpr reports whether f holds for an expression of l's body, the
// bodies of the lambda vars it inlines included.
func anyExpr(l *ir.Lambda, f func(ast.Expr) bool) bool {
	var walk func(x ast.Expr, inl map[*ast.Ident]ir.Value) bool
	walk = func(x ast.Expr, inl map[*ast.Ident]ir.Value) bool {
		if f(x) {
			return true
		}
		switch x := x.(type) {
		case *ast.CallExpr:
			for _, a := range x.Args {
				if walk(a, inl) {
					return true
				}
			}
		case *ast.BinaryExpr:
			return walk(x.X, inl) || walk(x.Y, inl)
		case *ast.UnaryExpr:
			return walk(x.X, inl)
		case *ast.ParenExpr:
			return walk(x.X, inl)
		case *ast.Ident:
			if v, ok := inl[x]; ok && v.Lambda != nil && v.Lambda.Body != nil {
				return walk(v.Lambda.Body, v.Lambda.Inlined)
			}
		}
		return false
	}
	return walk(l.Body, l.Inlined)
}

// ---------------------------------------------------------------------------
// Operands

// goType is the Go type of a compiled subexpression.
type goType int

const (
	tValue  goType = iota // rt.Value: the kind is known only at run time
	tFloat                // float64
	tInt                  // int64
	tString               // string
	tBool                 // bool
	tDur                  // time.Duration
	tTime                 // int64 Unix nanoseconds
	tRegex                // *rt.Regex
)

// operand is a compiled subexpression: a Go expression without side
// effects (a literal, a local, or a pure operator over those) whose
// statements, if any, have been emitted already.
type operand struct {
	x *jen.Statement
	t goType
	// static is the single type the value has when t is tValue and the
	// checker knows it (a function result), else tValue.
	static goType
	// c is the value of a constant scalar; re that of a constant regex.
	c  *rtm.Value
	re *rtm.Regex
	// ident is set when x is a local variable.
	ident string
	// prec is the Go precedence of x's outermost operator (6 for a unary
	// operator, 5 for *, 4 for +, 3 for comparisons, 2 for &&, 1 for ||),
	// 0 when x is an operand that never needs parentheses.
	prec int
	// text is the expression as Kapacitor prints it in error messages.
	text string
}

// scope is the type and inlining information of one lambda body; an
// inlined lambda var brings its own.
type scope struct {
	types   map[ast.Expr]stdlib.Type
	inlined map[*ast.Ident]ir.Value
}

type lambdaCompiler struct {
	g     *Gen
	name  string
	l     *ir.Lambda
	sc    scope
	stmts []jen.Code
	decls []jen.Code // package-level vars (regexes, reference lists)
	// names are the identifiers in use in the function.
	names map[string]bool
	tmp   int
	// refs maps each reference read by the compiled code to its local.
	refs     map[string]string
	refOrder []string
	// argPath holds the 1-based argument indexes of the function calls
	// being compiled, outermost first, to wrap errors as Kapacitor does.
	argPath  []int
	nregex   int
	regexes  map[string]operand // by pattern, declared once
	scopeVar string
	inlining int // depth of inlined lambda vars, against cycles
	// pred is set when the function returns (bool, error) (isPredicate).
	pred bool
	// fast holds the kinds the fast path assumes references have
	// (lambda_fast.go); fastRefs are those it read, in order.
	fast        map[string]goType
	speculating bool
	fastRefs    []string
	// fastFails is set when the fast path can return an error.
	fastFails bool
	// unusedResult: nothing reads the result (see Gen.UnusedLambda).
	unusedResult bool
}

func newLambdaCompiler(g *Gen, name string, l *ir.Lambda) *lambdaCompiler {
	c := &lambdaCompiler{
		g: g, name: name, l: l,
		sc:      scope{types: l.Types, inlined: l.Inlined},
		names:   map[string]bool{},
		refs:    map[string]string{},
		regexes: map[string]operand{},
		pred:    isPredicate(l),
	}
	for _, n := range reservedNames {
		c.names[n] = true
	}
	return c
}

// reservedNames may not name locals: the parameters, packages the
// generated file imports, Go keywords and predeclared identifiers.
var reservedNames = strings.Fields(`r st err at rt math strings strconv time regexp
	break case chan const continue default defer else fallthrough for func go goto if
	import interface map package range return select struct switch type var
	any append bool byte cap clear close complex complex64 complex128 copy delete error
	false float32 float64 imag int int8 int16 int32 int64 iota len make max min new nil
	panic print println real recover rune string true uint uint8 uint16 uint32 uint64 uintptr`)

func (c *lambdaCompiler) compile() (jen.Code, error) {
	res, err := c.expr(c.l.Body)
	if err != nil {
		return nil, err
	}
	if res.t == tRegex {
		return nil, fmt.Errorf("lambda: %s yields a regex, which is not a value", SourceText(c.l.Body))
	}
	body := c.stmts
	c.stmts = nil
	fast, guard, fastRes, err := c.fastPath()
	if err != nil {
		return nil, err
	}
	c.emitRefReads()
	if fast != nil {
		if zero, ok := zeroOf(fastRes.t); ok && c.unusedResult && !c.fastFails && !c.pred {
			// Only the kind of an unused result matters (eval checks it).
			fast = []jen.Code{c.result(zero)}
		}
		c.emit(jen.If(guard).Block(fast...))
	}
	c.stmts = append(c.stmts, body...)
	c.emit(c.result(res))

	doc := fmt.Sprintf("%s computes %s", c.name, commentSafe(SourceText(c.l.Body)))
	results := jen.Params(rt("Value"), jen.Error())
	if c.pred {
		results = jen.Params(jen.Bool(), jen.Error())
	}
	return jen.Comment(doc).Line().
		Func().Id(c.name).
		Params(jen.Id("r").Op("*").Add(rt("Row")), jen.Id("st").Op("*").Add(rt("LambdaState"))).
		Add(results).
		Block(c.stmts...), nil
}

// isPredicate reports a lambda whose result the checker knows is a
// boolean: it compiles to a predicate.
func isPredicate(l *ir.Lambda) bool {
	return goTypeOf(l.Types[l.Body]) == tBool
}

// result returns the value of res from the function.
func (c *lambdaCompiler) result(res operand) jen.Code {
	if !c.pred {
		return jen.Return(c.value(res), jen.Nil())
	}
	if res = typed(res); res.t == tBool {
		return jen.Return(res.x.Clone(), jen.Nil())
	}
	// Not reached while the checker's type is right: convert the value
	// as EvalPredicate would.
	return jen.Return(rt("ValuePredicate").Call(c.value(res)))
}

// zeroOf is a constant zero of a value kind.
func zeroOf(t goType) (operand, bool) {
	switch t {
	case tFloat:
		return constant(rtm.Float(0), "0.0"), true
	case tInt:
		return constant(rtm.Int(0), "0"), true
	case tString:
		return constant(rtm.String(""), "''"), true
	case tBool:
		return constant(rtm.Bool(false), "FALSE"), true
	}
	return operand{}, false
}

// fail returns err from the function, with the zero result.
func (c *lambdaCompiler) fail(err jen.Code) jen.Code {
	if c.speculating {
		c.fastFails = true
	}
	if c.pred {
		return jen.Return(jen.False(), err)
	}
	return jen.Return(jen.Add(rt("Value")).Values(), err)
}

// ---------------------------------------------------------------------------
// Names and statements

// newName returns an unused local name built on base.
func (c *lambdaCompiler) newName(base string) string {
	c.tmp++
	for {
		n := base + strconv.Itoa(c.tmp)
		if !c.names[n] {
			c.names[n] = true
			return n
		}
		c.tmp++
	}
}

// refLocal names the local holding reference name: the name in camel
// case when it makes an identifier, else ref<N>.
func (c *lambdaCompiler) refLocal(name string) string {
	if local, ok := c.refs[name]; ok {
		return local
	}
	base := identFrom(name)
	if strings.HasPrefix(base, "lambda") {
		// Package-level names are lambdaN, lambdaNRe…, lambdaNRefs.
		base += "Ref"
	}
	local := base
	if base == "" || c.names[base] {
		if base == "" {
			base = "ref"
		}
		local = c.newName(base)
	}
	c.names[local] = true
	c.refs[name] = local
	c.refOrder = append(c.refOrder, name)
	return local
}

// identFrom turns a field name into a Go identifier: ASCII letters and
// digits, camel case at other characters; "" when nothing is left or it
// would start with a digit.
func identFrom(name string) string {
	var words []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool {
		return r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		words = append(words, w)
	}
	var b strings.Builder
	for i, w := range words {
		switch {
		case i == 0 && strings.ToUpper(w) == w:
			w = strings.ToLower(w)
		case i == 0:
			w = strings.ToLower(w[:1]) + w[1:]
		default:
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	s := b.String()
	if s == "" || s[0] >= '0' && s[0] <= '9' || len(s) > 40 {
		return ""
	}
	return s
}

func (c *lambdaCompiler) emit(code jen.Code) { c.stmts = append(c.stmts, code) }

// block compiles f into a separate statement list.
func (c *lambdaCompiler) block(f func() error) ([]jen.Code, error) {
	saved := c.stmts
	c.stmts = nil
	err := f()
	out := c.stmts
	c.stmts = saved
	return out, err
}

// wrapErr wraps an error expression for the function arguments being
// compiled: "Failed to handle 1 argument: …".
func (c *lambdaCompiler) wrapErr(err jen.Code) jen.Code {
	for i := len(c.argPath) - 1; i >= 0; i-- {
		err = rt("ArgError").Call(jen.Lit(c.argPath[i]), err)
	}
	return err
}

// failIf emits `if err != nil { return rt.Value{}, err }`, err wrapped by
// wrap when given.
func (c *lambdaCompiler) failIf(wrap func(jen.Code) jen.Code) {
	var e jen.Code = jen.Err()
	if wrap != nil {
		e = wrap(e)
	}
	c.emit(jen.If(jen.Err().Op("!=").Nil()).Block(c.fail(c.wrapErr(e))))
}

// fallible emits `name, err := call` and the error check, and returns the
// local as an operand of type t.
func (c *lambdaCompiler) fallible(base string, t goType, call jen.Code, wrap func(jen.Code) jen.Code) operand {
	name := c.newName(base)
	c.emit(jen.List(jen.Id(name), jen.Err()).Op(":=").Add(call))
	c.failIf(wrap)
	return operand{x: jen.Id(name), t: t, static: tValue, ident: name}
}

// assign emits `name := x` (for values with side effects, which must be
// computed in place) and returns the local.
func (c *lambdaCompiler) assign(base string, t goType, x jen.Code) operand {
	name := c.newName(base)
	c.emit(jen.Id(name).Op(":=").Add(x))
	return operand{x: jen.Id(name), t: t, ident: name}
}

// discard drops a computed value whose result is not needed, keeping the
// locals it uses legal.
func (c *lambdaCompiler) discard(o operand) {
	if o.c == nil && o.re == nil {
		c.emit(jen.Id("_").Op("=").Add(o.x.Clone()))
	}
}

// typedExpr is o's expression with its Go type fixed, for declaring a
// local from it (an int constant would otherwise declare an int).
func typedExpr(o operand) *jen.Statement {
	if o.c != nil && o.t == tInt {
		return jen.Int64().Call(o.x.Clone())
	}
	return o.x.Clone()
}

// ---------------------------------------------------------------------------
// Conversions between operand forms

func goTypeOf(t stdlib.Type) goType {
	switch t {
	case stdlib.Float:
		return tFloat
	case stdlib.Int:
		return tInt
	case stdlib.String:
		return tString
	case stdlib.Bool:
		return tBool
	case stdlib.Duration:
		return tDur
	case stdlib.Time:
		return tTime
	case stdlib.Regex:
		return tRegex
	}
	return tValue
}

// paren returns o's expression, in parentheses unless it is a plain
// operand (for selectors and unary operators).
func paren(o operand) *jen.Statement {
	if o.prec != 0 {
		return jen.Parens(o.x.Clone())
	}
	return o.x.Clone()
}

// value is o as an rt.Value expression.
func (c *lambdaCompiler) value(o operand) jen.Code {
	switch o.t {
	case tFloat:
		return rt("Float").Call(o.x.Clone())
	case tInt:
		return rt("Int").Call(o.x.Clone())
	case tString:
		return rt("String").Call(o.x.Clone())
	case tBool:
		return rt("Bool").Call(o.x.Clone())
	case tDur:
		return rt("Dur").Call(o.x.Clone())
	case tTime:
		return rt("TimeValue").Call(o.x.Clone())
	}
	return o.x.Clone()
}

// typed narrows an rt.Value operand whose single type is known statically
// (a function result) to its Go type.
func typed(o operand) operand {
	if o.t != tValue || o.static == tValue {
		return o
	}
	n := o
	n.t, n.prec = o.static, 0
	switch o.static {
	case tFloat:
		n.x = paren(o).Dot("F")
	case tInt, tTime:
		n.x = paren(o).Dot("I")
	case tString:
		n.x = paren(o).Dot("S")
	case tBool:
		n.x = paren(o).Dot("Bool").Call()
	case tDur:
		n.x = jen.Qual("time", "Duration").Call(paren(o).Dot("I"))
	default:
		return o
	}
	return n
}

// constant returns the operand of a constant value.
func constant(v rtm.Value, text string) operand {
	o := operand{c: &v, text: text, static: tValue}
	switch v.Kind {
	case rtm.KindFloat:
		o.t, o.x = tFloat, floatLit(v.F)
		if v.F < 0 && !math.IsInf(v.F, 0) {
			o.prec = 6
		}
	case rtm.KindInt:
		o.t, o.x = tInt, jen.Id(strconv.FormatInt(v.I, 10))
		if v.I < 0 {
			o.prec = 6
		}
	case rtm.KindString:
		o.t, o.x = tString, jen.Lit(v.S)
	case rtm.KindBool:
		o.t, o.x = tBool, jen.Lit(v.I != 0)
	case rtm.KindDuration:
		o.t, o.x = tDur, durLit(time.Duration(v.I))
		o.prec = 5
	default:
		o.t, o.x = tValue, jen.Add(rt("Value")).Values()
	}
	return o
}

// floatLit is a float64 literal; infinities and NaN, which folding can
// produce, become math calls.
func floatLit(f float64) *jen.Statement {
	switch {
	case math.IsInf(f, 1):
		return jen.Qual("math", "Inf").Call(jen.Lit(1))
	case math.IsInf(f, -1):
		return jen.Qual("math", "Inf").Call(jen.Lit(-1))
	case math.IsNaN(f):
		return jen.Qual("math", "NaN").Call()
	}
	return jen.Lit(f)
}

// durLit writes a duration as a count of its largest exact unit.
func durLit(d time.Duration) *jen.Statement {
	units := []struct {
		d    time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"},
		{time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"}}
	if d != 0 {
		for _, u := range units {
			if d%u.d == 0 {
				return jen.Id(strconv.FormatInt(int64(d/u.d), 10)).Op("*").Qual("time", u.name)
			}
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Id(strconv.FormatInt(int64(d), 10)))
}

// ---------------------------------------------------------------------------
// Expressions

func (c *lambdaCompiler) staticType(x ast.Expr) goType {
	return goTypeOf(c.sc.types[x])
}

func (c *lambdaCompiler) expr(x ast.Expr) (operand, error) {
	switch x := x.(type) {
	case *ast.NumberLit:
		if x.IsInt {
			return constant(rtm.Int(x.Int), strconv.FormatInt(x.Int, 10)), nil
		}
		return constant(rtm.Float(x.Float), fmt.Sprint(x.Float)), nil
	case *ast.DurationLit:
		return constant(rtm.Dur(x.Value), x.Value.String()), nil
	case *ast.StringLit:
		return constant(rtm.String(x.Value), x.Value), nil
	case *ast.BoolLit:
		return constant(rtm.Bool(x.Value), strconv.FormatBool(x.Value)), nil
	case *ast.RegexLit:
		return c.regex(x.Pattern)
	case *ast.Reference:
		return c.reference(x.Name), nil
	case *ast.Ident:
		return c.ident(x)
	case *ast.ParenExpr:
		return c.expr(x.X)
	case *ast.UnaryExpr:
		return c.unary(x)
	case *ast.BinaryExpr:
		return c.binary(x)
	case *ast.CallExpr:
		return c.call(x)
	}
	return operand{}, fmt.Errorf("%s: %T cannot be compiled inside a lambda", x.Pos(), x)
}

// regex declares a package-level compiled regex, once per pattern.
func (c *lambdaCompiler) regex(pattern string) (operand, error) {
	if o, ok := c.regexes[pattern]; ok {
		o.x = o.x.Clone()
		return o, nil
	}
	re, err := rtm.CompileRegex(pattern)
	if err != nil {
		return operand{}, err
	}
	name := c.name + "Re"
	if c.nregex > 0 {
		name += strconv.Itoa(c.nregex)
	}
	c.nregex++
	c.decls = append(c.decls, jen.Var().Id(name).Op("=").Add(rt("MustCompileRegex")).Call(jen.Lit(pattern)))
	o := operand{x: jen.Id(name), t: tRegex, re: re, text: pattern, static: tValue}
	c.regexes[pattern] = o
	return o, nil
}

func (c *lambdaCompiler) reference(name string) operand {
	text := strconv.Quote(name)
	if name == "time" {
		return operand{x: jen.Id("r").Dot("Time"), t: tTime, text: text, static: tValue}
	}
	local := c.refLocal(name)
	if o, ok := c.fastRef(name, local); ok {
		return o
	}
	return operand{x: jen.Id(local), t: tValue, static: tValue, ident: local, text: `"` + name + `"`}
}

// ident compiles a script var named in the lambda: its value was inlined
// when the lambda was defined.
func (c *lambdaCompiler) ident(x *ast.Ident) (operand, error) {
	v, ok := c.sc.inlined[x]
	if !ok {
		return operand{}, fmt.Errorf("%s: var %s has no value in this lambda", x.Pos(), x.Name)
	}
	if v.Placeholder {
		return operand{}, fmt.Errorf("%s: template var %s has no value", x.Pos(), x.Name)
	}
	if v.Ref {
		return c.reference(v.Str), nil
	}
	switch v.Type {
	case stdlib.Int:
		return constant(rtm.Int(v.Int), strconv.FormatInt(v.Int, 10)), nil
	case stdlib.Float:
		return constant(rtm.Float(v.Float), fmt.Sprint(v.Float)), nil
	case stdlib.String:
		return constant(rtm.String(v.Str), v.Str), nil
	case stdlib.Bool:
		return constant(rtm.Bool(v.Bool), strconv.FormatBool(v.Bool)), nil
	case stdlib.Duration:
		return constant(rtm.Dur(v.Dur), v.Dur.String()), nil
	case stdlib.Regex:
		pattern := v.Str
		if v.Regex != nil {
			pattern = v.Regex.String()
		}
		o, err := c.regex(pattern)
		if err != nil {
			return operand{}, fmt.Errorf("%s: var %s: %v", x.Pos(), x.Name, err)
		}
		return o, nil
	case stdlib.Lambda:
		inner := v.Lambda
		if inner == nil || inner.Body == nil {
			return operand{}, fmt.Errorf("%s: lambda var %s has no value", x.Pos(), x.Name)
		}
		if c.inlining > 100 {
			return operand{}, fmt.Errorf("%s: lambda var %s inlines itself", x.Pos(), x.Name)
		}
		saved := c.sc
		c.sc = scope{types: inner.Types, inlined: inner.Inlined}
		c.inlining++
		o, err := c.expr(inner.Body)
		c.inlining--
		c.sc = saved
		return o, err
	}
	return operand{}, fmt.Errorf("%s: var %s holds a %s, which cannot be used inside a lambda", x.Pos(), x.Name, v.Type)
}

// ---------------------------------------------------------------------------
// Operators

func (c *lambdaCompiler) unary(x *ast.UnaryExpr) (operand, error) {
	o, err := c.expr(x.X)
	if err != nil {
		return operand{}, err
	}
	text := x.Op.String() + o.text
	if o.c != nil {
		var v rtm.Value
		var ferr error
		if x.Op == ast.OpNeg {
			v, ferr = rtm.Neg(*o.c)
		} else {
			var b bool
			b, ferr = rtm.Not(*o.c)
			v = rtm.Bool(b)
		}
		if ferr == nil {
			return constant(v, text), nil
		}
	}
	o = typed(o)
	switch {
	case x.Op == ast.OpNeg && (o.t == tFloat || o.t == tInt || o.t == tDur):
		return operand{x: jen.Op("-").Add(paren(o)), t: o.t, prec: 6, text: text}, nil
	case x.Op == ast.OpNot && o.t == tBool:
		return operand{x: jen.Op("!").Add(paren(o)), t: tBool, prec: 6, text: text}, nil
	case x.Op == ast.OpNeg:
		r := c.fallible("neg", tValue, rt("Neg").Call(c.value(o)), nil)
		r.static, r.text = c.staticType(x), text
		return r, nil
	}
	r := c.fallible("not", tBool, rt("Not").Call(c.value(o)), nil)
	r.text = text
	return r, nil
}

// binaryOps maps the AST's operators to the runtime's and to the names of
// the runtime functions and result locals.
var binaryOps = map[ast.Op]struct {
	op         rtm.Op
	fn, local  string
	goOp       string
	comparison bool
}{
	ast.OpAdd:      {rtm.OpAdd, "Add", "sum", "+", false},
	ast.OpSub:      {rtm.OpSub, "Sub", "diff", "-", false},
	ast.OpMul:      {rtm.OpMul, "Mul", "prod", "*", false},
	ast.OpDiv:      {rtm.OpDiv, "Div", "quo", "/", false},
	ast.OpMod:      {rtm.OpMod, "Mod", "rem", "%", false},
	ast.OpEq:       {rtm.OpEq, "Eq", "eq", "==", true},
	ast.OpNeq:      {rtm.OpNeq, "Neq", "neq", "!=", true},
	ast.OpLt:       {rtm.OpLt, "Lt", "lt", "<", true},
	ast.OpLte:      {rtm.OpLte, "Lte", "lte", "<=", true},
	ast.OpGt:       {rtm.OpGt, "Gt", "gt", ">", true},
	ast.OpGte:      {rtm.OpGte, "Gte", "gte", ">=", true},
	ast.OpRegexEq:  {rtm.OpRegexEq, "Match", "match", "=~", true},
	ast.OpRegexNeq: {rtm.OpRegexNeq, "NotMatch", "match", "!~", true},
	ast.OpAnd:      {rtm.OpAnd, "And", "and", "&&", true},
	ast.OpOr:       {rtm.OpOr, "Or", "or", "||", true},
}

func (c *lambdaCompiler) binary(x *ast.BinaryExpr) (operand, error) {
	if x.Op == ast.OpAnd || x.Op == ast.OpOr {
		return c.logical(x)
	}
	info, ok := binaryOps[x.Op]
	if !ok {
		return operand{}, fmt.Errorf("%s: unknown operator %v", x.OpPos, x.Op)
	}
	l, err := c.expr(x.X)
	if err != nil {
		return operand{}, err
	}
	r, err := c.expr(x.Y)
	if err != nil {
		return operand{}, err
	}
	text := l.text + " " + x.Op.String() + " " + r.text
	if f, ok := fold(info.op, l, r); ok {
		return constant(f, text), nil
	}
	if o, ok := c.direct(x.Op, typed(l), typed(r)); ok {
		o.text = text
		return o, nil
	}
	// The runtime checks the kinds.
	if x.Op == ast.OpRegexEq || x.Op == ast.OpRegexNeq {
		if r.t != tRegex {
			return operand{}, fmt.Errorf("%s: the right side of %v must be a regex", x.OpPos, x.Op)
		}
		o := c.fallible(info.local, tBool, rt(info.fn).Call(c.value(l), r.x.Clone()), nil)
		o.text = text
		return o, nil
	}
	if info.comparison {
		o := c.fallible(info.local, tBool, rt(info.fn).Call(c.value(l), c.value(r)), nil)
		o.text = text
		return o, nil
	}
	o := c.fallible(info.local, tValue, rt(info.fn).Call(c.value(l), c.value(r)), nil)
	o.static, o.text = c.staticType(x), text
	return o, nil
}

// goPrec is the precedence of Go's binary operators.
var goPrec = map[string]int{
	"*": 5, "/": 5, "%": 5, "+": 4, "-": 4,
	"==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "&&": 2, "||": 1,
}

// goBinary writes l op r with the parentheses Go's precedence needs
// (operators are left-associative, so an equal right side needs them).
func goBinary(op string, t goType, l, r operand) operand {
	p := goPrec[op]
	lx, rx := l.x.Clone(), r.x.Clone()
	if l.prec != 0 && l.prec < p {
		lx = jen.Parens(lx)
	}
	if r.prec != 0 && r.prec <= p {
		rx = jen.Parens(rx)
	}
	return operand{x: lx.Op(op).Add(rx), t: t, prec: p}
}

// unfused converts a float product to float64, which rounds it.
func unfused(o operand) operand {
	if o.prec == 5 {
		return operand{x: jen.Float64().Call(o.x.Clone()), t: o.t}
	}
	return o
}

// fold evaluates an operator over constants with the runtime's own code;
// an operation that fails is left to fail at run time.
func fold(op rtm.Op, l, r operand) (rtm.Value, bool) {
	if op == rtm.OpRegexEq || op == rtm.OpRegexNeq {
		if l.c == nil || r.re == nil {
			return rtm.Value{}, false
		}
		var ok bool
		var err error
		if op == rtm.OpRegexEq {
			ok, err = rtm.Match(*l.c, r.re)
		} else {
			ok, err = rtm.NotMatch(*l.c, r.re)
		}
		return rtm.Bool(ok), err == nil
	}
	if l.c == nil || r.c == nil {
		return rtm.Value{}, false
	}
	v, err := rtm.Binary(op, *l.c, *r.c)
	return v, err == nil
}

// direct compiles an operator whose operand types are both known to the
// Go operator or expression that implements it. It returns false when the
// types are not both known or the operation may fail (integer division
// by a non-constant).
func (c *lambdaCompiler) direct(op ast.Op, l, r operand) (operand, bool) {
	info := binaryOps[op]
	bin := func(t goType, a, b operand) (operand, bool) { return goBinary(info.goOp, t, a, b), true }
	conv := func(typ *jen.Statement, t goType, o operand) operand {
		return operand{x: typ.Call(o.x.Clone()), t: t}
	}
	toFloat := func(o operand) operand { return conv(jen.Float64(), tFloat, o) }
	toDur := func(o operand) operand { return conv(jen.Qual("time", "Duration"), tDur, o) }
	nonZero := r.c != nil && r.c.I != 0
	switch {
	case l.t == tValue || r.t == tValue:
		return operand{}, false
	case (op == ast.OpRegexEq || op == ast.OpRegexNeq) && l.t == tString && r.t == tRegex:
		return matchCode(op == ast.OpRegexNeq, l, r), true
	case info.comparison:
		switch {
		case l.t == r.t && (l.t == tFloat || l.t == tInt || l.t == tString || l.t == tDur):
			return bin(tBool, l, r)
		case l.t == tBool && r.t == tBool && (op == ast.OpEq || op == ast.OpNeq):
			return bin(tBool, l, r)
		case l.t == tInt && r.t == tFloat:
			return bin(tBool, toFloat(l), r)
		case l.t == tFloat && r.t == tInt:
			return bin(tBool, l, toFloat(r))
		}
	case l.t == tFloat && r.t == tFloat && op != ast.OpMod:
		if op == ast.OpAdd || op == ast.OpSub {
			// Round products before adding, as Kapacitor does: Go may
			// otherwise fuse x*y+z into one instruction on some CPUs.
			l, r = unfused(l), unfused(r)
		}
		return bin(tFloat, l, r)
	case l.t == tInt && r.t == tInt && (op == ast.OpAdd || op == ast.OpSub || op == ast.OpMul):
		return bin(tInt, l, r)
	case l.t == tInt && r.t == tInt && (op == ast.OpDiv || op == ast.OpMod):
		if nonZero {
			return bin(tInt, l, r)
		}
		fn := "DivInt"
		if op == ast.OpMod {
			fn = "ModInt"
		}
		return c.fallible(info.local, tInt, rt(fn).Call(l.x.Clone(), r.x.Clone()), nil), true
	case l.t == tString && r.t == tString && op == ast.OpAdd:
		return bin(tString, l, r)
	case l.t == tDur && r.t == tDur && (op == ast.OpAdd || op == ast.OpSub):
		return bin(tDur, l, r)
	case op == ast.OpMul && l.t == tDur && r.t == tInt:
		return bin(tDur, l, toDur(r))
	case op == ast.OpMul && l.t == tInt && r.t == tDur:
		return bin(tDur, toDur(l), r)
	case op == ast.OpMul && l.t == tDur && r.t == tFloat:
		return toDur(goBinary("*", tFloat, toFloat(l), r)), true
	case op == ast.OpMul && l.t == tFloat && r.t == tDur:
		return toDur(goBinary("*", tFloat, l, toFloat(r))), true
	case op == ast.OpDiv && l.t == tDur && r.t == tFloat:
		return toDur(goBinary("/", tFloat, toFloat(l), r)), true
	case op == ast.OpDiv && l.t == tDur && r.t == tInt && nonZero:
		return bin(tDur, l, toDur(r))
	case op == ast.OpDiv && l.t == tDur && r.t == tDur && nonZero:
		return conv(jen.Int64(), tInt, goBinary("/", tDur, l, r)), true
	}
	return operand{}, false
}

// matchCode is l =~ r (l !~ r when negated) for a string l: a pattern
// that is a plain literal is matched with the strings package, as the
// regex itself would (rt.Regex.Literal).
func matchCode(negated bool, l, r operand) operand {
	fn, lit := "", ""
	if r.re != nil {
		fn, lit = r.re.Literal()
	}
	var m operand
	switch fn {
	case "":
		m = operand{x: paren(r).Dot("MatchString").Call(l.x.Clone()), t: tBool}
	case "==":
		op := "=="
		if negated {
			op, negated = "!=", false
		}
		m = goBinary(op, tBool, l, operand{x: jen.Lit(lit), t: tString})
	default:
		m = operand{x: jen.Qual("strings", fn).Call(l.x.Clone(), jen.Lit(lit)), t: tBool}
	}
	if negated {
		return operand{x: jen.Op("!").Add(paren(m)), t: tBool, prec: 6}
	}
	return m
}

// logical compiles AND / OR. When the right side needs statements it is
// evaluated only if the left side does not decide (Kapacitor's
// short-circuit); a right side that is a plain reference or literal is
// checked first, as Kapacitor checks its type before evaluating.
func (c *lambdaCompiler) logical(x *ast.BinaryExpr) (operand, error) {
	info := binaryOps[x.Op]
	isAnd := x.Op == ast.OpAnd
	l, err := c.expr(x.X)
	if err != nil {
		return operand{}, err
	}
	if l.c != nil && l.t == tBool {
		// FALSE AND x, TRUE OR x: decided, x is not evaluated.
		if (l.c.I != 0) != isAnd {
			return constant(*l.c, l.text+" "+x.Op.String()+" "+SourceText(x.Y)), nil
		}
		// TRUE AND x, FALSE OR x: x, which must be a boolean.
		r, err := c.expr(x.Y)
		if err != nil {
			return operand{}, err
		}
		text := l.text + " " + x.Op.String() + " " + r.text
		if r.c != nil {
			if v, ok := fold(info.op, l, r); ok {
				return constant(v, text), nil
			}
		}
		return c.logicalRight(info.op, info.local, typed(r), text), nil
	}
	var r operand
	rstmts, err := c.block(func() error {
		var err error
		r, err = c.expr(x.Y)
		return err
	})
	if err != nil {
		return operand{}, err
	}
	text := l.text + " " + x.Op.String() + " " + r.text
	l = typed(l)
	if len(rstmts) == 0 {
		if v, ok := fold(info.op, l, r); ok {
			return constant(v, text), nil
		}
		r = typed(r)
		if l.t == tBool && r.t == tBool {
			o := goBinary(info.goOp, tBool, l, r)
			o.text = text
			return o, nil
		}
		o := c.fallible(info.local, tBool, rt(info.fn).Call(c.value(l), c.value(r)), nil)
		o.text = text
		return o, nil
	}
	// The right side has statements: evaluate it only when needed.
	// res starts as the left side and takes the right one when needed.
	var res operand
	if l.t == tBool {
		res = c.assign(info.local, tBool, l.x.Clone())
	} else {
		res = c.fallible(info.local, tBool, rt("LogicalLeft").Call(rt(opName(info.op)), c.value(l)), nil)
	}
	inner, _ := c.block(func() error {
		c.stmts = append(c.stmts, rstmts...)
		rb := c.logicalRight(info.op, info.local, typed(r), "")
		c.emit(jen.Id(res.ident).Op("=").Add(rb.x))
		return nil
	})
	cond := jen.Id(res.ident)
	if !isAnd {
		cond = jen.Op("!").Id(res.ident)
	}
	c.emit(jen.If(cond).Block(inner...))
	res.text, res.prec, res.c = text, 0, nil
	return res, nil
}

// logicalRight is the right operand of AND / OR as a bool.
func (c *lambdaCompiler) logicalRight(op rtm.Op, local string, r operand, text string) operand {
	if r.t == tBool {
		r.text = text
		return r
	}
	o := c.fallible(local, tBool, rt("LogicalRight").Call(rt(opName(op)), c.value(r)), nil)
	o.text = text
	return o
}

func opName(op rtm.Op) string {
	if op == rtm.OpAnd {
		return "OpAnd"
	}
	return "OpOr"
}

// ---------------------------------------------------------------------------
// Function calls

func (c *lambdaCompiler) call(x *ast.CallExpr) (operand, error) {
	name := x.Fun.Name
	f := stdlib.LookupFunc(name)
	if f == nil {
		return operand{}, fmt.Errorf("%s: undefined function: %q", x.Pos(), name)
	}
	args := make([]operand, len(x.Args))
	texts := make([]string, len(x.Args))
	for i, a := range x.Args {
		c.argPath = append(c.argPath, i+1)
		o, err := c.expr(a)
		c.argPath = c.argPath[:len(c.argPath)-1]
		if err != nil {
			return operand{}, err
		}
		args[i], texts[i] = o, o.text
	}
	text := name + "(" + strings.Join(texts, ", ") + ")"
	if v, ok := foldCall(name, args); ok {
		for _, a := range args {
			c.discard(a)
		}
		return constant(v, text), nil
	}
	typedArgs := make([]operand, len(args))
	for i, a := range args {
		typedArgs[i] = typed(a)
	}
	if o, ok := c.directCall(name, typedArgs); ok {
		o.text = text
		return o, nil
	}
	o, err := c.genericCall(x, name, args, texts)
	o.text = text
	return o, err
}

// foldCall evaluates a call of a pure function over constants; a call
// that fails is left to fail at run time.
func foldCall(name string, args []operand) (rtm.Value, bool) {
	b := rtm.Builtins[name]
	if b == nil || b.Call == nil || b.Stateful || name == "now" {
		return rtm.Value{}, false
	}
	vals := make([]rtm.Value, len(args))
	for i, a := range args {
		if a.c == nil {
			return rtm.Value{}, false
		}
		vals[i] = *a.c
	}
	v, err := b.Call(nil, vals)
	return v, err == nil
}

// genericCall calls the runtime's checked entry of the function.
func (c *lambdaCompiler) genericCall(x *ast.CallExpr, name string, args []operand, texts []string) (operand, error) {
	fn := "Fn" + strings.ToUpper(name[:1]) + name[1:]
	var params []jen.Code
	switch name {
	case "count", "sigma", "spread":
		params = append(params, jen.Id("st"))
	case "duration":
		if len(args) == 2 {
			fn = "FnDurationUnit"
		}
	}
	for i, a := range args {
		if name == "regexReplace" && i == 0 {
			if a.t != tRegex {
				return operand{}, fmt.Errorf("%s: regexReplace needs a regex", x.Pos())
			}
			params = append(params, a.x.Clone())
			continue
		}
		if a.t == tRegex {
			return operand{}, fmt.Errorf("%s: %s cannot take a regex here", x.Pos(), name)
		}
		params = append(params, c.value(a))
	}
	quoted := make([]jen.Code, len(texts))
	for i, t := range texts {
		quoted[i] = jen.Lit(t)
	}
	argTexts := jen.Index().String().Values(quoted...)
	scopeVar := c.scopeList()
	o := c.fallible(localName(name), tValue, rt(fn).Call(params...), func(err jen.Code) jen.Code {
		return rt("CallError").Call(err, argTexts, scopeVar)
	})
	o.static = c.staticType(x)
	return o, nil
}

// scopeList is the package-level list of the lambda's references, quoted,
// which Kapacitor names when an argument is missing.
func (c *lambdaCompiler) scopeList() jen.Code {
	if len(c.l.Refs) == 0 {
		return jen.Nil()
	}
	if c.scopeVar == "" {
		c.scopeVar = c.name + "Refs"
		items := make([]jen.Code, len(c.l.Refs))
		for i, r := range c.l.Refs {
			items[i] = jen.Lit(`"` + r + `"`)
		}
		c.decls = append(c.decls, jen.Var().Id(c.scopeVar).Op("=").Index().String().Values(items...))
	}
	return jen.Id(c.scopeVar)
}

// localName is the base name of a function result local.
func localName(fn string) string {
	if hasString(reservedNames, fn) {
		return fn + "V"
	}
	return fn
}

func hasString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// math functions whose Go counterpart has the same name, capitalised.
var mathFuncs = map[string]string{
	"abs": "Abs", "acos": "Acos", "acosh": "Acosh", "asin": "Asin", "asinh": "Asinh",
	"atan": "Atan", "atanh": "Atanh", "cbrt": "Cbrt", "ceil": "Ceil", "cos": "Cos",
	"cosh": "Cosh", "erf": "Erf", "erfc": "Erfc", "exp": "Exp", "exp2": "Exp2",
	"expm1": "Expm1", "floor": "Floor", "gamma": "Gamma", "j0": "J0", "j1": "J1",
	"log": "Log", "log10": "Log10", "log1p": "Log1p", "log2": "Log2", "logb": "Logb",
	"sin": "Sin", "sinh": "Sinh", "sqrt": "Sqrt", "tan": "Tan", "tanh": "Tanh",
	"trunc": "Trunc", "y0": "Y0", "y1": "Y1",
}

var math2Funcs = map[string]string{
	"atan2": "Atan2", "hypot": "Hypot", "max": "Max", "min": "Min", "mod": "Mod", "pow": "Pow",
}

// string functions over two strings, by Go name and result type.
var strings2Funcs = map[string]struct {
	goName string
	t      goType
}{
	"strContains": {"Contains", tBool}, "strContainsAny": {"ContainsAny", tBool},
	"strHasPrefix": {"HasPrefix", tBool}, "strHasSuffix": {"HasSuffix", tBool},
	"strCount": {"Count", tInt}, "strIndex": {"Index", tInt}, "strIndexAny": {"IndexAny", tInt},
	"strLastIndex": {"LastIndex", tInt}, "strLastIndexAny": {"LastIndexAny", tInt},
	"strTrim": {"Trim", tString}, "strTrimLeft": {"TrimLeft", tString}, "strTrimRight": {"TrimRight", tString},
	"strTrimPrefix": {"TrimPrefix", tString}, "strTrimSuffix": {"TrimSuffix", tString},
}

var strings1Funcs = map[string]string{"strToLower": "ToLower", "strToUpper": "ToUpper", "strTrimSpace": "TrimSpace"}

var timeFuncs = map[string]string{
	"minute": "LocalMinute", "hour": "LocalHour", "weekday": "LocalWeekday",
	"day": "LocalDay", "month": "LocalMonth", "year": "LocalYear",
}

// directCall compiles a call whose argument types match one of the
// function's signatures statically to plain Go.
func (c *lambdaCompiler) directCall(name string, a []operand) (operand, bool) {
	types := make([]goType, len(a))
	for i, o := range a {
		types[i] = o.t
	}
	is := func(ts ...goType) bool {
		if len(ts) != len(types) {
			return false
		}
		for i := range ts {
			if ts[i] != types[i] {
				return false
			}
		}
		return true
	}
	x := func(i int) *jen.Statement { return a[i].x.Clone() }
	call := func(t goType, code *jen.Statement) (operand, bool) { return operand{x: code, t: t}, true }
	fail := func(t goType, fn string, args ...jen.Code) (operand, bool) {
		return c.fallible(localName(name), t, rt(fn).Call(args...), nil), true
	}
	if g, ok := mathFuncs[name]; ok && is(tFloat) {
		return call(tFloat, jen.Qual("math", g).Call(x(0)))
	}
	if name == "pow" && is(tFloat, tFloat) && a[1].c != nil && a[1].c.F == 2 {
		return call(tFloat, rt("Square").Call(x(0)))
	}
	if g, ok := math2Funcs[name]; ok && is(tFloat, tFloat) {
		return call(tFloat, jen.Qual("math", g).Call(x(0), x(1)))
	}
	if g, ok := strings2Funcs[name]; ok && is(tString, tString) {
		code := jen.Qual("strings", g.goName).Call(x(0), x(1))
		if g.t == tInt {
			code = jen.Int64().Call(code)
		}
		return call(g.t, code)
	}
	if g, ok := strings1Funcs[name]; ok && is(tString) {
		return call(tString, jen.Qual("strings", g).Call(x(0)))
	}
	if g, ok := timeFuncs[name]; ok && is(tTime) {
		return call(tInt, rt(g).Call(x(0)))
	}
	switch name {
	case "jn", "yn":
		if is(tInt, tFloat) {
			return call(tFloat, jen.Qual("math", strings.ToUpper(name[:1])+name[1:]).Call(jen.Int().Call(x(0)), x(1)))
		}
	case "pow10":
		if is(tInt) {
			return call(tFloat, jen.Qual("math", "Pow10").Call(jen.Int().Call(x(0))))
		}
	case "strLength":
		if is(tString) {
			return call(tInt, jen.Int64().Call(jen.Len(x(0))))
		}
	case "strReplace":
		if is(tString, tString, tString, tInt) {
			return call(tString, jen.Qual("strings", "Replace").Call(x(0), x(1), x(2), jen.Int().Call(x(3))))
		}
	case "strSubstring":
		if is(tString, tInt, tInt) {
			return fail(tString, "Substring", x(0), x(1), x(2))
		}
	case "regexReplace":
		if is(tRegex, tString, tString) {
			return call(tString, paren(a[0]).Dot("ReplaceAllString").Call(x(1), x(2)))
		}
	case "unixNano":
		if is(tTime) {
			return call(tInt, x(0))
		}
	case "now":
		return c.assign("now", tTime, rt("WallNow").Call()), true
	case "count":
		return c.assign("count", tInt, rt("CountOf").Call(jen.Id("st"))), true
	case "sigma", "spread":
		if is(tFloat) {
			fn, field := "SigmaOf", "Sigma"
			if name == "spread" {
				fn, field = "SpreadOf", "Spread"
			}
			return c.assign(name, tFloat, rt(fn).Call(jen.Op("&").Id("st").Dot(field), x(0))), true
		}
	case "humanBytes":
		if is(tFloat) || is(tInt) {
			return call(tString, rt("HumanBytes").Call(jen.Uint64().Call(x(0))))
		}
	case "isPresent":
		if len(a) == 1 && a[0].t == tValue && a[0].ident != "" && c.isRefLocal(a[0].ident) {
			return operand{x: x(0).Dot("Kind").Op("!=").Add(rt("KindMissing")), t: tBool, prec: 3}, true
		}
		if is(tFloat) || is(tInt) || is(tString) || is(tBool) {
			c.discard(a[0])
			return constant(rtm.Bool(true), ""), true
		}
	case "bool":
		switch {
		case is(tBool):
			return a[0], true
		case is(tString):
			return fail(tBool, "ParseBool", x(0))
		case is(tInt):
			return fail(tBool, "IntToBool", x(0))
		case is(tFloat):
			return fail(tBool, "FloatToBool", x(0))
		}
	case "int":
		switch {
		case is(tInt):
			return a[0], true
		case is(tFloat):
			return call(tInt, jen.Int64().Call(x(0)))
		case is(tString):
			return fail(tInt, "ParseInt", x(0))
		}
	case "float":
		switch {
		case is(tFloat):
			return a[0], true
		case is(tInt):
			return call(tFloat, jen.Float64().Call(x(0)))
		case is(tString):
			return fail(tFloat, "ParseFloat", x(0))
		}
	case "string":
		switch {
		case is(tString):
			return a[0], true
		case is(tInt):
			return call(tString, jen.Qual("strconv", "FormatInt").Call(x(0), jen.Lit(10)))
		case is(tFloat):
			return call(tString, rt("FormatFloat").Call(x(0)))
		case is(tBool):
			return call(tString, jen.Qual("strconv", "FormatBool").Call(x(0)))
		case is(tDur):
			return call(tString, rt("FormatDuration").Call(x(0)))
		}
	case "duration":
		switch {
		case is(tDur):
			return a[0], true
		case is(tInt, tDur):
			return call(tDur, jen.Qual("time", "Duration").Call(x(0)).Op("*").Add(paren(a[1])))
		case is(tFloat, tDur):
			return call(tDur, jen.Qual("time", "Duration").Call(paren(a[0]).Op("*").Float64().Call(x(1))))
		case is(tString, tDur):
			c.discard(a[1])
			return fail(tDur, "ParseDurationString", x(0))
		}
	case "if":
		return c.ifCall(a)
	}
	return operand{}, false
}

// isRefLocal reports whether ident is the local of a reference, which
// holds a field or tag kind or missing.
func (c *lambdaCompiler) isRefLocal(ident string) bool {
	for _, local := range c.refs {
		if local == ident {
			return true
		}
	}
	return false
}

// ifCall compiles if(cond, a, b) with branches of one known Go type:
//
//	ifN := b
//	if cond {
//		ifN = a
//	}
func (c *lambdaCompiler) ifCall(a []operand) (operand, bool) {
	if len(a) != 3 || a[1].t != a[2].t || a[1].t == tValue {
		return operand{}, false
	}
	cond := a[0]
	switch {
	case cond.t == tBool:
	case a[1].t == tRegex:
		// Branches that are regexes cannot go through rt.Value.
		cond = c.fallible("cond", tBool, rt("IfCond").Call(c.value(cond)), nil)
	default:
		return operand{}, false
	}
	if cond.c != nil {
		if cond.c.I != 0 {
			c.discard(a[2])
			return a[1], true
		}
		c.discard(a[1])
		return a[2], true
	}
	res := c.assign("ifV", a[1].t, typedExpr(a[2]))
	c.emit(jen.If(cond.x.Clone()).Block(jen.Id(res.ident).Op("=").Add(a[1].x.Clone())))
	return res, true
}

// ---------------------------------------------------------------------------
// Source text

// SourceText prints a lambda body as TICKscript, for messages and the
// comment above the compiled function. Script vars print by name.
func SourceText(x ast.Expr) string {
	var b strings.Builder
	printExpr(&b, x)
	return b.String()
}

func printExpr(b *strings.Builder, x ast.Expr) {
	switch x := x.(type) {
	case *ast.NumberLit:
		b.WriteString(x.Raw)
	case *ast.DurationLit:
		b.WriteString(x.Raw)
	case *ast.StringLit:
		b.WriteString(x.Raw)
	case *ast.BoolLit:
		if x.Value {
			b.WriteString("TRUE")
		} else {
			b.WriteString("FALSE")
		}
	case *ast.RegexLit:
		b.WriteString(x.Raw)
	case *ast.Reference:
		b.WriteString(x.Raw)
	case *ast.Ident:
		b.WriteString(x.Name)
	case *ast.ParenExpr:
		b.WriteByte('(')
		printExpr(b, x.X)
		b.WriteByte(')')
	case *ast.UnaryExpr:
		b.WriteString(x.Op.String())
		printExpr(b, x.X)
	case *ast.BinaryExpr:
		printExpr(b, x.X)
		b.WriteString(" " + x.Op.String() + " ")
		printExpr(b, x.Y)
	case *ast.CallExpr:
		b.WriteString(x.Fun.Name)
		b.WriteByte('(')
		for i, a := range x.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			printExpr(b, a)
		}
		b.WriteByte(')')
	default:
		b.WriteString("?")
	}
}

// commentSafe keeps a text on one comment line: control characters are
// escaped.
func commentSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 || r == 0x85:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
