package check

import (
	"fmt"
	"strings"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// chain evaluates one link of a chain: `left|name(args)`, `left.name(args)`,
// `left@name(args)` or the property read `left.name`. The arguments are
// evaluated once the method is known, so that an argument can be judged
// against its parameter (an operator expression where a lambda is wanted),
// and before the node is created, so that nodes created by the arguments
// take their IDs first, as in Kapacitor.
func (c *checker) chain(x *ast.ChainExpr) ir.Value {
	saved := c.wantString
	c.wantString = false
	defer func() { c.wantString = saved }()
	left := c.expr(x.Left)
	switch {
	case x.Name == nil:
		c.evalArgs(x, nil, false, "")
		return ir.Value{}
	case x.Op == ast.ChainAt:
		c.evalArgs(x, nil, false, "")
		c.diags.Errorf(x.Name, CodeUDF, "UDFs are not supported: @%s() calls a user-defined function of a Kapacitor server; tickc compiles tasks without one", x.Name.Name)
		return ir.Value{}
	case left.Type == stdlib.None:
		c.evalArgs(x, nil, false, "")
		return ir.Value{} // the receiver failed; its error was reported
	case left.Type != stdlib.Node:
		c.evalArgs(x, nil, false, "")
		c.diags.Errorf(opSpan(x), CodeType, "cannot call %s%s() on %s: only nodes have chaining and property methods", x.Op, x.Name.Name, describe(left))
		return ir.Value{}
	case !x.Call && x.Op == ast.ChainPipe:
		return ir.Value{} // `|name` without a call: a syntax error
	case !x.Call:
		return c.propertyRead(left, x)
	case x.Op == ast.ChainPipe:
		return c.chainMethod(left, x)
	}
	return c.propertyMethod(left, x)
}

// evalArgs evaluates the arguments of a call. An operator expression given
// for a lambda parameter is the classic missing `lambda:`; it is reported
// as such instead of being folded as a constant.
func (c *checker) evalArgs(x *ast.ChainExpr, params []stdlib.Param, variadic bool, call string) []ir.Value {
	args := make([]ir.Value, len(x.Args))
	saved := c.wantString
	defer func() { c.wantString = saved }()
	for i, a := range x.Args {
		p, ok := paramAt(params, variadic, i)
		if ok && p.Type == stdlib.Lambda && isOperatorExpr(a) {
			c.diags.Errorf(a, CodeType, "%s must be lambda; write lambda: before the expression", argLabel(call, i, len(x.Args)))
			args[i] = ir.Value{Expr: a}
			continue
		}
		c.wantString = ok && p.Type&stdlib.String != 0
		args[i] = c.expr(a)
	}
	return args
}

func paramAt(params []stdlib.Param, variadic bool, i int) (stdlib.Param, bool) {
	switch {
	case i < len(params):
		return params[i], true
	case variadic && len(params) > 0:
		return params[len(params)-1], true
	}
	return stdlib.Param{}, false
}

// isOperatorExpr reports an expression built with operators.
func isOperatorExpr(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.BinaryExpr, *ast.UnaryExpr:
		return true
	case *ast.ParenExpr:
		return isOperatorExpr(x.X)
	}
	return false
}

// ---------------------------------------------------------------------------
// Chaining methods: |name(args)

