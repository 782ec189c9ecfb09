// Package format prints a TICKscript in the canonical layout (`tickc fmt`).
//
// The layout:
//
//   - Statements keep their order (moving a `dbrp` to the top would change
//     the tree) and each starts a line at column 0. Two statements are
//     separated by one blank line when either spans several lines (a
//     pipeline chain, a multi-line string), when one is a `dbrp` and the
//     other is not, or when the source had a blank line between them.
//     Otherwise short statements written on adjacent lines (a run of
//     `var`s, of `dbrp`s) stay together. Runs of blank lines shrink to one;
//     blank lines at the start and end go.
//   - A chain puts its root where it stands and each link on a line of its
//     own: `|node()` and `@udf()` one level (4 spaces) deeper than the line
//     of the root, `.property()` two levels deeper. A chain passed as an
//     argument (`|join(other|…)`) indents its links from the argument's
//     level, one deeper than the call. When a call has several arguments
//     and one of them is such a chain, each argument gets its own line. A
//     bare property read (`w.period`) stays inline.
//   - Inside expressions tokens are separated by single spaces around
//     binary operators and `, ` between arguments and list items.
//     Parentheses are kept exactly as written. Line breaks inside
//     expressions are dropped, except a break the user put next to an AND
//     or OR, which is kept on the same side of the operator, with the
//     continuation one level deeper than the line it continues.
//   - Literals are printed as written: `010`, `1.`, `.5`, `1w`, triple-quoted
//     strings with their newlines, `/re\/x/`, `"ref"`. A trailing comma in an
//     argument list or list is dropped.
//   - Every comment is kept, in its place among the tokens. A comment at
//     the end of a line stays at the end of that line. A comment on a line
//     of its own is indented like the token after it (the next statement,
//     link or property); a comment inside an expression forces the rest of
//     the expression onto a continuation line. Comments directly after an
//     indented chain, written indented and followed by a blank line, stay
//     with that chain at the indentation of its last link (a commented-out
//     link, say). Comment text is kept as written, trailing spaces removed.
//   - The output ends with exactly one newline; an empty program prints as
//     nothing.
//
// Formatting never changes the syntax tree: parsing the output gives the
// same tree as parsing the input, positions aside, with the same comments
// and the same var descriptions; and formatting the output again changes
// nothing.
package format

import (
	"strings"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/parser"
)

// Format parses src and returns it in the canonical layout. A script with
// syntax errors is not formatted: the result is nil and the diagnostics
// say why.
func Format(filename string, src []byte) ([]byte, diag.List) {
	prog, diags := parser.ParseFile(filename, src)
	if diags.HasErrors() || prog == nil {
		return nil, diags
	}
	return Source(prog, src), diags
}

// Source formats a parsed program into the canonical layout. src is the
// text prog was parsed from; the tree carries every token and comment
// position the layout needs, and src supplies the text of any part the
// parser could not make sense of.
func Source(prog *ast.Program, src []byte) []byte {
	f := &file{src: src, comments: sortedComments(prog.Comments)}
	for i, s := range prog.Stmts {
		var next ast.Stmt
		if i+1 < len(prog.Stmts) {
			next = prog.Stmts[i+1]
		}
		f.statement(s, next)
	}
	f.trailingComments()
	if f.out.Len() == 0 {
		return nil
	}
	f.out.WriteByte('\n')
	return []byte(f.out.String())
}

// file lays out the statements of a program and the comments between them.
type file struct {
	src      []byte
	out      strings.Builder
	comments []*ast.Comment
	next     int // index of the first comment not yet placed

	started   bool // something has been written
	lastLine  int  // source line the last thing written ended on
	lastMulti bool // the last thing written was a statement of several lines
	lastDbrp  bool // the last statement written was a dbrp statement
	stmts     int  // statements written
}

