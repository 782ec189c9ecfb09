package parser

import (
	"strings"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/grammar/gen"
)

// builder walks the parse tree into the AST. It never leaves a nil Expr in
// a node it returns: where the tree is incomplete after a syntax error it
// puts an *ast.BadExpr (or an *ast.BadStmt for a whole statement).
type builder struct {
	src      *source
	tokens   []antlr.Token // the parser's tokens: the default channel, indexed by GetTokenIndex
	comments []*scanToken
	diags    diag.List
}

// newBuilder takes the parser's tokens and all the scanner's tokens, for
// the comments.
func newBuilder(s *source, tokens []antlr.Token, all []scanToken) *builder {
	b := &builder{src: s, tokens: tokens}
	for i := range all {
		if all[i].typ == tCOMMENT {
			b.comments = append(b.comments, &all[i])
		}
	}
	return b
}

// finish adds the lexical errors and returns all diagnostics in source order.
func (b *builder) finish() diag.List {
	b.lexicalErrors()
	b.diags.Sort()
	return b.diags
}

// lexicalErrors reports each malformed token once; a run of adjacent
// invalid characters is one error.
func (b *builder) lexicalErrors() {
	for i, t := range b.tokens {
		if !isLexicalError(t.GetTokenType()) {
			continue
		}
		if t.GetTokenType() == tErrorChar && i > 0 {
			prev := b.tokens[i-1]
			if prev.GetTokenType() == tErrorChar && b.src.tokenEnd(prev) == b.src.tokenStart(t) {
				continue
			}
		}
		b.errorAt(t, b.lexicalMessage(t))
	}
}

func (b *builder) errorAt(t antlr.Token, msg string) {
	b.diags.Add(diag.Diagnostic{
		Pos: b.src.tokenPos(t), End: b.src.tokenEndPos(t),
		Severity: diag.Error, Code: CodeSyntax, Msg: msg,
	})
}

// errorSpan reports an error about the tokens from first to last.
func (b *builder) errorSpan(first, last antlr.Token, msg string) {
	b.diags.Add(diag.Diagnostic{
		Pos: b.src.tokenPos(first), End: b.src.tokenEndPos(last),
		Severity: diag.Error, Code: CodeSyntax, Msg: msg,
	})
}

func (b *builder) errorNode(n ast.Node, msg string) {
	b.diags.Add(diag.Diagnostic{Pos: n.Pos(), End: n.End(), Severity: diag.Error, Code: CodeSyntax, Msg: msg})
}

// prevToken returns the token before t, or nil (also for a token ANTLR
// made up, which has no index).
func (b *builder) prevToken(t antlr.Token) antlr.Token {
	if i := t.GetTokenIndex(); i > 0 && i <= len(b.tokens) {
		return b.tokens[i-1]
	}
	return nil
}

// nextToken returns the token after t, or nil.
func (b *builder) nextToken(t antlr.Token) antlr.Token {
	if i := t.GetTokenIndex(); i >= 0 && i+1 < len(b.tokens) {
		return b.tokens[i+1]
	}
	return nil
}

// ---------------------------------------------------------------------------
// Program and statements

func (b *builder) program(ctx *gen.ProgramContext) *ast.Program {
	prog := &ast.Program{Comments: b.commentNodes(), EOF: b.src.pos(len(b.src.text))}
	var bad *ast.BadStmt // tokens skipped between statements while recovering
	for _, ch := range ctx.GetChildren() {
		switch c := ch.(type) {
		case antlr.ErrorNode:
			t := c.GetSymbol()
			if t.GetStart() < 0 || t.GetTokenType() == tEOF {
				continue
			}
			if bad == nil {
				bad = &ast.BadStmt{From: b.src.tokenPos(t)}
				prog.Stmts = append(prog.Stmts, bad)
			}
			bad.To = b.src.tokenEndPos(t)
		case antlr.ParserRuleContext:
			bad = nil
			prog.Stmts = append(prog.Stmts, b.statement(c))
		}
	}
	return prog
}

func (b *builder) lambdaProgram(ctx *gen.LambdaProgramContext) ast.Expr {
	c := &cursor{kids: ctx.GetChildren()}
	x := b.sequence(c, nil, ctx)
	b.checkLambdaBody(x)
	return x
}

