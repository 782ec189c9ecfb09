package compiler_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
)

// TestBrokenScripts runs the corpus of broken scripts in
// testdata/check/*.txtar. Each archive holds pairs of files:
//
//	-- NAME.tick --     a script
//	-- NAME.errors --   every diagnostic it must get, one per line, as
//	                    `line:col: message` (warnings: `line:col: warning: message`)
//
// The list must match exactly, so a case also catches cascades of
// follow-on errors.
func TestBrokenScripts(t *testing.T) {
	files, err := filepath.Glob("../testdata/check/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no corpus files in ../testdata/check")
	}
	total := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		scripts, expected := map[string][]byte{}, map[string]string{}
		var order []string
		for _, f := range ar.Files {
			switch {
			case strings.HasSuffix(f.Name, ".tick"):
				name := strings.TrimSuffix(f.Name, ".tick")
				scripts[name] = f.Data
				order = append(order, name)
			case strings.HasSuffix(f.Name, ".errors"):
				expected[strings.TrimSuffix(f.Name, ".errors")] = string(f.Data)
			default:
				t.Fatalf("%s: unexpected file %q", file, f.Name)
			}
		}
		for _, name := range order {
			want, ok := expected[name]
			if !ok {
				t.Errorf("%s: %s.tick has no %s.errors", file, name, name)
				continue
			}
			total++
			t.Run(filepath.Base(file)+"/"+name, func(t *testing.T) {
				res := compiler.Compile(name+".tick", scripts[name], check.Options{})
				got := formatDiags(res)
				if strings.TrimSpace(got) != strings.TrimSpace(want) {
					t.Errorf("diagnostics differ\n--- script\n%s--- got\n%s--- want\n%s", scripts[name], got, want)
				}
				if !res.Diags.HasErrors() && !strings.Contains(want, "warning:") {
					t.Errorf("a broken script was accepted")
				}
			})
		}
		for name := range expected {
			if _, ok := scripts[name]; !ok {
				t.Errorf("%s: %s.errors has no %s.tick", file, name, name)
			}
		}
	}
	t.Logf("%d broken scripts", total)
	// The corpus only grows: the issue asks for at least 150 cases.
	if total < 150 {
		t.Errorf("corpus has %d broken scripts, want at least 150", total)
	}
}

func formatDiags(res *compiler.Result) string {
	lines := make([]string, 0, len(res.Diags))
	for _, d := range res.Diags {
		lines = append(lines, d.Error())
	}
	return strings.Join(lines, "\n") + "\n"
}
