// Package diag holds the diagnostics every phase of the compiler reports:
// syntax errors, check errors and lint warnings, each with the place it is
// about. Phases append to a List and keep going, so a user sees all the
// problems of a script at once.
package diag

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tickc/tickc/compiler/ast"
)

// Severity says whether a diagnostic stops the build.
type Severity int

const (
	Error   Severity = iota // the script is rejected
	Warning                 // a lint: the script is accepted
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem at one place.
type Diagnostic struct {
	Pos      ast.Pos // where the culprit starts
	End      ast.Pos // just after it; may be invalid when unknown
	Severity Severity
	Code     string // short stable kind, e.g. "syntax", "undefined", "unused-var"
	Msg      string
}

// Error formats the diagnostic as `line:col: message` (no file name).
func (d Diagnostic) Error() string {
	if d.Severity == Warning {
		return fmt.Sprintf("%s: warning: %s", d.Pos, d.Msg)
	}
	return fmt.Sprintf("%s: %s", d.Pos, d.Msg)
}

// List collects diagnostics.
type List []Diagnostic

// Errorf appends an error at the span of n.
func (l *List) Errorf(n ast.Node, code, format string, args ...any) {
	l.Add(Diagnostic{Pos: n.Pos(), End: n.End(), Severity: Error, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// Warnf appends a warning at the span of n.
func (l *List) Warnf(n ast.Node, code, format string, args ...any) {
	l.Add(Diagnostic{Pos: n.Pos(), End: n.End(), Severity: Warning, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// Add appends d.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by position, errors before warnings at the same
// place, and drops exact duplicates.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Pos.Offset != b.Pos.Offset {
			return a.Pos.Offset < b.Pos.Offset
		}
		return a.Severity < b.Severity
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 && d.Pos == s[i-1].Pos && d.Msg == s[i-1].Msg {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

// Print writes each diagnostic as `file:line:col: message`, followed,
// when src is given, by the source line and a caret under the culprit.
func (l List) Print(w io.Writer, filename string, src []byte) {
	for _, d := range l {
		sev := ""
		if d.Severity == Warning {
			sev = "warning: "
		}
		fmt.Fprintf(w, "%s:%s: %s%s\n", filename, d.Pos, sev, d.Msg)
		if src != nil && d.Pos.IsValid() {
			if line, ok := sourceLine(src, d.Pos.Line); ok {
				fmt.Fprintf(w, "    %s\n    %s\n", expandTabs(line), caret(line, d.Pos.Col))
			}
		}
	}
}

func sourceLine(src []byte, n int) (string, bool) {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[n-1], "\r"), true
}

// caret puts ^ under byte column col of line, keeping tabs so it lines up.
func caret(line string, col int) string {
	var b strings.Builder
	for i := 0; i < col-1 && i < len(line); i++ {
		if line[i] == '\t' {
			b.WriteString("    ")
		} else if line[i]&0xC0 != 0x80 { // one space per rune
			b.WriteByte(' ')
		}
	}
	b.WriteByte('^')
	return b.String()
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }
