package check

import (
	"strconv"
	"time"

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
//
// An alert node without handlers and children is dangling too (its events
// reach no one), and so is a stats node without children.
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
		case n.Kind.Name == "alert":
			c.diags.Warnf(nodeAt(n), CodeDangling, "%s has no handler and nothing is chained to it, so its alerts go nowhere: add a handler such as .log() or .slack()", n.Name)
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
	if n.Kind.Name == "alert" {
		// Without a level expression it never alerts, and is kept for its
		// statistics; with one, its events need a handler or a child.
		return len(n.Handlers) == 0 && len(n.Children) == 0 && hasLevel(n)
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
		c.diags.Warnf(argAt(e, propAt(every)), CodeWindowGaps, "%s: every(%s) is longer than period(%s): the points between two windows are dropped", n.Name, formatDuration(e.Dur), formatDuration(p.Dur))
	}
}

func nameSpan(v *ir.Var) ast.Node {
	end := v.Pos
	end.Offset += len(v.Name)
	end.Col += len(v.Name)
	return span{v.Pos, end}
}

// formatDuration writes a duration as a TICKscript literal when one unit
// expresses it exactly ("5m", "90s"), else as Go does.
func formatDuration(d time.Duration) string {
	units := []struct {
		suffix string
		unit   time.Duration
	}{
		{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute},
		{"s", time.Second}, {"ms", time.Millisecond}, {"u", time.Microsecond},
	}
	if d == 0 {
		return "0s"
	}
	for _, u := range units {
		if d%u.unit == 0 {
			return strconv.FormatInt(int64(d/u.unit), 10) + u.suffix
		}
	}
	return d.String()
}

// hasLevel reports whether an alert node has a level expression.
func hasLevel(n *ir.Node) bool {
	for _, l := range []string{"info", "warn", "crit"} {
		if n.Prop(l) != nil {
			return true
		}
	}
	return false
}
