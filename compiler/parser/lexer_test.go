package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode"

	"github.com/antlr4-go/antlr/v4"

	"github.com/tickc/tickc/grammar/gen"
)

// tokenString renders a token as type/channel/start-stop/line:col, so the
// tokens of two lexers can be compared.
func tokenString(t antlr.Token) string {
	return fmt.Sprintf("%d/%d/%d-%d/%d:%d", t.GetTokenType(), t.GetChannel(), t.GetStart(), t.GetStop(), t.GetLine(), t.GetColumn())
}

// lexersDisagree returns where the scanner and the generated lexer differ
// on src, or "".
func lexersDisagree(src string) string {
	generated := gen.NewTICKscriptLexer(antlr.NewInputStream(src))
	generated.RemoveErrorListeners()
	var want []string
	for {
		t := generated.NextToken()
		want = append(want, tokenString(t))
		if t.GetTokenType() == antlr.TokenEOF {
			break
		}
	}
	var got []string
	file := &tokenFile{src: src, lexer: gen.NewTICKscriptLexer(nil)}
	for _, t := range scanAll(file) {
		got = append(got, tokenString(&t))
	}
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("token %d: scanner %s, generated lexer %s (type/channel/start-stop/line:col)", i, g, w)
		}
	}
	return ""
}

// lexerCases are inputs for the lexical corners of the grammar.
var lexerCases = []string{
	"", " ", "\n\n", "var x = 1", "var\u00a0x\u2003=\t1\r\nvar\u000by = 2\u0085\u3000",
	`"a" / 2`, `(x) / 2`, `(/ab/)`, `f(/ab/)`, `var r = /^cpu/`, `a/b`, `10/2`, `10s/2`, `'a'/2`, `TRUE/2`,
	`x =~ /a\/b/`, `/a\\/b/`, `/\\\/x/`, "/a\nb/", `/unterminated`, `/`, `/\`, `]/x/`, `*/x/`, `AND /x/`, "lambda:/x/",
	"// comment\n/x/", "a // c\n/ b", "//", "// x\r\n", "/x/ // c",
	`true`, `and`, `lambda`, `lambda:`, `lambda :`, `lambdax:`, `TRUEx`, `dbrps`, `varx`, `café`, `Ωmega_2`, `a٣`, `_x`,
	`010`, `0`, `1.`, `.5`, `1.2.3`, `1..`, `.5.`, `1.5s`, `10ms`, `10m`, `10mx`, `1u`, `1µ`, `1μ`, `1µs`, `1ns`, `1e5`,
	`1d`, `1w`, `1h30m`, `99999999999999999999`, `.`, `..5`, `a.b`, `1 .5`,
	`'it\'s'`, `'a\nb'`, `'a\\'b'`, `''`, `'a\'`, `'a\\'`, `'''a'b'''`, `''''''`, `'''`, `''''`, `'''''`, `'''''''`,
	`'''it's`, `'''a''b`, `'''a\'''`, "'a\nb'", `'`, `'\`,
	`"a\"b"`, `"a\b"`, `"unterminated`, `"a\"`, `""`, `"\\"`,
	`== != =~ !~ <= >= < > = ! + - * / % ( ) [ ] , . | @`, `!!=`, `===`, `=!`, `<>`, `#`, `;`, `:`, `$`, "\x00",
	"\x80\xff", "\xef\xbf\xbd", "é\x80", "\U0001F600 x", "a\u200bb",
}

func TestScannerMatchesGeneratedLexer(t *testing.T) {
	for _, src := range lexerCases {
		if msg := lexersDisagree(src); msg != "" {
			t.Errorf("%q: %s", src, msg)
		}
	}
	for _, file := range conformanceScripts(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if msg := lexersDisagree(string(src)); msg != "" {
			t.Errorf("%s: %s", filepath.Base(filepath.Dir(file)), msg)
		}
	}
	if msg := lexersDisagree(bigScript(500)); msg != "" {
		t.Errorf("big script: %s", msg)
	}
}

// FuzzScanner checks that the hand-written scanner and the lexer generated
// from the grammar agree on any input.
func FuzzScanner(f *testing.F) {
	for _, src := range lexerCases {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, r := range src {
			if !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) {
				// Unassigned in Go's Unicode version: antlr-ng's tables may
				// be newer. The scanner follows Go, as Kapacitor does.
				t.Skipf("%U is unassigned in Go's Unicode %s", r, unicode.Version)
			}
		}
		if msg := lexersDisagree(src); msg != "" {
			t.Errorf("%q: %s", src, msg)
		}
	})
}
