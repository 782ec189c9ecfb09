// This file is written by hand (it is not generated): it gives the
// generated lexer the one piece of state TICKscript's lexical grammar needs.

package gen

import "github.com/antlr4-go/antlr/v4"

// NextToken returns the next token, remembering the type of the last token
// on the default channel so that regexAllowed can tell a regex from a
// division (spec/language.md §2.6).
func (l *TICKscriptLexer) NextToken() antlr.Token {
	t := l.BaseLexer.NextToken()
	if t.GetChannel() == antlr.TokenDefaultChannel {
		l.lastTokenType = t.GetTokenType()
	}
	return t
}

// regexAllowed reports whether `/` starts a regex here: only where an
// operand may start, that is not right after an operand (an identifier,
// literal, reference or `)`), where `/` divides.
func (l *TICKscriptLexer) regexAllowed() bool {
	switch l.lastTokenType {
	case TICKscriptLexerIDENT, TICKscriptLexerNUMBER, TICKscriptLexerDURATION,
		TICKscriptLexerSTRING, TICKscriptLexerTRIPLE_STRING, TICKscriptLexerREFERENCE,
		TICKscriptLexerTRUE, TICKscriptLexerFALSE, TICKscriptLexerRPAREN:
		return false
	}
	return true
}
