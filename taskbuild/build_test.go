package taskbuild

import (
	"bytes"
	"context"
	"debug/elf"
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// probeMain is a main package that links the runtime, independent of
// which nodes and codegen emitters exist.
const probeMain = `package main

import (
	"fmt"

	rt "github.com/tickc/tickc/runtime"
)

func main() {
	t := rt.NewTask("probe", "stream", nil)
	fmt.Println("%s", t.ID)
}
`

func probeSource(greeting string) []byte {
	return []byte(strings.Replace(probeMain, "%s", greeting, 1))
}

// newBuilder is a Builder with a cache of its own, so tests do not see
// each other's binaries (the Go build cache is still shared).
func newBuilder(t *testing.T) *Builder {
	t.Helper()
	return &Builder{CacheDir: t.TempDir()}
}

func run(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("running %s: %v\n%s", bin, err, out)
	}
	return string(out)
}

func TestBuildCachesBinaries(t *testing.T) {
	b := newBuilder(t)
	ctx := context.Background()

	first, err := b.Build(ctx, probeSource("hello"), Target{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached {
		t.Errorf("first build reported a cache hit")
	}
	if got := run(t, first.Path); got != "hello probe\n" {
		t.Errorf("binary printed %q, want %q", got, "hello probe\n")
	}

	again, err := b.Build(ctx, probeSource("hello"), Target{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Cached || again.Path != first.Path || again.Key != first.Key {
		t.Errorf("unchanged source: got %+v, want a cache hit on %+v", again, first)
	}

	changed, err := b.Build(ctx, probeSource("bye"), Target{})
	if err != nil {
		t.Fatal(err)
	}
	if changed.Cached || changed.Key == first.Key {
		t.Errorf("changed source: got %+v, want a fresh build with a new key", changed)
	}
	if got := run(t, changed.Path); got != "bye probe\n" {
		t.Errorf("rebuilt binary printed %q", got)
	}
	// The first binary is still cached beside the second.
	if got := run(t, first.Path); got != "hello probe\n" {
		t.Errorf("first binary now prints %q", got)
	}
}

func TestBinaryKeyCoversEveryInput(t *testing.T) {
	base := binaryKey([]byte("src"), "rt1", "go1.26.0", Target{"linux", "amd64"})
	for name, key := range map[string]string{
		"source":  binaryKey([]byte("src2"), "rt1", "go1.26.0", Target{"linux", "amd64"}),
		"runtime": binaryKey([]byte("src"), "rt2", "go1.26.0", Target{"linux", "amd64"}),
		"go":      binaryKey([]byte("src"), "rt1", "go1.26.1", Target{"linux", "amd64"}),
		"goos":    binaryKey([]byte("src"), "rt1", "go1.26.0", Target{"darwin", "amd64"}),
		"goarch":  binaryKey([]byte("src"), "rt1", "go1.26.0", Target{"linux", "arm64"}),
	} {
		if key == base {
			t.Errorf("changing the %s keeps the key", name)
		}
	}
	if again := binaryKey([]byte("src"), "rt1", "go1.26.0", Target{"linux", "amd64"}); again != base {
		t.Errorf("same inputs, different keys")
	}
}

func TestInstallCopiesTheBinary(t *testing.T) {
	b := newBuilder(t)
	bin, err := b.Build(context.Background(), probeSource("installed"), Target{})
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "task")
	for range 2 { // the second install replaces the first
		if err := Install(bin, dst); err != nil {
			t.Fatal(err)
		}
	}
	if got := run(t, dst); got != "installed probe\n" {
		t.Errorf("installed binary printed %q", got)
	}
}

func TestEmitWritesABuildablePackage(t *testing.T) {
	b := newBuilder(t)
	dir := filepath.Join(t.TempDir(), "emitted")
	src := probeSource("emitted")
	if err := b.Emit(dir, src); err != nil {
		t.Fatal(err)
	}
	main, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil || !bytes.Equal(main, src) {
		t.Fatalf("main.go = %q, %v; want the generated source", main, err)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var replaced string
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(line, "replace "+ModulePath+" => "); ok {
			replaced = rest
		}
	}
	if !strings.Contains(string(gomod), "require "+ModulePath+" ") || replaced == "" {
		t.Fatalf("go.mod does not require and replace %s:\n%s", ModulePath, gomod)
	}
	if _, err := os.Stat(filepath.Join(replaced, "runtime", "task.go")); err != nil {
		t.Errorf("the replacement folder lacks the runtime source: %v", err)
	}
	if _, err := os.Stat(filepath.Join(replaced, "runtime", "doc_test.go")); err == nil {
		t.Errorf("the runtime copy holds test files")
	}

	// The folder builds by hand, offline, like the builder builds it.
	goBin, err := findGo(DefaultGoDirs)
	if err != nil {
		t.Skip(err)
	}
	out := filepath.Join(t.TempDir(), "task")
	cmd := exec.Command(goBin, "build", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = hermeticEnv()
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build in the emitted folder: %v\n%s", err, msg)
	}
	if got := run(t, out); got != "emitted probe\n" {
		t.Errorf("hand-built binary printed %q", got)
	}
}

func TestMissingGoToolchain(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // an empty folder: no go on PATH
	b := &Builder{CacheDir: t.TempDir(), GoDirs: []string{t.TempDir()}}
	_, err := b.Build(context.Background(), probeSource("x"), Target{})
	if !errors.Is(err, ErrNoGo) {
		t.Fatalf("Build without go: err = %v, want ErrNoGo", err)
	}
	for _, want := range []string{"PATH", b.GoDirs[0], "https://go.dev/dl/"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not mention %q", err, want)
		}
	}
}

func TestGoFoundOutsidePath(t *testing.T) {
	goBin, err := findGo(DefaultGoDirs)
	if err != nil {
		t.Skip(err)
	}
	t.Setenv("PATH", t.TempDir())
	got, err := findGo([]string{filepath.Dir(goBin)})
	if err != nil || got != goBin {
		t.Errorf("findGo = %q, %v; want %q from the fallback folder", got, err, goBin)
	}
}

func TestCrossCompile(t *testing.T) {
	arch := "arm64"
	machine := elf.EM_AARCH64
	if runtime.GOARCH == "arm64" {
		arch, machine = "amd64", elf.EM_X86_64
	}
	b := newBuilder(t)
	bin, err := b.Build(context.Background(), probeSource("cross"), Target{GOOS: "linux", GOARCH: arch})
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(bin.Path)
	if err != nil {
		t.Fatalf("not an ELF binary: %v", err)
	}
	defer f.Close()
	if f.Machine != machine {
		t.Errorf("binary is for %v, want %v", f.Machine, machine)
	}
	host, err := b.Build(context.Background(), probeSource("cross"), Target{GOOS: "linux", GOARCH: runtime.GOARCH})
	if err != nil {
		t.Fatal(err)
	}
	if host.Key == bin.Key {
		t.Errorf("two targets share a cache key")
	}
}

func TestBuildErrorShowsCompilerOutput(t *testing.T) {
	b := newBuilder(t)
	_, err := b.Build(context.Background(), []byte("package main\n\nfunc main() { undefinedThing() }\n"), Target{})
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want *BuildError", err)
	}
	if !strings.Contains(be.Output, "undefinedThing") {
		t.Errorf("output does not name the error: %q", be.Output)
	}
}

// TestRuntimeIsSelfContained guards the embedding: every source file of
// ../runtime is carried, and the runtime imports only the standard library
// and itself, so a build needs nothing but the embedded copy.
func TestRuntimeIsSelfContained(t *testing.T) {
	rs, err := embeddedRuntime()
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(filepath.Join("..", "runtime"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("..", p)
		rel = filepath.ToSlash(rel)
		if isBuildSource(rel) {
			if _, ok := rs.files[rel]; !ok {
				t.Errorf("%s is not embedded: extend the go:embed patterns in tickc_embed.go", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]bool{}
	for name := range rs.files {
		dirs[filepath.ToSlash(filepath.Dir(name))] = true
	}
	fset := token.NewFileSet()
	for name, content := range rs.files {
		f, err := parser.ParseFile(fset, name, content, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if !strings.Contains(first, ".") {
				continue // standard library
			}
			rel, ok := strings.CutPrefix(path, ModulePath+"/")
			if !ok || !dirs[rel] {
				t.Errorf("%s imports %s, which task builds cannot resolve offline", name, path)
			}
		}
	}
}

func TestRuntimeHashFollowsContent(t *testing.T) {
	fsys := func(task string) fs.FS {
		files := fstest.MapFS{}
		for name, content := range map[string]string{
			"go.mod":                "module x\n\ngo 1.26.0\n",
			"runtime/task.go":       task,
			"runtime/task_test.go":  "package runtime // not part of builds",
			"runtime/testdata/x.go": "ignored",
			"runtime/README.md":     "ignored",
		} {
			files[name] = &fstest.MapFile{Data: []byte(content)}
		}
		return files
	}
	a, err := loadRuntime(fsys("package runtime // a"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.files) != 1 || a.goVersion != "1.26.0" {
		t.Errorf("loaded %d files, go %q; want only runtime/task.go, go 1.26.0", len(a.files), a.goVersion)
	}
	b, _ := loadRuntime(fsys("package runtime // b"))
	if a.hash == b.hash {
		t.Errorf("different runtime content, same hash")
	}
}

// BenchmarkCachedBuild is the cost of building an unchanged task: probe
// the toolchain, hash, find the binary in the cache.
func BenchmarkCachedBuild(b *testing.B) {
	bld := &Builder{CacheDir: b.TempDir()}
	ctx := context.Background()
	if _, err := bld.Build(ctx, probeSource("bench"), Target{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if bin, err := bld.Build(ctx, probeSource("bench"), Target{}); err != nil || !bin.Cached {
			b.Fatal(bin, err)
		}
	}
}

// BenchmarkChangedBuild is the cost of building a task the cache has not
// seen, with the runtime already in the Go build cache.
func BenchmarkChangedBuild(b *testing.B) {
	bld := &Builder{CacheDir: b.TempDir()}
	ctx := context.Background()
	if _, err := bld.Build(ctx, probeSource("warm"), Target{}); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		if bin, err := bld.Build(ctx, probeSource("v"+strconv.Itoa(i)), Target{}); err != nil || bin.Cached {
			b.Fatal(bin, err)
		}
	}
}

func TestWarmLinksTheRuntimeOnce(t *testing.T) {
	b := newBuilder(t)
	first, err := b.Warm(context.Background(), Target{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.Warm(context.Background(), Target{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached || !again.Cached {
		t.Errorf("warm twice: cached %v then %v, want false then true", first.Cached, again.Cached)
	}
}

func TestTrimBinariesDropsTheLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	base := time.Now().Add(-time.Hour)
	for i, name := range []string{"old", "mid", "new", "kept"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, make([]byte, 100), 0o755)
		stamp := base.Add(time.Duration(i) * time.Minute)
		if name == "kept" {
			stamp = base.Add(-time.Hour) // the oldest, but just built
		}
		os.Chtimes(p, stamp, stamp)
	}
	trimBinaries(filepath.Join(dir), 350, filepath.Join(dir, "kept"))
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	// 400 bytes > 350: remove down to 262, oldest first, sparing "kept".
	if want := []string{"kept", "new"}; !reflect.DeepEqual(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
	trimBinaries(dir, 1000, "")
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("trimming under the limit removed files")
	}
}

func TestTrimRuntimesKeepsRecentCopies(t *testing.T) {
	root := t.TempDir()
	mk := func(name string, age time.Duration) string {
		dir := filepath.Join(root, name)
		os.MkdirAll(dir, 0o755)
		p := filepath.Join(dir, "go.mod")
		os.WriteFile(p, nil, 0o644)
		stamp := time.Now().Add(-age)
		os.Chtimes(p, stamp, stamp)
		return dir
	}
	current := mk("current", 30*24*time.Hour)
	stale := mk("stale", 30*24*time.Hour)
	recent := mk("recent", time.Hour)
	os.MkdirAll(filepath.Join(root, "bin"), 0o755)
	trimRuntimes(root, current)
	for dir, want := range map[string]bool{current: true, stale: false, recent: true, filepath.Join(root, "bin"): true} {
		if _, err := os.Stat(dir); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(dir), err == nil, want)
		}
	}
}
