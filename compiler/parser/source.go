package parser

import (
	"sort"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/compiler/ast"
)

// source maps ANTLR's token positions, which count runes, to the byte
// positions of the AST (ast.Pos: byte offset, 1-based line, 1-based byte
// column).
type source struct {
	text       string
	lineStarts []int // byte offset of the first byte of each line
	runeOffs   []int // byte offset of each rune index (and of the end); nil when text is ASCII
}

func newSource(text string) *source {
	s := &source{text: text, lineStarts: make([]int, 1, 64)}
	ascii := true
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		} else if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii {
		// One entry per rune as []rune(text) counts them: an invalid byte
		// is one rune (U+FFFD) of width 1, exactly as range yields it.
		s.runeOffs = make([]int, 0, len(text)+1)
		for i := range text {
			s.runeOffs = append(s.runeOffs, i)
		}
		s.runeOffs = append(s.runeOffs, len(text))
	}
	return s
}

// byteOffset converts a rune index of ANTLR's input stream to a byte offset.
func (s *source) byteOffset(runeIndex int) int {
	if runeIndex < 0 {
		return 0
	}
	if s.runeOffs == nil {
		return min(runeIndex, len(s.text))
	}
	if runeIndex >= len(s.runeOffs) {
		return len(s.text)
	}
	return s.runeOffs[runeIndex]
}

// pos returns the position of byte offset off.
func (s *source) pos(off int) ast.Pos {
	off = max(0, min(off, len(s.text)))
	line := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off }) - 1
	return ast.Pos{Offset: off, Line: line + 1, Col: off - s.lineStarts[line] + 1}
}

// tokenStart and tokenEnd are the byte offsets of the first byte of t and
// of the byte just after it. A token ANTLR conjured up while recovering
// from an error has no place in the input: it gets the place of the token
// it was inserted before, as reported by its line and column.
func (s *source) tokenStart(t antlr.Token) int {
	if t.GetStart() < 0 {
		return s.lineColumnOffset(t.GetLine(), t.GetColumn())
	}
	return s.byteOffset(t.GetStart())
}

func (s *source) tokenEnd(t antlr.Token) int {
	if t.GetStart() < 0 || t.GetTokenType() == antlr.TokenEOF {
		return s.tokenStart(t)
	}
	return s.byteOffset(t.GetStop() + 1)
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

// tokenText is the source text of t, byte for byte (ANTLR's own text
// would turn invalid UTF-8 into U+FFFD).
func (s *source) tokenText(t antlr.Token) string {
	if t.GetStart() < 0 || t.GetTokenType() == antlr.TokenEOF {
		return ""
	}
	return s.text[s.tokenStart(t):s.tokenEnd(t)]
}
