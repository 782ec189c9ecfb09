package check

import "github.com/tickc/tickc/compiler/parser"

// parseLambda parses the text of a lambda var (without `lambda:`).
var parseLambda = parser.ParseLambda
