// Package stdlib is the catalogue, as data, of everything a TICKscript can
// name in Kapacitor 1.5.9: node kinds with their chaining and property
// methods, alert handlers, and lambda functions. The checker, the language
// server (completion, hover) and codegen all read it; it holds no runtime
// behaviour.
package stdlib

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Type is a set of value types, as a bit mask: a parameter that takes
// "string or star" is String|Star.
type Type uint32

const (
	Int      Type = 1 << iota // int64
	Float                     // float64
	String                    // string
	Bool                      // boolean
	Duration                  // time.Duration
	Time                      // a time instant (lambda layer only)
	Regex                     // compiled regular expression
	Lambda                    // lambda: expression (script layer value)
	List                      // [ … ] (script layer only)
	Star                      // * (script layer only)
	Node                      // a pipeline node (script layer only)
	Missing                   // an absent field or tag (lambda layer only)
	TimeDim                   // the value of the global time(d[, offset]) (query groupBy only)

	None Type = 0
	// Scalar is every type a field, tag or lambda result may have.
	Scalar = Int | Float | String | Bool | Duration
	// Any is every script-layer value.
	Any = Scalar | Regex | Lambda | List | Star | Node | TimeDim
)

var typeNames = []struct {
	t    Type
	name string
}{
	{Int, "int"}, {Float, "float"}, {String, "string"}, {Bool, "bool"},
	{Duration, "duration"}, {Time, "time"}, {Regex, "regex"}, {Lambda, "lambda"},
	{List, "list"}, {Star, "star"}, {Node, "node"}, {Missing, "missing"},
	{TimeDim, "time dimension"},
}