func (c *checker) chainMethod(recv ir.Value, x *ast.ChainExpr) ir.Value {
	parent := recv.Node
	name := x.Name.Name
	if !canChain(parent.Kind, name) {
		c.evalArgs(x, nil, false, "")
		c.noChainingMethod(recv, x)
		return ir.Value{}
	}
	kind := kindOrStub(name)
	call := kind.Name + "()"
	mark := len(c.diags)
	args := expandList(c.evalArgs(x, kind.Params, kind.Variadic, call))
	args, _ = c.checkArgs(call, kind.Params, kind.Variadic, kind.Optional, false, x, args)
	switch {
	case kind.Name == "stats":
		return nodeValue(c.stats(parent, args[0], x, false), nil)
	case kind.Helper: // deadman
		return nodeValue(c.deadman(parent, args, x), nil)
	}

	// Edge types (Kapacitor panics "cannot Window batch edge", or fails at
	// task start with mismatched edges).
	in := parent.Provides
	if (kind.Wants == stdlib.Stream || kind.Wants == stdlib.Batch) && in != kind.Wants && in != stdlib.NoEdge {
		c.diags.Errorf(x.Name, CodeEdge, "cannot use %s on a %s edge: %s wants a %s edge, but %s provides %s",
			call, in, kind.Name, kind.Wants, parent.Name, edgeNoun(in))
	}

	n := &ir.Node{Kind: kind, Pos: x.Name.Pos(), Call: x, Args: args}
	n.Wants = in
	if kind.Wants == stdlib.Stream || kind.Wants == stdlib.Batch {
		n.Wants = kind.Wants
	}
	switch kind.Provides {
	case stdlib.SameAsParent:
		n.Provides = n.Wants
	default:
		n.Provides = kind.Provides
	}

	switch kind.Name {
	case "join":
		// parents: left first, then the others (pipeline/join.go)
		c.link(parent, n)
		for _, a := range args {
			if a.Type == stdlib.Node {
				c.checkSameEdge(n, parent, a)
				c.link(a.Node, n)
			}
		}
	case "union":
		// parents: the others first, the left node last (pipeline/union.go)
		for _, a := range args {
			if a.Type == stdlib.Node {
				c.checkSameEdge(n, parent, a)
				c.link(a.Node, n)
			}
		}
		c.link(parent, n)
	default:
		c.link(parent, n)
	}
	c.pipe.Nodes = append(c.pipe.Nodes, n)
	c.checkCtorLambdas(n, args)
	if c.errorsSince(mark) {
		c.tainted[n] = true
	}
	return nodeValue(n, nil)
}

// checkSameEdge checks that another parent of a join or union provides the
// same edge type as the left one.
func (c *checker) checkSameEdge(n, left *ir.Node, other ir.Value) {
	o := other.Node
	if o.Provides != left.Provides && o.Provides != stdlib.NoEdge && left.Provides != stdlib.NoEdge {
		c.diags.Errorf(other.Expr, CodeEdge, "cannot %s %s with %s: %s provides %s but %s provides %s",
			n.Kind.Name, o.Name, left.Name, o.Name, edgeNoun(o.Provides), left.Name, edgeNoun(left.Provides))
	}
}

// noChainingMethod explains why |name() is not available on the receiver.
func (c *checker) noChainingMethod(recv ir.Value, x *ast.ChainExpr) {
	n, name := recv.Node, x.Name.Name
	on := describeReceiver(recv)
	if findProperty(recv, name) != nil {
		c.diags.Errorf(x.Name, CodeMethod, "no chaining method %q on %s, but property does exist; use '.' instead: .%s(...)", name, on, name)
		return
	}
	if k := stdlib.LookupNode(name); k != nil && !k.Implicit {
		switch {
		case n.Provides == stdlib.NoEdge && len(n.Parents) > 0:
			c.diags.Errorf(x.Name, CodeMethod, "no chaining method %q on %s: %s is terminal, only |stats() and |deadman() may follow it", name, on, n.Kind.Name)
		case k.Name == "from":
			c.diags.Errorf(x.Name, CodeMethod, "no chaining method %q on %s: from() reads a stream, write stream|from()%s", name, on, batchHint(n))
		case k.Name == "query":
			c.diags.Errorf(x.Name, CodeMethod, "no chaining method %q on %s: query() runs a batch query, write batch|query(...)", name, on)
		case n.IsSource():
			c.diags.Errorf(x.Name, CodeMethod, "no chaining method %q on %s: start with %s first", name, on, sourceStart(n))
		default:
			c.diags.Errorf(x.Name, CodeMethod, "no chaining method %q on %s", name, on)
		}
		return
	}
	c.diags.Errorf(x.Name, CodeMethod, "no method or property %q on %s%s", name, on, didYouMean(name, methodNames(recv)))
}

func batchHint(n *ir.Node) string {
	if n.Provides == stdlib.Batch {
		return " (batch tasks read with batch|query(...))"
	}
	return ""
}

func sourceStart(n *ir.Node) string {
	if n.Kind.Name == "batch" {
		return "|query(...)"
	}
	return "|from()"
}

// ---------------------------------------------------------------------------
// Property methods: .name(args)

