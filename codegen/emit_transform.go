package codegen

// Emitters of the per-point nodes (runtime/nodes_transform.go): where,
// eval, default, delete, shift, sample, derivative, changeDetect,
// stateDuration, stateCount, log, and sideload (not supported yet).

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

func init() {
	register("where", emitWhere)
	register("eval", emitEval)
	register("default", emitDefault)
	register("delete", emitDelete)
	register("shift", emitShift)
	register("sample", emitSample)
	register("derivative", emitDerivative)
	register("changeDetect", emitChangeDetect)
	register("stateDuration", emitState("NewStateDuration"))
	register("stateCount", emitState("NewStateCount"))
	register("log", emitLog)
	register("sideload", func(*Gen, *ir.Node) (jen.Code, error) {
		return nil, errors.New("sideload is not supported by tickc yet")
	})
}

// config collects the non-default fields of a node's config literal, in
// the order they are set, so generated code shows only what the script
// changed.
type config struct {
	keys []string
	vals []jen.Code
}

func (c *config) set(key string, v jen.Code) {
	c.keys = append(c.keys, key)
	c.vals = append(c.vals, v)
}

// ctor returns rt.<ctor>(t, id, name, rt.<typ>{…}).
func (c *config) ctor(g *Gen, n *ir.Node, ctor, typ string) jen.Code {
	lines := make([]jen.Code, 0, len(c.keys)+1)
	for i, k := range c.keys {
		lines = append(lines, jen.Id(k).Op(":").Add(c.vals[i]))
	}
	lit := rt(typ).Values()
	if len(lines) > 0 {
		lit = rt(typ).Block(commaLines(lines)...)
	}
	return rt(ctor).Call(g.Task(), jen.Lit(n.ID), jen.Lit(n.Name), lit)
}

// commaLines makes each entry of a composite literal end with a comma,
// one per line.
func commaLines(lines []jen.Code) []jen.Code {
	out := make([]jen.Code, len(lines))
	for i, l := range lines {
		out[i] = jen.Add(l).Op(",")
	}
	return out
}

// quiet sets Quiet when the script called .quiet().
func (c *config) quiet(n *ir.Node) {
	if n.Prop("quiet") != nil {
		c.set("Quiet", jen.True())
	}
}

// propStrings returns the string arguments of the last setting of a
// property (nil when never set).
func propStrings(n *ir.Node, name string) []string {
	p := n.Prop(name)
	if p == nil {
		return nil
	}
	return valueStrings(p.Args)
}

func valueStrings(vs []ir.Value) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Str)
	}
	return out
}

// stringsCode is a []string literal.
func stringsCode(ss []string) jen.Code {
	items := make([]jen.Code, len(ss))
	for i, s := range ss {
		items[i] = jen.Lit(s)
	}
	return jen.Index().String().Values(items...)
}

