package parser

import (
	"sync"
	"testing"
)

// TestConcurrentParses parses from several goroutines at once, as the
// language server does; run with -race to check the shared ANTLR state.
func TestConcurrentParses(t *testing.T) {
	srcs := []string{bigScript(200), "var x = )\nstream|from(", `var l = lambda: "a" > 1`}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			src := srcs[i%len(srcs)]
			want := len(srcs[i%len(srcs)])
			prog, _ := ParseFile("c.tick", []byte(src))
			if prog.EOF.Offset != want {
				t.Errorf("EOF at %d, want %d", prog.EOF.Offset, want)
			}
			if _, diags := ParseLambda(`"a" > 1 AND "b" =~ /x/`); len(diags) > 0 {
				t.Errorf("ParseLambda: %v", diags)
			}
		}(i)
	}
	wg.Wait()
}