func (b *builder) statement(ctx antlr.ParserRuleContext) ast.Stmt {
	switch c := ctx.(type) {
	case *gen.DbrpStmtContext:
		return b.dbrpStmt(c)
	case *gen.VarStmtContext:
		return b.varStmt(c)
	case *gen.LambdaStmtContext:
		return &ast.ExprStmt{X: b.expr(c)}
	case *gen.ExprStmtContext:
		b.checkGlued(c)
		cur := &cursor{kids: c.GetChildren()}
		first := b.chainLinks(cur, b.primary(cur, c))
		return &ast.ExprStmt{X: b.sequence(cur, first, c)}
	}
	from, to := b.span(ctx)
	return &ast.BadStmt{From: from, To: to}
}

// checkGlued reports a statement glued to a number before it: `1.5s` and
// `1h30m` lex as two tokens, and `var d = 1.5s` would otherwise quietly
// parse as `var d = 1.5` followed by the statement `s`.
func (b *builder) checkGlued(ctx antlr.ParserRuleContext) {
	if start := ctx.GetStart(); start != nil {
		if msg, first, last, _ := b.gluedError(start); msg != "" {
			b.errorSpan(first, last, msg)
		}
	}
}

func (b *builder) dbrpStmt(ctx *gen.DbrpStmtContext) ast.Stmt {
	s := &ast.DbrpStmt{}
	for _, ch := range ctx.GetChildren() {
		t, ok := terminal(ch)
		if !ok {
			continue
		}
		switch t.GetTokenType() {
		case tDBRP:
			s.Dbrp = b.src.tokenPos(t)
		case tREFERENCE:
			if s.DB == nil {
				s.DB = b.reference(t)
			} else {
				s.RP = b.reference(t)
			}
		}
	}
	if s.DB == nil || s.RP == nil {
		from, to := b.span(ctx)
		return &ast.BadStmt{From: from, To: to}
	}
	return s
}

func (b *builder) varStmt(ctx *gen.VarStmtContext) ast.Stmt {
	var (
		varTok    antlr.Token
		name, typ *ast.Ident
		assign    bool
		value     ast.Expr
	)
	for _, ch := range ctx.GetChildren() {
		if c, ok := ch.(*gen.ExprContext); ok {
			value = b.expr(c)
			continue
		}
		t, ok := terminal(ch)
		if !ok {
			continue
		}
		switch t.GetTokenType() {
		case tVAR:
			varTok = t
		case tIDENT:
			if name == nil {
				name = b.ident(t)
			} else {
				typ = b.ident(t)
			}
		case tASSIGN:
			assign = true
		}
	}
	if varTok == nil || name == nil || (!assign && typ == nil) {
		from, to := b.span(ctx)
		return &ast.BadStmt{From: from, To: to}
	}
	doc := b.docComment(varTok)
	if !assign {
		return &ast.TypeDecl{Var: b.src.tokenPos(varTok), Name: name, Type: typ, Doc: doc}
	}
	if value == nil {
		value = b.badAfter(ctx)
	}
	return &ast.VarDecl{Var: b.src.tokenPos(varTok), Name: name, Value: value, Doc: doc}
}

// ---------------------------------------------------------------------------
// Expressions
//
// The grammar keeps expressions flat: an expr (or a lambda statement) is
// [lambda:] operand (binaryOp operand)*, and an operand is unary operators,
// the tokens of one primary and chain links. The builder reads those
// children with a cursor.

// cursor walks the children of one parse-tree node, passing over error
// nodes (tokens skipped or conjured up by ANTLR's recovery).
type cursor struct {
	kids []antlr.Tree
	i    int
}

// peek returns the current child, or nil at the end.
func (c *cursor) peek() antlr.Tree {
	for c.i < len(c.kids) {
		if _, bad := c.kids[c.i].(antlr.ErrorNode); !bad {
			return c.kids[c.i]
		}
		c.i++
	}
	return nil
}

// token returns the current child's token if it is a terminal of type typ.
func (c *cursor) token(typ int) (antlr.Token, bool) {
	if t, ok := terminal(c.peek()); ok && t.GetTokenType() == typ {
		return t, true
	}
	return nil, false
}

func (c *cursor) next() { c.i++ }

// expr builds an expr or a lambda statement: [lambda:] operand (op operand)*.
func (b *builder) expr(ctx antlr.ParserRuleContext) ast.Expr {
	c := &cursor{kids: ctx.GetChildren()}
	t, ok := c.token(tLAMBDA)
	if !ok {
		return b.sequence(c, nil, ctx)
	}
	c.next()
	l := &ast.LambdaExpr{Lambda: b.src.tokenPos(t)}
	if c.peek() == nil {
		l.Body = b.badAt(b.src.tokenEndPos(t))
	} else {
		l.Body = b.sequence(c, nil, ctx)
	}
	b.checkLambdaBody(l.Body)
	return l
}

