package codegen

// Emitters of the sources and the simple outputs (runtime/source.go,
// runtime/httpout.go): stream, from, batch, query, httpOut, noop, stats.

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

func init() {
	register("stream", emitStream)
	register("from", emitFrom)
	register("batch", emitBatch)
	register("query", emitQuery)
	register("httpOut", emitHTTPOut)
	register("noop", emitNoop)
	register("stats", emitStats)
}

func emitStream(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.quiet(n)
	return c.ctor(g, n, "NewStream", "StreamConfig"), nil
}

func emitFrom(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.propString(n, "database", "Database", "")
	c.propString(n, "retentionPolicy", "RetentionPolicy", "")
	c.propString(n, "measurement", "Measurement", "")
	// Every .where() is ANDed to the previous ones (one expression).
	var where []jen.Code
	for _, p := range n.PropAll("where") {
		l := p.Arg(0).Lambda
		if l == nil {
			return nil, errors.New("where: expected a lambda")
		}
		code, err := g.Lambda(l)
		if err != nil {
			return nil, err
		}
		where = append(where, code)
	}
	if len(where) > 0 {
		c.set("Where", jen.Index().Op("*").Add(rt("Lambda")).Values(where...))
	}
	if refs, ok := seriesWhereRefs(n); ok {
		c.set("WhereBySeries", jen.True())
		if len(refs) > 0 {
			c.set("WhereRefs", stringsCode(refs))
		}
	}
	if p := n.Prop("groupBy"); p != nil {
		var dims []string
		for _, a := range p.Args {
			if a.Type == stdlib.Star {
				c.set("GroupByAll", jen.True())
			} else {
				dims = append(dims, a.Str)
			}
		}
		if len(dims) > 0 {
			c.set("GroupBy", stringsCode(dims))
		}
	}
	c.flag(n, "groupByMeasurement", "GroupByMeasurement")
	c.propDuration(n, "truncate", "Truncate")
	c.propDuration(n, "round", "Round")
	c.quiet(n)
	if need := inputFields(n); !need.all {
		c.set("ProjectFields", jen.True())
		if len(need.names) > 0 {
			c.set("Fields", stringsCode(need.sorted()))
		}
		if need.deferRest {
			c.set("DeferFields", jen.True())
		}
	}
	return c.ctor(g, n, "NewFrom", "FromConfig"), nil
}

// seriesWhereRefs returns the names the where predicates of from node n
// read, and whether the predicates depend on a point's series alone
// (given it has no field of those names): no stateful function, no
// "time", every lambda known.
func seriesWhereRefs(n *ir.Node) ([]string, bool) {
	var refs []string
	for _, p := range n.PropAll("where") {
		for _, a := range p.Args {
			l := a.Lambda
			if l == nil || l.Stateful || usesState(l) || readsTime(l) {
				return nil, false
			}
			for _, v := range l.Inlined {
				if v.Type == stdlib.Lambda && v.Lambda == nil {
					return nil, false
				}
			}
			for _, r := range l.Refs {
				if !slices.Contains(refs, r) {
					refs = append(refs, r)
				}
			}
		}
	}
	sort.Strings(refs)
	return refs, true
}

// fieldSet is the set of field names a node reads of its input, or all
// of them. With deferRest the others are read too, but only by alert
// nodes sending an event, and only through nodes that hand each point on
// as they got it: the from node can have them decoded then, from the
// point's line (runtime.FromConfig.DeferFields).
type fieldSet struct {
	all       bool
	names     map[string]bool
	deferRest bool
}

var allFields = fieldSet{all: true}

func (f *fieldSet) add(names ...string) {
	if f.all {
		return
	}
	if f.names == nil {
		f.names = map[string]bool{}
	}
	for _, name := range names {
		f.names[name] = true
	}
}

func (f *fieldSet) union(o fieldSet) {
	if o.all {
		*f = allFields
		return
	}
	for name := range o.names {
		f.add(name)
	}
	f.deferRest = f.deferRest || o.deferRest
}

// decoded is f for a node that does not hand its input points on as they
// are (it keeps them, or makes points of its own from them): what is
// read at an event below it must be decoded before.
func (f fieldSet) decoded() fieldSet {
	if f.deferRest {
		return allFields
	}
	return f
}

