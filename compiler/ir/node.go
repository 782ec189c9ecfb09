package ir

import (
	"unicode"
	"unicode/utf8"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/stdlib"
)

// Pipeline is a checked script: the task type, the dbrps it declares, its
// vars and the DAG of nodes it builds.
type Pipeline struct {
	// Type is the task type: stdlib.Stream or stdlib.Batch (NoEdge when it
	// could not be inferred).
	Type  stdlib.Edge
	Dbrps []Dbrp
	// Nodes holds every node, implicit ones included, in ID order. IDs
	// are not dense: a node with several parents (join, union) takes one
	// ID per parent link, as in Kapacitor, and keeps the last.
	Nodes []*Node
	// Sources are the roots of the DAG in the order Kapacitor adds them:
	// the stream or batch node first, then one stats node per |stats()
	// (and per |deadman()).
	Sources []*Node
	// Vars are the declared vars and template vars, in declaration order.
	Vars []*Var
}

// Dbrp is one `dbrp "db"."rp"` statement.
type Dbrp struct {
	DB, RP string
	Pos    ast.Pos
}

// Var is a declared var (`var x = …`) or a template var (`var x type`).
type Var struct {
	Name string
	Pos  ast.Pos // the name in the declaration
	Doc  string  // the comment block above the declaration
	// Type is the type of the value (the declared type of a template var).
	Type stdlib.Type
	// Value is the value the script runs with: the declared value, or the
	// one supplied through Options.Vars, or for a template var without one
	// its type's zero value (marked Placeholder).
	Value Value
	// Default is the value written in the script (zero for a template var).
	Default Value
	// Template is set for a typed declaration without a value.
	Template bool
	// Supplied is set when the value came from the vars supplied by the user.
	Supplied bool
	// Used is set when the var is named anywhere after its declaration.
	Used bool
}

// Node is one node of the pipeline.
type Node struct {
	ID   int
	Kind *stdlib.NodeKind
	// Name is Kind.Desc followed by ID ("from1", "http_out3"), as in
	// Kapacitor's DOT output, stats and error messages.
	Name string
	// Pos is the method name that created the node (for implicit nodes the
	// call that caused them); Call is that call, nil for the sources.
	Pos  ast.Pos
	Call *ast.ChainExpr
	// Implicit is set for nodes the script did not name: the noop child of
	// a node watched by |stats(), and the nodes |deadman() expands to.
	Implicit bool
	Parents  []*Node
	Children []*Node // in creation order
	// Wants and Provides are resolved: stdlib.Stream, stdlib.Batch or
	// stdlib.NoEdge (sources want nothing, terminal nodes provide nothing).
	Wants, Provides stdlib.Edge
	// Args are the arguments of the chaining method (list arguments
	// expanded). For join and union they are the other parent nodes.
	Args     []Value
	Props    []*PropSet
	Handlers []*HandlerSet
	// Observed is, for a stats node, the node whose throughput it reports.
	Observed *Node
}

// PropSet is one call of a property method or one set of a property field.
type PropSet struct {
	Prop *stdlib.Property
	Args []Value
	Pos  ast.Pos        // the property name
	Call *ast.ChainExpr // nil when the checker set it (deadman)
}

// HandlerSet is one alert handler added by a handler method (`.post(url)`),
// with the options set on the handler object that method returned.
type HandlerSet struct {
	Handler *stdlib.Handler
	Prop    *stdlib.Property // the handler method of the alert node
	Args    []Value
	Options []*PropSet
	Pos     ast.Pos
	Call    *ast.ChainExpr
}

// Prop returns the last setting of the named property, nil if never set.
// The name is matched Kapacitor's way (stdlib.CanonicalName).
func (n *Node) Prop(name string) *PropSet { return lastProp(n.Props, name) }

// PropAll returns every setting of the named property, in script order.
func (n *Node) PropAll(name string) []*PropSet { return allProps(n.Props, name) }

// Option returns the last setting of the named handler option, nil if none.
func (h *HandlerSet) Option(name string) *PropSet { return lastProp(h.Options, name) }

// OptionAll returns every setting of the named handler option.
func (h *HandlerSet) OptionAll(name string) []*PropSet { return allProps(h.Options, name) }

// Arg returns the i-th argument, or an invalid value when absent.
func (p *PropSet) Arg(i int) Value {
	if p == nil || i >= len(p.Args) {
		return Value{}
	}
	return p.Args[i]
}

func lastProp(props []*PropSet, name string) *PropSet {
	for i := len(props) - 1; i >= 0; i-- {
		if SameName(props[i].Prop.Name, name) {
			return props[i]
		}
	}
	return nil
}

func allProps(props []*PropSet, name string) []*PropSet {
	var out []*PropSet
	for _, p := range props {
		if SameName(p.Prop.Name, name) {
			out = append(out, p)
		}
	}
	return out
}

// SameName reports whether two method names are the same to Kapacitor,
// which upper-cases only the first rune (stdlib.CanonicalName), without
// allocating.
func SameName(a, b string) bool {
	ra, na := utf8.DecodeRuneInString(a)
	rb, nb := utf8.DecodeRuneInString(b)
	return a[na:] == b[nb:] && unicode.ToUpper(ra) == unicode.ToUpper(rb)
}

// IsSource reports whether the node is a root of the DAG.
func (n *Node) IsSource() bool { return len(n.Parents) == 0 }

// Source returns the stream or batch node, nil when there is none.
func (p *Pipeline) Source() *Node {
	if len(p.Sources) == 0 {
		return nil
	}
	return p.Sources[0]
}

// Var returns the declared var of that name, nil if none.
func (p *Pipeline) Var(name string) *Var {
	for _, v := range p.Vars {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Walk returns the nodes in Kapacitor's walk order: a topological order
// obtained by a depth-first search from the sources taken in reverse,
// children in creation order, reversed. Every node comes after its parents.
func (p *Pipeline) Walk() []*Node {
	visited := make(map[*Node]bool, len(p.Nodes))
	order := make([]*Node, 0, len(p.Nodes))
	var visit func(n *Node)
	visit = func(n *Node) {
		if visited[n] {
			return
		}
		visited[n] = true
		for _, c := range n.Children {
			visit(c)
		}
		order = append(order, n)
	}
	for i := len(p.Sources) - 1; i >= 0; i-- {
		visit(p.Sources[i])
	}
	for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
		order[i], order[j] = order[j], order[i]
	}
	return order
}
