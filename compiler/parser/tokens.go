package parser

import (
	"fmt"
	"strings"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/grammar/gen"
)

// The ANTLR runtime allocates each token and grows its token list one
// append at a time; for a long script that garbage costs more than the
// parse. The scanner instead fills one slice of compact tokens, and
// tokenStream serves the parser the ones on the default channel (comments
// are collected apart), which also spares it the channel filtering.

// scanToken is an antlr.Token of the scanner.
// Its numbers are int32 to halve its size: a script of more than 2 GiB is
// not a concern.
type scanToken struct {
	typ, channel int32
	start, stop  int32 // rune indexes, as ANTLR counts them
	line, column int32 // 1-based line, 0-based rune column, as ANTLR counts them
	index        int32 // in the token stream; -1 for comments
	off, end     int32 // byte offsets of the first byte and just after the last
	hasText      bool
	text         string
	file         *tokenFile
}

// tokenFile is what the tokens of one source share.
type tokenFile struct {
	src string
	// lexer lends the token source and the token source pair ANTLR needs
	// when it makes up a missing token while recovering from an error; it
	// never lexes anything.
	lexer *gen.TICKscriptLexer
}

func (t *scanToken) GetSource() *antlr.TokenSourceCharStreamPair {
	return t.file.lexer.GetTokenSourceCharStreamPair()
}
func (t *scanToken) GetTokenType() int                 { return int(t.typ) }
func (t *scanToken) GetChannel() int                   { return int(t.channel) }
func (t *scanToken) GetStart() int                     { return int(t.start) }
func (t *scanToken) GetStop() int                      { return int(t.stop) }
func (t *scanToken) GetLine() int                      { return int(t.line) }
func (t *scanToken) GetColumn() int                    { return int(t.column) }
func (t *scanToken) GetTokenIndex() int                { return int(t.index) }
func (t *scanToken) SetTokenIndex(v int)               { t.index = int32(v) }
func (t *scanToken) GetTokenSource() antlr.TokenSource { return t.file.lexer }
func (t *scanToken) GetInputStream() antlr.CharStream  { return nil }

func (t *scanToken) GetText() string {
	if t.hasText {
		return t.text
	}
	if t.typ == antlr.TokenEOF {
		return "<EOF>"
	}
	return t.file.src[t.off:t.end]
}

func (t *scanToken) SetText(s string) { t.text, t.hasText = s, true }

func (t *scanToken) String() string {
	return fmt.Sprintf("[@%d,%d:%d=%q,<%d>,%d:%d]", t.index, t.start, t.stop, t.GetText(), t.typ, t.line, t.column)
}

// tokenStream is an antlr.TokenStream over the default-channel tokens of a
// file, the last one EOF.
type tokenStream struct {
	tokens []antlr.Token
	p      int
	file   *tokenFile
}

func newTokenStream(file *tokenFile, all []scanToken) *tokenStream {
	ts := &tokenStream{file: file, tokens: make([]antlr.Token, 0, len(all))}
	for i := range all {
		if t := &all[i]; t.channel == antlr.TokenDefaultChannel {
			t.index = int32(len(ts.tokens))
			ts.tokens = append(ts.tokens, t)
		}
	}
	return ts
}

func (s *tokenStream) Consume() {
	if s.p < len(s.tokens)-1 {
		s.p++
	}
}

func (s *tokenStream) LA(i int) int {
	if t := s.LT(i); t != nil {
		return t.GetTokenType()
	}
	return antlr.TokenInvalidType
}

func (s *tokenStream) LT(k int) antlr.Token {
	switch {
	case k == 0:
		return nil
	case k < 0:
		if s.p+k < 0 {
			return nil
		}
		return s.tokens[s.p+k]
	}
	return s.tokens[min(s.p+k-1, len(s.tokens)-1)]
}

func (s *tokenStream) Mark() int             { return 0 }
func (s *tokenStream) Release(int)           {}
func (s *tokenStream) Index() int            { return s.p }
func (s *tokenStream) Seek(i int)            { s.p = max(0, min(i, len(s.tokens)-1)) }
func (s *tokenStream) Size() int             { return len(s.tokens) }
func (s *tokenStream) GetSourceName() string { return "tickscript" }
func (s *tokenStream) Reset()                { s.p = 0 }

func (s *tokenStream) Get(i int) antlr.Token             { return s.tokens[max(0, min(i, len(s.tokens)-1))] }
func (s *tokenStream) GetTokenSource() antlr.TokenSource { return s.file.lexer }
func (s *tokenStream) SetTokenSource(antlr.TokenSource)  {}

func (s *tokenStream) GetAllText() string {
	return s.GetTextFromInterval(antlr.NewInterval(0, len(s.tokens)-1))
}

func (s *tokenStream) GetTextFromInterval(iv antlr.Interval) string {
	var b strings.Builder
	for i := max(0, iv.Start); i <= iv.Stop && i < len(s.tokens); i++ {
		if t := s.tokens[i]; t.GetTokenType() != antlr.TokenEOF {
			b.WriteString(t.GetText())
		}
	}
	return b.String()
}

func (s *tokenStream) GetTextFromRuleContext(ctx antlr.RuleContext) string {
	return s.GetTextFromInterval(ctx.GetSourceInterval())
}

func (s *tokenStream) GetTextFromTokens(start, end antlr.Token) string {
	if start == nil || end == nil {
		return ""
	}
	return s.GetTextFromInterval(antlr.NewInterval(start.GetTokenIndex(), end.GetTokenIndex()))
}
