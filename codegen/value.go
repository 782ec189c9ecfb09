package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// Lit returns the Go literal of a scalar script value: int64, float64,
// string, bool or time.Duration (as an int64 nanosecond count converted
// with time.Duration).
func Lit(v ir.Value) (jen.Code, error) {
	switch v.Type {
	case stdlib.Int:
		return jen.Lit(v.Int), nil
	case stdlib.Float:
		return jen.Lit(v.Float), nil
	case stdlib.String:
		return jen.Lit(v.Str), nil
	case stdlib.Bool:
		return jen.Lit(v.Bool), nil
	case stdlib.Duration:
		return jen.Qual("time", "Duration").Call(jen.Lit(int64(v.Dur))), nil
	}
	return nil, fmt.Errorf("no Go literal for a %s value", v.Type)
}

// Strings returns a []string literal of the string values of vs (for
// groupBy dimensions, .as() names, …).
func Strings(vs []ir.Value) jen.Code {
	items := make([]jen.Code, 0, len(vs))
	for _, v := range vs {
		items = append(items, jen.Lit(v.Str))
	}
	return jen.Index().String().Values(items...)
}
