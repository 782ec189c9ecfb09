package parser

import (
	"unicode"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"
)

// scanner is a hand-written twin of the generated lexer: it produces the
// very same tokens (type, channel, rune start and stop, line and column) as
// gen.TICKscriptLexer, the lexer rules of grammar/TICKscript.g4, about ten
// times faster, because the ANTLR Go runtime spends a microsecond per token
// (a lock per character, a defer and a recover per token). The grammar stays
// the definition: lexer_test.go checks that both agree on the conformance
// scripts, on the lexical corner cases and under fuzzing (FuzzScanner).
//
// Letters and digits are Go's (unicode.IsLetter, unicode.Nd), as in
// Kapacitor; antlr-ng's Unicode tables may be newer.
type scanner struct {
	src  string
	file *tokenFile

	off  int // byte offset of the next rune
	idx  int // rune index of the next rune, as ANTLR counts
	line int // line of the next rune, 1-based
	col  int // rune column of the next rune, 0-based

	lastType int // type of the last token on the default channel
}

// scanAll returns every token of the file, comments included, the last one
// EOF.
func scanAll(file *tokenFile) []scanToken {
	s := &scanner{src: file.src, file: file, line: 1}
	toks := make([]scanToken, 0, len(file.src)/4+16) // scripts average more than 4 bytes a token
	for {
		toks = append(toks, s.next())
		if toks[len(toks)-1].typ == antlr.TokenEOF {
			return toks
		}
	}
}

// next returns the next token, skipping whitespace.
func (s *scanner) next() scanToken {
	for s.off < len(s.src) {
		if r, _ := s.runeAt(s.off); !isSpace(r) {
			break
		}
		s.advance()
	}
	t := scanToken{start: int32(s.idx), line: int32(s.line), column: int32(s.col), off: int32(s.off), index: -1, file: s.file}
	typ := antlr.TokenEOF
	if s.off < len(s.src) {
		r, _ := s.runeAt(s.off)
		typ = s.scan(r)
	}
	t.typ, t.stop, t.end = int32(typ), int32(s.idx-1), int32(s.off)
	switch typ {
	case tCOMMENT:
		t.channel = antlr.TokenHiddenChannel
	case antlr.TokenEOF:
	default:
		s.lastType = typ
	}
	return t
}

// runeAt returns the rune at byte offset off and its width, or -1 at the
// end. Invalid UTF-8 is one rune of width 1, as in ANTLR's []rune input.
func (s *scanner) runeAt(off int) (rune, int) {
	if off >= len(s.src) {
		return -1, 0
	}
	if c := s.src[off]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s.src[off:])
}

// byteAt returns the byte at off, or 0 past the end.
func (s *scanner) byteAt(off int) byte {
	if off >= len(s.src) {
		return 0
	}
	return s.src[off]
}

// advance moves past one rune, counting lines as ANTLR does (only \n).
func (s *scanner) advance() {
	r, w := s.runeAt(s.off)
	if w == 0 {
		return
	}
	s.off += w
	s.idx++
	if r == '\n' {
		s.line++
		s.col = 0
	} else {
		s.col++
	}
}

// advanceBytes moves past n ASCII bytes that are not newlines.
func (s *scanner) advanceBytes(n int) {
	s.off += n
	s.idx += n
	s.col += n
}

// scan consumes one token starting with rune r and returns its type.
func (s *scanner) scan(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return s.scanNumber()
	case r == '.':
		if c := s.byteAt(s.off + 1); c >= '0' && c <= '9' {
			return s.scanNumber()
		}
		s.advanceBytes(1)
		return tDOT
	case r == '\'':
		return s.scanQuote()
	case r == '"':
		s.advanceBytes(1)
		if s.scanBody('"') {
			return tREFERENCE
		}
		return tUntermRef
	case r == '/':
		if s.byteAt(s.off+1) == '/' {
			for s.off < len(s.src) && s.src[s.off] != '\n' && s.src[s.off] != '\r' {
				s.advance()
			}
			return tCOMMENT
		}
		s.advanceBytes(1)
		if !s.regexAllowed() {
			return tSLASH
		}
		if s.scanBody('/') {
			return tREGEX
		}
		return tUntermRe
	case unicode.IsLetter(r):
		return s.scanIdent()
	}
	if typ, n := operator(s.byteAt(s.off), s.byteAt(s.off+1)); n > 0 {
		s.advanceBytes(n)
		return typ
	}
	s.advance()
	return tErrorChar
}

