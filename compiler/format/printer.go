package format

import (
	"math"
	"strconv"
	"strings"

	"github.com/tickc/tickc/compiler/ast"
)

// indentUnit is one level of indentation.
const indentUnit = "    "

// space is the whitespace owed before the next token. It is kept pending
// rather than written at once, so that a comment arriving in between can
// turn a space into a line break.
type space int

const (
	spaceNone    space = iota // tokens touch: `f(`, `.name`
	spaceBlank                // one space: `a + b`
	spaceNewline              // a line break, then indentation
)

// printer writes one statement. It prints the tokens of the AST in source
// order and, before each token, every comment of the statement that comes
// before that token in the source. A comment that shared its line with the
// previous token stays at the end of that line; any other comment gets a
// line of its own. Either way the next token starts a new line, because a
// `//` comment runs to the end of its line.
type printer struct {
	src      []byte
	out      strings.Builder
	comments []*ast.Comment // the comments this printer places, in source order
	next     int            // index of the first comment not yet written

	last ast.Pos // source position just after the last token or comment written

	pending       space
	pendingIndent int // indentation level of the line a pending newline starts

	indent int // indentation level of the structural line being written
	cont   int // indentation level of a continuation line (a break inside an expression)

	chainDepth    int // how many chains are being printed; 1 for a top-level chain
	lastLinkLevel int // indentation level of the last link of the outermost chain
}

func newPrinter(src []byte, comments []*ast.Comment) *printer {
	return &printer{src: src, comments: comments, cont: 1}
}

// ---------------------------------------------------------------------------
// Whitespace, tokens and comments

// blank asks for at least one space before the next token.
func (p *printer) blank() {
	if p.pending < spaceBlank {
		p.pending = spaceBlank
	}
}

// newline asks for the next token to start a new line at level.
func (p *printer) newline(level int) {
	p.pending = spaceNewline
	p.pendingIndent = level
}

// writePending writes the whitespace owed before the next token.
func (p *printer) writePending() {
	switch p.pending {
	case spaceBlank:
		p.out.WriteByte(' ')
	case spaceNewline:
		if p.out.Len() > 0 {
			p.out.WriteByte('\n')
		}
		p.out.WriteString(strings.Repeat(indentUnit, p.pendingIndent))
	}
	p.pending = spaceNone
}

// token writes text, which starts at pos in the source, after the comments
// that precede it.
func (p *printer) token(pos ast.Pos, text string) {
	p.flushBefore(pos.Offset)
	p.writePending()
	p.out.WriteString(text)
	if pos.IsValid() {
		p.last = endOf(pos, text)
	}
}

// punct writes a token the AST keeps no position for (`,` `=` `.`).
func (p *printer) punct(text string) {
	p.writePending()
	p.out.WriteString(text)
}

// flushBefore writes every pending comment that starts before offset.
func (p *printer) flushBefore(offset int) {
	for p.next < len(p.comments) && p.comments[p.next].Start.Offset < offset {
		p.comment(p.comments[p.next])
		p.next++
	}
}

// flushAll writes the comments left over after the last token.
func (p *printer) flushAll() { p.flushBefore(math.MaxInt) }

func (p *printer) comment(c *ast.Comment) {
	text := commentText(c)
	if p.out.Len() > 0 && p.last.IsValid() && c.Start.Line == p.last.Line {
		// A trailing comment: it stays at the end of the line it was on.
		p.out.WriteByte(' ')
		p.out.WriteString(text)
		if p.pending != spaceNewline {
			p.newline(p.cont)
		}
	} else {
		// A comment on its own line goes where the next token would go;
		// if that was on the same line, the token moves to a continuation
		// line below the comment.
		if p.pending != spaceNewline {
			p.newline(p.cont)
		}
		level := p.pendingIndent
		p.writePending()
		p.out.WriteString(text)
		p.newline(level)
	}
	p.last = endOf(c.Start, c.Text)
}

// commentText is the comment as it is printed: its text without trailing
// white space (a CR of a CRLF line ending included).
func commentText(c *ast.Comment) string {
	return strings.TrimRight(c.Text, " \t\r\v\f")
}

// endOf returns the source position just after text starting at pos.
func endOf(pos ast.Pos, text string) ast.Pos {
	for i := 0; i < len(text); i++ {
		pos.Offset++
		if text[i] == '\n' {
			pos.Line++
			pos.Col = 1
		} else {
			pos.Col++
		}
	}
	return pos
}

// ---------------------------------------------------------------------------
// Statements

