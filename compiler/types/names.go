// Package types gives lambda expressions and script-layer operator
// expressions their types, the way Kapacitor 1.5.9 would at run time, but
// ahead of time.
//
// Field and tag types are known only at run time, so a lambda's types are
// sets (stdlib.Type is a bit set): a reference `"x"` may be an int, a float,
// a string, a bool or missing. An operator or a function call is an error
// only when no combination of its operand types is valid, i.e. when it is
// certain to fail for every point. Script-layer expressions (`var x = 1 + 2`)
// have exact types and are folded to values by EvalConst.
//
// A type set of 0 means "unknown because of an error reported earlier"; it is
// accepted everywhere, so one mistake yields one diagnostic.
package types

import (
	"strings"

	"github.com/tickc/tickc/stdlib"
)

// Diagnostic codes of this package.
const (
	CodeType        = "type"         // an operator, call or var that cannot be typed
	CodeUndefined   = "undefined"    // an unknown var or function name
	CodeDoubleQuote = "double-quote" // lint: a reference where a string was meant
)

// kapacitorNames names single types as Kapacitor's messages do (bool is
// "boolean" there).
var kapacitorNames = []struct {
	t    stdlib.Type
	name string
}{
	{stdlib.Int, "int"}, {stdlib.Float, "float"}, {stdlib.String, "string"},
	{stdlib.Bool, "boolean"}, {stdlib.Duration, "duration"}, {stdlib.Time, "time"},
	{stdlib.Regex, "regex"}, {stdlib.Lambda, "lambda"}, {stdlib.List, "list"},
	{stdlib.Star, "star"}, {stdlib.Node, "node"}, {stdlib.Missing, "missing"},
	{stdlib.TimeDim, "time dimension"},
}

// typeNames lists the Kapacitor names of every type in the set, in bit order.
func typeNames(t stdlib.Type) []string {
	var out []string
	for _, n := range kapacitorNames {
		if t&n.t != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// TypeName names a type set in message style: "int", "int or float",
// "int, float or string"; "unknown" for 0.
func TypeName(t stdlib.Type) string {
	parts := typeNames(t)
	switch len(parts) {
	case 0:
		return "unknown"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// altName names a type set compactly for use inside a list: "int|float".
func altName(t stdlib.Type) string {
	parts := typeNames(t)
	if len(parts) == 0 {
		return "unknown"
	}
	return strings.Join(parts, "|")
}

// bits calls f for each single type of the set, in bit order.
func bits(t stdlib.Type, f func(stdlib.Type)) {
	for t != 0 {
		b := t & -t
		f(b)
		t &^= b
	}
}
