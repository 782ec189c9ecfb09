package parser

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/compiler/ast"
)

// literal decodes a literal token. A value that does not decode (an
// out-of-range number, a bad regex) is reported, and the literal is still
// returned so the tree keeps its shape.
func (b *builder) literal(t antlr.Token) ast.Expr {
	pos := b.src.tokenPos(t)
	raw := b.src.tokenText(t)
	switch t.GetTokenType() {
	case tNUMBER:
		n := &ast.NumberLit{ValuePos: pos, Raw: raw}
		if err := decodeNumber(n); err != nil {
			b.errorNode(n, err.Error())
		}
		return n
	case tDURATION:
		d := &ast.DurationLit{ValuePos: pos, Raw: raw}
		v, err := decodeDuration(raw)
		if err != nil {
			b.errorNode(d, err.Error())
		}
		d.Value = v
		return d
	case tSTRING:
		return &ast.StringLit{ValuePos: pos, Raw: raw, Value: unquote(raw, '\'')}
	case tTRIPLE:
		return &ast.StringLit{ValuePos: pos, Raw: raw, Value: raw[3 : len(raw)-3], Triple: true}
	case tTRUE, tFALSE:
		return &ast.BoolLit{ValuePos: pos, Value: t.GetTokenType() == tTRUE}
	case tREGEX:
		r := &ast.RegexLit{ValuePos: pos, Raw: raw, Pattern: unquote(raw, '/')}
		if _, err := regexp.Compile(r.Pattern); err != nil {
			b.errorNode(r, err.Error())
		}
		return r
	case tREFERENCE:
		return b.reference(t)
	}
	return nil
}

// unquote strips the delimiters q of raw and resolves the only escape
// there is, backslash + q.
func unquote(raw string, q byte) string {
	if len(raw) < 2 {
		return ""
	}
	body := raw[1 : len(raw)-1]
	esc := string([]byte{'\\', q})
	if !strings.Contains(body, esc) {
		return body
	}
	return strings.ReplaceAll(body, esc, string(q))
}

// decodeNumber sets the value of a number literal: a float when it has a
// decimal point, otherwise an int64, octal when it starts with 0.
func decodeNumber(n *ast.NumberLit) error {
	if strings.IndexByte(n.Raw, '.') >= 0 {
		f, err := strconv.ParseFloat(n.Raw, 64)
		if err != nil || math.IsInf(f, 0) {
			return fmt.Errorf("float %s is out of range", n.Raw)
		}
		n.Float = f
		return nil
	}
	n.IsInt = true
	base := 10
	if len(n.Raw) > 1 && n.Raw[0] == '0' {
		base = 8
	}
	v, err := strconv.ParseInt(n.Raw, base, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return fmt.Errorf("integer %s is out of range (the largest is %d)", n.Raw, int64(math.MaxInt64))
	case err != nil && base == 8:
		return fmt.Errorf("illegal number syntax: %q (a leading 0 makes an octal number, with digits 0-7)", n.Raw)
	case err != nil:
		return fmt.Errorf("illegal number syntax: %q", n.Raw)
	}
	n.Int = v
	return nil
}

var durationUnits = map[string]time.Duration{
	"u": time.Microsecond, "µ": time.Microsecond, "μ": time.Microsecond,
	"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
	"d": 24 * time.Hour, "w": 7 * 24 * time.Hour,
}

// decodeDuration converts `10s` (decimal digits and one unit) to
// nanoseconds.
func decodeDuration(raw string) (time.Duration, error) {
	i := 0
	for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
		i++
	}
	unit, ok := durationUnits[raw[i:]]
	if i == 0 || !ok {
		return 0, fmt.Errorf("invalid duration %q", raw)
	}
	n, err := strconv.ParseInt(raw[:i], 10, 64)
	if err != nil || n > math.MaxInt64/int64(unit) {
		return 0, fmt.Errorf("duration %s is out of range", raw)
	}
	return time.Duration(n) * unit, nil
}