// String names the type, or the alternatives of a set: "int or float".
func (t Type) String() string {
	if t == Any {
		return "any"
	}
	var parts []string
	for _, n := range typeNames {
		if t&n.t != 0 {
			parts = append(parts, n.name)
		}
	}
	switch len(parts) {
	case 0:
		return "none"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// Has reports whether every type of u is in t.
func (t Type) Has(u Type) bool { return u != 0 && t&u == u }

// TypeByDeclName maps the type names of template declarations
// (`var x float`) to types (language.md §5).
var TypeByDeclName = map[string]Type{
	"int": Int, "float": Float, "bool": Bool, "string": String, "regex": Regex,
	"duration": Duration, "lambda": Lambda, "list": List, "star": Star,
}

// Edge is the kind of data on a pipeline edge.
type Edge int

const (
	NoEdge       Edge = iota // sources want nothing; terminal nodes provide nothing
	Stream                   // single points
	Batch                    // batches of points
	SameAsParent             // wants: any edge; provides: whatever the node received
)

func (e Edge) String() string {
	switch e {
	case Stream:
		return "stream"
	case Batch:
		return "batch"
	case SameAsParent:
		return "any"
	}
	return "none"
}

// Param is one parameter of a call.
type Param struct {
	Name string
	Type Type
	// Sets names the property that a constructor argument initialises
	// (`|derivative('x')` sets field "field", `.log('/p')` sets
	// "filePath"), so constraints over that property see it as set.
	// Empty for ordinary parameters.
	Sets string
}

// PropKind says how a property is set.
type PropKind int

const (
	// Field: a node field set directly; exactly one argument of exactly the
	// parameter's type.
	Field PropKind = iota
	// Method: a property method; any parameter list, maybe variadic.
	Method
)

// Repeat says what a second call of a property does.
type Repeat int

const (
	Replaces Repeat = iota // last wins
	Appends                // adds to a list
	Keyed                  // sets one map entry
	Flag                   // idempotent switch
)

// Property is a property method or field of a node or handler: `.name(args)`.
type Property struct {
	Name     string
	Kind     PropKind
	Params   []Param
	Variadic bool // the last parameter repeats (zero or more times)
	// Optional, with Variadic: the variadic parameter is really one
	// optional value. Kapacitor declares it variadic and ignores extra
	// values (.stateChangesOnly([max]), .dropOriginalFieldName([b])).
	Optional bool
	Repeat   Repeat
	Default  string // as TICKscript text, "" when none
	Doc      string // one line
	Internal bool   // exported plumbing: settable in Kapacitor, rejected by tickc
	// Handler is set when the property adds an alert handler: the call
	// then evaluates to the handler object, whose own options shadow the
	// alert node's properties (alerting.md §9.1).
	Handler *Handler
}

// Handler is an alert handler kind (`.post()`, `.slack()`, …).
type Handler struct {
	Name       string
	Doc        string
	Options    []*Property
	ConfigName string // server configuration section, "" when none
}

// ConstraintKind is the kind of a rule over a node's properties.
type ConstraintKind int

const (
	RequireAll   ConstraintKind = iota // every property must be set
	RequireOneOf                       // at least one must be set
	AtMostOneOf                        // not more than one may be set
	// Requires: when Props[0] is set, every other property of Props must
	// be set too (window: periodCount requires everyCount).
	Requires
)

// Constraint is a rule the checker enforces on a node's set properties,
// with the message Kapacitor gives when it is broken.
type Constraint struct {
	Kind  ConstraintKind
	Props []string
	Msg   string
}

// NodeKind is a kind of pipeline node.
type NodeKind struct {
	Name     string // chaining method that creates it ("window"); "stream", "batch" for sources
	Desc     string // name prefix in DOT, stats and errors ("http_out")
	Doc      string // one line
	Params   []Param
	Variadic bool // the last chaining parameter repeats
	// Optional, with Variadic: the variadic parameter is one optional
	// value (httpPost([url])); more is a definition error.
	Optional bool
	// Wants is the edge the node accepts from its parent. NoEdge marks a
	// new source: stream, batch, and stats/deadman, which hang off a new
	// stats source and so may be chained from any node, terminal ones too.
	Wants    Edge
	Provides Edge
	// Properties of the node, alert handler methods included.
	Properties []*Property
	// Chaining lists the chaining methods a node of this kind has; nil
	// means the standard set (StandardChaining).
	Chaining []string
	// Constraints are checked in order; the first broken one is reported.
	Constraints []Constraint
	// Helper marks a chaining method that expands into several nodes and
	// returns the last one: deadman is stats|derivative|alert, and its
	// Properties are the alert node's.
	Helper bool
	// Implicit marks a kind that TICKscript cannot create (noop).
	Implicit bool
	// Category groups kinds for documentation and completion: "source",
	// "transform", "grouping", "combining", "aggregate", "selector",
	// "transformation", "forecast", "alerting", "output", "autoscale",
	// "introspection", "internal".
	Category string
}

// Signature is one accepted argument tuple of a lambda function.
type Signature struct {
	Params []Type
	Result Type
}

// Func is a lambda function (`abs`, `sigma`, …).
type Func struct {
	Name     string
	Sigs     []Signature
	Stateful bool
	Doc      string
}

// CanonicalName maps a method name to the spelling Kapacitor looks up:
// it upper-cases only the first rune (so .Period works like .period, but
// .url does not find URL).
func CanonicalName(name string) string {
	r, n := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return name
	}
	return string(unicode.ToUpper(r)) + name[n:]
}

// Property finds a property of the node by name, Kapacitor's way.
func (k *NodeKind) Property(name string) *Property { return findProp(k.Properties, name) }

// Option finds a handler option by name, Kapacitor's way.
func (h *Handler) Option(name string) *Property { return findProp(h.Options, name) }

func findProp(props []*Property, name string) *Property {
	c := CanonicalName(name)
	for _, p := range props {
		if CanonicalName(p.Name) == c {
			return p
		}
	}
	return nil
}

// ChainingMethods returns the chaining methods of the kind.
func (k *NodeKind) ChainingMethods() []string {
	if k.Chaining != nil {
		return k.Chaining
	}
	return StandardChaining
}

// CanChain reports whether |name() is a chaining method of the kind.
func (k *NodeKind) CanChain(name string) bool {
	c := CanonicalName(name)
	for _, m := range k.ChainingMethods() {
		if CanonicalName(m) == c {
			return true
		}
	}
	return false
}
