package codegen

// Emitters of the grouping, windowing and combining nodes
// (runtime/nodes_group.go): groupBy, window, barrier, flatten, combine.

import (
	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

func init() {
	register("groupBy", emitGroupBy)
	register("window", emitWindow)
	register("barrier", emitBarrier)
	register("flatten", emitFlatten)
	register("combine", emitCombine)
}

func emitGroupBy(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	var dims []string
	all := false
	for _, a := range n.Args {
		if a.Type == stdlib.Star {
			all = true
		} else {
			dims = append(dims, a.Str)
		}
	}
	if len(dims) > 0 {
		c.set("Dims", stringsCode(dims))
	}
	if all {
		c.set("All", jen.True())
	}
	if x := appended(n, "exclude"); len(x) > 0 {
		c.set("Exclude", stringsCode(x))
	}
	c.flag(n, "byMeasurement", "ByMeasurement")
	c.quiet(n)
	return c.ctor(g, n, "NewGroupBy", "GroupByConfig"), nil
}

func emitWindow(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.propDuration(n, "period", "Period")
	c.propDuration(n, "every", "Every")
	c.flag(n, "align", "Align")
	c.flag(n, "fillPeriod", "FillPeriod")
	c.propInt(n, "periodCount", "PeriodCount")
	c.propInt(n, "everyCount", "EveryCount")
	c.quiet(n)
	return c.ctor(g, n, "NewWindow", "WindowConfig"), nil
}

// propInt sets key from an int property when it is set.
func (c *config) propInt(n *ir.Node, prop, key string) {
	if p := n.Prop(prop); p != nil && p.Arg(0).Type == stdlib.Int {
		c.set(key, jen.Lit(int(p.Arg(0).Int)))
	}
}

func emitBarrier(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.propDuration(n, "idle", "Idle")
	c.propDuration(n, "period", "Period")
	if p := n.Prop("delete"); p != nil && p.Arg(0).Bool {
		c.set("Delete", jen.True())
	}
	c.quiet(n)
	return c.ctor(g, n, "NewBarrier", "BarrierConfig"), nil
}

func emitFlatten(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	if on := propStrings(n, "on"); len(on) > 0 {
		c.set("On", stringsCode(on))
	}
	c.propString(n, "delimiter", "Delimiter", ".")
	c.propDuration(n, "tolerance", "Tolerance")
	// .dropOriginalFieldName() means TRUE; with an argument, its value.
	if p := n.Prop("dropOriginalFieldName"); p != nil && (len(p.Args) == 0 || p.Arg(0).Bool) {
		c.set("DropOriginalFieldName", jen.True())
	}
	c.quiet(n)
	return c.ctor(g, n, "NewFlatten", "FlattenConfig"), nil
}

func emitCombine(g *Gen, n *ir.Node) (jen.Code, error) {
	lambdas, _, err := lambdaArgs(g, n)
	if err != nil {
		return nil, err
	}
	var c config
	c.set("Lambdas", jen.Index().Op("*").Add(rt("Lambda")).Values(lambdas...))
	c.set("As", stringsCode(propStrings(n, "as")))
	c.propString(n, "delimiter", "Delimiter", ".")
	c.propDuration(n, "tolerance", "Tolerance")
	max := int64(1000000)
	if p := n.Prop("max"); p != nil && p.Arg(0).Type == stdlib.Int {
		max = p.Arg(0).Int
	}
	c.set("Max", jen.Lit(int(max)))
	c.quiet(n)
	return c.ctor(g, n, "NewCombine", "CombineConfig"), nil
}
