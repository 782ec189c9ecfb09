package codegen

import (
	"strings"
	"testing"
)

func TestEmitSources(t *testing.T) {
	tests := []struct {
		script, node string
		want         []string
	}{
		{"stream|from()", "stream0", []string{`rt.NewStream(t, 0, "stream0", rt.StreamConfig{})`}},
		{
			"stream|from().database('db').retentionPolicy('rp').measurement('cpu').groupBy('host', 'cpu').groupByMeasurement().truncate(1s).round(1m).quiet()",
			"from1",
			[]string{`rt.NewFrom(t, 1, "from1", rt.FromConfig{`, `Database: "db",`, `RetentionPolicy: "rp",`, `Measurement: "cpu",`,
				`GroupBy: []string{"host", "cpu"},`, `GroupByMeasurement: true,`, `Truncate: time.Second,`, `Round: time.Minute,`, `Quiet: true,`},
		},
		{"stream|from().groupBy(*)", "from1", []string{`GroupByAll: true,`}},
		{"stream|from().where(lambda: TRUE).where(lambda: FALSE)", "from1", []string{`Where: []*rt.Lambda{`}},
		{"batch|query('SELECT mean(v) FROM db.rp.m').period(1m).every(10s).offset(5s).align().alignGroup().groupBy(time(10s, 2s), 'host').groupByMeasurement().fill(0).cluster('c')",
			"query1",
			[]string{`rt.NewQuery(t, 1, "query1", rt.QueryConfig{`, `Query: "SELECT mean(v) FROM db.rp.m",`, `Period: time.Minute,`, `Every: 10 * time.Second,`,
				`Offset: 5 * time.Second,`, `Align: true,`, `AlignGroup: true,`,
				`GroupBy: []rt.QueryDim{{ IsTimeBucket: true, Time: 10 * time.Second, TimeOffset: 2 * time.Second, }, {Tag: "host"}},`,
				`GroupByMeasurement: true,`, `Fill: rt.QueryFill{ Kind: "number", Value: rt.Int(int64(0)), },`, `Cluster: "c",`},
		},
		{"batch|query('SELECT v FROM db.rp.m').cron('* * * * *').fill('previous')", "query1", []string{`Cron: "* * * * *",`, `Fill: rt.QueryFill{Kind: "previous"},`}},
		{"batch|query('SELECT v FROM db.rp.m').every(1s)", "batch0", []string{`rt.NewBatch(t, 0, "batch0", rt.BatchConfig{})`}},
		{"stream|from()|httpOut('out')", "http_out2", []string{`rt.NewHTTPOut(t, 2, "http_out2", rt.HTTPOutConfig{ Endpoint: "out", })`}},
		{"stream|from()|stats(10s).align()", "stats2", []string{`rt.NewStats(t, 2, "stats2", rt.StatsConfig{`, `Observed: 1,`, `Interval: 10 * time.Second,`, `Align: true,`}},
		{"stream|from()|stats(10s)", "noop3", []string{`rt.NewNoop(t, 3, "noop3", rt.NoopConfig{})`}},
	}
	for _, tt := range tests {
		got := emitNode(t, tt.script, tt.node)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %s:\n%s\nlacks %s", tt.script, tt.node, got, w)
			}
		}
	}
}
