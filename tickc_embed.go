// Package tickc carries the source that every task binary is built from.
//
// `tickc build` compiles a script into a Go main package that imports
// github.com/tickc/tickc/runtime. So that building needs no network and no
// checkout of this repository, the tickc binary embeds the runtime's source
// (and go.mod, for its go directive) and writes it out into a cache
// folder once per runtime version (see package taskbuild). The file lives
// at the module root because go:embed cannot reach parent directories.
package tickc

import "embed"

// Source holds runtime/*.go (tests included; taskbuild leaves them out)
// and go.mod.
//
//go:embed go.mod runtime/*.go
var Source embed.FS
