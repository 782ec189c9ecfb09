package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/taskbuild"
)

const replayData = "testdata/replay"

// testCache is the tickc cache of this package's tests: shared between
// them, so a task is built once, and apart from the user's.
var testCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tickc-test-cache-")
	if err != nil {
		panic(err)
	}
	testCache = dir
	os.Setenv("TICKC_CACHE", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestReplayBinaryArgs(t *testing.T) {
	o := &replayOptions{
		Dbrps:      []string{"db.rp", "db2.rp,odd"},
		Recordings: []string{"in.0.brpl", "in.1.brpl"},
		Precision:  "ms",
		ClockZero:  "1971-01-01T00:00:00Z",
		Duration:   "15s",
		Vars:       "vars.json",
		Capture:    true,
		Out:        "result.json",
		Script:     "task.tick",
	}
	want := []string{"replay",
		"--dbrp", "db.rp", "--dbrp", "db2.rp,odd",
		"--recording", "in.0.brpl", "--recording", "in.1.brpl",
		"--precision", "ms", "--clock-zero", "1971-01-01T00:00:00Z", "--duration", "15s",
		"--capture", "--out", "result.json"}
	if got := o.binaryArgs(); !reflect.DeepEqual(got, want) {
		t.Errorf("binaryArgs:\n got %q\nwant %q", got, want)
	}
	// Flags not given are left to the binary's defaults.
	if got := (&replayOptions{Script: "t.tick"}).binaryArgs(); !reflect.DeepEqual(got, []string{"replay"}) {
		t.Errorf("binaryArgs of no flags = %q", got)
	}
}

func TestRepeatedFlagKeepsCommas(t *testing.T) {
	var r repeated
	for _, v := range []string{"a,b", "c"} {
		if err := r.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(r.values, []string{"a,b", "c"}) {
		t.Errorf("values = %q", r.values)
	}
}

// result is result.json as FORMAT.md shapes it.
type result struct {
	HTTPOut     map[string]json.RawMessage `json:"httpOut"`
	Alerts      []json.RawMessage          `json:"alerts"`
	HTTPPost    []json.RawMessage          `json:"httpPost"`
	InfluxDBOut []json.RawMessage          `json:"influxdbOut"`
	Error       *string                    `json:"error"`
}

func readResult(t *testing.T, path string) (result, map[string]json.RawMessage) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no result.json: %v", err)
	}
	var r result
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("result.json: %v\n%s", err, data)
	}
	json.Unmarshal(data, &keys)
	return r, keys
}

func TestReplayOfAnUncreatableTaskWritesAnError(t *testing.T) {
	dir := t.TempDir()
	badJSON := filepath.Join(dir, "bad.json")
	os.WriteFile(badJSON, []byte(`{"threshold": `), 0o644)
	wrongType := filepath.Join(dir, "wrong.json")
	os.WriteFile(wrongType, []byte(`{"threshold": {"type": "string", "value": "x"}}`), 0o644)

	for _, tc := range []struct {
		name, script, vars, wantErr, wantStderr string
	}{
		{"syntax", "broken.tick", "", "broken.tick:5:17", "10x"},
		{"vars of the wrong type", "where.tick", wrongType, "threshold", "threshold"},
		{"malformed vars", "where.tick", badJSON, "bad.json", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "result.json")
			o := &replayOptions{
				Dbrps: []string{"db.rp"}, Recordings: []string{filepath.Join(replayData, "input.srpl")},
				Precision: "s", ClockZero: "1971-01-01T00:00:00Z", Duration: "10s",
				Vars: tc.vars, Capture: true, Out: out, Script: filepath.Join(replayData, tc.script),
			}
			var stdout, stderr bytes.Buffer
			// No Go toolchain is needed: nothing is built.
			b := &taskbuild.Builder{CacheDir: t.TempDir(), GoDirs: []string{}}
			t.Setenv("PATH", t.TempDir())
			code, err := runReplay(context.Background(), o, b, &stdout, &stderr)
			if err != nil || code != 0 {
				t.Fatalf("runReplay = %d, %v; want 0, nil (stderr %q)", code, err, stderr.String())
			}
			r, keys := readResult(t, out)
			if len(keys) != 5 {
				t.Errorf("result has keys %v, want the five of FORMAT.md", reflect.ValueOf(keys).MapKeys())
			}
			if r.Error == nil || !strings.Contains(*r.Error, tc.wantErr) {
				t.Errorf("error = %v, want one mentioning %q", r.Error, tc.wantErr)
			}
			if r.HTTPOut == nil || r.Alerts == nil || r.HTTPPost == nil || r.InfluxDBOut == nil ||
				len(r.HTTPOut)+len(r.Alerts)+len(r.HTTPPost)+len(r.InfluxDBOut) != 0 {
				t.Errorf("outputs of a task that never ran are not empty: %+v", r)
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr %q does not show %q", stderr.String(), tc.wantStderr)
			}
		})
	}
}