// binop is an operator of a flat operand sequence.
type binop struct {
	op  ast.Op
	pos ast.Pos
}

// sequence builds the rest of c, operand contexts separated by binaryOp
// contexts, into a tree of BinaryExprs by operator precedence. first is an
// operand already built from the head of c (for statements), or nil.
func (b *builder) sequence(c *cursor, first ast.Expr, ctx antlr.ParserRuleContext) ast.Expr {
	var (
		operands []ast.Expr
		ops      []binop
		cur      = first // the operand being built
	)
	for ch := c.peek(); ch != nil; ch = c.peek() {
		c.next()
		switch x := ch.(type) {
		case *gen.OperandContext:
			cur = b.operand(x)
		case *gen.BinaryOpContext:
			op, ok := b.binaryOp(x)
			if !ok {
				break
			}
			if cur == nil {
				cur = b.badAt(op.pos)
			}
			operands = append(operands, cur)
			ops = append(ops, op)
			cur = nil
		}
	}
	if cur == nil {
		if len(ops) > 0 {
			last := ops[len(ops)-1]
			cur = b.badAt(ast.Pos{Offset: last.pos.Offset + len(last.op.String()), Line: last.pos.Line, Col: last.pos.Col + len(last.op.String())})
		} else {
			cur = b.bad(ctx)
		}
	}
	if len(ops) == 0 {
		return cur
	}
	operands = append(operands, cur)
	return climb(operands, ops)
}

// climb applies precedence (spec §4.1, all operators left-associative) to
// operands[0] ops[0] operands[1] ops[1] … operands[n].
func climb(operands []ast.Expr, ops []binop) ast.Expr {
	i := 0 // next operator
	var parse func(lhs ast.Expr, minPrec int) ast.Expr
	parse = func(lhs ast.Expr, minPrec int) ast.Expr {
		for i < len(ops) && ops[i].op.Precedence() >= minPrec {
			op := ops[i]
			i++
			rhs := operands[i]
			for i < len(ops) && ops[i].op.Precedence() > op.op.Precedence() {
				rhs = parse(rhs, op.op.Precedence()+1)
			}
			lhs = &ast.BinaryExpr{X: lhs, OpPos: op.pos, Op: op.op, Y: rhs}
		}
		return lhs
	}
	return parse(operands[0], 0)
}

func binaryOpOf(typ int) (ast.Op, bool) {
	switch typ {
	case tSTAR:
		return ast.OpMul, true
	case tSLASH:
		return ast.OpDiv, true
	case tPERCENT:
		return ast.OpMod, true
	case tPLUS:
		return ast.OpAdd, true
	case tMINUS:
		return ast.OpSub, true
	case tLT:
		return ast.OpLt, true
	case tLTE:
		return ast.OpLte, true
	case tGT:
		return ast.OpGt, true
	case tGTE:
		return ast.OpGte, true
	case tEQ:
		return ast.OpEq, true
	case tNEQ:
		return ast.OpNeq, true
	case tREGEXEQ:
		return ast.OpRegexEq, true
	case tREGEXNEQ:
		return ast.OpRegexNeq, true
	case tAND:
		return ast.OpAnd, true
	case tOR:
		return ast.OpOr, true
	}
	return ast.OpInvalid, false
}

func (b *builder) binaryOp(ctx *gen.BinaryOpContext) (binop, bool) {
	for _, ch := range ctx.GetChildren() {
		if t, ok := terminal(ch); ok {
			if op, ok := binaryOpOf(t.GetTokenType()); ok {
				return binop{op: op, pos: b.src.tokenPos(t)}, true
			}
		}
	}
	return binop{}, false
}

// operand builds unary operators, a primary and chain links.
func (b *builder) operand(ctx *gen.OperandContext) ast.Expr {
	c := &cursor{kids: ctx.GetChildren()}
	var prefix []antlr.Token
	for {
		t, ok := terminal(c.peek())
		if !ok || (t.GetTokenType() != tMINUS && t.GetTokenType() != tNOT) {
			break
		}
		prefix = append(prefix, t)
		c.next()
	}
	x := b.chainLinks(c, b.primary(c, ctx))
	for i := len(prefix) - 1; i >= 0; i-- {
		u := &ast.UnaryExpr{OpPos: b.src.tokenPos(prefix[i]), Op: ast.OpNeg, X: x}
		if prefix[i].GetTokenType() == tNOT {
			u.Op = ast.OpNot
		}
		x = u
	}
	return x
}

