package types

import (
	"fmt"
	"strings"
	"sync"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/internal/suggest"
	"github.com/tickc/tickc/stdlib"
)

var funcNames = sync.OnceValue(func() []string {
	var names []string
	for _, f := range stdlib.Funcs() {
		names = append(names, f.Name)
	}
	return names
})

// CallResult gives the result type set of a call of f with arguments of
// the given type sets: the union of the results of the signatures that can
// still match. A signature matches when, at every position, the argument
// may have the parameter's type (Missing matches only a parameter that
// accepts missing, as isPresent's does; 0, unknown, matches anything).
// When none can match the result is 0 and the message says why; badArg is
// then the position of the one argument no signature of the right arity
// accepts, or -1 when the fault is the count or the combination.
func CallResult(f *stdlib.Func, args []stdlib.Type) (result stdlib.Type, msg string, badArg int) {
	arityOK := false
	for _, sig := range f.Sigs {
		if len(sig.Params) != len(args) {
			continue
		}
		arityOK = true
		if sigMatches(sig, args) {
			result |= sig.Result
		}
	}
	if result != 0 {
		return result, "", -1
	}
	if !arityOK {
		return 0, fmt.Sprintf("cannot call function %q with %s, available signatures are %s",
			f.Name, plural(len(args), "argument"), signatures(f)), -1
	}
	badArg = -1
	for i, a := range args {
		accepted := false
		for _, sig := range f.Sigs {
			if len(sig.Params) == len(args) && paramAccepts(sig.Params[i], a) {
				accepted = true
				break
			}
		}
		if !accepted {
			if badArg >= 0 { // more than one: point at the call
				badArg = -1
				break
			}
			badArg = i
		}
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = altName(a)
	}
	return 0, fmt.Sprintf("cannot call function %q with args (%s), available signatures are %s",
		f.Name, strings.Join(parts, ", "), signatures(f)), badArg
}

func sigMatches(sig stdlib.Signature, args []stdlib.Type) bool {
	for i, a := range args {
		if !paramAccepts(sig.Params[i], a) {
			return false
		}
	}
	return true
}

func paramAccepts(p, arg stdlib.Type) bool { return arg == 0 || p&arg != 0 }

// signatures lists f's signatures as "[(float), (int, float)]".
func signatures(f *stdlib.Func) string {
	sigs := make([]string, len(f.Sigs))
	for i, sig := range f.Sigs {
		ps := make([]string, len(sig.Params))
		for j, p := range sig.Params {
			ps[j] = altName(p)
		}
		sigs[i] = "(" + strings.Join(ps, ", ") + ")"
	}
	return "[" + strings.Join(sigs, ", ") + "]"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// call checks a lambda function call.
func (c *lambdaChecker) call(x *ast.CallExpr) stdlib.Type {
	args := make([]stdlib.Type, len(x.Args))
	for i, a := range x.Args {
		if a != nil {
			args[i] = c.expr(a)
		}
	}
	if x.Fun == nil {
		return 0
	}
	f := stdlib.LookupFunc(x.Fun.Name)
	if f == nil {
		c.diags.Errorf(x.Fun, CodeUndefined, "undefined function %q%s", x.Fun.Name, funcHint(x.Fun.Name))
		return 0
	}
	if f.Stateful {
		c.lam.Stateful = true
	}
	res, msg, bad := CallResult(f, args)
	if res != 0 {
		return res
	}
	var at ast.Node = x.Fun
	if bad >= 0 && x.Args[bad] != nil {
		at = x.Args[bad]
		msg += argHint(f, args, bad, x.Args[bad])
	}
	c.diags.Errorf(at, CodeType, "%s", msg)
	return 0
}

// argHint suggests the conversion that would make argument i fit.
func argHint(f *stdlib.Func, args []stdlib.Type, i int, arg ast.Expr) string {
	fits := func(t stdlib.Type) bool {
		try := append([]stdlib.Type(nil), args...)
		try[i] = t
		r, _, _ := CallResult(f, try)
		return r != 0
	}
	a := args[i] &^ stdlib.Missing
	switch {
	case a == stdlib.Int && fits(stdlib.Float):
		if s, ok := intLitText(arg); ok {
			return fmt.Sprintf("; use %s.0 or float()", s)
		}
		return "; use float()"
	case a == stdlib.Float && fits(stdlib.Int):
		return "; use int()"
	case a == stdlib.String && fits(stdlib.Regex):
		if s, ok := unparen(arg).(*ast.StringLit); ok {
			return fmt.Sprintf("; use a regex: /%s/", s.Value)
		}
		return "; use a regex (/…/ or a regex var)"
	case a&stdlib.Time == 0 && fits(stdlib.Time):
		return `; pass a time such as "time" or now()`
	}
	return ""
}

// funcHint suggests a function for a misspelled name. Function names are
// short, so a near one must also start with the same letter: "strlength"
// finds strLength, "round" does not find count.
func funcHint(name string) string {
	c := suggest.Closest(name, funcNames())
	if c == "" || c == name || !strings.EqualFold(c[:1], name[:1]) {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", c)
}
