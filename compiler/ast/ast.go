// Package ast declares the syntax tree of a TICKscript.
//
// The tree is hand-written and built from the ANTLR parse tree by package
// parser; nothing here depends on ANTLR. Every node knows where it starts
// and ends in the source, so diagnostics, the formatter and the language
// server can all point at it.
package ast

import (
	"fmt"
	"time"
)

// Pos is a place in the source. Line and Col are 1-based; Col counts bytes,
// as Kapacitor's "line L char C" does. Offset is the 0-based byte offset.
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether the position was set.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// Before reports whether p comes before q in the source.
func (p Pos) Before(q Pos) bool { return p.Offset < q.Offset }

// Node is any node of the tree. End is the position just after the node.
type Node interface {
	Pos() Pos
	End() Pos
}

// Expr is an expression: a literal, a reference, an operator, a lambda,
// a list, a function call or a chain of pipeline method calls.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a top-level statement.
type Stmt interface {
	Node
	stmtNode()
}

// ---------------------------------------------------------------------------
// Program and comments

// Program is a whole script.
type Program struct {
	Stmts    []Stmt
	Comments []*Comment // every comment of the source, in order
	EOF      Pos        // position of the end of input
}

func (p *Program) Pos() Pos {
	if len(p.Stmts) > 0 {
		return p.Stmts[0].Pos()
	}
	return p.EOF
}
func (p *Program) End() Pos { return p.EOF }

// Comment is one `//` comment, up to but not including the newline.
// Text includes the leading `//`.
type Comment struct {
	Start  Pos
	Text   string
	EndPos Pos
}

func (c *Comment) Pos() Pos { return c.Start }
func (c *Comment) End() Pos { return c.EndPos }

// ---------------------------------------------------------------------------
// Statements

// DbrpStmt is `dbrp "db"."rp"`.
type DbrpStmt struct {
	Dbrp Pos // the keyword
	DB   *Reference
	RP   *Reference
}

// TypeDecl is a template var without a value: `var crit float`.
type TypeDecl struct {
	Var  Pos // the keyword
	Name *Ident
	Type *Ident
	Doc  string // comment block directly above, `//` stripped, lines joined with \n
}

// VarDecl is `var name = value`.
type VarDecl struct {
	Var   Pos // the keyword
	Name  *Ident
	Value Expr
	Doc   string
}

// ExprStmt is an expression standing alone, usually a pipeline chain.
type ExprStmt struct {
	X Expr
}

// BadStmt stands where the parser could not make sense of the input.
type BadStmt struct {
	From, To Pos
}

func (s *DbrpStmt) Pos() Pos { return s.Dbrp }
func (s *DbrpStmt) End() Pos {
	if s.RP != nil {
		return s.RP.End()
	}
	if s.DB != nil {
		return s.DB.End()
	}
	return s.Dbrp
}
func (s *TypeDecl) Pos() Pos { return s.Var }
func (s *TypeDecl) End() Pos {
	if s.Type != nil {
		return s.Type.End()
	}
	if s.Name != nil {
		return s.Name.End()
	}
	return s.Var
}
func (s *VarDecl) Pos() Pos { return s.Var }
func (s *VarDecl) End() Pos {
	if s.Value != nil {
		return s.Value.End()
	}
	if s.Name != nil {
		return s.Name.End()
	}
	return s.Var
}
func (s *ExprStmt) Pos() Pos { return s.X.Pos() }
func (s *ExprStmt) End() Pos { return s.X.End() }
func (s *BadStmt) Pos() Pos  { return s.From }
func (s *BadStmt) End() Pos  { return s.To }

func (*DbrpStmt) stmtNode() {}
func (*TypeDecl) stmtNode() {}
func (*VarDecl) stmtNode()  {}
func (*ExprStmt) stmtNode() {}
func (*BadStmt) stmtNode()  {}

// ---------------------------------------------------------------------------
// Literals and names

// Ident is a name: a var, a method name, a function name or a type name.
type Ident struct {
	NamePos Pos
	Name    string
}

// NumberLit is an integer or float literal. Raw is the source text
// (`010`, `1.`, `.5`); Int or Float holds the value according to IsInt.
type NumberLit struct {
	ValuePos Pos
	Raw      string
	IsInt    bool
	Int      int64
	Float    float64
}

// DurationLit is `10s`, `5m`, `1w`… Value is in nanoseconds.
type DurationLit struct {
	ValuePos Pos
	Raw      string
	Value    time.Duration
}

