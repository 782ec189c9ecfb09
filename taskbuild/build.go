// Package taskbuild turns the Go source that codegen writes for a task
// into a binary, with the go command, hermetically and with caching.
//
// A build folder is a module holding the generated main.go and a go.mod
// that requires github.com/tickc/tickc, replaced by a copy of the runtime
// source this tickc carries (see the root package tickc). That copy is
// written once per runtime version into the cache folder, so its path is
// stable and the Go build cache reuses the compiled runtime: a new task
// only compiles its own main package and links.
//
// Binaries are cached too, keyed by the generated source, the runtime
// version, the target and the Go version, so rebuilding an unchanged task
// runs no compiler at all.
//
// The build runs without network (GOPROXY=off, GOTOOLCHAIN=local, no
// workspace) and without cgo, so a binary is static and cross-compiling is
// only a matter of GOOS/GOARCH.
package taskbuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/version"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// cacheFormat changes when the layout or the build flags change, so old
// cached binaries are not reused.
const cacheFormat = "tickc-taskbuild-1"

// goBuildFlags are the flags of every task build: reproducible paths, no
// VCS lookup (the build folder is temporary), no symbol table or DWARF
// (smaller binaries, faster links; stack traces keep function names).
var goBuildFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=-s -w"}

// Target is the platform a binary is built for; empty fields mean the go
// command's default (the host, unless GOOS/GOARCH are set).
type Target struct {
	GOOS, GOARCH string
}

// Builder builds task binaries. The zero value is ready to use.
type Builder struct {
	// CacheDir holds the runtime source copies and the built binaries;
	// DefaultCacheDir() when empty.
	CacheDir string
	// GoDirs are searched for the go command when PATH has none;
	// DefaultGoDirs when nil.
	GoDirs []string
	// MaxCacheBytes bounds the cached binaries (least recently used go
	// first); DefaultMaxCacheBytes when 0.
	MaxCacheBytes int64
}

// Binary is the result of a build.
type Binary struct {
	// Path of the binary inside the cache. It is shared: copy it (Install)
	// rather than changing it.
	Path string
	// Cached is true when the binary came from the cache and no compiler
	// ran.
	Cached bool
	// Key is the cache key (hex).
	Key string
}

// BuildError is a failing go build of generated code; Output is what the
// go command printed.
type BuildError struct {
	Output string
	Err    error
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("go build of the generated task failed (%v):\n%s", e.Err, strings.TrimRight(e.Output, "\n"))
}

func (e *BuildError) Unwrap() error { return e.Err }

// DefaultCacheDir is $TICKC_CACHE if set, else tickc/ under the user's
// cache folder (os.UserCacheDir), else under the temporary folder.
func DefaultCacheDir() string {
	if d := os.Getenv("TICKC_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "tickc")
	}
	return filepath.Join(os.TempDir(), "tickc-cache")
}

func (b *Builder) cacheDir() (string, error) {
	d := b.CacheDir
	if d == "" {
		d = DefaultCacheDir()
	}
	return filepath.Abs(d)
}

func (b *Builder) goDirs() []string {
	if b.GoDirs == nil {
		return DefaultGoDirs
	}
	return b.GoDirs
}

// hermeticEnv is the go command's environment: the caller's, made hermetic.
// GOFLAGS is replaced so that user flags (-mod=vendor, …) cannot change
// the build; -mod=mod lets the go command complete go.mod by itself if it
// ever needs to, which without a proxy can only use what is local.
func hermeticEnv(extra ...string) []string {
	env := os.Environ()
	env = append(env,
		"CGO_ENABLED=0",
		"GO111MODULE=on",
		"GOFLAGS=-mod=mod",
		"GOPROXY=off",
		"GOSUMDB=off",
		"GOWORK=off",
		"GOTOOLCHAIN=local",
	)
	// Without a home folder the go command has no default build cache
	// and refuses to build; give it one beside tickc's.
	if os.Getenv("GOCACHE") == "" {
		if _, err := os.UserCacheDir(); err != nil {
			env = append(env, "GOCACHE="+filepath.Join(DefaultCacheDir(), "go-build"))
		}
	}
	return append(env, extra...)
}

// setup finds the toolchain and installs the runtime source.
func (b *Builder) setup(ctx context.Context) (cache string, rs *runtimeSource, runtimeDir string, tc *toolchain, err error) {
	if cache, err = b.cacheDir(); err != nil {
		return
	}
	if rs, err = embeddedRuntime(); err != nil {
		return
	}
	if runtimeDir, err = rs.materialize(cache); err != nil {
		return
	}
	if tc, err = probeToolchain(ctx, b.goDirs(), cache, hermeticEnv()); err != nil {
		return
	}
	if version.IsValid(tc.Version) && version.Compare(tc.Version, "go"+rs.goVersion) < 0 {
		err = fmt.Errorf("%s is %s, but task binaries need go %s or newer", tc.Go, tc.Version, rs.goVersion)
	}
	return
}

