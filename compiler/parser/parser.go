// Package parser turns TICKscript source into the AST of package ast.
//
// The ANTLR-generated lexer and parser (grammar/gen) build a parse tree;
// this package walks it into the hand-written AST, decodes literals, and
// reports syntax errors in its own words ("unexpected ')', expected an
// expression") at the offending token. On errors it still returns a
// partial tree, with BadExpr and BadStmt where the input made no sense, so
// the language server can work on scripts being edited.
//
// Lexing is done by a hand-written scanner that yields exactly the tokens
// of the generated lexer (scanner.go says why). Parsing runs ANTLR's SLL
// prediction first, only detecting errors, and parses again in full LL
// mode to report and recover only when there is one. The grammar is LL(1)
// throughout, so neither mode needs adaptive prediction today; the two
// passes keep a clean parse as cheap as it can be, and stay correct should
// a decision ever need more lookahead.
package parser

import (
	"fmt"
	"runtime/debug"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/grammar/gen"
)

// CodeSyntax is the diagnostic code of every error this package reports:
// lexical errors, syntax errors and bad literals.
const CodeSyntax = "syntax"

// ParseFile parses a whole script. filename is used only in messages of
// internal errors; diagnostics carry positions, not file names. The program
// is never nil, also when diagnostics hold errors.
func ParseFile(filename string, src []byte) (prog *ast.Program, diags diag.List) {
	s := newSource(string(src))
	defer func() {
		if r := recover(); r != nil {
			prog = &ast.Program{EOF: s.pos(len(s.text))}
			diags = diag.List{internalError(s, filename, r)}
		}
	}()
	tree, b := parseTree(s, func(p *gen.TICKscriptParser) antlr.ParserRuleContext { return p.Program() })
	prog = b.program(tree.(*gen.ProgramContext))
	return prog, b.finish()
}

// ParseLambda parses the body of a lambda given without the `lambda:`
// prefix, as the value of a lambda template var in vars.json is. Positions
// are relative to src. The expression is never nil: on errors it may be
// (or contain) an *ast.BadExpr.
func ParseLambda(src string) (x ast.Expr, diags diag.List) {
	s := newSource(src)
	defer func() {
		if r := recover(); r != nil {
			x = &ast.BadExpr{From: s.pos(0), To: s.pos(len(s.text))}
			diags = diag.List{internalError(s, "lambda", r)}
		}
	}()
	tree, b := parseTree(s, func(p *gen.TICKscriptParser) antlr.ParserRuleContext { return p.LambdaProgram() })
	x = b.lambdaProgram(tree.(*gen.LambdaProgramContext))
	return x, b.finish()
}

// parseTree lexes s and parses it with entry: first with SLL prediction,
// counting errors only; if there were any, again with LL prediction and
// the listener that words them. It returns the tree and a builder ready to
// turn it into the AST.
func parseTree(s *source, entry func(*gen.TICKscriptParser) antlr.ParserRuleContext) (antlr.ParserRuleContext, *builder) {
	// The scanner cannot fail: ERROR_CHAR takes any character.
	file := &tokenFile{src: s.text, lexer: gen.NewTICKscriptLexer(nil)}
	all := scanAll(file)
	tokens := newTokenStream(file, all)
	b := newBuilder(s, tokens.tokens, all)

	p := gen.NewTICKscriptParser(tokens)
	p.RemoveErrorListeners()
	count := &errorCounter{}
	p.AddErrorListener(count)
	p.SetErrorHandler(&detectOnly{antlr.NewDefaultErrorStrategy()})
	p.Interpreter.SetPredictionMode(antlr.PredictionModeSLL)
	tree := entry(p)
	if count.n == 0 {
		return tree, b
	}

	tokens.Seek(0)
	p = gen.NewTICKscriptParser(tokens)
	p.RemoveErrorListeners()
	p.AddErrorListener(&syntaxErrorListener{b: b})
	p.Interpreter.SetPredictionMode(antlr.PredictionModeLL)
	return entry(p), b
}

// detectOnly is the error strategy of the first pass, which only needs to
// know whether there is an error: it skips the re-synchronisation ANTLR
// does at the start of every loop and subrule. In an LL(1) grammar an
// error then still surfaces, at the next token match or decision.
type detectOnly struct {
	*antlr.DefaultErrorStrategy
}

func (detectOnly) Sync(antlr.Parser) {}

// errorCounter counts syntax errors of the SLL pass.
type errorCounter struct {
	antlr.DefaultErrorListener
	n int
}

func (c *errorCounter) SyntaxError(antlr.Recognizer, any, int, int, string, antlr.RecognitionException) {
	c.n++
}

// internalError turns a panic, which would be a bug of this package or of
// the ANTLR runtime, into a diagnostic rather than a crash of the caller.
func internalError(s *source, filename string, r any) diag.Diagnostic {
	return diag.Diagnostic{
		Pos: s.pos(0), End: s.pos(0),
		Severity: diag.Error,
		Code:     "internal",
		Msg:      fmt.Sprintf("internal error while parsing %s: %v\n%s", filename, r, debug.Stack()),
	}
}
