package check

import (
	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// Kinds whose nodes do something by themselves, so they may end a chain:
// outputs, alerts, logging, autoscaling. Any other node without children
// computes something nobody receives.
var endKinds = map[string]bool{
	"httpOut": true, "httpPost": true, "influxDBOut": true, "kapacitorLoopback": true,
	"alert": true, "log": true,
	"k8sAutoscale": true, "swarmAutoscale": true, "ec2Autoscale": true,
	"noop": true,
}

// lint reports the warnings: unused vars, dangling nodes, windows whose
// every() leaves gaps. Nothing is linted in a script with errors, where
// the pipeline is incomplete.
func (c *checker) lint() {
	if c.diags.HasErrors() {
		return
	}
	for _, v := range c.pipe.Vars {
		if v.Used {
			continue
		}
		// A var holding a node was declared for the pipeline it builds;
		// whether that goes anywhere is the dangling-node lint's business.
		if v.Value.Type == stdlib.Node {
			continue
		}
		what := "var"
		if v.Template {
			what = "template var"
		}
		c.diags.Warnf(nameSpan(v), CodeUnusedVar, "%s %s is declared but never used", what, v.Name)
	}
	for _, n := range c.pipe.Nodes {
		if n.IsSource() && n.Kind.Name != "stats" {
			continue
		}
		if len(n.Children) == 0 && !endKinds[n.Kind.Name] && n.Provides != stdlib.NoEdge {
			c.diags.Warnf(nodeAt(n), CodeDangling, "the output of %s goes nowhere: chain an output such as |httpOut(), |alert() or |influxDBOut() to it", n.Name)
		}
		if n.Kind.Name == "window" {
			c.windowGaps(n)
		}
	}
}

// windowGaps warns about a time window emitted less often than it is long:
// the points between two windows are never seen.
func (c *checker) windowGaps(n *ir.Node) {
	period, every := n.Prop("period"), n.Prop("every")
	if period == nil || every == nil {
		return
	}
	p, e := period.Arg(0), every.Arg(0)
	if p.Type != stdlib.Duration || e.Type != stdlib.Duration || p.Placeholder || e.Placeholder {
		return
	}
	if p.Dur > 0 && e.Dur > p.Dur {
		c.diags.Warnf(argAt(e, propAt(every)), CodeWindowGaps, "%s: every(%s) is longer than period(%s): the points between two windows are dropped", n.Name, e.Dur, p.Dur)
	}
}

func nameSpan(v *ir.Var) ast.Node {
	end := v.Pos
	end.Offset += len(v.Name)
	end.Col += len(v.Name)
	return span{v.Pos, end}
}
