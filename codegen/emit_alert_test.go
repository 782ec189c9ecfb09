package codegen

import (
	"strings"
	"testing"
)

func TestEmitAlert(t *testing.T) {
	tests := []struct {
		script, node string
		want         []string
	}{
		{
			"stream|from()|alert()",
			"alert2",
			[]string{`rt.NewAlert(t, 2, "alert2", rt.AlertConfig{ID: rt.DefaultAlertID, Message: rt.DefaultAlertMessage, Details: rt.DefaultAlertDetails, History: rt.DefaultAlertHistory, DeferredFields: true})`},
		},
		{
			`stream|from()|alert().id('x').message('').details('').history(5).crit(lambda: "v" > 1).stateChangesOnly(5m).flapping(0.25, 0.5).noRecoveries().all().levelTag('l').idField('i').durationField('d').category('c').topic('tp').inhibit('c2', 'host', 'dc').quiet()`,
			"alert2",
			[]string{`ID: "x",`, `Message: "",`, `Details: "",`, `History: 5,`, `Crit: `, `StateChangesOnly: true,`, `StateChangesOnlyDuration: 5 * time.Minute,`,
				`Flapping: true,`, `FlapLow: 0.25,`, `FlapHigh: 0.5,`, `NoRecoveries: true,`, `All: true,`, `LevelTag: "l",`, `IDField: "i",`, `DurationField: "d",`,
				`Category: "c",`, `Topic: "tp",`, `Inhibitors: []rt.AlertInhibitor{{Category: "c2", EqualTags: []string{"host", "dc"}}},`, `Quiet: true,`},
		},
		{
			`stream|from()|alert().post('http://x').header('a', 'b').timeout(10s).log('/tmp/a.log').mode(0644).exec('/bin/prog', 'a1', 'a2').tcp('h:1').slack().channel('#c')`,
			"alert2",
			[]string{
				`{Kind: "post", Args: []rt.Value{rt.String("http://x")}, Options: []rt.AlertHandlerOption{{Name: "header", Args: []rt.Value{rt.String("a"), rt.String("b")}}, {Name: "timeout", Args: []rt.Value{rt.Dur(10 * time.Second)}}}}`,
				`{Kind: "log", Args: []rt.Value{rt.String("/tmp/a.log")}, Options: []rt.AlertHandlerOption{{Name: "mode", Args: []rt.Value{rt.Int(420)}}}}`,
				`{Kind: "exec", Args: []rt.Value{rt.String("/bin/prog"), rt.String("a1"), rt.String("a2")}}`,
				`{Kind: "tcp", Args: []rt.Value{rt.String("h:1")}}`,
				`{Kind: "slack", Options: []rt.AlertHandlerOption{{Name: "channel", Args: []rt.Value{rt.String("#c")}}}}`,
			},
		},
		{
			// deadman's alert node: the checker's id, message and crit.
			`stream|from()|deadman(10.0, 5s).log('/tmp/d')`,
			"alert5",
			[]string{`ID: "{{ .Group }}:from1 for task '{{ .TaskName }}'",`, `points/5s."`, `Crit: `, `Kind: "log"`},
		},
	}
	for _, tt := range tests {
		got := squeeze(emitNode(t, tt.script, tt.node))
		for _, w := range tt.want {
			if !strings.Contains(got, squeeze(w)) {
				t.Errorf("%s:\nmissing %s\nin %s", tt.script, w, got)
			}
		}
	}
}

// squeeze drops white space and the commas gofmt puts before a closing
// brace, so that expectations need not follow gofmt's line breaks.
func squeeze(s string) string {
	s = strings.Join(strings.Fields(s), "")
	return strings.NewReplacer(",}", "}", ",)", ")").Replace(strings.TrimSuffix(s, ","))
}