// primary builds the primary at the cursor: a parenthesised expression,
// `*`, a name or call, a list or a literal.
func (b *builder) primary(c *cursor, ctx antlr.ParserRuleContext) ast.Expr {
	t, ok := terminal(c.peek())
	if !ok {
		return b.badHere(c, ctx)
	}
	c.next()
	switch t.GetTokenType() {
	case tLPAREN:
		p := &ast.ParenExpr{Lparen: b.src.tokenPos(t)}
		if e, ok := c.peek().(*gen.ExprContext); ok {
			p.X = b.expr(e)
			c.next()
		} else {
			p.X = b.badAt(b.src.tokenEndPos(t))
		}
		if r, ok := c.token(tRPAREN); ok {
			p.Rparen = b.src.tokenPos(r)
			c.next()
		} else {
			p.Rparen = b.closerAfter(p.Lparen, []ast.Expr{p.X})
		}
		return p
	case tSTAR:
		return &ast.StarLit{Star: b.src.tokenPos(t)}
	case tIDENT:
		id := b.ident(t)
		lp, ok := c.token(tLPAREN)
		if !ok {
			return id
		}
		c.next()
		call := &ast.CallExpr{Fun: id}
		call.Lparen, call.Args, call.Rparen = b.args(c, lp, tRPAREN)
		return call
	case tLBRACK:
		l := &ast.ListLit{}
		l.Lbrack, l.Items, l.Rbrack = b.args(c, t, tRBRACK)
		b.checkListItems(l)
		return l
	}
	if x := b.literal(t); x != nil {
		return x
	}
	return b.badAt(b.src.tokenPos(t))
}

// args reads `exprList? closer` after the opening token open and returns
// the positions of both brackets and the items. A missing closer gets the
// position of the last byte of the last item, so that the node ends just
// after it.
func (b *builder) args(c *cursor, open antlr.Token, closer int) (lpos ast.Pos, items []ast.Expr, rpos ast.Pos) {
	lpos = b.src.tokenPos(open)
	if l, ok := c.peek().(*gen.ExprListContext); ok {
		items = b.exprList(l)
		c.next()
	}
	if r, ok := c.token(closer); ok {
		c.next()
		return lpos, items, b.src.tokenPos(r)
	}
	return lpos, items, b.closerAfter(lpos, items)
}

// chainLinks applies the chain links at the cursor to x.
func (b *builder) chainLinks(c *cursor, x ast.Expr) ast.Expr {
	for ch := c.peek(); ch != nil; ch = c.peek() {
		link, ok := ch.(*gen.ChainLinkContext)
		if !ok {
			break
		}
		x = b.chainLink(x, link)
		c.next()
	}
	return x
}

func (b *builder) chainLink(left ast.Expr, ctx *gen.ChainLinkContext) ast.Expr {
	c := &cursor{kids: ctx.GetChildren()}
	opTok, ok := terminal(c.peek())
	if !ok {
		return left
	}
	var op ast.ChainOp
	switch opTok.GetTokenType() {
	case tPIPE:
		op = ast.ChainPipe
	case tDOT:
		op = ast.ChainDot
	case tAT:
		op = ast.ChainAt
	default:
		return left
	}
	c.next()
	link := &ast.ChainExpr{Left: left, Op: op, OpPos: b.src.tokenPos(opTok)}
	nameTok, ok := c.token(tIDENT)
	if !ok {
		// `a|` with the name missing: keep the receiver, for completion.
		link.Name = &ast.Ident{NamePos: b.src.tokenEndPos(opTok)}
		return link
	}
	c.next()
	link.Name = b.ident(nameTok)
	if lp, ok := c.token(tLPAREN); ok {
		c.next()
		link.Call = true
		link.Lparen, link.Args, link.Rparen = b.args(c, lp, tRPAREN)
	} else if op == ast.ChainPipe {
		b.errorNode(link.Name, "expected '(' after method name "+quote(link.Name.Name)+": a chaining method is always called, as in |"+link.Name.Name+"()")
	}
	return link
}

