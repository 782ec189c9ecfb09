package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/internal/suggest"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// expandList applies the single-list-argument rule (language.md §3.2): a
// call whose only argument is a list receives the list's items.
func expandList(args []ir.Value) []ir.Value {
	if len(args) == 1 && args[0].Type == stdlib.List && !args[0].Placeholder {
		return args[0].List
	}
	return args
}

// checkArgs checks the count and the exact types of a call's arguments.
// It returns the arguments with the wrong ones made invalid, padded with
// invalid values up to the parameter count, and whether the count was
// right. field marks a property field: exactly one argument.
func (c *checker) checkArgs(call string, params []stdlib.Param, variadic, optional, field bool, x *ast.ChainExpr, args []ir.Value) ([]ir.Value, bool) {
	if len(args) == 1 && args[0].Placeholder && args[0].Type == stdlib.List {
		// A template list without a value: its items are unknown.
		return args, true
	}
	lo, hi := len(params), len(params)
	switch {
	case field:
		lo, hi = 1, 1
	case variadic && optional:
		lo = len(params) - 1
	case variadic:
		lo, hi = len(params)-1, -1
	}
	countOK := true
	if len(args) < lo || (hi >= 0 && len(args) > hi) {
		countOK = false
		var at ast.Node = x.Name
		if hi >= 0 && len(args) > hi && args[hi].Expr != nil {
			at = args[hi].Expr
		}
		c.diags.Errorf(at, CodeArgs, "%s takes %s, got %d", call, countText(lo, hi, field), len(args))
	}
	out := make([]ir.Value, 0, max(len(args), len(params)))
	for i, a := range args {
		if len(params) == 0 || (hi >= 0 && i >= hi) {
			out = append(out, ir.Value{})
			continue
		}
		p := params[min(i, len(params)-1)]
		if c.argType(a, p, call, i, len(args)) {
			out = append(out, a)
		} else {
			out = append(out, ir.Value{Expr: a.Expr})
		}
	}
	for len(out) < len(params) && !(variadic && len(out) == len(params)-1) {
		out = append(out, ir.Value{})
	}
	return out, countOK
}

func countText(min, max int, field bool) string {
	switch {
	case field:
		return "exactly one argument"
	case max == 0:
		return "no arguments"
	case min == max:
		return plural(min, "argument")
	case max < 0:
		return "at least " + plural(min, "argument")
	case min == 0:
		return "at most " + plural(max, "argument")
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// argType checks one argument against its parameter: exact types, no
// conversions (an int is not a float). Invalid values pass silently.
func (c *checker) argType(a ir.Value, p stdlib.Param, call string, i, n int) bool {
	if a.Type == stdlib.None {
		return false
	}
	if p.Type&a.Type != 0 {
		return true
	}
	label := argLabel(call, i, n)
	var at ast.Node = a.Expr
	if at == nil {
		at = span{}
	}
	hint := ""
	switch {
	case a.Ref && p.Type&stdlib.String != 0:
		c.diags.Errorf(at, CodeType, "%s must be %s, got the reference %s; did you use double quotes instead of single quotes?", label, p.Type, quoteRef(a.Str))
		return false
	case a.Type == stdlib.Int && p.Type&stdlib.Float != 0:
		if lit, ok := ast.Expr(a.Expr).(*ast.NumberLit); ok {
			hint = fmt.Sprintf("; write %s.0 for a float", lit.Raw)
		} else {
			hint = "; ints are not converted to floats"
		}
	case a.Type == stdlib.Float && p.Type&stdlib.Int != 0:
		hint = "; floats are not converted to ints"
	case p.Type == stdlib.Lambda && isLiteral(a.Expr):
		hint = "; write lambda: before the expression"
	case a.Type == stdlib.Lambda && p.Type&stdlib.String != 0:
		hint = "; a string is written in single quotes"
	}
	c.diags.Errorf(at, CodeType, "%s must be %s, got %s%s", label, p.Type, describe(a), hint)
	return false
}

// argLabel names argument i of n of a call in messages.
func argLabel(call string, i, n int) string {
	if n > 1 {
		return fmt.Sprintf("argument %d of %s", i+1, call)
	}
	return "the argument of " + call
}

// describe names a value's type for messages.
func describe(v ir.Value) string {
	switch {
	case v.Ref:
		return "the reference " + quoteRef(v.Str)
	case v.Type == stdlib.Node && v.Node != nil:
		if v.Handler != nil && v.Handler.Handler != nil {
			return "the " + v.Handler.Handler.Name + " handler of " + v.Node.Name
		}
		return "node " + v.Node.Name
	case v.Type == stdlib.Star:
		return "*"
	}
	return typeName(v.Type)
}

func quoteRef(name string) string { return `"` + strings.ReplaceAll(name, `"`, `\"`) + `"` }

// typeName names a type the way TICKscript declarations spell it.
func typeName(t stdlib.Type) string {
	if t == stdlib.Missing {
		return "reference"
	}
	return t.String()
}

// didYouMean formats a suggestion among candidates, "" when none is close:
// a near spelling, or else the one candidate the name abbreviates
// (movingAvg for movingAverage).
func didYouMean(name string, candidates []string) string {
	if h := suggest.DidYouMean(name, candidates); h != "" {
		return h
	}
	if len([]rune(name)) < 4 {
		return ""
	}
	found := ""
	for _, cand := range candidates {
		if cand != name && abbreviates(name, cand) {
			if found != "" && found != cand {
				return "" // ambiguous
			}
			found = cand
		}
	}
	if found == "" {
		return ""
	}
	return "; did you mean \"" + found + "\"?"
}

// abbreviates reports whether name is an abbreviation of cand: the same
// first letter and the rest of its letters in order within cand, ignoring
// case.
func abbreviates(name, cand string) bool {
	n, c := []rune(strings.ToLower(name)), []rune(strings.ToLower(cand))
	if len(n) == 0 || len(c) <= len(n) || n[0] != c[0] {
		return false
	}
	j := 1
	for i := 1; i < len(n); i++ {
		for j < len(c) && c[j] != n[i] {
			j++
		}
		if j == len(c) {
			return false
		}
		j++
	}
	return true
}

// isLiteral reports a literal written in place.
func isLiteral(x ast.Expr) bool {
	switch x.(type) {
	case *ast.NumberLit, *ast.StringLit, *ast.BoolLit, *ast.DurationLit, *ast.RegexLit:
		return true
	}
	return false
}
