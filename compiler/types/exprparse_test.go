package types

// A small parser for lambda bodies and operator expressions, only for
// these tests, so that they do not depend on compiler/parser. It covers
// the OperatorExpr grammar of language.md §3 and records positions as the
// real parser does.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tickc/tickc/compiler/ast"
)

type tparser struct {
	src  string
	off  int
	line int
	col  int
}

func parseExpr(src string) (x ast.Expr, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	p := &tparser{src: src, line: 1, col: 1}
	x = p.binary(1)
	p.space()
	if p.off < len(p.src) {
		panic(fmt.Sprintf("trailing input at %d:%d: %q", p.line, p.col, p.src[p.off:]))
	}
	return x, nil
}

func (p *tparser) pos() ast.Pos { return ast.Pos{Offset: p.off, Line: p.line, Col: p.col} }

func (p *tparser) advance(n int) {
	for i := 0; i < n; i++ {
		if p.src[p.off] == '\n' {
			p.line++
			p.col = 1
		} else {
			p.col++
		}
		p.off++
	}
}

func (p *tparser) space() {
	for p.off < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.off:])
		if !unicode.IsSpace(r) {
			return
		}
		p.advance(n)
	}
}

func (p *tparser) peek(s string) bool { return strings.HasPrefix(p.src[p.off:], s) }

var binOps = []struct {
	text string
	op   ast.Op
}{
	// Longest first.
	{"==", ast.OpEq}, {"!=", ast.OpNeq}, {"<=", ast.OpLte}, {">=", ast.OpGte},
	{"=~", ast.OpRegexEq}, {"!~", ast.OpRegexNeq}, {"AND", ast.OpAnd}, {"OR", ast.OpOr},
	{"+", ast.OpAdd}, {"-", ast.OpSub}, {"*", ast.OpMul}, {"/", ast.OpDiv}, {"%", ast.OpMod},
	{"<", ast.OpLt}, {">", ast.OpGt},
}

func (p *tparser) binOp() (ast.Op, int, bool) {
	p.space()
	for _, o := range binOps {
		if p.peek(o.text) {
			return o.op, len(o.text), true
		}
	}
	return 0, 0, false
}

// binary is precedence climbing; all binary operators are left-associative.
func (p *tparser) binary(minPrec int) ast.Expr {
	x := p.unary()
	for {
		op, n, ok := p.binOp()
		if !ok || op.Precedence() < minPrec {
			return x
		}
		opPos := p.pos()
		p.advance(n)
		y := p.binary(op.Precedence() + 1)
		x = &ast.BinaryExpr{X: x, OpPos: opPos, Op: op, Y: y}
	}
}

func (p *tparser) unary() ast.Expr {
	p.space()
	if p.peek("-") || p.peek("!") {
		op := ast.OpNeg
		if p.peek("!") {
			op = ast.OpNot
		}
		at := p.pos()
		p.advance(1)
		return &ast.UnaryExpr{OpPos: at, Op: op, X: p.unary()}
	}
	return p.primary()
}

func (p *tparser) primary() ast.Expr {
	p.space()
	at := p.pos()
	if p.off >= len(p.src) {
		panic("unexpected end of input")
	}
	c := p.src[p.off]
	switch {
	case c == '(':
		p.advance(1)
		x := p.binary(1)
		p.space()
		if !p.peek(")") {
			panic(fmt.Sprintf("want ) at %v", p.pos()))
		}
		r := p.pos()
		p.advance(1)
		return &ast.ParenExpr{Lparen: at, X: x, Rparen: r}
	case c == '*':
		p.advance(1)
		return &ast.StarLit{Star: at}
	case c == '"':
		raw, val := p.quoted('"')
		return &ast.Reference{ValuePos: at, Raw: raw, Name: val}
	case c == '\'':
		if p.peek("'''") {
			end := strings.Index(p.src[p.off+3:], "'''")
			raw := p.src[p.off : p.off+3+end+3]
			p.advance(len(raw))
			return &ast.StringLit{ValuePos: at, Raw: raw, Value: raw[3 : len(raw)-3], Triple: true}
		}
		raw, val := p.quoted('\'')
		return &ast.StringLit{ValuePos: at, Raw: raw, Value: val}
	case c == '/':
		raw, val := p.quoted('/')
		return &ast.RegexLit{ValuePos: at, Raw: raw, Pattern: val}
	case c >= '0' && c <= '9' || c == '.':
		return p.number(at)
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.off:])
	if !unicode.IsLetter(r) {
		panic(fmt.Sprintf("unexpected %q at %v", r, at))
	}
	start := p.off
	for p.off < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.off:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			break
		}
		p.advance(n)
	}
	name := p.src[start:p.off]
	switch name {
	case "TRUE", "FALSE":
		return &ast.BoolLit{ValuePos: at, Value: name == "TRUE"}
	}
	id := &ast.Ident{NamePos: at, Name: name}
	if !p.peek("(") {
		return id
	}
	call := &ast.CallExpr{Fun: id, Lparen: p.pos()}
	p.advance(1)
	for {
		p.space()
		if p.peek(")") {
			break
		}
		call.Args = append(call.Args, p.binary(1))
		p.space()
		if p.peek(",") {
			p.advance(1)
		}
	}
	call.Rparen = p.pos()
	p.advance(1)
	return call
}

// quoted reads a q-delimited token where only \q is an escape.
func (p *tparser) quoted(q byte) (raw, val string) {
	start := p.off
	p.advance(1)
	var b strings.Builder
	for {
		if p.off >= len(p.src) {
			panic("unterminated")
		}
		c := p.src[p.off]
		if c == '\\' && p.off+1 < len(p.src) && p.src[p.off+1] == q {
			b.WriteByte(q)
			p.advance(2)
			continue
		}
		p.advance(1)
		if c == q {
			return p.src[start:p.off], b.String()
		}
		b.WriteByte(c)
	}
}

var units = []struct {
	s string
	d time.Duration
}{{"ms", time.Millisecond}, {"u", time.Microsecond}, {"µ", time.Microsecond}, {"s", time.Second},
	{"m", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}}

func (p *tparser) number(at ast.Pos) ast.Expr {
	start := p.off
	for p.off < len(p.src) && (p.src[p.off] >= '0' && p.src[p.off] <= '9' || p.src[p.off] == '.') {
		p.advance(1)
	}
	raw := p.src[start:p.off]
	for _, u := range units {
		if p.peek(u.s) {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				panic(err)
			}
			p.advance(len(u.s))
			return &ast.DurationLit{ValuePos: at, Raw: p.src[start:p.off], Value: time.Duration(n) * u.d}
		}
	}
	if strings.Contains(raw, ".") {
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			panic(err)
		}
		return &ast.NumberLit{ValuePos: at, Raw: raw, Float: f}
	}
	n, err := strconv.ParseInt(raw, 0, 64) // base 0: a leading 0 is octal
	if err != nil {
		panic(err)
	}
	return &ast.NumberLit{ValuePos: at, Raw: raw, IsInt: true, Int: n}
}
