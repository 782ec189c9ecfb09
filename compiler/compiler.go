// Package compiler is the front end's facade: it parses a TICKscript and
// checks it into the pipeline IR, collecting every diagnostic on the way.
package compiler

import (
	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/compiler/parser"
)

// Result is what the front end makes of a script.
type Result struct {
	Program  *ast.Program // nil only if the parser gave up entirely
	Pipeline *ir.Pipeline // nil when the script could not be checked
	Diags    diag.List    // sorted by position
}

// OK reports whether the script compiled without errors.
func (r *Result) OK() bool { return !r.Diags.HasErrors() && r.Pipeline != nil }

// Compile parses src and checks it. The checker also runs on a script with
// syntax errors, on the partial tree the parser recovered, so that editors
// still get a pipeline; but then only the check errors placed before the
// first syntax error are kept: statements run in order, so those cannot be
// consequences of the broken part, while anything later, the end-of-script
// validation and the lints may be.
func Compile(filename string, src []byte, opts check.Options) *Result {
	prog, diags := parser.ParseFile(filename, src)
	res := &Result{Program: prog, Diags: diags}
	if prog == nil {
		res.Diags.Sort()
		return res
	}
	pipe, checkDiags := check.Check(prog, opts)
	res.Pipeline = pipe
	if !diags.HasErrors() {
		res.Diags = append(res.Diags, checkDiags...)
	} else {
		first := firstError(diags)
		for _, d := range checkDiags {
			if d.Severity == diag.Error && !wholeScript(d.Code) && d.Pos.IsValid() && d.Pos.Offset < first.Offset {
				res.Diags = append(res.Diags, d)
			}
		}
	}
	res.Diags.Sort()
	return res
}

// wholeScript reports the codes of checks over the finished script, which
// a syntax error may have left incomplete.
func wholeScript(code string) bool {
	switch code {
	case check.CodeValidate, check.CodeNothing, check.CodeTaskType, check.CodeUnusedVar, check.CodeDangling, check.CodeWindowGaps:
		return true
	}
	return false
}

func firstError(l diag.List) ast.Pos {
	var first ast.Pos
	for _, d := range l {
		if d.Severity != diag.Error {
			continue
		}
		if !first.IsValid() || d.Pos.Offset < first.Offset {
			first = d.Pos
		}
	}
	return first
}
