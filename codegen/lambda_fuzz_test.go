package codegen

import (
	goast "go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/compiler/types"
	"github.com/tickc/tickc/stdlib"
)

// FuzzLambdaText feeds arbitrary reference names, string literals and
// regex patterns into a lambda and checks that the generated Go parses,
// declares only what it should, and carries the texts unchanged: no
// script text can inject code.
func FuzzLambdaText(f *testing.F) {
	for _, seed := range [][3]string{
		{"usage_idle", "web01", "^web"},
		{`a"b`, `"); panic("x`, `\/`},
		{"x\ny", "*/ func evil() {} /*", "[a-z]+"},
		{"time", "\x00\xff", `\d`},
		{"r", "`", "(?i)x"},
		{"err", "\u2028", "$1"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, ref, str, pattern string) {
		if _, err := regexp.Compile(pattern); err != nil {
			return
		}
		l := fuzzLambda(ref, str, pattern)
		g := newTestGen()
		if _, err := g.Lambda(l); err != nil {
			t.Fatalf("Lambda: %v", err)
		}
		src := render(t, g)
		file, err := parser.ParseFile(token.NewFileSet(), "gen.go", src, parser.ParseComments)
		if err != nil {
			t.Fatalf("generated code does not parse: %v\n%s", err, src)
		}
		funcs, vars := 0, 0
		var refArgs []string
		var regexArgs []string
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *goast.FuncDecl:
				funcs++
				if d.Name.Name != "lambda0" {
					t.Fatalf("unexpected func %s", d.Name.Name)
				}
			case *goast.GenDecl:
				if d.Tok == token.VAR {
					vars += len(d.Specs)
				}
			}
		}
		goast.Inspect(file, func(n goast.Node) bool {
			if cmp, ok := n.(*goast.BinaryExpr); ok {
				// A hinted read compares the key it finds: r.Fields[at].Key == "name".
				if sel, ok := cmp.X.(*goast.SelectorExpr); ok && sel.Sel.Name == "Key" {
					lit, ok := cmp.Y.(*goast.BasicLit)
					if !ok {
						t.Fatalf("key compared with %T", cmp.Y)
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatalf("bad literal %s", lit.Value)
					}
					refArgs = append(refArgs, s)
				}
			}
			call, ok := n.(*goast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*goast.SelectorExpr)
			if !ok {
				return true
			}
			arg := func(i int) string {
				lit, ok := call.Args[i].(*goast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s argument %d is not a string literal", sel.Sel.Name, i+1)
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatalf("bad literal %s", lit.Value)
				}
				return s
			}
			switch sel.Sel.Name {
			case "Ref", "RefHinted":
				refArgs = append(refArgs, arg(0))
			case "NoTag", "NoField":
				refArgs = append(refArgs, arg(1))
			case "MustCompileRegex":
				regexArgs = append(regexArgs, arg(0))
			}
			return true
		})
		if funcs != 1 || vars > 2 {
			t.Fatalf("%d funcs, %d vars:\n%s", funcs, vars, src)
		}
		if ref != "time" && len(refArgs) == 0 {
			t.Fatalf("%q is not read", ref)
		}
		for _, a := range refArgs {
			if a != ref {
				t.Fatalf("reads %q, want %q", refArgs, ref)
			}
		}
		if len(regexArgs) != 1 || regexArgs[0] != pattern {
			t.Fatalf("regex %q, want %q", regexArgs, pattern)
		}
	})
}

// fuzzLambda is `strContains("ref", 'str') OR "ref" =~ /pattern/ AND
// "ref" == 'str'`, typed as the checker would.
func fuzzLambda(ref, str, pattern string) *ir.Lambda {
	refType := types.RefType
	if ref == "time" {
		refType = stdlib.Time
	}
	refExpr := func() *ast.Reference { return &ast.Reference{Raw: strconv.Quote(ref), Name: ref} }
	strExpr := func() *ast.StringLit { return &ast.StringLit{Raw: "'" + str + "'", Value: str} }
	r1, r2, r3 := refExpr(), refExpr(), refExpr()
	s1, s2 := strExpr(), strExpr()
	rx := &ast.RegexLit{Raw: "/" + pattern + "/", Pattern: pattern}
	call := &ast.CallExpr{Fun: &ast.Ident{Name: "strContains"}, Args: []ast.Expr{r1, s1}}
	match := &ast.BinaryExpr{X: r2, Op: ast.OpRegexEq, Y: rx}
	eq := &ast.BinaryExpr{X: r3, Op: ast.OpEq, Y: s2}
	and := &ast.BinaryExpr{X: match, Op: ast.OpAnd, Y: eq}
	or := &ast.BinaryExpr{X: call, Op: ast.OpOr, Y: and}
	l := &ir.Lambda{
		Body: or,
		Types: map[ast.Expr]stdlib.Type{
			r1: refType, r2: refType, r3: refType, s1: stdlib.String, s2: stdlib.String,
			rx: stdlib.Regex, call: stdlib.Bool, match: stdlib.Bool, eq: stdlib.Bool,
			and: stdlib.Bool, or: stdlib.Bool,
		},
		Inlined: map[*ast.Ident]ir.Value{},
		Result:  stdlib.Bool,
	}
	if ref != "time" {
		l.Refs = []string{ref}
	}
	return l
}
