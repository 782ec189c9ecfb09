package parser

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/grammar/gen"
)

// Token types, shortened.
const (
	tEOF        = antlr.TokenEOF
	tDBRP       = gen.TICKscriptParserDBRP
	tVAR        = gen.TICKscriptParserVAR
	tTRUE       = gen.TICKscriptParserTRUE
	tFALSE      = gen.TICKscriptParserFALSE
	tAND        = gen.TICKscriptParserAND
	tOR         = gen.TICKscriptParserOR
	tLAMBDA     = gen.TICKscriptParserLAMBDA
	tIDENT      = gen.TICKscriptParserIDENT
	tDURATION   = gen.TICKscriptParserDURATION
	tNUMBER     = gen.TICKscriptParserNUMBER
	tBadNumber  = gen.TICKscriptParserBAD_NUMBER
	tSTRING     = gen.TICKscriptParserSTRING
	tUntermStr  = gen.TICKscriptParserUNTERMINATED_STRING
	tTRIPLE     = gen.TICKscriptParserTRIPLE_STRING
	tUntermTri  = gen.TICKscriptParserUNTERMINATED_TRIPLE_STRING
	tREFERENCE  = gen.TICKscriptParserREFERENCE
	tUntermRef  = gen.TICKscriptParserUNTERMINATED_REFERENCE
	tCOMMENT    = gen.TICKscriptParserCOMMENT
	tREGEX      = gen.TICKscriptParserREGEX
	tUntermRe   = gen.TICKscriptParserUNTERMINATED_REGEX
	tEQ         = gen.TICKscriptParserEQ
	tNEQ        = gen.TICKscriptParserNEQ
	tREGEXEQ    = gen.TICKscriptParserREGEX_EQ
	tREGEXNEQ   = gen.TICKscriptParserREGEX_NEQ
	tLTE        = gen.TICKscriptParserLTE
	tGTE        = gen.TICKscriptParserGTE
	tLT         = gen.TICKscriptParserLT
	tGT         = gen.TICKscriptParserGT
	tASSIGN     = gen.TICKscriptParserASSIGN
	tNOT        = gen.TICKscriptParserNOT
	tPLUS       = gen.TICKscriptParserPLUS
	tMINUS      = gen.TICKscriptParserMINUS
	tSTAR       = gen.TICKscriptParserSTAR
	tSLASH      = gen.TICKscriptParserSLASH
	tPERCENT    = gen.TICKscriptParserPERCENT
	tLPAREN     = gen.TICKscriptParserLPAREN
	tRPAREN     = gen.TICKscriptParserRPAREN
	tLBRACK     = gen.TICKscriptParserLBRACK
	tRBRACK     = gen.TICKscriptParserRBRACK
	tCOMMA      = gen.TICKscriptParserCOMMA
	tDOT        = gen.TICKscriptParserDOT
	tPIPE       = gen.TICKscriptParserPIPE
	tAT         = gen.TICKscriptParserAT
	tErrorChar  = gen.TICKscriptParserERROR_CHAR
	maxTokenTyp = gen.TICKscriptParserERROR_CHAR
)

// punctuation is how messages quote operator and punctuation tokens.
var punctuation = map[int]string{
	tEQ: "==", tNEQ: "!=", tREGEXEQ: "=~", tREGEXNEQ: "!~", tLTE: "<=", tGTE: ">=", tLT: "<", tGT: ">",
	tASSIGN: "=", tNOT: "!", tPLUS: "+", tMINUS: "-", tSTAR: "*", tSLASH: "/", tPERCENT: "%",
	tLPAREN: "(", tRPAREN: ")", tLBRACK: "[", tRBRACK: "]", tCOMMA: ",", tDOT: ".", tPIPE: "|", tAT: "@",
	tDBRP: "dbrp", tVAR: "var", tTRUE: "TRUE", tFALSE: "FALSE", tAND: "AND", tOR: "OR", tLAMBDA: "lambda:",
}