// sortedComments returns the comments in source order without nils.
func sortedComments(cs []*ast.Comment) []*ast.Comment {
	out := make([]*ast.Comment, 0, len(cs))
	for _, c := range cs {
		if c != nil {
			out = append(out, c)
		}
	}
	// The parser collects them in order; keep the sort cheap and stable.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Start.Offset < out[j-1].Start.Offset; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// separate starts a new line for an item that began on startLine in the
// source, leaving a blank line when the source had one or blank says so.
func (f *file) separate(startLine int, blank bool) {
	if !f.started {
		return
	}
	f.out.WriteByte('\n')
	if blank || startLine-f.lastLine > 1 {
		f.out.WriteByte('\n')
	}
}

// statement writes the comments above s, then s with the comments inside
// it and at the end of its line, then the comments that hang below it.
func (f *file) statement(s ast.Stmt, next ast.Stmt) {
	if s == nil {
		return
	}
	start, end := s.Pos(), s.End()

	// Comments above the statement.
	var above []*ast.Comment
	for f.next < len(f.comments) && f.comments[f.next].Start.Offset < start.Offset {
		above = append(above, f.comments[f.next])
		f.next++
	}

	// The statement's own comments: those inside it and one at the end of
	// its last line, unless the next statement starts first.
	first := f.next
	for f.next < len(f.comments) && f.comments[f.next].Start.Offset < end.Offset {
		f.next++
	}
	if f.next < len(f.comments) {
		c := f.comments[f.next]
		if c.Start.Line == end.Line && (next == nil || c.Start.Offset < next.Pos().Offset) {
			f.next++
		}
	}
	p := newPrinter(f.src, f.comments[first:f.next])
	p.stmt(s)
	p.flushAll()
	text := p.out.String()
	multi := strings.Contains(text, "\n")
	endLine := end.Line
	if p.last.Line > endLine {
		endLine = p.last.Line
	}

	// A statement is set off by a blank line from the one before when
	// either spans several lines or when it ends or starts the run of
	// dbrp statements; its comments above go with it.
	_, dbrp := s.(*ast.DbrpStmt)
	blank := f.lastMulti || multi || (f.stmts > 0 && dbrp != f.lastDbrp)
	for _, c := range above {
		f.separate(c.Start.Line, blank)
		f.write(commentText(c), c.Start.Line)
		blank = false
	}
	f.separate(start.Line, blank)
	f.write(text, endLine)

	// Comments hanging below an indented chain.
	for _, c := range f.hangingComments(endLine, p.lastLinkLevel, next) {
		f.out.WriteByte('\n')
		f.out.WriteString(strings.Repeat(indentUnit, p.lastLinkLevel))
		f.write(commentText(c), c.Start.Line)
	}
	f.lastMulti = multi
	f.lastDbrp = dbrp
	f.stmts++
}

// hangingComments takes the comments that belong below a statement ending
// on endLine whose last chain link is at level: a block of comments on the
// lines right below it, the first one indented in the source, with a blank
// line or the end of the file after the block. Other comments below a
// statement belong to the next statement.
func (f *file) hangingComments(endLine, level int, next ast.Stmt) []*ast.Comment {
	if level == 0 || f.next >= len(f.comments) {
		return nil
	}
	limit := -1 // offset of the next statement, if any
	if next != nil {
		limit = next.Pos().Offset
	}
	before := func(c *ast.Comment) bool { return limit < 0 || c.Start.Offset < limit }
	first := f.comments[f.next]
	if !before(first) || first.Start.Line != endLine+1 || first.Start.Col <= 1 {
		return nil
	}
	n := f.next + 1
	line := first.Start.Line
	for n < len(f.comments) && before(f.comments[n]) && f.comments[n].Start.Line == line+1 {
		line = f.comments[n].Start.Line
		n++
	}
	// What follows the block must be a blank line away, or nothing at all.
	switch {
	case n < len(f.comments) && before(f.comments[n]):
		if f.comments[n].Start.Line <= line+1 {
			return nil
		}
	case next != nil:
		if next.Pos().Line <= line+1 {
			return nil
		}
	}
	block := f.comments[f.next:n]
	f.next = n
	return block
}

// trailingComments writes the comments after the last statement.
func (f *file) trailingComments() {
	for ; f.next < len(f.comments); f.next++ {
		c := f.comments[f.next]
		f.separate(c.Start.Line, false)
		f.write(commentText(c), c.Start.Line)
	}
}

func (f *file) write(text string, endLine int) {
	f.out.WriteString(text)
	f.started = true
	f.lastLine = endLine
	f.lastMulti = false
}
