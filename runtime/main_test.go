package runtime

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// outputs is a test node standing in for alert, httpPost and influxDBOut
// nodes: it captures one of each per point, keyed by its own node ID.
type outputs struct {
	Base
}

func (n *outputs) Point(_ int, p *Point) error {
	c := n.Task.Capture
	if c == nil {
		return nil
	}
	v, _ := p.Fields.Get("v")
	c.Alert(n.ID, json.RawMessage(`{"id":"`+n.Name+`","v":`+v.String()+`}`))
	c.Post(n.ID, CapturedPost{URL: "http://x/" + n.Name, Body: json.RawMessage(`{"series":[]}`)})
	c.Write(CapturedWrite{Database: "db", RetentionPolicy: "rp", Measurement: n.Name, Tags: p.Tags.Map(),
		Fields: map[string]any{"v": v.F}, Time: "t", SortTime: -p.Time})
	return nil
}
func (n *outputs) Batch(int, *Batch) error { return nil }

func testSpec() TaskSpec {
	return TaskSpec{
		Name: "task", Type: "stream", Dbrps: []DBRP{{"script", "rp"}},
		Build: func(t *Task) {
			s := NewStream(t, 0, "stream0", StreamConfig{})
			f := NewFrom(t, 1, "from1", FromConfig{Measurement: "cpu", GroupBy: []string{"host"}})
			h := NewHTTPOut(t, 2, "http_out2", HTTPOutConfig{Endpoint: "cpu"})
			// Created in this order, the later ID first: results are
			// ordered by node ID all the same.
			o4 := &outputs{}
			o4.Init(t, 4, "out4", o4)
			o3 := &outputs{}
			o3.Init(t, 3, "out3", o3)
			NewHTTPOut(t, 5, "http_out5", HTTPOutConfig{Endpoint: "never"})
			Link(s, f, 0)
			Link(f, h, 0)
			Link(f, o4, 0)
			Link(f, o3, 0)
		},
	}
}

func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	code = Run(testSpec(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestMainReplay(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "input.srpl")
	os.WriteFile(rec, []byte(srpl(
		"db rp cpu,host=b v=1 0",
		"db rp cpu,host=a v=2 1",
		"db rp cpu,host=b v=3 2",
		"db rp cpu,host=b v=4 3", // after the duration
	)), 0o644)
	out := filepath.Join(dir, "result.json")
	code, stdout, stderr := runMain(t, "replay", "--dbrp", "other.x", "--dbrp", "db.rp", "--recording", rec,
		"--precision", "s", "--clock-zero", "1971-01-01T00:00:00Z", "--duration", "2s",
		"--vars", "ignored.json", "--capture", "--out", out, "task.tick")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q", stdout)
	}
	got, _ := os.ReadFile(out)
	want := `{
  "httpOut": {
    "cpu": {
      "series": [
        {
          "name": "cpu",
          "tags": {
            "host": "b"
          },
          "columns": [
            "time",
            "v"
          ],
          "values": [
            [
              "1971-01-01T00:00:02Z",
              3
            ]
          ]
        },
        {
          "name": "cpu",
          "tags": {
            "host": "a"
          },
          "columns": [
            "time",
            "v"
          ],
          "values": [
            [
              "1971-01-01T00:00:01Z",
              2
            ]
          ]
        }
      ]
    },
    "never": {
      "series": null
    }
  },
  "alerts": [
    {
      "id": "out3",
      "v": 1
    },
    {
      "id": "out3",
      "v": 2
    },
    {
      "id": "out3",
      "v": 3
    },
    {
      "id": "out4",
      "v": 1
    },
    {
      "id": "out4",
      "v": 2
    },
    {
      "id": "out4",
      "v": 3
    }
  ],
  "httpPost": [
    {
      "url": "http://x/out3",
      "body": {
        "series": []
      }
    },
    {
      "url": "http://x/out3",
      "body": {
        "series": []
      }
    },
    {
      "url": "http://x/out3",
      "body": {
        "series": []
      }
    },
    {
      "url": "http://x/out4",
      "body": {
        "series": []
      }
    },
    {
      "url": "http://x/out4",
      "body": {
        "series": []
      }
    },
    {
      "url": "http://x/out4",
      "body": {
        "series": []
      }
    }
  ],
  "influxdbOut": [
    {
      "database": "db",
      "retentionPolicy": "rp",
      "measurement": "out3",
      "tags": {
        "host": "b"
      },
      "fields": {
        "v": 3
      },
      "time": "t"
    },
    {
      "database": "db",
      "retentionPolicy": "rp",
      "measurement": "out3",
      "tags": {
        "host": "a"
      },
      "fields": {
        "v": 2
      },
      "time": "t"
    },
    {
      "database": "db",
      "retentionPolicy": "rp",
      "measurement": "out3",
      "tags": {
        "host": "b"
      },
      "fields": {
        "v": 1
      },
      "time": "t"
    },
    {
      "database": "db",
      "retentionPolicy": "rp",
      "measurement": "out4",
      "tags": {
        "host": "b"
      },
      "fields": {
        "v": 3
      },
      "time": "t"
    },
    {
      "database": "db",
      "retentionPolicy": "rp",
      "measurement": "out4",
      "tags": {
        "host": "a"
      },
      "fields": {
        "v": 2
      },
      "time": "t"
    },
    {
      "database": "db",
      "retentionPolicy": "rp",
      "measurement": "out4",
      "tags": {
        "host": "b"
      },
      "fields": {
        "v": 1
      },
      "time": "t"
    }
  ],
  "error": ""
}
`
	if string(got) != want {
		t.Errorf("result.json:\n%s\nwant:\n%s", got, want)
	}
}

