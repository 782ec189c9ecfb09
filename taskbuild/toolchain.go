package taskbuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// DefaultGoDirs are searched for a `go` command when PATH has none: the
// official installers put Go there.
var DefaultGoDirs = []string{"/usr/local/go/bin"}

// ErrNoGo is returned (wrapped in a message saying where tickc looked) when
// no Go toolchain can be found.
var ErrNoGo = errors.New("no Go toolchain found")

// toolchain is the Go command a build runs and what it reports about
// itself under the build's environment.
type toolchain struct {
	Go      string // path of the go command
	Version string // e.g. go1.26.8
	GOOS    string // default target when none is asked for
	GOARCH  string
}

// findGo returns the go command from PATH, else from one of dirs.
func findGo(dirs []string) (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	for _, d := range dirs {
		p := filepath.Join(d, "go")
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	where := "PATH"
	if len(dirs) > 0 {
		where += " or " + strings.Join(dirs, ", ")
	}
	return "", fmt.Errorf("%w: tickc needs the go command to compile a task into a binary, "+
		"and there is none in %s; install Go (https://go.dev/dl/) and put its bin folder on PATH", ErrNoGo, where)
}

// probeToolchain finds the go command and asks it for its version and
// default target. It runs in dir (outside any user module, so a go.mod
// there cannot make the go command switch toolchains) with env.
func probeToolchain(ctx context.Context, dirs []string, dir string, env []string) (*toolchain, error) {
	goBin, err := findGo(dirs)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, goBin, "env", "GOVERSION", "GOOS", "GOARCH")
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s env: %v: %s", goBin, err, strings.TrimSpace(stderr.String()))
	}
	f := strings.Fields(string(out))
	if len(f) != 3 {
		return nil, fmt.Errorf("%s env: unexpected output %q", goBin, out)
	}
	return &toolchain{Go: goBin, Version: f[0], GOOS: f[1], GOARCH: f[2]}, nil
}
