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
	src    *source
	tokens []antlr.Token
	diags  diag.List
}

func newBuilder(s *source, ts *antlr.CommonTokenStream) *builder {
	return &builder{src: s, tokens: ts.GetAllTokens()}
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

// prevToken returns the token on the default channel before t, or nil.
func (b *builder) prevToken(t antlr.Token) antlr.Token {
	i := t.GetTokenIndex()
	if i < 0 || i > len(b.tokens) {
		return nil
	}
	for i--; i >= 0; i-- {
		if b.tokens[i].GetChannel() == antlr.TokenDefaultChannel {
			return b.tokens[i]
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Program and statements

func (b *builder) program(ctx *gen.ProgramContext) *ast.Program {
	prog := &ast.Program{Comments: b.comments(), EOF: b.src.pos(len(b.src.text))}
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
	var x ast.Expr
	for _, ch := range ctx.GetChildren() {
		if c, ok := ch.(*gen.BinaryExprContext); ok {
			x = b.binaryExpr(c)
		}
	}
	if x == nil {
		x = b.bad(ctx)
	}
	b.checkLambdaBody(x)
	return x
}

func (b *builder) statement(ctx antlr.ParserRuleContext) ast.Stmt {
	switch c := ctx.(type) {
	case *gen.DbrpStmtContext:
		return b.dbrpStmt(c)
	case *gen.VarStmtContext:
		return b.varStmt(c)
	case *gen.ExprStmtContext:
		b.checkGlued(c)
		for _, ch := range c.GetChildren() {
			if x, ok := ch.(*gen.StmtExprContext); ok {
				return &ast.ExprStmt{X: b.stmtExpr(x)}
			}
		}
	}
	from, to := b.span(ctx)
	return &ast.BadStmt{From: from, To: to}
}

// checkGlued reports a statement glued to a number before it: `1.5s` and
// `1h30m` lex as two tokens, and `var d = 1.5s` would otherwise quietly
// parse as `var d = 1.5` followed by the statement `s`.
func (b *builder) checkGlued(ctx antlr.ParserRuleContext) {
	first := ctx.GetStart()
	if first == nil {
		return
	}
	if prev := b.prevToken(first); prev != nil {
		if msg, ok := b.specialMessage(first, prev); ok {
			b.errorSpan(prev, first, msg)
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
		switch c := ch.(type) {
		case *gen.ExprContext:
			value = b.expr(c)
		default:
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

func (b *builder) expr(ctx *gen.ExprContext) ast.Expr {
	return b.lambdaOr(ctx)
}

func (b *builder) stmtExpr(ctx *gen.StmtExprContext) ast.Expr {
	return b.lambdaOr(ctx)
}

// lambdaOr builds `LAMBDA binaryExpr` as a lambda, an expr's binaryExpr
// as such, and a stmtExpr's atom chainLink* (op operand)* as a sequence of
// operands and operators.
func (b *builder) lambdaOr(ctx antlr.ParserRuleContext) ast.Expr {
	children := ctx.GetChildren()
	if len(children) > 0 {
		if t, ok := terminal(children[0]); ok && t.GetTokenType() == tLAMBDA {
			l := &ast.LambdaExpr{Lambda: b.src.tokenPos(t)}
			for _, ch := range children[1:] {
				if c, ok := ch.(*gen.BinaryExprContext); ok {
					l.Body = b.binaryExpr(c)
				}
			}
			if l.Body == nil {
				l.Body = b.badAt(b.src.tokenEndPos(t))
			}
			b.checkLambdaBody(l.Body)
			return l
		}
		if c, ok := children[0].(*gen.BinaryExprContext); ok {
			return b.binaryExpr(c)
		}
	}
	return b.sequence(ctx)
}

func (b *builder) binaryExpr(ctx *gen.BinaryExprContext) ast.Expr {
	return b.sequence(ctx)
}

// binop is an operator of a flat operand sequence.
type binop struct {
	op  ast.Op
	pos ast.Pos
}

// sequence builds the children of ctx, which are operands (an operand
// context, or an atom followed by chain links) separated by binaryOp
// contexts, into a tree of BinaryExprs by operator precedence.
func (b *builder) sequence(ctx antlr.ParserRuleContext) ast.Expr {
	var (
		operands []ast.Expr
		ops      []binop
		cur      ast.Expr // the operand being built
	)
	for _, ch := range ctx.GetChildren() {
		switch c := ch.(type) {
		case gen.IOperandContext:
			cur = b.operand(c)
		case gen.IAtomContext:
			cur = b.atom(c)
		case *gen.ChainLinkContext:
			if cur == nil {
				cur = b.badAt(b.start(c))
			}
			cur = b.chainLink(cur, c)
		case *gen.BinaryOpContext:
			op, ok := b.binaryOp(c)
			if !ok {
				continue
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

var binaryOpOf = map[int]ast.Op{
	tSTAR: ast.OpMul, tSLASH: ast.OpDiv, tPERCENT: ast.OpMod, tPLUS: ast.OpAdd, tMINUS: ast.OpSub,
	tLT: ast.OpLt, tLTE: ast.OpLte, tGT: ast.OpGt, tGTE: ast.OpGte,
	tEQ: ast.OpEq, tNEQ: ast.OpNeq, tREGEXEQ: ast.OpRegexEq, tREGEXNEQ: ast.OpRegexNeq,
	tAND: ast.OpAnd, tOR: ast.OpOr,
}

func (b *builder) binaryOp(ctx *gen.BinaryOpContext) (binop, bool) {
	for _, ch := range ctx.GetChildren() {
		if t, ok := terminal(ch); ok {
			if op, ok := binaryOpOf[t.GetTokenType()]; ok {
				return binop{op: op, pos: b.src.tokenPos(t)}, true
			}
		}
	}
	return binop{}, false
}

func (b *builder) operand(ctx gen.IOperandContext) ast.Expr {
	switch c := ctx.(type) {
	case *gen.UnaryOperandContext:
		u := &ast.UnaryExpr{}
		for _, ch := range c.GetChildren() {
			if t, ok := terminal(ch); ok {
				switch t.GetTokenType() {
				case tMINUS:
					u.Op, u.OpPos = ast.OpNeg, b.src.tokenPos(t)
				case tNOT:
					u.Op, u.OpPos = ast.OpNot, b.src.tokenPos(t)
				}
			} else if o, ok := ch.(gen.IOperandContext); ok {
				u.X = b.operand(o)
			}
		}
		if u.Op == ast.OpInvalid {
			return b.bad(c)
		}
		if u.X == nil {
			u.X = b.badAt(ast.Pos{Offset: u.OpPos.Offset + 1, Line: u.OpPos.Line, Col: u.OpPos.Col + 1})
		}
		return u
	case *gen.ChainOperandContext:
		var x ast.Expr
		for _, ch := range c.GetChildren() {
			switch cc := ch.(type) {
			case gen.IPrimaryContext:
				x = b.primary(cc)
			case *gen.ChainLinkContext:
				if x == nil {
					x = b.badAt(b.start(cc))
				}
				x = b.chainLink(x, cc)
			}
		}
		if x == nil {
			x = b.bad(c)
		}
		return x
	}
	return b.bad(ctx)
}

var chainOpOf = map[int]ast.ChainOp{tPIPE: ast.ChainPipe, tDOT: ast.ChainDot, tAT: ast.ChainAt}

func (b *builder) chainLink(left ast.Expr, ctx *gen.ChainLinkContext) ast.Expr {
	link := &ast.ChainExpr{Left: left}
	var opTok antlr.Token
	for _, ch := range ctx.GetChildren() {
		if c, ok := ch.(*gen.CallArgsContext); ok {
			link.Call = true
			link.Lparen, link.Args, link.Rparen = b.callArgs(c)
			continue
		}
		t, ok := terminal(ch)
		if !ok {
			continue
		}
		if op, ok := chainOpOf[t.GetTokenType()]; ok {
			opTok, link.Op, link.OpPos = t, op, b.src.tokenPos(t)
		} else if t.GetTokenType() == tIDENT {
			link.Name = b.ident(t)
		}
	}
	if opTok == nil {
		return left
	}
	if link.Name == nil {
		// `a|` with the name missing: keep the receiver, for completion.
		link.Name = &ast.Ident{NamePos: b.src.tokenEndPos(opTok)}
		return link
	}
	if link.Op == ast.ChainPipe && !link.Call {
		b.errorNode(link.Name, "expected '(' after method name "+quote(link.Name.Name)+": a chaining method is always called, as in |"+link.Name.Name+"()")
	}
	return link
}

// callArgs returns the positions of the parentheses and the arguments. A
// missing `)` gets the position just after the last argument.
func (b *builder) callArgs(ctx *gen.CallArgsContext) (lparen ast.Pos, args []ast.Expr, rparen ast.Pos) {
	lparen = b.start(ctx)
	rparen = ast.Pos{}
	for _, ch := range ctx.GetChildren() {
		switch c := ch.(type) {
		case *gen.ExprListContext:
			args = b.exprList(c)
		default:
			if t, ok := terminal(ch); ok {
				switch t.GetTokenType() {
				case tLPAREN:
					lparen = b.src.tokenPos(t)
				case tRPAREN:
					if t.GetStart() >= 0 {
						rparen = b.src.tokenPos(t)
					}
				}
			}
		}
	}
	if !rparen.IsValid() {
		rparen = b.closerAfter(lparen, args)
	}
	return lparen, args, rparen
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

func (b *builder) primary(ctx gen.IPrimaryContext) ast.Expr {
	switch c := ctx.(type) {
	case *gen.ParenPrimaryContext:
		p := &ast.ParenExpr{}
		for _, ch := range c.GetChildren() {
			if e, ok := ch.(*gen.ExprContext); ok {
				p.X = b.expr(e)
			} else if t, ok := terminal(ch); ok && t.GetStart() >= 0 {
				switch t.GetTokenType() {
				case tLPAREN:
					p.Lparen = b.src.tokenPos(t)
				case tRPAREN:
					p.Rparen = b.src.tokenPos(t)
				}
			}
		}
		if !p.Lparen.IsValid() {
			return b.bad(c)
		}
		if p.X == nil {
			p.X = b.badAt(b.src.pos(p.Lparen.Offset + 1))
		}
		if !p.Rparen.IsValid() {
			p.Rparen = b.closerAfter(p.Lparen, []ast.Expr{p.X})
		}
		return p
	case *gen.StarPrimaryContext:
		return &ast.StarLit{Star: b.start(c)}
	case *gen.AtomPrimaryContext:
		for _, ch := range c.GetChildren() {
			if a, ok := ch.(gen.IAtomContext); ok {
				return b.atom(a)
			}
		}
	}
	return b.bad(ctx)
}

func (b *builder) atom(ctx gen.IAtomContext) ast.Expr {
	switch c := ctx.(type) {
	case *gen.IdentAtomContext:
		var id *ast.Ident
		for _, ch := range c.GetChildren() {
			if t, ok := terminal(ch); ok && t.GetTokenType() == tIDENT {
				id = b.ident(t)
			} else if args, ok := ch.(*gen.CallArgsContext); ok && id != nil {
				call := &ast.CallExpr{Fun: id}
				call.Lparen, call.Args, call.Rparen = b.callArgs(args)
				return call
			}
		}
		if id != nil {
			return id
		}
	case *gen.ListAtomContext:
		return b.list(c)
	case *gen.LiteralAtomContext:
		for _, ch := range c.GetChildren() {
			if t, ok := terminal(ch); ok {
				if x := b.literal(t); x != nil {
					return x
				}
			}
		}
	}
	return b.bad(ctx)
}

func (b *builder) list(ctx *gen.ListAtomContext) ast.Expr {
	l := &ast.ListLit{}
	for _, ch := range ctx.GetChildren() {
		switch c := ch.(type) {
		case *gen.ExprListContext:
			l.Items = b.exprList(c)
		default:
			if t, ok := terminal(ch); ok && t.GetStart() >= 0 {
				switch t.GetTokenType() {
				case tLBRACK:
					l.Lbrack = b.src.tokenPos(t)
				case tRBRACK:
					l.Rbrack = b.src.tokenPos(t)
				}
			}
		}
	}
	if !l.Lbrack.IsValid() {
		return b.bad(ctx)
	}
	if !l.Rbrack.IsValid() {
		l.Rbrack = b.closerAfter(l.Lbrack, l.Items)
	}
	for _, item := range l.Items {
		switch item.(type) {
		case *ast.StringLit, *ast.Ident, *ast.StarLit, *ast.BadExpr:
		default:
			b.errorNode(item, "a list holds only strings, names of vars and *")
		}
	}
	return l
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

func (b *builder) badAfter(ctx antlr.ParserRuleContext) *ast.BadExpr {
	_, to := b.span(ctx)
	return b.badAt(to)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
