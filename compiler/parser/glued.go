package parser

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/antlr4-go/antlr/v4"
)

// A number glued to letters or digits that cannot continue it lexes as
// several tokens: 1.5s is the number 1.5 and the name s, 1h30m the
// durations 1h and 30m, 8e9 the number 8 and the name e9. The parser then
// fails on the second token with a puzzling "unexpected identifier"; these
// functions word the real mistake, about the whole glued run.

// gluedError reports whether tok is glued (no space between) to a number or
// a duration before it. If so, msg is the error for the whole run of glued
// tokens from first to last, or "" when tok is not the second token of the
// run (the error was given at the second already).
func (b *builder) gluedError(tok antlr.Token) (msg string, first, last antlr.Token, glued bool) {
	if !isGluable(tok.GetTokenType()) {
		return "", nil, nil, false
	}
	first = tok
	second := tok
	for {
		prev := b.prevToken(first)
		if prev == nil || !isGluable(prev.GetTokenType()) || b.src.tokenEnd(prev) != b.src.tokenStart(first) {
			break
		}
		first, second = prev, first
	}
	if first == tok || (first.GetTokenType() != tNUMBER && first.GetTokenType() != tDURATION) {
		return "", nil, nil, false
	}
	if second != tok {
		return "", first, tok, true
	}
	last = tok
	for {
		next := b.nextToken(last)
		if next == nil || !isGluable(next.GetTokenType()) || b.src.tokenEnd(last) != b.src.tokenStart(next) {
			break
		}
		last = next
	}
	text := b.src.text[b.src.tokenStart(first):b.src.tokenEnd(last)]
	return gluedMessage(text, first.GetTokenType()), first, last, true
}

func isGluable(typ int) bool {
	return typ == tNUMBER || typ == tDURATION || typ == tIDENT
}

// gluedMessage words the error for the glued text, which starts with a
// token of type firstType.
func gluedMessage(text string, firstType int) string {
	if parts, ok := durationParts(text); ok {
		suggestion := ""
		if s, ok := singleUnit(parts); ok {
			suggestion = fmt.Sprintf(" (%s, not %s)", s, text)
		}
		if len(parts) > 1 {
			return fmt.Sprintf("invalid duration %q: a duration has a single unit%s", text, suggestion)
		}
		return fmt.Sprintf("invalid duration %q: a duration is a whole number of units%s", text, suggestion)
	}
	digits := strings.TrimLeft(text, "0123456789.")
	if len(digits) < len(text) && (strings.HasPrefix(digits, "e") || strings.HasPrefix(digits, "E")) {
		return fmt.Sprintf("invalid number %q: numbers have no exponent form", text)
	}
	if firstType == tDURATION || !strings.Contains(text[:len(text)-len(digits)], ".") {
		return fmt.Sprintf("invalid duration %q: units are u, ms, s, m, h, d and w", text)
	}
	return fmt.Sprintf("invalid number %q", text)
}

// durationPart is one number-and-unit of a glued duration, as 1.5 and s.
type durationPart struct {
	value *big.Rat
	unit  int64 // nanoseconds
}

// durationUnitsDesc are the units from the largest, in nanoseconds.
var durationUnitsDesc = []struct {
	name string
	ns   int64
}{
	{"w", 7 * 24 * 3600e9}, {"d", 24 * 3600e9}, {"h", 3600e9}, {"m", 60e9}, {"s", 1e9}, {"ms", 1e6}, {"u", 1e3},
}

// durationParts splits text such as 1h30m or 1.5s into numbers and units.
func durationParts(text string) ([]durationPart, bool) {
	var parts []durationPart
	for text != "" {
		n := len(text) - len(strings.TrimLeft(text, "0123456789."))
		if n == 0 || strings.Count(text[:n], ".") > 1 {
			return nil, false
		}
		v, ok := new(big.Rat).SetString(text[:n])
		if !ok {
			return nil, false
		}
		text = text[n:]
		var unit string
		for _, u := range []string{"ms", "u", "µ", "μ", "s", "m", "h", "d", "w"} {
			if strings.HasPrefix(text, u) {
				unit = u
				break
			}
		}
		if unit == "" {
			return nil, false
		}
		text = text[len(unit):]
		parts = append(parts, durationPart{value: v, unit: int64(durationUnits[unit])})
	}
	return parts, len(parts) > 0
}

// singleUnit writes the sum of parts with the largest unit that makes it a
// whole number, as 90m for 1h30m; false when even microseconds do not.
func singleUnit(parts []durationPart) (string, bool) {
	total := new(big.Rat)
	for _, p := range parts {
		total.Add(total, new(big.Rat).Mul(p.value, new(big.Rat).SetInt64(p.unit)))
	}
	for _, u := range durationUnitsDesc {
		q := new(big.Rat).Quo(total, new(big.Rat).SetInt64(u.ns))
		if q.IsInt() && q.Num().IsInt64() {
			return fmt.Sprintf("%d%s", q.Num().Int64(), u.name), true
		}
	}
	return "", false
}
