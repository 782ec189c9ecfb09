package parser

import (
	"sort"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/compiler/ast"
)

// source gives the AST positions (ast.Pos: byte offset, 1-based line,
// 1-based byte column) of the tokens of one text.
type source struct {
	text       string
	lineStarts []int // byte offset of the first byte of each line
	lastLine   int   // index in lineStarts of the last position asked for
}

func newSource(text string) *source {
	s := &source{text: text, lineStarts: make([]int, 1, 64)}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	return s
}

// pos returns the position of byte offset off. Positions are mostly asked
// for in source order, so the line of the previous one is tried first.
func (s *source) pos(off int) ast.Pos {
	off = max(0, min(off, len(s.text)))
	line := s.lastLine
	if line >= len(s.lineStarts) || s.lineStarts[line] > off || (line+1 < len(s.lineStarts) && s.lineStarts[line+1] <= off) {
		line = sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off }) - 1
		s.lastLine = line
	}
	return ast.Pos{Offset: off, Line: line + 1, Col: off - s.lineStarts[line] + 1}
}

// tokenStart and tokenEnd are the byte offsets of the first byte of t and
// of the byte just after it. A token ANTLR conjured up while recovering
// from an error is not in the input: it gets the place of the token it was
// inserted before, from its line and column.
func (s *source) tokenStart(t antlr.Token) int {
	if st, ok := t.(*scanToken); ok {
		return int(st.off)
	}
	return s.lineColumnOffset(t.GetLine(), t.GetColumn())
}

func (s *source) tokenEnd(t antlr.Token) int {
	if st, ok := t.(*scanToken); ok {
		return int(st.end)
	}
	return s.tokenStart(t)
}

// lineColumnOffset converts ANTLR's 1-based line and 0-based rune column.
func (s *source) lineColumnOffset(line, column int) int {
	if line < 1 || line > len(s.lineStarts) {
		return len(s.text)
	}
	off := s.lineStarts[line-1]
	for ; column > 0 && off < len(s.text) && s.text[off] != '\n'; column-- {
		_, w := utf8.DecodeRuneInString(s.text[off:])
		off += w
	}
	return off
}

func (s *source) tokenPos(t antlr.Token) ast.Pos    { return s.pos(s.tokenStart(t)) }
func (s *source) tokenEndPos(t antlr.Token) ast.Pos { return s.pos(s.tokenEnd(t)) }

// tokenText is the source text of t, byte for byte; "" for EOF and for
// tokens ANTLR made up.
func (s *source) tokenText(t antlr.Token) string {
	if st, ok := t.(*scanToken); ok {
		return s.text[st.off:st.end]
	}
	return ""
}
