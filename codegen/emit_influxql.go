package codegen

// Emitters of the 21 InfluxQL function nodes (runtime/nodes_influxql.go):
// count, distinct, mean, median, mode, spread, sum, first, last, min,
// max, percentile, top, bottom, stddev, elapsed, difference,
// movingAverage, holtWinters, holtWintersWithFit, cumulativeSum.

import (
	"fmt"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

func init() {
	for _, m := range []string{
		"count", "distinct", "mean", "median", "mode", "spread", "sum", "first", "last",
		"min", "max", "percentile", "top", "bottom", "stddev", "elapsed", "difference",
		"movingAverage", "holtWinters", "holtWintersWithFit", "cumulativeSum",
	} {
		register(m, emitInfluxQL)
	}
}

// emitInfluxQL returns rt.NewInfluxQL(t, id, name, rt.InfluxQLConfig{…})
// with the constructor arguments of the method (the field first, except
// for top and bottom whose count comes first) and the .as(),
// .usePointTimes() and .quiet() settings.
func emitInfluxQL(g *Gen, n *ir.Node) (jen.Code, error) {
	method := n.Kind.Name
	args := n.Args
	arg := func(i int, t stdlib.Type) (ir.Value, error) {
		if i >= len(args) || args[i].Type != t {
			return ir.Value{}, fmt.Errorf("%s: argument %d is not a %s", method, i+1, t)
		}
		return args[i], nil
	}
	fieldAt := 0
	if method == "top" || method == "bottom" {
		fieldAt = 1
	}
	field, err := arg(fieldAt, stdlib.String)
	if err != nil {
		return nil, err
	}
	cfg := jen.Dict{
		jen.Id("Method"): jen.Lit(method),
		jen.Id("Field"):  jen.Lit(field.Str),
	}
	as := n.Kind.Desc // holtWintersWithFit's default is holtWinters too
	if p := n.Prop("as"); p != nil {
		as = p.Arg(0).Str
	}
	cfg[jen.Id("As")] = jen.Lit(as)
	if n.Prop("usePointTimes") != nil {
		cfg[jen.Id("UsePointTimes")] = jen.True()
	}
	if n.Prop("quiet") != nil {
		cfg[jen.Id("Quiet")] = jen.True()
	}

	switch method {
	case "percentile":
		p, err := arg(1, stdlib.Float)
		if err != nil {
			return nil, err
		}
		cfg[jen.Id("Percentile")] = jen.Lit(p.Float)
	case "top", "bottom":
		num, err := arg(0, stdlib.Int)
		if err != nil {
			return nil, err
		}
		cfg[jen.Id("N")] = jen.Lit(int(num.Int))
		if len(args) > 2 {
			extra := make([]jen.Code, 0, len(args)-2)
			for i := 2; i < len(args); i++ {
				v, err := arg(i, stdlib.String)
				if err != nil {
					return nil, err
				}
				extra = append(extra, jen.Lit(v.Str))
			}
			cfg[jen.Id("FieldsAndTags")] = jen.Index().String().Values(extra...)
		}
	case "elapsed":
		unit, err := arg(1, stdlib.Duration)
		if err != nil {
			return nil, err
		}
		cfg[jen.Id("Unit")] = influxQLDuration(unit.Dur)
	case "movingAverage":
		w, err := arg(1, stdlib.Int)
		if err != nil {
			return nil, err
		}
		cfg[jen.Id("Window")] = jen.Lit(int(w.Int))
	case "holtWinters", "holtWintersWithFit":
		h, err := arg(1, stdlib.Int)
		if err != nil {
			return nil, err
		}
		m, err := arg(2, stdlib.Int)
		if err != nil {
			return nil, err
		}
		interval, err := arg(3, stdlib.Duration)
		if err != nil {
			return nil, err
		}
		cfg[jen.Id("H")] = jen.Lit(int(h.Int))
		cfg[jen.Id("M")] = jen.Lit(int(m.Int))
		cfg[jen.Id("Interval")] = influxQLDuration(interval.Dur)
	}
	return rt("NewInfluxQL").Call(g.Task(), jen.Lit(n.ID), jen.Lit(n.Name), rt("InfluxQLConfig").Values(cfg)), nil
}

// influxQLDuration writes d readably: n * the largest unit dividing it.
func influxQLDuration(d time.Duration) jen.Code {
	units := []struct {
		d    time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"},
		{time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"}}
	if d != 0 {
		for _, u := range units {
			if d%u.d == 0 {
				return jen.Lit(int(d/u.d)).Op("*").Qual("time", u.name)
			}
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))
}
