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
// syntax errors, on the partial tree the parser recovered (broken parts
// become BadStmt/BadExpr, which evaluate to silent invalid values), so
// editors still get a pipeline and the user the other errors. What a
// syntax error can cause is dropped: see keepAfterSyntaxErrors.
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
		res.Diags = append(res.Diags, keepAfterSyntaxErrors(prog, diags.Errors(), checkDiags)...)
	}
	res.Diags.Sort()
	return res
}

// keepAfterSyntaxErrors filters the check diagnostics of a script with
// syntax errors down to those a syntax error cannot have caused. Dropped:
//   - the checks over the finished script (validation, task type, lints),
//     which may miss what the broken part held;
//   - anything inside a call whose text holds a syntax error (its
//     arguments were not read as written), an error about an expression
//     that holds one, anything on the line of one;
//   - an undefined name after a syntax error: its declaration may be in
//     the broken part.
func keepAfterSyntaxErrors(prog *ast.Program, syntax, checked diag.List) diag.List {
	first := syntax[0].Pos
	for _, d := range syntax {
		if d.Pos.Offset < first.Offset {
			first = d.Pos
		}
	}
	// The calls (from the operator to the closing parenthesis) that hold
	// a syntax error, everything in them is dropped; a call whose end is
	// unknown runs to the end. Of other expressions that hold one, the
	// errors about the expression itself (at its start or its operator).
	// An error at the end of input (an unclosed parenthesis) belongs to
	// the last statement.
	lastEnd := -1
	if len(prog.Stmts) > 0 {
		lastEnd = prog.Stmts[len(prog.Stmts)-1].End().Offset - 1
	}
	holds := func(from, to int) bool {
		for _, d := range syntax {
			off := d.Pos.Offset
			if lastEnd >= 0 && off > lastEnd {
				off = lastEnd
			}
			if from <= off && off < to {
				return true
			}
		}
		return false
	}
	var broken [][2]int
	brokenAt := map[int]bool{}
	ast.Inspect(prog, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ChainExpr:
			from, to := x.OpPos.Offset, x.End().Offset
			if !x.End().IsValid() || to <= from {
				to = prog.EOF.Offset + 1
			}
			if holds(from, to) {
				broken = append(broken, [2]int{from, to})
			}
		case *ast.BinaryExpr:
			if holds(x.Pos().Offset, x.End().Offset+1) {
				brokenAt[x.Pos().Offset] = true
				brokenAt[x.OpPos.Offset] = true
			}
		case *ast.UnaryExpr, *ast.CallExpr, *ast.ListLit, *ast.LambdaExpr, *ast.ParenExpr:
			if holds(n.Pos().Offset, n.End().Offset+1) {
				brokenAt[n.Pos().Offset] = true
			}
		}
		return true
	})
	brokenLine := map[int]bool{}
	for _, d := range syntax {
		brokenLine[d.Pos.Line] = true
	}
	var out diag.List
next:
	for _, d := range checked {
		if d.Severity != diag.Error || wholeScript(d.Code) || !d.Pos.IsValid() || brokenLine[d.Pos.Line] || brokenAt[d.Pos.Offset] {
			continue
		}
		if d.Code == check.CodeUndefined && first.Offset <= d.Pos.Offset {
			continue
		}
		for _, b := range broken {
			if b[0] <= d.Pos.Offset && d.Pos.Offset < b[1] {
				continue next
			}
		}
		out = append(out, d)
	}
	return out
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