func (p *printer) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.DbrpStmt:
		p.token(s.Dbrp, "dbrp")
		p.blank()
		p.expr(s.DB)
		p.punct(".")
		p.expr(s.RP)
	case *ast.TypeDecl:
		p.token(s.Var, "var")
		p.blank()
		p.expr(s.Name)
		p.blank()
		p.expr(s.Type)
	case *ast.VarDecl:
		p.token(s.Var, "var")
		p.blank()
		p.expr(s.Name)
		p.blank()
		p.punct("=")
		p.blank()
		p.expr(s.Value)
	case *ast.ExprStmt:
		p.expr(s.X)
	case *ast.BadStmt:
		p.token(s.From, p.sourceText(s.From, s.To))
	}
}

// sourceText returns the source between two positions, for the parts of a
// tree the parser could not make sense of.
func (p *printer) sourceText(from, to ast.Pos) string {
	if from.Offset < 0 || to.Offset > len(p.src) || from.Offset > to.Offset {
		return ""
	}
	return strings.TrimSpace(string(p.src[from.Offset:to.Offset]))
}

// ---------------------------------------------------------------------------
// Expressions

func (p *printer) expr(x ast.Expr) {
	switch x := x.(type) {
	case nil:
	case *ast.Ident:
		if x != nil {
			p.token(x.NamePos, x.Name)
		}
	case *ast.NumberLit:
		p.token(x.ValuePos, numberText(x))
	case *ast.DurationLit:
		p.token(x.ValuePos, durationText(x))
	case *ast.StringLit:
		p.token(x.ValuePos, stringText(x))
	case *ast.BoolLit:
		if x.Value {
			p.token(x.ValuePos, "TRUE")
		} else {
			p.token(x.ValuePos, "FALSE")
		}
	case *ast.RegexLit:
		p.token(x.ValuePos, regexText(x))
	case *ast.StarLit:
		p.token(x.Star, "*")
	case *ast.Reference:
		if x != nil {
			p.token(x.ValuePos, referenceText(x))
		}
	case *ast.ListLit:
		p.token(x.Lbrack, "[")
		for i, item := range x.Items {
			if i > 0 {
				p.punct(",")
				p.blank()
			}
			p.expr(item)
		}
		p.token(x.Rbrack, "]")
	case *ast.LambdaExpr:
		p.token(x.Lambda, "lambda:")
		p.blank()
		p.expr(x.Body)
	case *ast.UnaryExpr:
		p.token(x.OpPos, x.Op.String())
		if inner, ok := x.X.(*ast.UnaryExpr); ok && inner != nil && x.Op == ast.OpNeg && inner.Op == ast.OpNeg {
			p.blank() // `- -1`, not `--1`
		}
		p.expr(x.X)
	case *ast.BinaryExpr:
		p.binary(x)
	case *ast.ParenExpr:
		p.token(x.Lparen, "(")
		p.expr(x.X)
		p.token(x.Rparen, ")")
	case *ast.CallExpr:
		p.expr(x.Fun)
		p.args(x.Lparen, x.Args, x.Rparen)
	case *ast.ChainExpr:
		p.chain(x)
	case *ast.BadExpr:
		p.token(x.From, p.sourceText(x.From, x.To))
	}
}

// lineBreak says where a binary expression was broken across lines.
type lineBreak int

const (
	breakNone   lineBreak = iota
	breakBefore           // the operator starts the continuation line
	breakAfter            // the operator ends the line
)

// binaryBreak reports where the user broke an AND/OR across lines. The
// formatter keeps such a break (long conditions are easier to read one
// operand a line) and drops every other line break inside expressions.
func binaryBreak(x *ast.BinaryExpr) lineBreak {
	if !x.Op.IsLogical() || x.X == nil || x.Y == nil || !x.OpPos.IsValid() {
		return breakNone
	}
	switch {
	case x.OpPos.Line > x.X.End().Line:
		return breakBefore
	case x.Y.Pos().Line > x.OpPos.Line:
		return breakAfter
	}
	return breakNone
}

func (p *printer) binary(x *ast.BinaryExpr) {
	brk := binaryBreak(x)
	p.expr(x.X)
	if brk == breakBefore {
		p.newline(p.cont)
	} else {
		p.blank()
	}
	p.token(x.OpPos, x.Op.String())
	if brk == breakAfter {
		p.newline(p.cont)
	} else {
		p.blank()
	}
	p.expr(x.Y)
}

