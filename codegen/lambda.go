package codegen

import (
	"errors"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
)

// Lambda compiles l into a top-level Go function and returns an
// expression of type *rt.Lambda that refers to it. Compiling the same
// lambda twice yields the same function.
func (g *Gen) Lambda(l *ir.Lambda) (jen.Code, error) {
	return nil, errors.New("lambda compilation is not written yet")
}