// operator returns the operator or punctuation token starting with c, d
// and its length in bytes, or 0.
func operator(c, d byte) (int, int) {
	switch c {
	case '=':
		switch d {
		case '=':
			return tEQ, 2
		case '~':
			return tREGEXEQ, 2
		}
		return tASSIGN, 1
	case '!':
		switch d {
		case '=':
			return tNEQ, 2
		case '~':
			return tREGEXNEQ, 2
		}
		return tNOT, 1
	case '<':
		if d == '=' {
			return tLTE, 2
		}
		return tLT, 1
	case '>':
		if d == '=' {
			return tGTE, 2
		}
		return tGT, 1
	case '+':
		return tPLUS, 1
	case '-':
		return tMINUS, 1
	case '*':
		return tSTAR, 1
	case '%':
		return tPERCENT, 1
	case '(':
		return tLPAREN, 1
	case ')':
		return tRPAREN, 1
	case '[':
		return tLBRACK, 1
	case ']':
		return tRBRACK, 1
	case ',':
		return tCOMMA, 1
	case '|':
		return tPIPE, 1
	case '@':
		return tAT, 1
	}
	return 0, 0
}

// regexAllowed mirrors lexer_state.go: `/` starts a regex unless it follows
// an operand.
func (s *scanner) regexAllowed() bool {
	switch s.lastType {
	case tIDENT, tNUMBER, tDURATION, tSTRING, tTRIPLE, tREFERENCE, tTRUE, tFALSE, tRPAREN:
		return false
	}
	return true
}

// scanBody consumes the body and closing delimiter q of a string,
// reference or regex whose opening delimiter is consumed: a backslash run
// escapes the character after it (StrChar, RefChar, RegexChar). It reports
// false when the input ends first.
func (s *scanner) scanBody(q byte) bool {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch c {
		case q:
			s.advanceBytes(1)
			return true
		case '\\':
			for s.byteAt(s.off) == '\\' {
				s.advanceBytes(1)
			}
			if s.off < len(s.src) {
				s.advance() // the escaped character, whatever it is
			}
		default:
			s.advance()
		}
	}
	return false
}

// scanQuote consumes a single-quoted or a triple-quoted string.
func (s *scanner) scanQuote() int {
	if s.byteAt(s.off+1) == '\'' && s.byteAt(s.off+2) == '\'' {
		s.advanceBytes(3)
		for s.off < len(s.src) {
			if s.src[s.off] == '\'' && s.byteAt(s.off+1) == '\'' && s.byteAt(s.off+2) == '\'' {
				s.advanceBytes(3)
				return tTRIPLE
			}
			s.advance()
		}
		return tUntermTri
	}
	s.advanceBytes(1)
	if s.scanBody('\'') {
		return tSTRING
	}
	return tUntermStr
}

// scanNumber consumes an int, a float, a duration or a malformed number
// (NUMBER, DURATION, BAD_NUMBER).
func (s *scanner) scanNumber() int {
	digits := func() int {
		n := 0
		for c := s.byteAt(s.off); c >= '0' && c <= '9'; c = s.byteAt(s.off) {
			s.advanceBytes(1)
			n++
		}
		return n
	}
	if digits() > 0 {
		switch c := s.byteAt(s.off); c {
		case 'u', 's', 'h', 'd', 'w':
			s.advanceBytes(1)
			return tDURATION
		case 'm':
			if s.byteAt(s.off+1) == 's' {
				s.advanceBytes(2)
			} else {
				s.advanceBytes(1)
			}
			return tDURATION
		case '.':
		default:
			if r, _ := s.runeAt(s.off); r == 'µ' || r == 'μ' {
				s.advance()
				return tDURATION
			}
			return tNUMBER
		}
	}
	s.advanceBytes(1) // the decimal point
	digits()
	if s.byteAt(s.off) != '.' {
		return tNUMBER
	}
	for c := s.byteAt(s.off); c == '.' || (c >= '0' && c <= '9'); c = s.byteAt(s.off) {
		s.advanceBytes(1)
	}
	return tBadNumber
}

// scanIdent consumes a name or a keyword.
func (s *scanner) scanIdent() int {
	start := s.off
	s.advance()
	for {
		r, _ := s.runeAt(s.off)
		if r < 0 || !(unicode.IsLetter(r) || unicode.Is(unicode.Nd, r) || r == '_') {
			break
		}
		s.advance()
	}
	switch s.src[start:s.off] {
	case "dbrp":
		return tDBRP
	case "var":
		return tVAR
	case "TRUE":
		return tTRUE
	case "FALSE":
		return tFALSE
	case "AND":
		return tAND
	case "OR":
		return tOR
	case "lambda":
		if s.byteAt(s.off) == ':' {
			s.advanceBytes(1)
			return tLAMBDA
		}
	}
	return tIDENT
}

// isSpace is the WS rule: Go's unicode.IsSpace.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}
