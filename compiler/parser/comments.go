package parser

import (
	"strings"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/compiler/ast"
)

// comments returns every `//` comment of the source, in order.
func (b *builder) comments() []*ast.Comment {
	var out []*ast.Comment
	for _, t := range b.tokens {
		if t.GetTokenType() != tCOMMENT {
			continue
		}
		out = append(out, &ast.Comment{
			Start:  b.src.tokenPos(t),
			Text:   b.src.tokenText(t),
			EndPos: b.src.tokenEndPos(t),
		})
	}
	return out
}

// docComment returns the description of the var declared at varTok: the
// comment lines between the previous token and `var` (spec §2.1), each
// stripped of `//`, one following space and trailing spaces, joined with
// "\n". A comment trailing the previous token on its line belongs to that
// line, not to the declaration.
func (b *builder) docComment(varTok antlr.Token) string {
	i := varTok.GetTokenIndex()
	if i <= 0 || i > len(b.tokens) {
		return ""
	}
	first := i // index of the first comment of the block
	for first > 0 && b.tokens[first-1].GetTokenType() == tCOMMENT {
		first--
	}
	if first == i {
		return ""
	}
	if first > 0 {
		prevLine := b.src.pos(b.src.tokenEnd(b.tokens[first-1])).Line
		for first < i && b.src.tokenPos(b.tokens[first]).Line == prevLine {
			first++
		}
	}
	var lines []string
	for _, t := range b.tokens[first:i] {
		text := strings.TrimPrefix(b.src.tokenText(t), "//")
		text = strings.TrimPrefix(text, " ")
		lines = append(lines, strings.TrimRight(text, " \t\r"))
	}
	return strings.Join(lines, "\n")
}