// Token classes used to summarise what the parser expected.
var (
	exprStarts = []int{tIDENT, tNUMBER, tDURATION, tSTRING, tTRIPLE, tTRUE, tFALSE, tREGEX, tREFERENCE,
		tLPAREN, tLBRACK, tSTAR, tMINUS, tNOT, tLAMBDA}
	stmtStarts = []int{tDBRP, tVAR}
	binaryOps  = []int{tEQ, tNEQ, tREGEXEQ, tREGEXNEQ, tLTE, tGTE, tLT, tGT, tPLUS, tMINUS, tSTAR, tSLASH,
		tPERCENT, tAND, tOR}
	chainOps = []int{tPIPE, tDOT, tAT}
	// expectedOrder lists the single tokens a message may name, in the
	// order it names them.
	expectedOrder = []int{tCOMMA, tRPAREN, tRBRACK, tLPAREN, tASSIGN, tDOT, tREFERENCE, tIDENT, tEOF}
)

// isLexicalError reports token types the lexer makes of malformed input.
func isLexicalError(typ int) bool {
	switch typ {
	case tErrorChar, tBadNumber, tUntermStr, tUntermTri, tUntermRef, tUntermRe:
		return true
	}
	return false
}

// lexicalMessage words the error of a token for which isLexicalError holds.
func (b *builder) lexicalMessage(t antlr.Token) string {
	text := b.src.tokenText(t)
	switch t.GetTokenType() {
	case tUntermStr, tUntermTri:
		return "unterminated string"
	case tUntermRef:
		return "unterminated reference (missing closing \")"
	case tUntermRe:
		return "unterminated regex"
	case tBadNumber:
		return fmt.Sprintf("invalid number %q: more than one decimal point", text)
	}
	r, _ := utf8.DecodeRuneInString(text)
	switch {
	case r == '_':
		return "invalid character '_': names must start with a letter"
	case r == ':':
		if prev := b.prevToken(t); prev != nil && prev.GetTokenType() == tIDENT && b.src.tokenText(prev) == "lambda" {
			return "invalid character ':': write lambda: with no space before ':'"
		}
	case r == ';':
		return "invalid character ';': statements need no terminator"
	case r == '#':
		return "invalid character '#': comments start with //"
	case r == '&':
		return "invalid character '&': the logical operators are AND and OR"
	case r == utf8.RuneError && len(text) == 1:
		return "invalid UTF-8 byte"
	case r == '\uFEFF':
		return "invalid character U+FEFF (a byte order mark): save the file as UTF-8 without BOM"
	}
	return fmt.Sprintf("invalid character %q", r)
}

// syntaxErrorListener words the syntax errors of the LL pass. Once ANTLR
// has recovered from an error, what it reports next is mostly a
// consequence, so the listener reports at most one error per statement,
// and none in a statement that starts on the line of the previous error
// (recovery often ends a statement early and starts a bogus one there).
type syntaxErrorListener struct {
	antlr.DefaultErrorListener
	b        *builder
	hasLast  bool
	lastKey  int
	lastLine int
}

func (l *syntaxErrorListener) SyntaxError(rec antlr.Recognizer, offending any, _, _ int, _ string, _ antlr.RecognitionException) {
	p, ok := rec.(antlr.Parser)
	if !ok {
		return
	}
	tok, ok := offending.(antlr.Token)
	if !ok || tok == nil {
		tok = p.GetCurrentToken()
	}
	key, start := statementKey(p.GetParserRuleContext())
	if msg, first, last, glued := l.b.gluedError(tok); glued {
		// A number glued to what follows is its own mistake, not a
		// consequence of another: report it whatever came before.
		if msg != "" {
			l.b.errorSpan(first, last, msg)
		}
		l.hasLast, l.lastKey, l.lastLine = true, key, l.b.src.tokenPos(tok).Line
		return
	}
	if start == nil {
		start = tok
	}
	startLine := l.b.src.tokenPos(start).Line
	if l.hasLast && (key == l.lastKey || startLine <= l.lastLine) {
		return
	}
	l.hasLast, l.lastKey, l.lastLine = true, key, l.b.src.tokenPos(tok).Line
	if isLexicalError(tok.GetTokenType()) {
		return // reported for every such token by builder.lexicalErrors
	}
	l.b.errorAt(tok, l.b.syntaxMessage(p, tok))
}

// statementKey identifies the top-level statement being parsed, by the index
// of its first token (which it also returns), or, between statements, by a
// negative number that changes with each statement parsed.
func statementKey(ctx antlr.ParserRuleContext) (int, antlr.Token) {
	for c := ctx; c != nil; {
		switch c.GetRuleIndex() {
		case gen.TICKscriptParserRULE_statement:
			if start := c.GetStart(); start != nil {
				return start.GetTokenIndex(), start
			}
			return -1, nil
		case gen.TICKscriptParserRULE_program:
			return -2 - c.GetChildCount(), nil
		}
		parent, ok := c.GetParent().(antlr.ParserRuleContext)
		if !ok {
			break
		}
		c = parent
	}
	return -1, nil
}