// StringLit is `'…'` or `'''…'''`. Value has escapes resolved.
type StringLit struct {
	ValuePos Pos
	Raw      string // as written, quotes included
	Value    string
	Triple   bool
}

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	ValuePos Pos
	Value    bool
}

// RegexLit is `/…/`. Pattern has `\/` resolved to `/`; Raw is as written.
type RegexLit struct {
	ValuePos Pos
	Raw      string
	Pattern  string
}

// StarLit is `*`.
type StarLit struct {
	Star Pos
}

// Reference is `"name"`: a field or tag at run time, a db/rp in dbrp.
type Reference struct {
	ValuePos Pos
	Raw      string // as written, quotes included
	Name     string // `\"` resolved
}

// ListLit is `[a, 'b', *]`.
type ListLit struct {
	Lbrack Pos
	Items  []Expr
	Rbrack Pos
}

// LambdaExpr is `lambda: expr`.
type LambdaExpr struct {
	Lambda Pos // start of `lambda:`
	Body   Expr
}

// ---------------------------------------------------------------------------
// Operators and calls

// Op is an expression operator.
type Op int

const (
	OpInvalid Op = iota
	OpAdd        // +
	OpSub        // -
	OpMul        // *
	OpDiv        // /
	OpMod        // %
	OpEq         // ==
	OpNeq        // !=
	OpLt         // <
	OpLte        // <=
	OpGt         // >
	OpGte        // >=
	OpRegexEq    // =~
	OpRegexNeq   // !~
	OpAnd        // AND
	OpOr         // OR
	OpNot        // ! (unary)
	OpNeg        // - (unary)
)

var opText = [...]string{
	OpInvalid: "?", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpMod: "%",
	OpEq: "==", OpNeq: "!=", OpLt: "<", OpLte: "<=", OpGt: ">", OpGte: ">=",
	OpRegexEq: "=~", OpRegexNeq: "!~", OpAnd: "AND", OpOr: "OR", OpNot: "!", OpNeg: "-",
}

func (o Op) String() string {
	if int(o) < len(opText) {
		return opText[o]
	}
	return "?"
}

// Precedence of a binary operator, higher binds tighter (language.md §4.1).
func (o Op) Precedence() int {
	switch o {
	case OpMul, OpDiv, OpMod:
		return 6
	case OpAdd, OpSub:
		return 5
	case OpLt, OpLte, OpGt, OpGte:
		return 4
	case OpEq, OpNeq, OpRegexEq, OpRegexNeq:
		return 3
	case OpAnd:
		return 2
	case OpOr:
		return 1
	}
	return 0
}

// IsComparison reports == != < <= > >= =~ !~.
func (o Op) IsComparison() bool { return o >= OpEq && o <= OpRegexNeq }

// IsMath reports + - * / %.
func (o Op) IsMath() bool { return o >= OpAdd && o <= OpMod }

// IsLogical reports AND, OR.
func (o Op) IsLogical() bool { return o == OpAnd || o == OpOr }

// UnaryExpr is `-x` or `!x`.
type UnaryExpr struct {
	OpPos Pos
	Op    Op // OpNeg or OpNot
	X     Expr
}

// BinaryExpr is `x op y`.
type BinaryExpr struct {
	X     Expr
	OpPos Pos
	Op    Op
	Y     Expr
}

// ParenExpr is `(x)`.
type ParenExpr struct {
	Lparen Pos
	X      Expr
	Rparen Pos
}

// CallExpr is `name(args)` outside a chain: a lambda function call, or the
// global `time(…)` at the script layer.
type CallExpr struct {
	Fun    *Ident
	Lparen Pos
	Args   []Expr
	Rparen Pos
}

// ChainOp is the operator of a chain link.
type ChainOp int

const (
	ChainPipe ChainOp = iota // |name(…): chaining method, creates a node
	ChainDot                 // .name(…): property method
	ChainAt                  // @name(…): dynamic method (UDF)
)

func (o ChainOp) String() string {
	switch o {
	case ChainPipe:
		return "|"
	case ChainDot:
		return "."
	case ChainAt:
		return "@"
	}
	return "?"
}

// ChainExpr is one link of a chain: `Left | Name(Args)`, `Left.Name(Args)`,
// `Left@Name(Args)` or a property read `Left.Name` (Call false).
// Links nest to the left: a|b().c(1) is Chain{Chain{a,|,b},.,c}.
type ChainExpr struct {
	Left   Expr
	OpPos  Pos
	Op     ChainOp
	Name   *Ident
	Call   bool // false for a property read without parentheses
	Lparen Pos
	Args   []Expr
	Rparen Pos
}

