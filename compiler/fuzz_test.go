package compiler_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
)

// conformanceScripts returns the task.tick files of the shared conformance
// suite, which sits beside the repository.
func conformanceScripts(tb testing.TB) []string {
	files, _ := filepath.Glob("../../shared/conformance/kapacitor/*/task.tick")
	if len(files) == 0 {
		tb.Skip("no conformance scripts at ../../shared/conformance/kapacitor")
	}
	return files
}

// FuzzCheck feeds arbitrary scripts through the whole front end: it must
// never panic, and every diagnostic must point inside the source.
func FuzzCheck(f *testing.F) {
	for _, file := range conformanceScripts(f) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res := compiler.Compile("fuzz.tick", src, check.Options{})
		for _, d := range res.Diags {
			if !d.Pos.IsValid() {
				continue
			}
			if d.Pos.Offset < 0 || d.Pos.Offset > len(src) {
				t.Fatalf("diagnostic %q at offset %d outside a %d-byte source", d.Msg, d.Pos.Offset, len(src))
			}
		}
		if !res.Diags.HasErrors() && res.Pipeline == nil {
			t.Fatalf("no errors but no pipeline")
		}
	})
}