// syntaxMessage words a syntax error at tok from what the parser expected
// there, as "unexpected X, expected Y".
func (b *builder) syntaxMessage(p antlr.Parser, tok antlr.Token) string {
	prev := b.prevToken(tok)
	expected := newTokenSet(p.GetExpectedTokens())
	unexpected := "unexpected " + b.describeToken(tok)
	ctx := p.GetParserRuleContext()
	rule := ctx.GetRuleIndex()

	// Inside (…) and […] ANTLR only sees the closing bracket by the time it
	// fails, as the optional parts before it were skipped: name them too.
	closing := ""
	if open, isCall := openBracket(ctx); open != nil {
		if prev != nil && (isCall || open.GetTokenType() == tLBRACK) {
			switch prev.GetTokenType() {
			case tCOMMA, tLPAREN, tLBRACK:
				for _, t := range exprStarts {
					expected = expected.add(t)
				}
			default:
				expected = expected.add(tCOMMA)
			}
		}
		if b.src.tokenPos(open).Line != b.src.tokenPos(tok).Line {
			closing = fmt.Sprintf(" to close the '%s' at %s", b.src.tokenText(open), b.src.tokenPos(open))
		}
	}

	switch {
	case rule == gen.TICKscriptParserRULE_chainLink && expected.only(tIDENT) && prev != nil:
		return fmt.Sprintf("%s, expected a method name after '%s'", unexpected, b.src.tokenText(prev))
	case rule == gen.TICKscriptParserRULE_statement && expected.only(tIDENT) && prev != nil && prev.GetTokenType() == tVAR:
		return unexpected + ", expected a variable name after 'var'"
	case rule == gen.TICKscriptParserRULE_statement && expected.only(tASSIGN, tIDENT) && prev != nil:
		return fmt.Sprintf("%s, expected '=' or a type name after var %s", unexpected, b.src.tokenText(prev))
	case expected.only(tREFERENCE) && tok.GetTokenType() == tSTRING:
		return unexpected + `, expected a reference: dbrp names take double quotes, as in dbrp "telegraf"."autogen"`
	}

	return unexpected + ", expected " + describeExpected(expected) + closing + b.hint(tok, prev, expected)
}

// hint adds advice for operators borrowed from other languages.
func (b *builder) hint(tok, prev antlr.Token, expected tokenSet) string {
	next := b.nextToken(tok)
	glued := func(a, c antlr.Token) bool { return a != nil && c != nil && b.src.tokenEnd(a) == b.src.tokenStart(c) }
	switch tok.GetTokenType() {
	case tIDENT:
		switch strings.ToUpper(b.src.tokenText(tok)) {
		case "AND", "OR":
			return " (the logical operators are AND and OR, in upper case)"
		}
	case tASSIGN:
		switch {
		case expected.has(tVAR):
			return " (declare a variable with var name = value)"
		case glued(tok, next) && next.GetTokenType() == tGT:
			return " (greater or equal is written >=)"
		case glued(tok, next) && next.GetTokenType() == tLT:
			return " (less or equal is written <=)"
		}
		return " (compare with ==)"
	case tGT:
		if glued(prev, tok) && prev.GetTokenType() == tLT {
			return " (not equal is written !=)"
		}
	case tPIPE:
		if glued(tok, next) && next.GetTokenType() == tPIPE {
			return " (the logical operators are AND and OR)"
		}
	}
	return ""
}

// openBracket returns the last `(` or `[` among the children of ctx that
// is not closed yet, and whether it opens the arguments of a call (it
// follows a name) rather than a parenthesised expression or a list.
func openBracket(ctx antlr.ParserRuleContext) (antlr.Token, bool) {
	var stack []antlr.Token
	var calls []bool
	prevIdent := false
	for _, ch := range ctx.GetChildren() {
		t, ok := terminal(ch)
		if !ok {
			prevIdent = false
			continue
		}
		switch t.GetTokenType() {
		case tLPAREN, tLBRACK:
			stack = append(stack, t)
			calls = append(calls, prevIdent && t.GetTokenType() == tLPAREN)
		case tRPAREN, tRBRACK:
			if len(stack) > 0 {
				stack, calls = stack[:len(stack)-1], calls[:len(calls)-1]
			}
		}
		prevIdent = t.GetTokenType() == tIDENT
	}
	if len(stack) == 0 {
		return nil, false
	}
	return stack[len(stack)-1], calls[len(calls)-1]
}

