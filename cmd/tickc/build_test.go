package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/urfave/cli/v2"
)

// runTickc runs the tickc command line in-process and returns its exit
// status.
func runTickc(t *testing.T, args ...string) int {
	t.Helper()
	app := &cli.App{
		Name:           "tickc",
		Commands:       []*cli.Command{buildCommand},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	err := app.Run(append([]string{"tickc"}, args...))
	if err == nil {
		return 0
	}
	if e, ok := err.(cli.ExitCoder); ok {
		return e.ExitCode()
	}
	t.Fatalf("tickc %q: %v", args, err)
	return -1
}

func TestBuildCommand(t *testing.T) {
	script := filepath.Join(replayData, "where.tick")
	requireBuildable(t, script)
	dir := t.TempDir()
	out := filepath.Join(dir, "where-task")
	emit := filepath.Join(dir, "pkg")

	if code := runTickc(t, "build", "-o", out, "--emit", emit, script); code != 0 {
		t.Fatalf("tickc build exited %d", code)
	}
	for _, name := range []string{"main.go", "go.mod"} {
		if _, err := os.Stat(filepath.Join(emit, name)); err != nil {
			t.Errorf("--emit did not write %s: %v", name, err)
		}
	}
	main, _ := os.ReadFile(filepath.Join(emit, "main.go"))
	if !bytes.Contains(main, []byte(`Name:  "where"`)) {
		t.Errorf("emitted main.go does not name the task after its file:\n%s", main)
	}
	// The binary is the task: its replay command runs without tickc.
	res := filepath.Join(dir, "result.json")
	cmd := exec.Command(out, "replay", "--dbrp", "db.rp", "--recording", filepath.Join(replayData, "input.srpl"),
		"--precision", "s", "--clock-zero", "1971-01-01T00:00:00Z", "--duration", "10s", "--capture", "--out", res)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s replay: %v\n%s", out, err, msg)
	}
	r, _ := readResult(t, res)
	if r.Error == nil || *r.Error != "" || len(r.HTTPOut["out"]) == 0 {
		t.Errorf("built binary's replay gave %+v", r)
	}
}

func TestBuildRefusesAScriptWithErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "broken")
	if code := runTickc(t, "build", "-o", out, filepath.Join(replayData, "broken.tick")); code != 1 {
		t.Errorf("tickc build of a broken script exited %d, want 1", code)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a binary was written for a broken script")
	}
}