// durationCode writes a duration the way a person would: 10 *
// time.Second, time.Minute, or time.Duration(n) when it has no round unit.
func durationCode(d time.Duration) jen.Code {
	units := []struct {
		d    time.Duration
		name string
	}{
		{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"},
		{time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"},
	}
	for _, u := range units {
		if d != 0 && d%u.d == 0 {
			if d == u.d {
				return jen.Qual("time", u.name)
			}
			return jen.Lit(int(d/u.d)).Op("*").Qual("time", u.name)
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int(d)))
}

// propDuration sets key from a duration property when it is set.
func (c *config) propDuration(n *ir.Node, prop, key string) {
	if p := n.Prop(prop); p != nil && p.Arg(0).Type == stdlib.Duration {
		c.set(key, durationCode(p.Arg(0).Dur))
	}
}

// propString sets key from a string property when it is set, else to
// def when def is not empty.
func (c *config) propString(n *ir.Node, prop, key, def string) {
	if p := n.Prop(prop); p != nil {
		c.set(key, jen.Lit(p.Arg(0).Str))
	} else if def != "" {
		c.set(key, jen.Lit(def))
	}
}

// flag sets key when the flag property was called.
func (c *config) flag(n *ir.Node, prop, key string) {
	if n.Prop(prop) != nil {
		c.set(key, jen.True())
	}
}

// lambdaArg compiles the lambda argument i of the node.
func lambdaArg(g *Gen, n *ir.Node, i int) (jen.Code, error) {
	if i >= len(n.Args) || n.Args[i].Lambda == nil {
		return nil, fmt.Errorf("expected a lambda as argument %d", i+1)
	}
	return g.Lambda(n.Args[i].Lambda)
}

// lambdaArgs compiles every argument of the node as a lambda.
func lambdaArgs(g *Gen, n *ir.Node) ([]jen.Code, [][]string, error) {
	var codes []jen.Code
	var refs [][]string
	for i := range n.Args {
		c, err := lambdaArg(g, n, i)
		if err != nil {
			return nil, nil, err
		}
		codes = append(codes, c)
		refs = append(refs, n.Args[i].Lambda.Refs)
	}
	return codes, refs, nil
}

// valueCode is a runtime Value constructor for a scalar script value.
func valueCode(v ir.Value) (jen.Code, error) {
	switch v.Type {
	case stdlib.Float:
		return rt("Float").Call(jen.Lit(v.Float)), nil
	case stdlib.Int:
		return rt("Int").Call(jen.Lit(v.Int)), nil
	case stdlib.String:
		return rt("String").Call(jen.Lit(v.Str)), nil
	case stdlib.Bool:
		return rt("Bool").Call(jen.Lit(v.Bool)), nil
	}
	return nil, fmt.Errorf("unsupported type %s for a field value", v.Type)
}

func emitWhere(g *Gen, n *ir.Node) (jen.Code, error) {
	l, err := lambdaArg(g, n, 0)
	if err != nil {
		return nil, err
	}
	var c config
	c.set("Lambda", l)
	c.quiet(n)
	return c.ctor(g, n, "NewWhere", "WhereConfig"), nil
}

func emitEval(g *Gen, n *ir.Node) (jen.Code, error) {
	as := propStrings(n, "as")
	if len(as) != len(n.Args) {
		return nil, fmt.Errorf("must specify same number of expressions and .as() names: got %d as names, and %d expressions.", len(as), len(n.Args))
	}
	unused := unusedEvalResults(n, as)
	var lambdas []jen.Code
	var refs [][]string
	for i := range n.Args {
		var code jen.Code
		var err error
		if l := n.Args[i].Lambda; l != nil && unused[as[i]] {
			code, err = g.UnusedLambda(l)
		} else {
			code, err = lambdaArg(g, n, i)
		}
		if err != nil {
			return nil, err
		}
		lambdas = append(lambdas, code)
		refs = append(refs, n.Args[i].Lambda.Refs)
	}
	var c config
	c.set("Lambdas", jen.Index().Op("*").Add(rt("Lambda")).Values(lambdas...))
	refCodes := make([]jen.Code, len(refs))
	for i, r := range refs {
		names := make([]jen.Code, len(r))
		for j, name := range r {
			names[j] = jen.Lit(name)
		}
		refCodes[i] = jen.Values(names...)
	}
	c.set("Refs", jen.Index().Index().String().Values(refCodes...))
	c.set("As", stringsCode(as))
	if tags := propStrings(n, "tags"); len(tags) > 0 {
		c.set("Tags", stringsCode(tags))
	}
	if n.Prop("keep") != nil {
		c.set("Keep", jen.True())
		if keep := propStrings(n, "keep"); len(keep) > 0 {
			c.set("KeepList", stringsCode(keep))
		}
	}
	if len(unused) > 0 {
		var names []string
		for _, name := range as {
			if unused[name] && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		c.set("Unused", stringsCode(names))
	}
	c.quiet(n)
	return c.ctor(g, n, "NewEval", "EvalConfig"), nil
}

// unusedEvalResults returns the results of an eval node that no node
// below reads or outputs (inputFields), when the node stores its
// results as fields and nothing else: no .tags() (tags are read by
// name, not as fields), no .keep(), no result read back by a later
// expression, and no stateful expression (its state must advance).
// Their expressions still run for their errors; the node leaves them out.
func unusedEvalResults(n *ir.Node, as []string) map[string]bool {
	if n.Prop("tags") != nil || n.Prop("keep") != nil {
		return nil
	}
	var below fieldSet
	for _, c := range n.Children {
		if len(c.Parents) != 1 {
			return nil
		}
		below.union(inputFields(c).decoded()) // its results are not in the line
	}
	if below.all {
		return nil
	}
	unused := map[string]bool{}
	for i, name := range as {
		l := n.Args[i].Lambda
		if below.names[name] || l == nil || l.Stateful || usesState(l) {
			continue
		}
		unused[name] = true
	}
	for i := range as {
		for _, later := range n.Args[i+1:] {
			if later.Lambda != nil && slices.Contains(later.Lambda.Refs, as[i]) {
				delete(unused, as[i])
			}
		}
	}
	if len(unused) == 0 {
		return nil
	}
	return unused
}

func emitDefault(g *Gen, n *ir.Node) (jen.Code, error) {
	var fields, tags []jen.Code
	for _, name := range keyedOrder(n.PropAll("field")) {
		p := lastKeyed(n.PropAll("field"), name)
		v, err := valueCode(p.Arg(1))
		if err != nil {
			return nil, fmt.Errorf("%w %q, field default values must be float,int,string or bool", err, name)
		}
		fields = append(fields, jen.Values(jen.Dict{jen.Id("Key"): jen.Lit(name), jen.Id("Value"): v}))
	}
	for _, name := range keyedOrder(n.PropAll("tag")) {
		p := lastKeyed(n.PropAll("tag"), name)
		tags = append(tags, jen.Values(jen.Dict{jen.Id("Key"): jen.Lit(name), jen.Id("Value"): jen.Lit(p.Arg(1).Str)}))
	}
	var c config
	if len(fields) > 0 {
		c.set("Fields", rt("Fields").Values(fields...))
	}
	if len(tags) > 0 {
		c.set("Tags", rt("Tags").Values(tags...))
	}
	c.quiet(n)
	return c.ctor(g, n, "NewDefault", "DefaultConfig"), nil
}

// keyedOrder returns the keys (first argument) of keyed property
// settings in order of first setting.
func keyedOrder(sets []*ir.PropSet) []string {
	var keys []string
	seen := map[string]bool{}
	for _, p := range sets {
		k := p.Arg(0).Str
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// lastKeyed returns the last setting for key.
func lastKeyed(sets []*ir.PropSet, key string) *ir.PropSet {
	for i := len(sets) - 1; i >= 0; i-- {
		if sets[i].Arg(0).Str == key {
			return sets[i]
		}
	}
	return nil
}

// appended returns the string arguments of every setting of an appending
// property, in order.
func appended(n *ir.Node, name string) []string {
	var out []string
	for _, p := range n.PropAll(name) {
		out = append(out, valueStrings(p.Args)...)
	}
	return out
}

func emitDelete(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	if f := appended(n, "field"); len(f) > 0 {
		c.set("Fields", stringsCode(f))
	}
	if t := appended(n, "tag"); len(t) > 0 {
		c.set("Tags", stringsCode(t))
	}
	c.quiet(n)
	return c.ctor(g, n, "NewDelete", "DeleteConfig"), nil
}

func emitShift(g *Gen, n *ir.Node) (jen.Code, error) {
	if len(n.Args) == 0 || n.Args[0].Type != stdlib.Duration {
		return nil, errors.New("shift wants a duration")
	}
	var c config
	c.set("Shift", durationCode(n.Args[0].Dur))
	c.quiet(n)
	return c.ctor(g, n, "NewShift", "ShiftConfig"), nil
}

func emitSample(g *Gen, n *ir.Node) (jen.Code, error) {
	if len(n.Args) == 0 {
		return nil, errors.New("must pass int64 or duration to new sample node")
	}
	var c config
	switch a := n.Args[0]; a.Type {
	case stdlib.Int:
		c.set("N", jen.Lit(int(a.Int)))
	case stdlib.Duration:
		c.set("Duration", durationCode(a.Dur))
	default:
		return nil, errors.New("must pass int64 or duration to new sample node")
	}
	c.quiet(n)
	return c.ctor(g, n, "NewSample", "SampleConfig"), nil
}

func emitDerivative(g *Gen, n *ir.Node) (jen.Code, error) {
	if len(n.Args) == 0 {
		return nil, errors.New("derivative wants a field name")
	}
	var c config
	c.set("Field", jen.Lit(n.Args[0].Str))
	c.propString(n, "as", "As", "")
	unit := time.Second
	if p := n.Prop("unit"); p != nil && p.Arg(0).Type == stdlib.Duration {
		unit = p.Arg(0).Dur
	}
	c.set("Unit", durationCode(unit))
	c.flag(n, "nonNegative", "NonNegative")
	c.quiet(n)
	return c.ctor(g, n, "NewDerivative", "DerivativeConfig"), nil
}

func emitChangeDetect(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.set("Fields", stringsCode(valueStrings(n.Args)))
	c.quiet(n)
	return c.ctor(g, n, "NewChangeDetect", "ChangeDetectConfig"), nil
}

func emitState(ctor string) NodeEmitter {
	return func(g *Gen, n *ir.Node) (jen.Code, error) {
		l, err := lambdaArg(g, n, 0)
		if err != nil {
			return nil, err
		}
		var c config
		c.set("Lambda", l)
		c.propString(n, "as", "As", "")
		if ctor == "NewStateDuration" {
			c.propDuration(n, "unit", "Unit")
		}
		c.quiet(n)
		return c.ctor(g, n, ctor, "StateConfig"), nil
	}
}

func emitLog(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.propString(n, "level", "Level", "INFO")
	c.propString(n, "prefix", "Prefix", "")
	c.quiet(n)
	return c.ctor(g, n, "NewLog", "LogConfig"), nil
}