// Build compiles mainSrc (a main package importing the runtime) for
// target, or returns the cached binary built from the same inputs.
func (b *Builder) Build(ctx context.Context, mainSrc []byte, target Target) (*Binary, error) {
	cache, rs, runtimeDir, tc, err := b.setup(ctx)
	if err != nil {
		return nil, err
	}
	if target.GOOS == "" {
		target.GOOS = tc.GOOS
	}
	if target.GOARCH == "" {
		target.GOARCH = tc.GOARCH
	}
	key := binaryKey(mainSrc, rs.hash, tc.Version, target)
	name := key
	if target.GOOS == "windows" {
		name += ".exe"
	}
	binDir := filepath.Join(cache, "bin")
	out := filepath.Join(binDir, name)
	if st, err := os.Stat(out); err == nil && st.Mode().IsRegular() {
		touch(out)
		return &Binary{Path: out, Cached: true, Key: key}, nil
	}

	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(cache, ".build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	if err := writePackage(work, mainSrc, rs, runtimeDir); err != nil {
		return nil, err
	}
	tmpOut := filepath.Join(work, "task.bin")
	args := append([]string{"build"}, goBuildFlags...)
	args = append(args, "-o", tmpOut, ".")
	cmd := exec.CommandContext(ctx, tc.Go, args...)
	cmd.Dir = work
	cmd.Env = hermeticEnv("GOOS="+target.GOOS, "GOARCH="+target.GOARCH)
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Run(); err != nil {
		return nil, &BuildError{Output: output.String(), Err: err}
	}
	// Rename within the cache folder is atomic: a concurrent build of the
	// same key leaves one identical binary.
	if err := os.Rename(tmpOut, out); err != nil {
		return nil, err
	}
	maxBytes := b.MaxCacheBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxCacheBytes
	}
	trimBinaries(binDir, maxBytes, out)
	return &Binary{Path: out, Key: key}, nil
}

// binaryKey identifies a binary by everything it is built from.
func binaryKey(mainSrc []byte, runtimeHash, goVersion string, t Target) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nruntime %s\n%s\n%s/%s\nflags %q\n", cacheFormat, runtimeHash, goVersion, t.GOOS, t.GOARCH, goBuildFlags)
	h.Write(mainSrc)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Emit writes the generated package as a build would see it (main.go and
// a go.mod pointing at the cached runtime source) into dir, for reading or
// building by hand (`cd dir && go build`).
func (b *Builder) Emit(dir string, mainSrc []byte) error {
	cache, err := b.cacheDir()
	if err != nil {
		return err
	}
	rs, err := embeddedRuntime()
	if err != nil {
		return err
	}
	runtimeDir, err := rs.materialize(cache)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writePackage(dir, mainSrc, rs, runtimeDir)
}

// writePackage writes main.go and go.mod of a task's build folder.
func writePackage(dir string, mainSrc []byte, rs *runtimeSource, runtimeDir string) error {
	if err := os.WriteFile(filepath.Join(dir, "main.go"), mainSrc, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "go.mod"), taskGoMod(rs.goVersion, runtimeDir), 0o644)
}

// taskGoMod is the go.mod of a build folder. The replaced module is a
// local folder, so no go.sum is needed and nothing is downloaded.
func taskGoMod(goVersion, runtimeDir string) []byte {
	return []byte(fmt.Sprintf(`// Generated by tickc build.
module tickc.task

go %s

require %s v0.0.0

replace %s => %s
`, goVersion, ModulePath, ModulePath, quoteModPath(runtimeDir)))
}

// quoteModPath quotes a folder path for go.mod when it has spaces or
// other characters the go.mod syntax does not take bare.
func quoteModPath(p string) string {
	if strings.ContainsAny(p, " \t\"'`\\()") {
		return fmt.Sprintf("%q", p)
	}
	return p
}

// Install copies a built binary to dst (made executable), replacing dst
// atomically when it exists.
func Install(bin *Binary, dst string) error {
	src, err := os.Open(bin.Path)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return errors.Join(fmt.Errorf("installing %s", dst), err)
	}
	return nil
}

// warmSource is a main package that only links the runtime.
const warmSource = `// Generated by tickc build --warm: links the runtime and nothing else.
package main

import _ "github.com/tickc/tickc/runtime"

func main() {}
`

// Warm compiles the runtime (and the parts of the standard library it
// uses) for target into the Go build cache, so that the first task build
// only compiles its own package and links. On a machine with a cold Go
// cache this is the long build (minutes on a small machine); afterwards
// it returns at once.
func (b *Builder) Warm(ctx context.Context, target Target) (*Binary, error) {
	return b.Build(ctx, []byte(warmSource), target)
}
