package check

import (
	"strconv"
	"strings"
	"time"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// The deadman settings of a Kapacitor server with the default
// configuration (pipeline/node.go; the [deadman] section's defaults).
const (
	deadmanID      = "{{ .Group }}:NODE_NAME for task '{{ .TaskName }}'"
	deadmanMessage = `{{ .ID }} is {{ if eq .Level "OK" }}alive{{ else }}dead{{ end }}: {{ index .Fields "emitted" | printf "%0.3f" }} points/INTERVAL.`
)

// stats creates the stats node of observed, a new source of the pipeline,
// as Kapacitor's node.Stats does: the stats node takes the next ID, then a
// hidden noop child is linked to observed if it has no children yet, so
// that it has somewhere to send its data.
func (c *checker) stats(observed *ir.Node, interval ir.Value, x *ast.ChainExpr, implicit bool) *ir.Node {
	s := &ir.Node{Kind: kindOrStub("stats"), Call: x, Pos: x.Name.Pos(), Implicit: implicit,
		Wants: stdlib.NoEdge, Provides: stdlib.Stream, Args: []ir.Value{interval}, Observed: observed}
	c.assignID(s)
	c.pipe.Nodes = append(c.pipe.Nodes, s)
	c.pipe.Sources = append(c.pipe.Sources, s)
	if len(observed.Children) == 0 {
		noop := &ir.Node{Kind: kindOrStub("noop"), Call: x, Pos: x.Name.Pos(), Implicit: true,
			Wants: observed.Provides, Provides: observed.Provides}
		c.link(observed, noop)
		c.pipe.Nodes = append(c.pipe.Nodes, noop)
	}
	return s
}

// deadman expands `node|deadman(threshold, interval, exprs...)` into
// stats|derivative|alert as Kapacitor's node.Deadman does, and returns the
// alert node.
func (c *checker) deadman(observed *ir.Node, args []ir.Value, x *ast.ChainExpr) *ir.Node {
	threshold, interval := args[0], args[1]
	exprs := args[2:]
	pos := x.Name.Pos()

	s := c.stats(observed, interval, x, true)
	c.setProp(s, "align")

	d := &ir.Node{Kind: kindOrStub("derivative"), Call: x, Pos: pos, Implicit: true,
		Wants: stdlib.Stream, Provides: stdlib.Stream,
		Args: []ir.Value{{Type: stdlib.String, Str: "emitted"}}}
	c.link(s, d)
	c.pipe.Nodes = append(c.pipe.Nodes, d)
	c.setProp(d, "nonNegative")
	c.setProp(d, "unit", interval)

	a := &ir.Node{Kind: kindOrStub("alert"), Call: x, Pos: pos, Implicit: true,
		Wants: stdlib.Stream, Provides: stdlib.Stream}
	c.link(d, a)
	c.pipe.Nodes = append(c.pipe.Nodes, a)

	for _, e := range exprs {
		c.lambdaResult(e, stdlib.Bool, "deadman()")
	}
	c.setProp(a, "crit", c.deadmanCrit(threshold, exprs, pos))
	c.setProp(a, "id", ir.Value{Type: stdlib.String, Str: strings.Replace(deadmanID, "NODE_NAME", observed.Name, 1)})
	msg := deadmanMessage
	if interval.Type == stdlib.Duration {
		msg = strings.Replace(msg, "INTERVAL", time.Duration(interval.Dur).String(), 1)
	}
	c.setProp(a, "message", ir.Value{Type: stdlib.String, Str: msg})
	return a
}

// deadmanCrit builds `"emitted" <= threshold AND expr1 AND …`.
func (c *checker) deadmanCrit(threshold ir.Value, exprs []ir.Value, pos ast.Pos) ir.Value {
	th := threshold.Float
	raw := strconv.FormatFloat(th, 'f', -1, 64)
	if !strings.ContainsAny(raw, ".") {
		raw += ".0"
	}
	var body ast.Expr = &ast.BinaryExpr{
		X:     &ast.Reference{ValuePos: pos, Raw: `"emitted"`, Name: "emitted"},
		OpPos: pos, Op: ast.OpLte,
		Y: &ast.NumberLit{ValuePos: pos, Raw: raw, Float: th},
	}
	for _, e := range exprs {
		if e.Type != stdlib.Lambda || e.Lambda == nil || e.Lambda.Body == nil {
			continue
		}
		body = &ast.BinaryExpr{X: body, OpPos: pos, Op: ast.OpAnd, Y: e.Lambda.Body}
	}
	// The extra expressions were checked (and their errors reported) as
	// arguments; typing the whole again only builds the lambda.
	var scratch diag.List
	return ir.Value{Type: stdlib.Lambda, Lambda: checkLambda(body, c, &scratch), Expr: body}
}

// setProp records a property the checker sets itself.
func (c *checker) setProp(n *ir.Node, name string, args ...ir.Value) {
	prop := property(n.Kind, name)
	if prop == nil {
		prop = &stdlib.Property{Name: name, Kind: stdlib.Method}
	}
	n.Props = append(n.Props, &ir.PropSet{Prop: prop, Args: args, Pos: n.Pos})
}
