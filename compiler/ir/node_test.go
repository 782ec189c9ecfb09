package ir

import (
	"testing"

	"github.com/tickc/tickc/stdlib"
)

func TestSameName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"period", "period", true},
		{"period", "Period", true},
		{"URL", "uRL", true},
		{"URL", "url", false},
		{"every", "period", false},
		{"", "", true},
	}
	for _, tt := range tests {
		if got := SameName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

// TestDotOrder builds Kapacitor's union example by hand: the walk visits
// sources in reverse, children in order, and prints the reversed post-order.
func TestDotOrder(t *testing.T) {
	kind := func(name string) *stdlib.NodeKind { return &stdlib.NodeKind{Name: name, Desc: name} }
	node := func(id int, k string) *Node { return &Node{ID: id, Kind: kind(k), Name: k + string(rune('0'+id))} }
	link := func(p, c *Node) {
		p.Children = append(p.Children, c)
		c.Parents = append(c.Parents, p)
	}
	src, a, b, u, out := node(0, "stream"), node(1, "from"), node(2, "from"), node(5, "union"), node(6, "out")
	link(src, a)
	link(src, b)
	link(b, u)
	link(a, u)
	link(u, out)
	stats, noop := node(7, "stats"), node(8, "noop")
	link(out, noop)
	p := &Pipeline{Nodes: []*Node{src, a, b, u, out, stats, noop}, Sources: []*Node{src, stats}}
	want := "digraph x {\nstream0 -> from1;\nstream0 -> from2;\nfrom2 -> union5;\nfrom1 -> union5;\nunion5 -> out6;\nout6 -> noop8;\n}"
	if got := p.Dot("x"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
