package codegen

// Emitters of the nodes with several parents (runtime/nodes_join.go):
// join and union. Their parents are linked by gen.go with the parent's
// index as the port; the nodes themselves only need their properties.

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

func init() {
	register("join", emitJoin)
	register("union", emitUnion)
}

func emitJoin(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	if names := propStrings(n, "as"); len(names) > 0 {
		c.set("Names", stringsCode(names))
	}
	if on := propStrings(n, "on"); len(on) > 0 {
		c.set("On", stringsCode(on))
	}
	// The delimiter is always written: an empty one is valid.
	c.propString(n, "delimiter", "Delimiter", ".")
	c.propString(n, "streamName", "StreamName", "")
	c.propDuration(n, "tolerance", "Tolerance")
	if p := n.Prop("fill"); p != nil {
		v := p.Arg(0)
		switch v.Type {
		case stdlib.String, stdlib.Int, stdlib.Float:
			code, err := valueCode(v)
			if err != nil {
				return nil, err
			}
			c.set("Fill", code)
		default:
			return nil, fmt.Errorf("unexpected fill option of type %s", v.Type)
		}
	}
	c.quiet(n)
	return c.ctor(g, n, "NewJoin", "JoinConfig"), nil
}

func emitUnion(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.propString(n, "rename", "Rename", "")
	c.quiet(n)
	return c.ctor(g, n, "NewUnion", "UnionConfig"), nil
}
