package taskbuild

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/tickc/tickc"
)

// ModulePath is the module the generated code imports the runtime from.
const ModulePath = "github.com/tickc/tickc"

// runtimeSource is the embedded runtime, read once: the files a task
// binary needs (no tests), the go directive, and their content hash.
type runtimeSource struct {
	files     map[string][]byte // slash path under the module root -> content
	goVersion string            // go directive of tickc's go.mod, e.g. "1.26.0"
	hash      string            // hex, identifies this runtime version
}

var (
	embeddedOnce sync.Once
	embedded     *runtimeSource
	embeddedErr  error
)

// embeddedRuntime returns the runtime source carried by this tickc binary.
func embeddedRuntime() (*runtimeSource, error) {
	embeddedOnce.Do(func() { embedded, embeddedErr = loadRuntime(tickc.Source) })
	return embedded, embeddedErr
}

// loadRuntime reads the runtime package and the go directive from fsys,
// which is laid out like the module root.
func loadRuntime(fsys fs.FS) (*runtimeSource, error) {
	rs := &runtimeSource{files: map[string][]byte{}}
	gomod, err := fs.ReadFile(fsys, "go.mod")
	if err != nil {
		return nil, fmt.Errorf("embedded go.mod: %w", err)
	}
	if rs.goVersion = goDirective(gomod); rs.goVersion == "" {
		return nil, fmt.Errorf("embedded go.mod has no go directive")
	}
	err = fs.WalkDir(fsys, "runtime", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isBuildSource(p) {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rs.files[p] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded runtime: %w", err)
	}
	if len(rs.files) == 0 {
		return nil, fmt.Errorf("embedded runtime has no Go files")
	}
	rs.hash = rs.contentHash()
	return rs, nil
}

// isBuildSource reports whether a file under runtime/ goes into task
// binaries: Go files, not tests, nothing under testdata.
func isBuildSource(p string) bool {
	if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
		return false
	}
	for _, part := range strings.Split(path.Dir(p), "/") {
		if part == "testdata" {
			return false
		}
	}
	return true
}

// goDirective returns the version of go.mod's `go` line.
func goDirective(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "go" {
			return f[1]
		}
	}
	return ""
}

// contentHash hashes the go directive and every file (name and content)
// in name order, so any change to the runtime gives a new version.
func (rs *runtimeSource) contentHash() string {
	names := make([]string, 0, len(rs.files))
	for n := range rs.files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "go %s\n", rs.goVersion)
	for _, n := range names {
		fmt.Fprintf(h, "%s %d\n", n, len(rs.files[n]))
		h.Write(rs.files[n])
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// goMod is the go.mod of the runtime module as written to the cache: the
// runtime is standard-library only, so it requires nothing.
func (rs *runtimeSource) goMod() []byte {
	return []byte(fmt.Sprintf("module %s\n\ngo %s\n", ModulePath, rs.goVersion))
}

// materialize writes the runtime module into root/<hash> unless it is
// already there and returns that folder. The folder's path stays the same
// for a runtime version, so the Go build cache keeps the compiled runtime
// across tasks. Concurrent callers are safe: the tree is written into a
// temporary folder and renamed into place.
func (rs *runtimeSource) materialize(root string) (string, error) {
	dir := filepath.Join(root, rs.hash)
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		touch(filepath.Join(dir, "go.mod"))
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(root, ".runtime-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	for name, content := range rs.files {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), rs.goMod(), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process may have won the race; its copy is identical.
		if _, statErr := os.Stat(filepath.Join(dir, "go.mod")); statErr == nil {
			return dir, nil
		}
		return "", fmt.Errorf("installing the runtime source: %w", err)
	}
	trimRuntimes(root, dir)
	return dir, nil
}