// args writes a parenthesised argument list. Arguments share the line,
// separated by `, `, unless there are several and one of them is a chain
// laid out over lines: then each argument gets a line of its own.
func (p *printer) args(lparen ast.Pos, args []ast.Expr, rparen ast.Pos) {
	p.token(lparen, "(")
	onePerLine := false
	if len(args) > 1 {
		for _, a := range args {
			if isVerticalChain(a) {
				onePerLine = true
			}
		}
	}
	level, cont := p.indent, p.cont
	// Arguments are one level deeper than the line of the call: a chain
	// argument indents its links from there, and a break inside an
	// argument continues there.
	p.indent, p.cont = level+1, level+1
	for i, a := range args {
		if i > 0 {
			p.punct(",")
			p.blank()
		}
		if onePerLine {
			p.newline(p.indent)
		}
		p.expr(a)
	}
	// A closing paren pushed onto a line of its own by a comment lines up
	// with the line of the call.
	p.indent, p.cont = level, level
	if onePerLine {
		p.newline(level)
	}
	p.token(rparen, ")")
	p.cont = cont
}

// chainLinks unfolds the left-nested links of a chain into source order.
func chainLinks(c *ast.ChainExpr) (root ast.Expr, links []*ast.ChainExpr) {
	var x ast.Expr = c
	for {
		l, ok := x.(*ast.ChainExpr)
		if !ok || l == nil {
			break
		}
		links = append(links, l)
		x = l.Left
	}
	for i, j := 0, len(links)-1; i < j; i, j = i+1, j-1 {
		links[i], links[j] = links[j], links[i]
	}
	return x, links
}

// isVerticalChain reports whether x is a chain printed one link a line: any
// chain except a bare property read such as `w.period`.
func isVerticalChain(x ast.Expr) bool {
	c, ok := x.(*ast.ChainExpr)
	if !ok || c == nil {
		return false
	}
	_, links := chainLinks(c)
	for _, l := range links {
		if l.Call || l.Op != ast.ChainDot {
			return true
		}
	}
	return false
}

// chain writes the root where it stands and then each link on a line of
// its own: `|node()` and `@udf()` one level deeper than the line the root
// is on, `.property()` two levels deeper.
func (p *printer) chain(c *ast.ChainExpr) {
	root, links := chainLinks(c)
	p.expr(root)
	if !isVerticalChain(c) {
		for _, l := range links {
			p.token(l.OpPos, l.Op.String())
			p.expr(l.Name)
		}
		return
	}
	base, cont := p.indent, p.cont
	p.chainDepth++
	for _, l := range links {
		level := base + 1
		if l.Op == ast.ChainDot {
			level = base + 2
		}
		if p.chainDepth == 1 {
			p.lastLinkLevel = level
		}
		p.newline(level)
		p.indent, p.cont = level, level+1
		p.token(l.OpPos, l.Op.String())
		p.expr(l.Name)
		if l.Call {
			p.args(l.Lparen, l.Args, l.Rparen)
		}
	}
	p.chainDepth--
	p.indent, p.cont = base, cont
}

// ---------------------------------------------------------------------------
// Literal spellings. The parser keeps every literal as written; the value
// is only a fallback for trees built by hand.

func numberText(x *ast.NumberLit) string {
	if x.Raw != "" {
		return x.Raw
	}
	if x.IsInt {
		return strconv.FormatInt(x.Int, 10)
	}
	s := strconv.FormatFloat(x.Float, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func durationText(x *ast.DurationLit) string {
	if x.Raw != "" {
		return x.Raw
	}
	d := int64(x.Value)
	for _, u := range []struct {
		suffix string
		ns     int64
	}{{"w", 7 * 24 * 3600e9}, {"d", 24 * 3600e9}, {"h", 3600e9}, {"m", 60e9}, {"s", 1e9}, {"ms", 1e6}} {
		if d != 0 && d%u.ns == 0 {
			return strconv.FormatInt(d/u.ns, 10) + u.suffix
		}
	}
	return strconv.FormatInt(d/1e3, 10) + "u"
}

func stringText(x *ast.StringLit) string {
	if x.Raw != "" {
		return x.Raw
	}
	if x.Triple || strings.HasSuffix(x.Value, `\`) {
		return "'''" + x.Value + "'''"
	}
	return "'" + strings.ReplaceAll(x.Value, "'", `\'`) + "'"
}

func regexText(x *ast.RegexLit) string {
	if x.Raw != "" {
		return x.Raw
	}
	return "/" + strings.ReplaceAll(x.Pattern, "/", `\/`) + "/"
}

func referenceText(x *ast.Reference) string {
	if x.Raw != "" {
		return x.Raw
	}
	return `"` + strings.ReplaceAll(x.Name, `"`, `\"`) + `"`
}
