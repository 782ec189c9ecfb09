package ir

import (
	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/stdlib"
)

// Node is one node of the pipeline. (The checker helper extends this.)
type Node struct {
	ID   int
	Kind *stdlib.NodeKind
	Pos  ast.Pos
}
