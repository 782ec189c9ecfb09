package format_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/format"
	"github.com/tickc/tickc/compiler/parser"
)

var update = flag.Bool("update", false, "rewrite the out.tick sections of the golden files")

// TestGolden formats the in.tick of every testdata/*.txtar and compares the
// result with its out.tick. Each golden case must also survive the
// invariants every formatting keeps (see checkInvariants).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("want at least 15 golden files in testdata, found %d", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			in, out := section(ar, "in.tick"), section(ar, "out.tick")
			if in == nil {
				t.Fatalf("%s has no in.tick section", file)
			}
			got := checkInvariants(t, in)
			if *update {
				setSection(ar, "out.tick", got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if out == nil {
				t.Fatalf("%s has no out.tick section", file)
			}
			if !bytes.Equal(got, out) {
				t.Errorf("formatted output differs from out.tick\n--- got ---\n%s--- want ---\n%s", got, out)
			}
		})
	}
}

// TestConformanceScripts formats every script of the shared conformance
// suite and checks the invariants on each.
func TestConformanceScripts(t *testing.T) {
	for _, file := range conformanceScripts(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(filepath.Dir(file)), func(t *testing.T) {
			checkInvariants(t, src)
		})
	}
}

// TestRefusesSyntaxErrors checks that a script that does not parse is
// returned untouched as diagnostics, not half formatted.
func TestRefusesSyntaxErrors(t *testing.T) {
	for _, src := range []string{
		"stream|from(",
		"var x = ",
		"stream|from().where(lambda: \"a\" and \"b\")",
		"var 1x = 2",
	} {
		out, diags := format.Format("bad.tick", []byte(src))
		if out != nil {
			t.Errorf("%q: got output %q, want none", src, out)
		}
		if !diags.HasErrors() {
			t.Errorf("%q: no syntax error reported", src)
		}
	}
}