// BadExpr stands where the parser could not make sense of the input.
type BadExpr struct {
	From, To Pos
}

// ---------------------------------------------------------------------------
// Pos and End of expressions

func (x *Ident) Pos() Pos       { return x.NamePos }
func (x *NumberLit) Pos() Pos   { return x.ValuePos }
func (x *DurationLit) Pos() Pos { return x.ValuePos }
func (x *StringLit) Pos() Pos   { return x.ValuePos }
func (x *BoolLit) Pos() Pos     { return x.ValuePos }
func (x *RegexLit) Pos() Pos    { return x.ValuePos }
func (x *StarLit) Pos() Pos     { return x.Star }
func (x *Reference) Pos() Pos   { return x.ValuePos }
func (x *ListLit) Pos() Pos     { return x.Lbrack }
func (x *LambdaExpr) Pos() Pos  { return x.Lambda }
func (x *UnaryExpr) Pos() Pos   { return x.OpPos }
func (x *BinaryExpr) Pos() Pos  { return x.X.Pos() }
func (x *ParenExpr) Pos() Pos   { return x.Lparen }
func (x *CallExpr) Pos() Pos    { return x.Fun.Pos() }
func (x *ChainExpr) Pos() Pos   { return x.Left.Pos() }
func (x *BadExpr) Pos() Pos     { return x.From }

// after returns the position n bytes after p on the same line.
func after(p Pos, n int) Pos {
	return Pos{Offset: p.Offset + n, Line: p.Line, Col: p.Col + n}
}

// afterText returns the position just after text that starts at p,
// following newlines inside it.
func afterText(p Pos, text string) Pos {
	q := p
	for i := 0; i < len(text); i++ {
		q.Offset++
		if text[i] == '\n' {
			q.Line++
			q.Col = 1
		} else {
			q.Col++
		}
	}
	return q
}

func (x *Ident) End() Pos       { return after(x.NamePos, len(x.Name)) }
func (x *NumberLit) End() Pos   { return after(x.ValuePos, len(x.Raw)) }
func (x *DurationLit) End() Pos { return afterText(x.ValuePos, x.Raw) }
func (x *StringLit) End() Pos   { return afterText(x.ValuePos, x.Raw) }
func (x *BoolLit) End() Pos {
	if x.Value {
		return after(x.ValuePos, 4)
	}
	return after(x.ValuePos, 5)
}
func (x *RegexLit) End() Pos   { return afterText(x.ValuePos, x.Raw) }
func (x *StarLit) End() Pos    { return after(x.Star, 1) }
func (x *Reference) End() Pos  { return afterText(x.ValuePos, x.Raw) }
func (x *ListLit) End() Pos    { return after(x.Rbrack, 1) }
func (x *LambdaExpr) End() Pos { return endOr(x.Body, after(x.Lambda, len("lambda:"))) }
func (x *UnaryExpr) End() Pos  { return endOr(x.X, after(x.OpPos, 1)) }
func (x *BinaryExpr) End() Pos { return endOr(x.Y, after(x.OpPos, len(x.Op.String()))) }
func (x *ParenExpr) End() Pos  { return after(x.Rparen, 1) }
func (x *CallExpr) End() Pos   { return after(x.Rparen, 1) }
func (x *ChainExpr) End() Pos {
	if x.Call {
		return after(x.Rparen, 1)
	}
	if x.Name != nil {
		return x.Name.End()
	}
	return after(x.OpPos, 1)
}
func (x *BadExpr) End() Pos { return x.To }

func endOr(x Expr, fallback Pos) Pos {
	if x == nil {
		return fallback
	}
	return x.End()
}

func (*Ident) exprNode()       {}
func (*NumberLit) exprNode()   {}
func (*DurationLit) exprNode() {}
func (*StringLit) exprNode()   {}
func (*BoolLit) exprNode()     {}
func (*RegexLit) exprNode()    {}
func (*StarLit) exprNode()     {}
func (*Reference) exprNode()   {}
func (*ListLit) exprNode()     {}
func (*LambdaExpr) exprNode()  {}
func (*UnaryExpr) exprNode()   {}
func (*BinaryExpr) exprNode()  {}
func (*ParenExpr) exprNode()   {}
func (*CallExpr) exprNode()    {}
func (*ChainExpr) exprNode()   {}
func (*BadExpr) exprNode()     {}

// ChainRoot follows a chain to its leftmost operand (language.md §6.5).
func ChainRoot(x Expr) Expr {
	for {
		c, ok := x.(*ChainExpr)
		if !ok {
			return x
		}
		x = c.Left
	}
}
