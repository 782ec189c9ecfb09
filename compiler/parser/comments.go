package parser

import (
	"sort"
	"strings"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/compiler/ast"
)

// commentNodes returns every `//` comment of the source, in order.
func (b *builder) commentNodes() []*ast.Comment {
	out := make([]*ast.Comment, 0, len(b.comments))
	for _, t := range b.comments {
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
	from, prevLine := 0, 0
	if prev := b.prevToken(varTok); prev != nil {
		from = b.src.tokenEnd(prev)
		prevLine = b.src.pos(from).Line
	}
	to := b.src.tokenStart(varTok)
	first := sort.Search(len(b.comments), func(i int) bool { return int(b.comments[i].off) >= from })
	var lines []string
	for _, c := range b.comments[first:] {
		if int(c.off) >= to {
			break
		}
		if int(c.line) == prevLine {
			continue
		}
		text := strings.TrimPrefix(b.src.tokenText(c), "//")
		text = strings.TrimPrefix(text, " ")
		lines = append(lines, strings.TrimRight(text, " \t\r"))
	}
	return strings.Join(lines, "\n")
}
