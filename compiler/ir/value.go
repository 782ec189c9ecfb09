// Package ir is the checked form of a script: the pipeline DAG with every
// node resolved against the catalogue, every property value evaluated and
// every lambda typed. Codegen and the language server read it.
package ir

import (
	"regexp"
	"time"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/stdlib"
)

// Value is a script-layer value: what a var holds or a call receives.
// Type has exactly one bit set (zero for an unknown value after an error)
// and says which of the other fields is meaningful.
type Value struct {
	Type  stdlib.Type
	Int   int64
	Float float64
	Str   string // String; also the pattern of a Regex
	Bool  bool
	Dur   time.Duration // Duration; the length of a TimeDim
	// Offset is the offset of a TimeDim (the value of time(d, offset)).
	Offset time.Duration
	Regex  *regexp.Regexp
	Lambda *Lambda
	List   []Value
	Node   *Node
	// Handler is set when the value is a handler object: the alert node
	// Node after a handler method such as `.post(url)`. Its options shadow
	// the alert node's properties of the same name.
	Handler *HandlerSet
	// Ref is set for a double-quoted reference ("name") evaluated at the
	// script layer, where it is no string; Str holds the name and Type is
	// stdlib.Missing so that no parameter accepts it.
	Ref bool
	// Placeholder is set for the zero value that stands in for a template
	// var given no value, so that a template can be checked; checks that
	// depend on the actual value skip it.
	Placeholder bool
	// Expr is where the value was written, for positions in diagnostics.
	Expr ast.Expr
}

// Lambda is a checked `lambda:` expression.
type Lambda struct {
	Body ast.Expr
	// Result is the set of types the expression may produce; a single bit
	// when known statically, several when it depends on field types.
	Result stdlib.Type
	// Types holds the same for every subexpression.
	Types map[ast.Expr]stdlib.Type
	// Inlined maps each script var named inside the lambda to the value it
	// had when the lambda was defined (Kapacitor inlines them; a lambda var
	// becomes a nested Lambda).
	Inlined map[*ast.Ident]Value
	// Refs are the field and tag names the expression reads ("x"), in
	// order of first appearance, without duplicates.
	Refs []string
	// Stateful is set when the expression calls count, sigma or spread.
	Stateful bool
}