func (c *checker) propertyMethod(recv ir.Value, x *ast.ChainExpr) ir.Value {
	n, name := recv.Node, x.Name.Name
	mark := len(c.diags)
	defer func() {
		if c.errorsSince(mark) {
			c.tainted[n] = true
		}
	}()

	// A handler object's own options shadow the alert node's properties.
	if h := recv.Handler; h != nil && h.Handler != nil {
		if opt := option(h.Handler, name); opt != nil {
			call := "." + name + "()"
			args := expandList(c.evalArgs(x, opt.Params, opt.Variadic, call))
			if opt.Internal {
				c.diags.Errorf(x.Name, CodeMethod, "property %q of the %s handler is internal and cannot be set", name, h.Handler.Name)
				return recv
			}
			args, _ = c.checkArgs(call, opt.Params, opt.Variadic, opt.Optional, opt.Kind == stdlib.Field, x, args)
			h.Options = append(h.Options, &ir.PropSet{Prop: opt, Args: args, Pos: x.Name.Pos(), Call: x})
			return recv // option setters return the handler object
		}
	}

	prop := property(n.Kind, name)
	if prop == nil {
		c.evalArgs(x, nil, false, "")
		on := describeReceiver(recv)
		if canChain(n.Kind, name) {
			c.diags.Errorf(x.Name, CodeMethod, "no property method %q on %s, but chaining method does exist; use '|' instead: |%s(...)", name, on, name)
			// What follows was meant for the node that |name() creates.
			return ir.Value{}
		}
		if hint := handlerOptionHint(n.Kind, name); hint != "" {
			c.diags.Errorf(x.Name, CodeMethod, "no method or property %q on %s; %s", name, on, hint)
			return ir.Value{}
		}
		c.diags.Errorf(x.Name, CodeMethod, "no method or property %q on %s%s", name, on, didYouMean(name, methodNames(recv)))
		if n.Kind.Name == "alert" {
			// It may have been meant as a handler: its options would follow.
			return ir.Value{}
		}
		return recv
	}
	call := "." + name + "()"
	args := expandList(c.evalArgs(x, prop.Params, prop.Variadic, call))
	if prop.Internal {
		c.diags.Errorf(x.Name, CodeMethod, "property %q of %s is internal and cannot be set from a script", name, describeReceiver(recv))
		return recv
	}
	args, _ = c.checkArgs(call, prop.Params, prop.Variadic, prop.Optional, prop.Kind == stdlib.Field, x, args)

	if prop.Handler != nil {
		h := &ir.HandlerSet{Handler: prop.Handler, Prop: prop, Args: args, Pos: x.Name.Pos(), Call: x}
		n.Handlers = append(n.Handlers, h)
		return nodeValue(n, h)
	}
	ps := &ir.PropSet{Prop: prop, Args: args, Pos: x.Name.Pos(), Call: x}
	n.Props = append(n.Props, ps)
	c.checkPropLambdas(n, ps)
	if prop.Kind == stdlib.Field {
		// Kapacitor sets a field on the receiver and returns the receiver:
		// a handler object stays the receiver.
		return recv
	}
	// A property method of the node returns the node itself.
	return nodeValue(n, nil)
}

// handlerOptionHint explains a name that is an option of some handler of
// the kind, used before (or without) that handler.
func handlerOptionHint(k *stdlib.NodeKind, name string) string {
	var handlers []string
	for _, p := range k.Properties {
		if p.Handler != nil && option(p.Handler, name) != nil {
			handlers = append(handlers, "."+p.Name+"()")
		}
	}
	switch len(handlers) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("it is an option of the %s handler: write it after %s", handlers[0], handlers[0])
	}
	return fmt.Sprintf("it is an option of the %s handlers: write it after the handler it configures", strings.Join(handlers, ", "))
}