// closerAfter stands for a missing closing bracket: the position of the last
// byte of the last item, or of the opening bracket, so that End() of the
// node is just after its last item.
func (b *builder) closerAfter(open ast.Pos, items []ast.Expr) ast.Pos {
	end := open
	if len(items) > 0 {
		end = items[len(items)-1].End()
		if end.Offset > open.Offset {
			return b.src.pos(end.Offset - 1)
		}
	}
	return end
}

func (b *builder) exprList(ctx *gen.ExprListContext) []ast.Expr {
	var items []ast.Expr
	for ctx != nil {
		var next *gen.ExprListContext
		for _, ch := range ctx.GetChildren() {
			switch c := ch.(type) {
			case *gen.ExprContext:
				items = append(items, b.expr(c))
			case *gen.ExprListContext:
				next = c
			}
		}
		ctx = next
	}
	return items
}

func (b *builder) checkListItems(l *ast.ListLit) {
	for _, item := range l.Items {
		switch item.(type) {
		case *ast.StringLit, *ast.Ident, *ast.StarLit, *ast.BadExpr:
		default:
			b.errorNode(item, "a list holds only strings, names of vars and *")
		}
	}
}

// checkLambdaBody reports the script-layer constructs a lambda cannot hold
// (spec §3: no chains, lists or nested lambdas).
func (b *builder) checkLambdaBody(body ast.Expr) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ChainExpr:
			inner := n
			for {
				left, ok := inner.Left.(*ast.ChainExpr)
				if !ok {
					break
				}
				inner = left
			}
			b.diags.Add(diag.Diagnostic{Pos: inner.OpPos, End: n.End(), Severity: diag.Error, Code: CodeSyntax,
				Msg: "a lambda cannot contain '" + inner.Op.String() + "' method calls: it is evaluated per point"})
			return false
		case *ast.ListLit:
			b.errorNode(n, "a lambda cannot contain a list")
			return false
		}
		return true
	})
}

// ---------------------------------------------------------------------------
// Leaves and helpers

func (b *builder) ident(t antlr.Token) *ast.Ident {
	return &ast.Ident{NamePos: b.src.tokenPos(t), Name: b.src.tokenText(t)}
}

func (b *builder) reference(t antlr.Token) *ast.Reference {
	raw := b.src.tokenText(t)
	return &ast.Reference{ValuePos: b.src.tokenPos(t), Raw: raw, Name: unquote(raw, '"')}
}

// terminal returns the token of a terminal node that stands for input: not
// an error node (tokens skipped while recovering) and not a token ANTLR
// conjured up.
func terminal(t antlr.Tree) (antlr.Token, bool) {
	if _, bad := t.(antlr.ErrorNode); bad {
		return nil, false
	}
	n, ok := t.(antlr.TerminalNode)
	if !ok {
		return nil, false
	}
	tok := n.GetSymbol()
	if tok == nil || tok.GetStart() < 0 {
		return nil, false
	}
	return tok, true
}

// start is the position of the first token of ctx.
func (b *builder) start(ctx antlr.ParserRuleContext) ast.Pos {
	from, _ := b.span(ctx)
	return from
}

// span returns the start and end positions of ctx's tokens.
func (b *builder) span(ctx antlr.ParserRuleContext) (from, to ast.Pos) {
	start, stop := ctx.GetStart(), ctx.GetStop()
	if start == nil {
		p := b.src.pos(len(b.src.text))
		return p, p
	}
	from = b.src.tokenPos(start)
	if stop == nil || stop.GetTokenIndex() < start.GetTokenIndex() {
		return from, from
	}
	return from, b.src.tokenEndPos(stop)
}

func (b *builder) bad(ctx antlr.ParserRuleContext) *ast.BadExpr {
	from, to := b.span(ctx)
	return &ast.BadExpr{From: from, To: to}
}

func (b *builder) badAt(p ast.Pos) *ast.BadExpr { return &ast.BadExpr{From: p, To: p} }

// badHere stands for a missing primary at the cursor: at the next child if
// there is one, else at the end of ctx.
func (b *builder) badHere(c *cursor, ctx antlr.ParserRuleContext) *ast.BadExpr {
	switch x := c.peek().(type) {
	case antlr.ParserRuleContext:
		return b.badAt(b.start(x))
	case antlr.TerminalNode:
		if t := x.GetSymbol(); t != nil && t.GetStart() >= 0 {
			return b.badAt(b.src.tokenPos(t))
		}
	}
	return b.badAfter(ctx)
}

func (b *builder) badAfter(ctx antlr.ParserRuleContext) *ast.BadExpr {
	_, to := b.span(ctx)
	return b.badAt(to)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
