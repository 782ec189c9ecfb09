package ir

import "strings"

// Dot renders the pipeline as Kapacitor 1.5.9's `GET /tasks/<id>` "dot"
// field renders it without statistics: one `parent -> child;` line per
// edge, nodes in walk order, each node's edges in child creation order.
// The batch source is left out, as Kapacitor leaves it out.
func (p *Pipeline) Dot(taskName string) string {
	var b strings.Builder
	b.WriteString("digraph ")
	b.WriteString(taskName)
	b.WriteString(" {\n")
	for _, n := range p.Walk() {
		if n.Kind != nil && n.Kind.Name == "batch" && n.IsSource() {
			continue
		}
		for _, c := range n.Children {
			b.WriteString(n.Name)
			b.WriteString(" -> ")
			b.WriteString(c.Name)
			b.WriteString(";\n")
		}
	}
	b.WriteString("}")
	return b.String()
}