func isDurationUnit(s string) bool {
	switch s {
	case "u", "µ", "μ", "ms", "s", "m", "h", "d", "w":
		return true
	}
	return false
}

// describeToken names a token in a message: "')'", "end of input",
// "identifier \"and\"", "number 5"...
func (b *builder) describeToken(t antlr.Token) string {
	typ := t.GetTokenType()
	text := b.src.tokenText(t)
	switch typ {
	case tEOF:
		return "end of input"
	case tIDENT:
		return fmt.Sprintf("identifier %q", text)
	case tNUMBER:
		return "number " + text
	case tDURATION:
		return "duration " + text
	case tSTRING, tTRIPLE:
		return "string " + shorten(text)
	case tREFERENCE:
		return "reference " + shorten(text)
	case tREGEX:
		return "regex " + shorten(text)
	}
	if p, ok := punctuation[typ]; ok {
		return "'" + p + "'"
	}
	return fmt.Sprintf("%q", shorten(text))
}

// shorten cuts a long token text for a message, at the first line break or
// after 24 bytes.
func shorten(s string) string {
	cut := len(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		cut = i
	}
	if cut > 24 {
		cut = 24
	}
	for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut < len(s) {
		return s[:cut] + "…"
	}
	return s
}

// tokenSet is a set of token types small enough for a bitmask.
type tokenSet uint64

func newTokenSet(set *antlr.IntervalSet) tokenSet {
	var s tokenSet
	if set == nil {
		return 0
	}
	for _, iv := range set.GetIntervals() {
		for t := iv.Start; t < iv.Stop; t++ {
			s = s.add(t)
		}
	}
	return s
}

func (s tokenSet) bit(t int) tokenSet {
	if t == tEOF {
		return 1 // bit 0 is EOF; token types start at 1
	}
	if t < 0 || t > maxTokenTyp {
		return 0
	}
	return 1 << uint(t)
}

func (s tokenSet) add(t int) tokenSet { return s | s.bit(t) }
func (s tokenSet) has(t int) bool     { return s&s.bit(t) != 0 }
func (s tokenSet) remove(ts ...int) tokenSet {
	for _, t := range ts {
		s &^= s.bit(t)
	}
	return s
}

func (s tokenSet) hasAny(ts []int) bool {
	for _, t := range ts {
		if s.has(t) {
			return true
		}
	}
	return false
}

// only reports whether s holds exactly the types ts.
func (s tokenSet) only(ts ...int) bool {
	var want tokenSet
	for _, t := range ts {
		want = want.add(t)
	}
	return s == want
}

// describeExpected summarises an expected set: "an expression or ')'".
func describeExpected(s tokenSet) string {
	var parts []string
	if s.has(tVAR) && s.has(tDBRP) {
		parts = append(parts, "a statement")
		s = s.remove(stmtStarts...).remove(exprStarts...).remove(tEOF)
	}
	if s.has(tIDENT) && s.has(tNUMBER) {
		parts = append(parts, "an expression")
		s = s.remove(exprStarts...)
	}
	rest := s.remove(binaryOps...).remove(chainOps...)
	if rest == 0 && len(parts) == 0 && s.hasAny(binaryOps) {
		return "an operator"
	}
	if rest != 0 || len(parts) > 0 {
		s = rest // operators and chain links only add noise next to other choices
	}
	for _, t := range expectedOrder {
		if !s.has(t) {
			continue
		}
		s = s.remove(t)
		switch t {
		case tEOF:
			parts = append(parts, "end of input")
		case tIDENT:
			parts = append(parts, "a name")
		case tREFERENCE:
			parts = append(parts, `a reference such as "name"`)
		default:
			parts = append(parts, "'"+punctuation[t]+"'")
		}
	}
	for t := 1; t <= maxTokenTyp; t++ {
		if s.has(t) {
			if p, ok := punctuation[t]; ok {
				parts = append(parts, "'"+p+"'")
			}
		}
	}
	switch len(parts) {
	case 0:
		return "something else"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