// errorsSince reports whether an error was reported after the first mark
// diagnostics (mark is an earlier len(c.diags)).
func (c *checker) errorsSince(mark int) bool {
	for _, d := range c.diags[mark:] {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// propertyRead evaluates `node.name`: the current value of a property field.
func (c *checker) propertyRead(recv ir.Value, x *ast.ChainExpr) ir.Value {
	name := x.Name.Name
	prop := findProperty(recv, name)
	if prop == nil {
		c.diags.Errorf(x.Name, CodeMethod, "no property %q on %s%s", name, describeReceiver(recv), didYouMean(name, methodNames(recv)))
		return ir.Value{}
	}
	if prop.Kind != stdlib.Field || prop.Handler != nil || prop.Internal {
		c.diags.Errorf(x.Name, CodeMethod, "cannot read property %q of %s: only plain property fields can be read", name, describeReceiver(recv))
		return ir.Value{}
	}
	var sets []*ir.PropSet
	if h := recv.Handler; h != nil && h.Handler != nil && option(h.Handler, name) != nil {
		sets = h.Options
	} else {
		sets = recv.Node.Props
	}
	for i := len(sets) - 1; i >= 0; i-- {
		if ir.SameName(sets[i].Prop.Name, prop.Name) && len(sets[i].Args) == 1 {
			return sets[i].Args[0]
		}
	}
	if len(prop.Params) == 1 {
		return ir.Value{Type: lowestBit(prop.Params[0].Type), Placeholder: true}
	}
	return ir.Value{}
}

// findProperty looks a name up among the handler options of a handler
// object, then among the node's properties.
func findProperty(recv ir.Value, name string) *stdlib.Property {
	if h := recv.Handler; h != nil && h.Handler != nil {
		if o := option(h.Handler, name); o != nil {
			return o
		}
	}
	return property(recv.Node.Kind, name)
}

// methodNames lists what may follow a receiver, for did-you-mean.
func methodNames(recv ir.Value) []string {
	var out []string
	if h := recv.Handler; h != nil && h.Handler != nil {
		for _, o := range h.Handler.Options {
			if !o.Internal {
				out = append(out, o.Name)
			}
		}
	}
	for _, p := range recv.Node.Kind.Properties {
		if !p.Internal {
			out = append(out, p.Name)
		}
	}
	return append(out, recv.Node.Kind.ChainingMethods()...)
}

// describeReceiver names a receiver in messages: "from node", "post handler".
func describeReceiver(recv ir.Value) string {
	if h := recv.Handler; h != nil && h.Handler != nil {
		return h.Handler.Name + " handler of " + recv.Node.Name
	}
	if recv.Node.Kind.Name == "batch" || recv.Node.Kind.Name == "stream" {
		return recv.Node.Kind.Name
	}
	return recv.Node.Kind.Name + " node " + recv.Node.Name
}

func edgeNoun(e stdlib.Edge) string {
	switch e {
	case stdlib.Stream:
		return "points (a stream edge)"
	case stdlib.Batch:
		return "batches (a batch edge)"
	}
	return "nothing"
}

// lowestBit picks one type out of a set.
func lowestBit(t stdlib.Type) stdlib.Type { return t & -t }

// ---------------------------------------------------------------------------
// Graph building

// assignID gives n the next ID, as Kapacitor's pipeline does on every
// link, and names it after the ID.
func (c *checker) assignID(n *ir.Node) {
	n.ID = c.nextID
	c.nextID++
	n.Name = n.Kind.Desc + itoa(n.ID)
}

// link makes child a child of parent, consuming an ID.
func (c *checker) link(parent, child *ir.Node) {
	c.assignID(child)
	parent.Children = append(parent.Children, child)
	child.Parents = append(child.Parents, parent)
}

// newNode creates a source node.
func (c *checker) newNode(kind *stdlib.NodeKind, call *ast.ChainExpr, pos ast.Pos) *ir.Node {
	n := &ir.Node{Kind: kind, Call: call, Pos: pos}
	c.assignID(n)
	c.pipe.Nodes = append(c.pipe.Nodes, n)
	return n
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	var b [20]byte
	p := len(b)
	for i > 0 {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b[p:])
}

// opSpan is the operator of a chain link, for diagnostics.
func opSpan(x *ast.ChainExpr) ast.Node {
	return span{x.OpPos, ast.Pos{Offset: x.OpPos.Offset + 1, Line: x.OpPos.Line, Col: x.OpPos.Col + 1}}
}

// span is a stretch of source as an ast.Node, for diagnostics.
type span struct{ from, to ast.Pos }

func (s span) Pos() ast.Pos { return s.from }
func (s span) End() ast.Pos { return s.to }
