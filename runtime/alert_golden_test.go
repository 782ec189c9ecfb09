package runtime

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

var updateAlertGoldens = flag.Bool("update-alert", false, "rewrite the events of runtime/testdata/alert/*.txtar")

// TestAlertGolden runs every testdata/alert/*.txtar: a `config` section
// (key: value lines: task, server, groupBy, type, id, message, details,
// info/warn/crit and their resets as `field op number`, levelTag, …),
// an `input` (stream: line protocol with times in seconds; batch: one
// batch a line, `name tmax tag=v,… | fields time | fields time …`) and
// the expected `events`, one JSON text a line, compared byte for byte.
func TestAlertGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/alert/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string]string{}
			for _, f := range ar.Files {
				sections[f.Name] = string(f.Data)
			}
			got := runAlertGolden(t, sections["config"], sections["input"])
			if *updateAlertGoldens {
				for i := range ar.Files {
					if ar.Files[i].Name == "events" {
						ar.Files[i].Data = []byte(strings.Join(got, "\n") + "\n")
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := strings.Split(strings.TrimRight(sections["events"], "\n"), "\n")
			if len(want) == 1 && want[0] == "" {
				want = nil
			}
			if len(got) != len(want) {
				t.Fatalf("%d events, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("event %d:\ngot:  %s\nwant: %s", i, got[i], want[i])
				}
				if !json.Valid([]byte(got[i])) {
					t.Errorf("event %d is not valid JSON", i)
				}
			}
		})
	}
}

func runAlertGolden(t *testing.T, config, input string) []string {
	cfg := AlertConfig{}
	typ, taskName := "stream", "task"
	server := ReplayServerInfo
	var groupBy []string
	lambdas := map[string]**Lambda{
		"info": &cfg.Info, "warn": &cfg.Warn, "crit": &cfg.Crit,
		"infoReset": &cfg.InfoReset, "warnReset": &cfg.WarnReset, "critReset": &cfg.CritReset,
	}
	strs := map[string]*string{
		"id": &cfg.ID, "message": &cfg.Message, "details": &cfg.Details, "category": &cfg.Category,
		"levelTag": &cfg.LevelTag, "levelField": &cfg.LevelField, "messageField": &cfg.MessageField,
		"durationField": &cfg.DurationField, "idTag": &cfg.IDTag, "idField": &cfg.IDField,
	}
	for _, line := range strings.Split(config, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, _ := strings.Cut(line, ": ")
		switch {
		case k == "task":
			taskName = v
		case k == "type":
			typ = v
		case k == "server":
			f := strings.Fields(v)
			server = ServerInfo{Hostname: f[0], ClusterID: f[1], ServerID: f[2]}
		case k == "groupBy":
			groupBy = strings.Split(v, ",")
		case k == "stateChangesOnly":
			cfg.StateChangesOnly = true
			if v != "" {
				d, _ := time.ParseDuration(v)
				cfg.StateChangesOnlyDuration = d
			}
		case k == "noRecoveries":
			cfg.NoRecoveries = true
		case k == "all":
			cfg.All = true
		case lambdas[k] != nil:
			f := strings.Fields(v)
			x, _ := strconv.ParseFloat(f[2], 64)
			*lambdas[k] = cmp(f[0], f[1], x)
		case strs[k] != nil:
			// Values are Go-quoted when they need escapes.
			if uq, err := strconv.Unquote(v); err == nil {
				v = uq
			}
			*strs[k] = v
		default:
			t.Fatalf("unknown config key %q", k)
		}
	}
	if !hasKey(config, "id") {
		cfg.ID = DefaultAlertID
	}
	if !hasKey(config, "message") {
		cfg.Message = DefaultAlertMessage
	}
	if !hasKey(config, "details") {
		cfg.Details = DefaultAlertDetails
	}
	cfg.History = DefaultAlertHistory
	task := NewTask(taskName, typ, nil)
	task.Server = server
	task.Capture = NewCapture()
	n := NewAlert(task, 1, "alert1", cfg)
	if err := n.InitError(); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(input), "\n") {
		var err error
		if typ == "batch" {
			err = n.Batch(0, parseTestBatch(t, line))
		} else {
			p := parseTestPoint(t, line)
			p.Regroup(Dimensions{TagNames: groupBy})
			err = n.Point(0, p)
		}
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
	}
	var out []string
	out = append(out, capturedAlerts(t, task, n.ID)...)
	return out
}

// parseTestBatch reads `name tmax tag=v,… | f=1,g=2 time | …` (times in
// seconds; `-` for no tags); the batch is grouped by its tags.
func parseTestBatch(t *testing.T, line string) *Batch {
	parts := strings.Split(line, "|")
	head := strings.Fields(parts[0])
	tmax, _ := strconv.ParseFloat(head[1], 64)
	var tags Tags
	if len(head) > 2 && head[2] != "-" {
		for _, kv := range strings.Split(head[2], ",") {
			k, v, _ := strings.Cut(kv, "=")
			tags = tags.Set(k, v)
		}
	}
	b := testBatch(head[0], 0, tags)
	b.TMax = int64(tmax * 1e9)
	for _, pt := range parts[1:] {
		p := parseTestPoint(t, head[0]+" "+strings.TrimSpace(pt))
		b.Points = append(b.Points, Row{Time: p.Time, Tags: tags.Clone(), Fields: p.Fields})
	}
	return b
}

// hasKey reports whether a golden config sets key.
func hasKey(config, key string) bool {
	for _, line := range strings.Split(config, "\n") {
		if strings.HasPrefix(line, key+":") {
			return true
		}
	}
	return false
}