func (f fieldSet) sorted() []string {
	names := make([]string, 0, len(f.names))
	for name := range f.names {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// inputFields works out which fields of its input node n and the nodes
// below it can read or output: the stream decodes only those (see
// runtime.FromConfig.Fields). It knows the nodes that either pass their
// input's fields on (their children decide), or read named fields and
// output points of their own; an alert node without children outputs
// all fields, but only in its events (deferRest); any other node, and
// any node that outputs the fields it was given (httpOut, influxDBOut,
// …), may use every field. Lambda references may name tags: they count
// as fields.
func inputFields(n *ir.Node) fieldSet {
	below := func() fieldSet {
		var f fieldSet
		for _, c := range n.Children {
			if len(c.Parents) != 1 {
				return allFields // join, union: not known here
			}
			f.union(inputFields(c))
		}
		return f
	}
	switch n.Kind.Name {
	case "noop":
		return fieldSet{}
	case "groupBy":
		return below()
	case "window":
		return below().decoded()
	case "alert":
		if len(n.Children) > 0 {
			return allFields
		}
		return withRefs(fieldSet{deferRest: true}, n)
	case "from", "where":
		f := below()
		return withRefs(f, n)
	case "eval":
		// Its points hold the results only; with .keep() the input's
		// fields too, with .keep(names) those named.
		var f fieldSet
		if p := n.Prop("keep"); p != nil {
			if keep := propStrings(n, "keep"); len(keep) > 0 {
				f.add(keep...)
			} else {
				f = below().decoded()
			}
		}
		return withRefs(f, n)
	case "stateDuration", "stateCount":
		// Their result joins the input's fields.
		return withRefs(below(), n)
	case "count", "distinct", "mean", "median", "mode", "spread", "sum", "stddev",
		"elapsed", "difference", "movingAverage", "cumulativeSum", "holtWinters", "holtWintersWithFit":
		// A point (or batch) of their own holding only the result.
		if len(n.Args) == 0 || n.Args[0].Type != stdlib.String {
			return allFields
		}
		var f fieldSet
		f.add(n.Args[0].Str)
		return f
	case "percentile", "first", "last", "min", "max":
		// The selected point itself, its field renamed to the result.
		if len(n.Args) == 0 || n.Args[0].Type != stdlib.String {
			return allFields
		}
		f := below().decoded()
		f.add(n.Args[0].Str)
		return f
	}
	return allFields
}

// readsDeferredFields reports whether alert node n, which has no
// children, gets its points from a from node through nodes that hand
// each point on as they got it (where, groupBy, stateDuration,
// stateCount; one parent each): the fields the from node defers
// (inputFields' deferRest) reach it in the point's line
// (runtime.AlertConfig.DeferredFields).
func readsDeferredFields(n *ir.Node) bool {
	if len(n.Children) > 0 {
		return false
	}
	for p := n; len(p.Parents) == 1; {
		p = p.Parents[0]
		switch p.Kind.Name {
		case "from":
			return true
		case "where", "groupBy", "stateDuration", "stateCount":
		default:
			return false
		}
	}
	return false
}

// withRefs adds to f what the lambdas of n read.
func withRefs(f fieldSet, n *ir.Node) fieldSet {
	refs, ok := lambdaRefs(n)
	if !ok {
		return allFields
	}
	f.add(refs...)
	return f
}

// lambdaRefs returns the names the lambdas of n read (its lambda
// arguments and properties); ok is false when that is not known: a
// lambda uses a template var that holds no lambda yet.
func lambdaRefs(n *ir.Node) (refs []string, ok bool) {
	var lambdas []*ir.Lambda
	for _, a := range n.Args {
		if a.Lambda != nil {
			lambdas = append(lambdas, a.Lambda)
		}
	}
	for _, p := range n.Props {
		for _, a := range p.Args {
			if a.Lambda != nil {
				lambdas = append(lambdas, a.Lambda)
			}
		}
	}
	for _, l := range lambdas {
		// The refs of inlined lambda vars are the lambda's own already.
		for _, v := range l.Inlined {
			if v.Type == stdlib.Lambda && v.Lambda == nil {
				return nil, false
			}
		}
		refs = append(refs, l.Refs...)
	}
	return refs, true
}

func emitBatch(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.quiet(n)
	return c.ctor(g, n, "NewBatch", "BatchConfig"), nil
}

func emitQuery(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	if len(n.Args) > 0 {
		c.set("Query", jen.Lit(n.Args[0].Str))
	} else if p := n.Prop("queryStr"); p != nil {
		c.set("Query", jen.Lit(p.Arg(0).Str))
	}
	c.propDuration(n, "period", "Period")
	c.propDuration(n, "every", "Every")
	c.propString(n, "cron", "Cron", "")
	c.propDuration(n, "offset", "Offset")
	c.flag(n, "align", "Align")
	c.flag(n, "alignGroup", "AlignGroup")
	if p := n.Prop("groupBy"); p != nil {
		var dims []jen.Code
		for _, a := range p.Args {
			d, err := queryDimCode(a)
			if err != nil {
				return nil, err
			}
			dims = append(dims, d)
		}
		c.set("GroupBy", jen.Index().Add(rt("QueryDim")).Values(dims...))
	}
	c.flag(n, "groupByMeasurement", "GroupByMeasurement")
	if p := n.Prop("fill"); p != nil {
		fill, err := queryFillCode(p.Arg(0))
		if err != nil {
			return nil, err
		}
		c.set("Fill", fill)
	}
	c.propString(n, "cluster", "Cluster", "")
	c.quiet(n)
	return c.ctor(g, n, "NewQuery", "QueryConfig"), nil
}

// queryDimCode is the rt.QueryDim of one query groupBy dimension, as an
// element of a []rt.QueryDim literal (type elided).
func queryDimCode(v ir.Value) (jen.Code, error) {
	switch v.Type {
	case stdlib.String:
		return jen.Values(jen.Dict{jen.Id("Tag"): jen.Lit(v.Str)}), nil
	case stdlib.Star:
		return jen.Values(jen.Dict{jen.Id("Star"): jen.True()}), nil
	case stdlib.TimeDim:
		d := jen.Dict{jen.Id("IsTimeBucket"): jen.True(), jen.Id("Time"): durationCode(v.Dur)}
		if v.Offset != 0 {
			d[jen.Id("TimeOffset")] = durationCode(v.Offset)
		}
		return jen.Values(d), nil
	case stdlib.Duration:
		return jen.Values(jen.Dict{jen.Id("IsTimeBucket"): jen.True(), jen.Id("Time"): durationCode(v.Dur)}), nil
	}
	return nil, fmt.Errorf("groupBy: unsupported dimension of type %s", v.Type)
}

// queryFillCode is the rt.QueryFill of a .fill() argument.
func queryFillCode(v ir.Value) (jen.Code, error) {
	switch v.Type {
	case stdlib.String:
		return rt("QueryFill").Values(jen.Dict{jen.Id("Kind"): jen.Lit(v.Str)}), nil
	case stdlib.Int, stdlib.Float:
		val, err := valueCode(v)
		if err != nil {
			return nil, err
		}
		return rt("QueryFill").Values(jen.Dict{jen.Id("Kind"): jen.Lit("number"), jen.Id("Value"): val}), nil
	}
	return nil, fmt.Errorf("fill: unsupported value of type %s", v.Type)
}

func emitHTTPOut(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	switch {
	case len(n.Args) > 0:
		c.set("Endpoint", jen.Lit(n.Args[0].Str))
	case n.Prop("endpoint") != nil:
		c.set("Endpoint", jen.Lit(n.Prop("endpoint").Arg(0).Str))
	default:
		return nil, errors.New("httpOut: no endpoint")
	}
	c.quiet(n)
	return c.ctor(g, n, "NewHTTPOut", "HTTPOutConfig"), nil
}

func emitNoop(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.quiet(n)
	return c.ctor(g, n, "NewNoop", "NoopConfig"), nil
}

func emitStats(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	if n.Observed != nil {
		c.set("Observed", jen.Lit(n.Observed.ID))
	}
	switch {
	case len(n.Args) > 0 && n.Args[0].Type == stdlib.Duration:
		c.set("Interval", durationCode(n.Args[0].Dur))
	default:
		c.propDuration(n, "interval", "Interval")
	}
	c.flag(n, "align", "Align")
	c.quiet(n)
	return c.ctor(g, n, "NewStats", "StatsConfig"), nil
}
