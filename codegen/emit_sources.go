package codegen

// Emitters of the sources and the simple outputs (runtime/source.go,
// runtime/httpout.go): stream, from, batch, query, httpOut, noop, stats.

import (
	"errors"
	"fmt"

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
	return c.ctor(g, n, "NewFrom", "FromConfig"), nil
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
