package taskbuild

import (
	"os"
	"path/filepath"
	"sort"
	"time"
)

// DefaultMaxCacheBytes bounds the cached binaries: a conformance run
// builds a few hundred binaries of several MB each per runtime version,
// and every runtime change makes all of them stale.
const DefaultMaxCacheBytes = 2 << 30

// staleRuntimeAge is how long an unused runtime copy is kept.
const staleRuntimeAge = 7 * 24 * time.Hour

// touch marks a cache entry as used now; trimming removes the entries
// used least recently.
func touch(path string) {
	now := time.Now()
	_ = os.Chtimes(path, now, now)
}

// trimBinaries removes the least recently used binaries of binDir until
// they take at most maxBytes (down to 3/4 of it, so that trimming does
// not run after every build). keep is never removed. Errors are ignored:
// a cache that cannot be trimmed still works.
func trimBinaries(binDir string, maxBytes int64, keep string) {
	entries, err := os.ReadDir(binDir)
	if err != nil {
		return
	}
	type file struct {
		path string
		size int64
		used time.Time
	}
	var files []file
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		files = append(files, file{filepath.Join(binDir, e.Name()), info.Size(), info.ModTime()})
		total += info.Size()
	}
	if total <= maxBytes {
		return
	}
	sort.Slice(files, func(i, j int) bool { return files[i].used.Before(files[j].used) })
	for _, f := range files {
		if total <= maxBytes*3/4 {
			break
		}
		if f.path == keep {
			continue
		}
		if os.Remove(f.path) == nil {
			total -= f.size
		}
	}
}

// trimRuntimes removes runtime copies under cacheDir other than current
// that no build has used for staleRuntimeAge (each build touches its
// copy's go.mod).
func trimRuntimes(cacheDir, current string) {
	entries, err := os.ReadDir(cacheDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(cacheDir, e.Name())
		if !e.IsDir() || dir == current {
			continue
		}
		info, err := os.Stat(filepath.Join(dir, "go.mod"))
		if err != nil || time.Since(info.ModTime()) < staleRuntimeAge {
			continue // not a runtime copy, or in use
		}
		os.RemoveAll(dir)
	}
}
