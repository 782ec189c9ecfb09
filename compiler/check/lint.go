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
//
// A dangling node is one whose output goes nowhere: not an output, alert,
// log or autoscale node, and without children. Not every one is a mistake:
// a task without any output is watched through its node statistics
// (Kapacitor's own tests do this), and a single node hung off a node that
// feeds other branches is a parked side branch. So the lint reports
//   - a var that holds a dangling node and is never used: the chain was
//     saved to be continued and never was;
//   - a dangling chain of two or more nodes:
//     work was built up and its result forgotten.
func (c *checker) lint() {
	if c.diags.HasErrors() {
		return
	}
	hasOutput := false
	for _, n := range c.pipe.Nodes {
		if endKinds[n.Kind.Name] && n.Kind.Name != "noop" {
			hasOutput = true
		}
	}
	reported := map[*ir.Node]bool{}
	for _, v := range c.pipe.Vars {
		if v.Used {
			continue
		}
		if v.Value.Type == stdlib.Node {
			// A var holding a node was declared for the pipeline it builds.
			if n := v.Value.Node; n != nil && hasOutput && dangling(n) {
				c.diags.Warnf(nameSpan(v), CodeUnusedVar, "var %s is declared but never used, and the output of %s it holds goes nowhere", v.Name, n.Name)
				reported[n] = true
			}
			continue
		}
		what := "var"
		if v.Template {
			what = "template var"
		}
		c.diags.Warnf(nameSpan(v), CodeUnusedVar, "%s %s is declared but never used", what, v.Name)
	}
	for _, n := range c.pipe.Nodes {
		switch {
		case reported[n] || !dangling(n):
		case n.Kind.Name == "stats":
			c.diags.Warnf(nodeAt(n), CodeDangling, "%s goes nowhere: a stats node only emits to the nodes chained to it", n.Name)
		case hasOutput && branchLength(n) >= 2:
			c.diags.Warnf(nodeAt(n), CodeDangling, "the output of %s goes nowhere: chain an output such as |httpOut(), |alert() or |influxDBOut() to it", n.Name)
		}
		if n.Kind.Name == "window" {
			c.windowGaps(n)
		}
	}
}

// dangling reports a node whose output goes nowhere.
func dangling(n *ir.Node) bool {
	if n.IsSource() && n.Kind.Name != "stats" {
		return false
	}
	return len(n.Children) == 0 && !endKinds[n.Kind.Name] && n.Provides != stdlib.NoEdge
}

// branchLength counts the nodes of the branch that ends at n: n and its
// ancestors that feed only this branch, up to a source or a fork.
func branchLength(n *ir.Node) int {
	length := 1
	for len(n.Parents) == 1 {
		p := n.Parents[0]
		if p.IsSource() || len(p.Children) != 1 {
			break
		}
		length++
		n = p
	}
	return length
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