// TestEmptyAndCommentOnly covers the programs with nothing or only
// comments in them.
func TestEmptyAndCommentOnly(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"\n\n  \n", ""},
		{"// only\n", "// only\n"},
		{"\n\n// a   \n\n\n\n// b", "// a\n\n// b\n"},
	} {
		got, diags := format.Format("x.tick", []byte(tc.in))
		if diags.HasErrors() {
			t.Fatalf("%q: %v", tc.in, diags)
		}
		if string(got) != tc.want {
			t.Errorf("Format(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSmallCases pins layouts that golden files cannot hold (CR LF line
// endings) or that are too small to deserve one.
func TestSmallCases(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{
			name: "CRLF line endings become LF, a triple string keeps its CR",
			in:   "// head\r\nvar x = '''a\r\nb'''\r\nstream\r\n  |from() // t\r\n\r\n\r\n  .measurement('x')\r\n",
			want: "// head\nvar x = '''a\r\nb'''\n\nstream\n    |from() // t\n        .measurement('x')\n",
		},
		{
			name: "a comment before an unpositioned dot moves after it",
			in:   "dbrp \"a\" // c\n .\"b\"\n",
			want: "dbrp \"a\". // c\n    \"b\"\n",
		},
		{
			name: "a comment before the closing paren of a nested chain",
			in:   "x|join(stream|from() // c\n)\n",
			want: "x\n    |join(stream\n            |from() // c\n    )\n",
		},
		{
			name: "repeated unary operators stay apart",
			in:   "var a = - -1\nvar b = !!TRUE\nvar c = -(-1)\n",
			want: "var a = - -1\nvar b = !!TRUE\nvar c = -(-1)\n",
		},
		{
			name: "a lambda var broken after AND continues one level deeper",
			in:   "var x = lambda:\n// why\n\"a\" > 1 AND\n\"b\"\n",
			want: "var x = lambda:\n    // why\n    \"a\" > 1 AND\n    \"b\"\n",
		},
		{
			name: "no trailing newline in, one out",
			in:   "var x = 1",
			want: "var x = 1\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := checkInvariants(t, []byte(tc.in))
			if string(got) != tc.want {
				t.Errorf("Format(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzFormat checks, for any input that parses, that the output parses
// again, keeps the tree and the comments, and is a fixed point.
func FuzzFormat(f *testing.F) {
	for _, file := range conformanceScripts(f) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	goldens, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range goldens {
		if ar, err := txtar.ParseFile(file); err == nil {
			if in := section(ar, "in.tick"); in != nil {
				f.Add(in)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		prog, diags := parser.ParseFile("fuzz.tick", src)
		if diags.HasErrors() || prog == nil {
			return
		}
		checkInvariants(t, src)
	})
}

// checkInvariants formats src, which must parse, and checks what every
// formatting must keep: the output parses, has the same tree (positions
// aside) and the same comments, ends in one newline, and formats to
// itself. It returns the output.
func checkInvariants(t testing.TB, src []byte) []byte {
	t.Helper()
	prog, diags := parser.ParseFile("in.tick", src)
	if diags.HasErrors() {
		t.Fatalf("input does not parse: %v", diags)
	}
	out, diags := format.Format("in.tick", src)
	if diags.HasErrors() {
		t.Fatalf("Format reported errors on a script that parses: %v", diags)
	}
	if len(out) > 0 && (!bytes.HasSuffix(out, []byte("\n")) || bytes.HasSuffix(out, []byte("\n\n"))) {
		t.Errorf("output does not end in exactly one newline:\n%q", out)
	}
	prog2, diags := parser.ParseFile("out.tick", out)
	if diags.HasErrors() {
		t.Fatalf("output does not parse: %v\n--- output ---\n%s", diags, out)
	}
	if a, b := dumpTree(prog), dumpTree(prog2); a != b {
		t.Errorf("formatting changed the tree\n--- input ---\n%s\n--- output ---\n%s\n--- tree before ---\n%s\n--- tree after ---\n%s", src, out, a, b)
	}
	if a, b := commentTexts(prog), commentTexts(prog2); !reflect.DeepEqual(a, b) {
		t.Errorf("formatting changed the comments\nbefore: %q\nafter:  %q\n--- output ---\n%s", a, b, out)
	}
	again, diags := format.Format("out.tick", out)
	if diags.HasErrors() {
		t.Fatalf("reformatting failed: %v", diags)
	}
	if !bytes.Equal(again, out) {
		t.Errorf("formatting is not idempotent\n--- first ---\n%s--- second ---\n%s", out, again)
	}
	return out
}

// commentTexts returns the sorted texts of a program's comments, trailing
// white space removed (the formatter trims it).
func commentTexts(p *ast.Program) []string {
	var texts []string
	for _, c := range p.Comments {
		texts = append(texts, strings.TrimRight(c.Text, " \t\r\v\f"))
	}
	sort.Strings(texts)
	return texts
}

var posType = reflect.TypeOf(ast.Pos{})

// dumpTree prints the statements of a program as an indented tree of
// types and field values, leaving out every position, so two trees compare
// equal when they differ only in layout.
func dumpTree(p *ast.Program) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(p.Stmts), 0)
	return b.String()
}

func dumpValue(b *strings.Builder, v reflect.Value, depth int) {
	pad := strings.Repeat("  ", depth)
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil\n")
			return
		}
		dumpValue(b, v.Elem(), depth)
	case reflect.Struct:
		fmt.Fprintf(b, "%s {\n", v.Type())
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.Type == posType {
				continue
			}
			fmt.Fprintf(b, "%s  %s: ", pad, f.Name)
			dumpValue(b, v.Field(i), depth+1)
		}
		fmt.Fprintf(b, "%s}\n", pad)
	case reflect.Slice:
		fmt.Fprintf(b, "[%d] {\n", v.Len())
		for i := 0; i < v.Len(); i++ {
			fmt.Fprintf(b, "%s  ", pad)
			dumpValue(b, v.Index(i), depth+1)
		}
		fmt.Fprintf(b, "%s}\n", pad)
	default:
		fmt.Fprintf(b, "%#v\n", v.Interface())
	}
}

func section(ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func setSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}

// conformanceScripts returns the task.tick files of the shared conformance
// suite, which sits beside the repository.
func conformanceScripts(tb testing.TB) []string {
	const dir = "../../../shared/conformance/kapacitor"
	files, _ := filepath.Glob(dir + "/*/task.tick")
	if len(files) == 0 {
		tb.Skipf("no conformance scripts at %s (relative to compiler/format)", dir)
	}
	return files
}
