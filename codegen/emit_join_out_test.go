package codegen

import (
	"strings"
	"testing"
)

func TestEmitJoinUnionOutputs(t *testing.T) {
	tests := []struct {
		script, node string
		want         []string
	}{
		{
			`var a = stream|from().measurement('a')
var b = stream|from().measurement('b')
a|join(b).as('x', 'y').on('host').tolerance(1s).fill('null').streamName('s')`,
			"join4",
			[]string{`rt.NewJoin(t, 4, "join4", rt.JoinConfig{`, `Names: []string{"x", "y"},`, `On: []string{"host"},`,
				`Delimiter: ".",`, `StreamName: "s",`, `Tolerance: time.Second,`, `Fill: rt.String("null"),`},
		},
		{
			`var a = stream|from().measurement('a')
var b = stream|from().measurement('b')
a|join(b).as('x', 'y').delimiter('').fill(0.5)`,
			"join4",
			[]string{`Delimiter: "",`, `Fill: rt.Float(0.5),`},
		},
		{
			`var a = stream|from().measurement('a')
var b = stream|from().measurement('b')
a|union(b).rename('all')`,
			"union4",
			[]string{`rt.NewUnion(t, 4, "union4", rt.UnionConfig{ Rename: "all", })`},
		},
		{
			`stream|from()|httpPost('http://h/{{.Name}}').header('a', '1').header('b', '2').header('a', '3').codeField('code').captureResponse().timeout(2s)`,
			"http_post2",
			[]string{`URL: "http://h/{{.Name}}",`, `Headers: [][2]string{{"a", "3"}, {"b", "2"}},`,
				`CodeField: "code",`, `CaptureResponse: true,`, `Timeout: 2 * time.Second,`},
		},
		{
			`stream|from()|httpPost().endpoint('test')`,
			"http_post2",
			[]string{`rt.NewHTTPPost(t, 2, "http_post2", rt.HTTPPostConfig{ Endpoint: "test", })`},
		},
		{
			`stream|from()|influxDBOut().database('db').retentionPolicy('rp').measurement('m').precision('s').tag('z', '1').tag('a', '2').buffer(10).flushInterval(1ms).create()`,
			"influxdb_out2",
			[]string{`Database: "db",`, `RetentionPolicy: "rp",`, `Measurement: "m",`, `Precision: "s",`,
				`Buffer: 10,`, `FlushInterval: time.Millisecond,`,
				`Tags: rt.Tags{{Key: "a", Value: "2"}, {Key: "z", Value: "1"}},`, `Create: true,`},
		},
		{
			`stream|from()|kapacitorLoopback().database('db2').retentionPolicy('rp').measurement('m').tag('k', 'v')`,
			"kapacitor_loopback2",
			[]string{`Database: "db2",`, `RetentionPolicy: "rp",`, `Measurement: "m",`, `Tags: rt.Tags{{Key: "k", Value: "v"}},`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.node, func(t *testing.T) {
			got := emitNode(t, tt.script, tt.node)
			for _, w := range tt.want {
				if !strings.Contains(got, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
		})
	}
}
