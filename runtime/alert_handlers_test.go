package runtime

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// runHandlers feeds a CRITICAL and an OK point to an alert node with the
// given handlers outside capture mode, ends the input (which waits for
// the deliveries) and returns the JSON of the two events.
func runHandlers(t *testing.T, handlers ...AlertHandlerSpec) []string {
	t.Helper()
	task := NewTask("task", "stream", nil)
	task.Log = io.Discard
	n := NewAlert(task, 1, "alert1", withAlertDefaults(AlertConfig{Crit: cmp("v", ">", 80), Handlers: handlers}))
	if err := n.InitError(); err != nil {
		t.Fatal(err)
	}
	// A second node in capture mode yields the expected JSON.
	ref := newAlertTestTask(t, "stream", AlertConfig{Crit: cmp("v", ">", 80)})
	for _, line := range []string{"cpu,host=a v=90 1", "cpu,host=a v=1 2"} {
		p := parseTestPoint(t, line)
		p.Regroup(Dimensions{TagNames: []string{"host"}})
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
		ref.point(line, "host")
	}
	if err := n.Done(0); err != nil {
		t.Fatal(err)
	}
	return ref.rawEvents()
}

func str(s string) Value { return String(s) }

func TestAlertLogHandler(t *testing.T) {
	dir := t.TempDir()
	plain, shared := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	events := runHandlers(t,
		AlertHandlerSpec{Kind: "log", Args: []Value{str(plain)}},
		AlertHandlerSpec{Kind: "log", Args: []Value{str(shared)}, Options: []AlertHandlerOption{{Name: "mode", Args: []Value{Int(0o644)}}}},
	)
	want := strings.Join(events, "\n") + "\n"
	for file, mode := range map[string]os.FileMode{plain: 0o600, shared: 0o644} {
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s:\n%s\nwant:\n%s", file, got, want)
		}
		st, _ := os.Stat(file)
		if st.Mode().Perm()&^0o022 != mode&^0o022 {
			t.Errorf("%s: mode %v, want %v", file, st.Mode().Perm(), mode)
		}
	}
}

func TestAlertHandlerStartErrors(t *testing.T) {
	tests := []struct {
		spec AlertHandlerSpec
		want string
	}{
		{AlertHandlerSpec{Kind: "log", Args: []Value{str("rel.log")}}, "alert1: failed to create log alert handler: log path must be absolute: rel.log is not absolute"},
		{AlertHandlerSpec{Kind: "log", Args: []Value{str("/tmp/x.log")}, Options: []AlertHandlerOption{{Name: "mode", Args: []Value{Int(0o444)}}}}, "alert1: failed to create log alert handler: invalid file mode -r--r--r--, must be user writable"},
		{AlertHandlerSpec{Kind: "post"}, "alert1: Either URL or endpoint must be non-empty"},
		{AlertHandlerSpec{Kind: "post", Args: []Value{str("http://x")}, Options: []AlertHandlerOption{{Name: "header", Args: []Value{str("Authenticate"), str("x")}}}}, "alert1: invalid post: cannot set 'authenticate' header"},
	}
	for _, tt := range tests {
		n := NewAlert(NewTask("task", "stream", nil), 1, "alert1", withAlertDefaults(AlertConfig{Handlers: []AlertHandlerSpec{tt.spec}}))
		if err := n.InitError(); err == nil || err.Error() != tt.want {
			t.Errorf("%+v: %v, want %s", tt.spec, err, tt.want)
		}
	}
}

func TestAlertPostHandler(t *testing.T) {
	var mu sync.Mutex
	var bodies, types, custom []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		types = append(types, r.Header.Get("Content-Type"))
		custom = append(custom, r.Header.Get("X-Custom"))
		mu.Unlock()
	}))
	defer srv.Close()
	events := runHandlers(t, AlertHandlerSpec{Kind: "post", Args: []Value{str(srv.URL + "/alert")},
		Options: []AlertHandlerOption{{Name: "header", Args: []Value{str("X-Custom"), str("abc")}}}})
	if len(bodies) != 2 {
		t.Fatalf("%d requests, want 2", len(bodies))
	}
	for i := range bodies {
		if bodies[i] != events[i]+"\n" {
			t.Errorf("body %d: %s\nwant %s", i, bodies[i], events[i])
		}
		if types[i] != "application/json" || custom[i] != "abc" {
			t.Errorf("headers %d: %q %q", i, types[i], custom[i])
		}
	}
}

func TestAlertTCPHandler(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback:", err)
	}
	defer ln.Close()
	got := make(chan string, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			got <- string(b)
		}
	}()
	events := runHandlers(t, AlertHandlerSpec{Kind: "tcp", Args: []Value{str(ln.Addr().String())}})
	for i := range events {
		if b := <-got; b != events[i]+"\n\n" {
			t.Errorf("connection %d: %q", i, b)
		}
	}
}

func TestAlertExecHandler(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	out := filepath.Join(t.TempDir(), "out")
	events := runHandlers(t, AlertHandlerSpec{Kind: "exec", Args: []Value{str("/bin/sh"), str("-c"), str(`cat >> "$0"; echo "{{ .ID }}" >> "$0"`), str(out)}})
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := events[0] + "\n{{ .ID }}\n" + events[1] + "\n{{ .ID }}\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// Capture mode runs no handler at all.
func TestAlertCaptureRunsNoHandler(t *testing.T) {
	file := filepath.Join(t.TempDir(), "never.log")
	a := newAlertTestTask(t, "stream", AlertConfig{Crit: cmp("v", ">", 80), Handlers: []AlertHandlerSpec{{Kind: "log", Args: []Value{str(file)}}}})
	a.point("cpu v=90 1")
	if err := a.node.Done(0); err != nil {
		t.Fatal(err)
	}
	if len(a.events()) != 1 {
		t.Errorf("captured %d events", len(a.events()))
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("the log handler ran in capture mode")
	}
}

// A burst of events reaches a log file whole and in order, however the
// queue batches the writes.
func TestAlertLogHandlerBurst(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.log")
	task := NewTask("task", "stream", nil)
	task.Log = io.Discard
	n := NewAlert(task, 1, "alert1", withAlertDefaults(AlertConfig{Crit: cmp("v", ">", 80),
		Handlers: []AlertHandlerSpec{{Kind: "log", Args: []Value{str(file)}}}}))
	var want strings.Builder
	for i := 0; i < 2000; i++ {
		p := parseTestPoint(t, "cpu,host=a v="+[]string{"90", "1"}[i%2]+" "+strconv.Itoa(i))
		p.Regroup(Dimensions{TagNames: []string{"host"}})
		if err := n.Point(0, p); err != nil {
			t.Fatal(err)
		}
		// The event as sent, from the node's reused event.
		body, err := n.event.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		want.Write(body)
		want.WriteByte('\n')
	}
	if err := n.Done(0); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Errorf("log has %d bytes, want %d", len(got), want.Len())
	}
}
