// TICKscript, the task language of Kapacitor 1.5.9 (see spec/language.md).
//
// The grammar is deliberately a little wider than the language: it accepts
// any expression as a list item or in a lambda, and `|name` without
// parentheses, so that the AST builder
// (compiler/parser) can report those mistakes with precise messages instead
// of ANTLR's generic ones. Binary operators are parsed as a flat sequence;
// the builder applies precedence (spec §4.1). Keeping the grammar LL(1) at every decision keeps
// ANTLR fast (SLL prediction never needs to look far ahead) and makes the
// offending token of a syntax error always the current one.
//
// Statements have no terminator. That is unambiguous only because a
// statement expression may not start with a token that could also continue
// the previous expression: `(` (a call), `-` and `*` (binary operators).
// `!` is excluded too, for symmetry: such statements would be useless, as
// their value is discarded.

grammar TICKscript;

// The lexer remembers the type of the last token it emitted on the default
// channel; lexer_state.go (hand-written, same package) keeps it up to date
// and answers regexAllowed.
@lexer::structmembers {
    lastTokenType int
}

// ---------------------------------------------------------------------------
// Parser
//
// The rules are few and flat on purpose: every rule is a parse-tree node
// that ANTLR allocates and enters, so an operand is one node whatever it is
// (a literal, a call, a list, a parenthesised expression).

program
    : statement* EOF
    ;

// lambdaProgram is the body of a lambda given without `lambda:`, as template
// vars of type lambda are in vars.json.
lambdaProgram
    : operand (binaryOp operand)* EOF
    ;

// A statement expression may not start with `(`, `-`, `!` or `*`: see the
// header. Otherwise it is an operand with chain links followed by operators
// and operands, like expr.
statement
    : DBRP REFERENCE DOT REFERENCE                                  # dbrpStmt
    | VAR IDENT (ASSIGN expr | IDENT)                               # varStmt
    | LAMBDA operand (binaryOp operand)*                            # lambdaStmt
    | ( IDENT (LPAREN exprList? RPAREN)? chainLink*
      | LBRACK exprList? RBRACK
      | literal=(NUMBER | DURATION | STRING | TRIPLE_STRING | TRUE | FALSE | REGEX | REFERENCE)
      ) (binaryOp operand)*                                         # exprStmt
    ;

// expr is an optional `lambda:` and a flat operand (operator operand)*
// sequence; there is no nested lambda.
expr
    : LAMBDA? operand (binaryOp operand)*
    ;

binaryOp
    : STAR | SLASH | PERCENT
    | PLUS | MINUS
    | LT | LTE | GT | GTE
    | EQ | NEQ | REGEX_EQ | REGEX_NEQ
    | AND
    | OR
    ;

// operand is unary operators and a primary. As in Kapacitor, a chain
// starts from a name or a call: `'cpu'|window()` is a syntax error, which
// also catches a missing `)` before the next chain link.
operand
    : (MINUS | NOT)*
      ( LPAREN expr RPAREN
      | STAR
      | IDENT (LPAREN exprList? RPAREN)? chainLink*
      | LBRACK exprList? RBRACK
      | literal=(NUMBER | DURATION | STRING | TRIPLE_STRING | TRUE | FALSE | REGEX | REFERENCE)
      )
    ;

// chainLink is `|name(args)`, `.name(args)`, `.name` or `@name(args)`.
chainLink
    : (PIPE | DOT | AT) IDENT (LPAREN exprList? RPAREN)?
    ;

// exprList is `a, b, c` with an optional trailing comma, written
// recursively so that every decision needs one token of lookahead.
exprList
    : expr (COMMA exprList?)?
    ;

// ---------------------------------------------------------------------------
// Lexer

// Keywords are case-sensitive; `lambda:` only without space before `:`.
DBRP    : 'dbrp' ;
VAR     : 'var' ;
TRUE    : 'TRUE' ;
FALSE   : 'FALSE' ;
AND     : 'AND' ;
OR      : 'OR' ;
LAMBDA  : 'lambda:' ;

IDENT   : [\p{L}] [\p{L}\p{Nd}_]* ;

// Durations have decimal digits and one unit; there is no `ns`.
DURATION : [0-9]+ ('u' | '\u00B5' | '\u03BC' | 'ms' | 's' | 'm' | 'h' | 'd' | 'w') ;

NUMBER  : [0-9]+ ('.' [0-9]*)?
        | '.' [0-9]+
        ;

// A number with a second decimal point: reported as an error by the parser.
BAD_NUMBER : ([0-9]+ '.' [0-9]* | '.' [0-9]+) '.' [0-9.]* ;

// Only `\'` is an escape; a run of backslashes followed by `'` escapes it.
STRING  : '\'' StrChar* '\'' ;
UNTERMINATED_STRING : '\'' StrChar* '\\'* ;

// Raw triple-quoted string, ending at the first `'''`.
TRIPLE_STRING : '\'\'\'' .*? '\'\'\'' ;
UNTERMINATED_TRIPLE_STRING : '\'\'\'' (~'\'' | '\'' ~'\'' | '\'\'' ~'\'')* '\''? '\''? ;

REFERENCE : '"' RefChar* '"' ;
UNTERMINATED_REFERENCE : '"' RefChar* '\\'* ;

// `//` comments stay on a hidden channel so the AST keeps them. COMMENT
// comes before REGEX so that `//` is a comment, never an empty regex.
COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;

// `/` starts a regex only where an operand may start (spec §2.6); the
// lexer tracks the previous token for regexAllowed (lexer_state.go).
REGEX   : '/' {p.regexAllowed()}? RegexChar* '/' ;
UNTERMINATED_REGEX : '/' {p.regexAllowed()}? RegexChar* '\\'* ;

EQ        : '==' ;
NEQ       : '!=' ;
REGEX_EQ  : '=~' ;
REGEX_NEQ : '!~' ;
LTE       : '<=' ;
GTE       : '>=' ;
LT        : '<' ;
GT        : '>' ;
ASSIGN    : '=' ;
NOT       : '!' ;
PLUS      : '+' ;
MINUS     : '-' ;
STAR      : '*' ;
SLASH     : '/' ;
PERCENT   : '%' ;
LPAREN    : '(' ;
RPAREN    : ')' ;
LBRACK    : '[' ;
RBRACK    : ']' ;
COMMA     : ',' ;
DOT       : '.' ;
PIPE      : '|' ;
AT        : '@' ;

// Whitespace is whatever Go's unicode.IsSpace accepts.
WS : [ \t\r\n\u000B\u000C\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+ -> skip ;

// Any other character becomes a token the parser reports, so the lexer
// itself never fails.
ERROR_CHAR : . ;

fragment StrChar   : ~['\\] | '\\'+ ~['\\] | '\\'+ '\'' ;
fragment RefChar   : ~["\\] | '\\'+ ~["\\] | '\\'+ '"' ;
fragment RegexChar : ~[/\\] | '\\'+ ~[/\\] | '\\'+ '/' ;