func TestMainReplayDefaults(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "input.srpl")
	// Without --dbrp the script's dbrps apply; without --capture nothing
	// is captured; without --out the result goes to stdout.
	os.WriteFile(rec, []byte(srpl("script rp cpu,host=a v=1 5", "db rp cpu,host=b v=1 6")), 0o644)
	code, stdout, stderr := runMain(t, "replay", "--recording", rec, "--precision", "s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	json.Compact(&compact, res.HTTPOut["cpu"])
	if got := compact.String(); !strings.Contains(got, `"host":"a"`) || strings.Contains(got, `"host":"b"`) || !strings.Contains(got, "1970-01-01T00:00:05Z") {
		t.Errorf("httpOut cpu = %s", got)
	}
	if len(res.Alerts) != 0 || len(res.HTTPPost) != 0 || len(res.InfluxDBOut) != 0 {
		t.Errorf("captured without --capture: %+v", res)
	}
}

func TestMainErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.srpl")
	os.WriteFile(bad, []byte("db\nrp\ncpu v=1 1\ndb\nrp\ncpu,host v=1 2\n"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no command", nil, ExitUsage, "usage: task <command>"},
		{"unknown command", []string{"serve-all"}, ExitUsage, `unknown command "serve-all"`},
		{"unknown flag", []string{"replay", "--speed", "2"}, ExitUsage, "flag provided but not defined: -speed"},
		{"bad dbrp", []string{"replay", "--dbrp", "nodot"}, ExitUsage, `--dbrp "nodot": want DATABASE.RETENTION_POLICY`},
		{"bad clock zero", []string{"replay", "--clock-zero", "1971"}, ExitUsage, "--clock-zero"},
		{"bad duration", []string{"replay", "--duration", "10"}, ExitUsage, `--duration: invalid duration "10"`},
		{"extra argument", []string{"replay", "a", "b"}, ExitUsage, "unexpected arguments"},
		{"malformed recording", []string{"replay", "--dbrp", "db.rp", "--recording", bad, "--precision", "s"}, ExitError,
			bad + ":6: unable to parse 'cpu,host v=1 2': missing tag value"},
		{"missing recording", []string{"replay", "--recording", filepath.Join(dir, "none.srpl")}, ExitError, "no such file"},
	}
	for _, tt := range tests {
		code, _, stderr := runMain(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d with %q", tt.name, code, stderr, tt.code, tt.stderr)
		}
	}
	if code, stdout, _ := runMain(t, "help"); code != 0 || !strings.Contains(stdout, "replay") {
		t.Errorf("help: exit %d, %q", code, stdout)
	}
}

// A task that fails still gives a result, with the error set, and exit 0.
func TestMainTaskErrorStillWritesResult(t *testing.T) {
	spec := TaskSpec{Name: "task", Type: "stream", Build: func(t *Task) {
		s := NewStream(t, 0, "stream0", StreamConfig{})
		st := NewStats(t, 1, "stats1", StatsConfig{})
		_, _ = s, st
	}}
	var out, errb strings.Builder
	if code := Run(spec, []string{"replay"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"error": "stats1: stats node must have positive interval"`) {
		t.Errorf("result = %s", out.String())
	}
}