// TestReplayEndToEnd builds a real task binary and replays a recording
// through it as a separate process: dbrp filtering, the duration bound,
// groups in order of first appearance, and a var specialised by --vars.
func TestReplayEndToEnd(t *testing.T) {
	script := filepath.Join(replayData, "where.tick")
	requireBuildable(t, script)
	b := &taskbuild.Builder{CacheDir: testCache}

	type row struct {
		Name    string            `json:"name"`
		Tags    map[string]string `json:"tags"`
		Columns []string          `json:"columns"`
		Values  [][]any           `json:"values"`
	}
	cpu := func(host, time string, value float64) row {
		return row{"cpu", map[string]string{"host": host}, []string{"time", "value"}, [][]any{{time, value}}}
	}
	for _, tc := range []struct {
		name, vars string
		want       []row
	}{
		{"declared threshold", "", []row{cpu("b", "1971-01-01T00:00:01Z", 2), cpu("a", "1971-01-01T00:00:02Z", 3)}},
		{"threshold from vars", filepath.Join(replayData, "vars.json"), []row{cpu("a", "1971-01-01T00:00:02Z", 3)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "result.json")
			o := &replayOptions{
				Dbrps: []string{"db.rp"}, Recordings: []string{filepath.Join(replayData, "input.srpl")},
				Precision: "s", ClockZero: "1971-01-01T00:00:00Z", Duration: "10s",
				Vars: tc.vars, Capture: true, Out: out, Script: script,
			}
			var stdout, stderr bytes.Buffer
			code, err := runReplay(context.Background(), o, b, &stdout, &stderr)
			if err != nil || code != 0 {
				t.Fatalf("runReplay = %d, %v\nstderr: %s", code, err, stderr.String())
			}
			r, _ := readResult(t, out)
			if r.Error == nil || *r.Error != "" {
				t.Fatalf("task error %v", r.Error)
			}
			var body struct{ Series []row }
			if err := json.Unmarshal(r.HTTPOut["out"], &body); err != nil {
				t.Fatalf("httpOut.out: %v (%s)", err, r.HTTPOut["out"])
			}
			if !reflect.DeepEqual(body.Series, tc.want) {
				t.Errorf("httpOut.out series:\n got %+v\nwant %+v", body.Series, tc.want)
			}
			if len(r.Alerts)+len(r.HTTPPost)+len(r.InfluxDBOut) != 0 {
				t.Errorf("unexpected outputs: %+v", r)
			}
		})
	}
}

// requireBuildable skips a test whose script needs node kinds or runtime
// entry points that are not written yet (other parts of tickc grow them);
// any other failure is the test's.
func requireBuildable(t *testing.T, script string) {
	t.Helper()
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	task, err := taskbuild.Generate(script, src, check.Options{})
	if err != nil {
		if strings.Contains(err.Error(), "not supported by tickc build yet") {
			t.Skipf("code generation is not there yet: %v", err)
		}
		t.Fatal(err)
	}
	_, err = (&taskbuild.Builder{CacheDir: testCache}).Build(context.Background(), task.Source, taskbuild.Target{})
	var be *taskbuild.BuildError
	if errors.As(err, &be) && strings.Contains(be.Output, "undefined: rt.Main") {
		t.Skipf("the runtime has no Main yet")
	}
	if err != nil {
		t.Fatal(err)
	}
}
