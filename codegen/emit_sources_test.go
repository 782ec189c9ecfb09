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

// The fields a from node's points need: only those the nodes below read
// or output, when every node below is known.
func TestFromFieldProjection(t *testing.T) {
	tests := []struct {
		script string
		want   string // the Fields literal, "" for none, "all" for no projection
	}{
		{`stream|from()|eval(lambda: "a" * 2.0).as('b').keep()|alert().crit(lambda: "b" > 1)`, "all"},
		{`stream|from()|window().period(1m).every(1m)|alert().crit(lambda: "v" > 1)`, "all"},
		{`stream|from()|alert().crit(lambda: "v" > 1)|httpOut('x')`, "all"},
		{`stream|from()|eval(lambda: "a" * 2.0).as('b')|alert().crit(lambda: "b" > 1)`, `Fields: []string{"a"},`}, // eval's points hold its results only
		{"stream|from().groupBy('host')|window().period(10s).every(10s)|mean('usage_idle').as('m')|alert().crit(lambda: \"m\" < 80)",
			`Fields: []string{"usage_idle"},`},
		{`stream|from()|eval(lambda: 100.0 - "usage_idle").as('used')|groupBy('service')|window().period(1m).every(1m)|percentile('used', 95.0)|eval(lambda: sigma("percentile")).as('sigma').keep('percentile', 'sigma')|alert().warn(lambda: "sigma" > 2.5)`,
			`Fields: []string{"usage_idle"},`}, // eval keeps only its results
		{`stream|from()|eval(lambda: "a" * 2.0).as('b').keep()|window().period(1m).every(1m)|mean('c')|httpOut('x')`, `Fields: []string{"a", "c"},`},
		{`stream|from()|eval(lambda: "a" * 2.0).as('b').keep('b', 'd')|httpOut('x')`, `Fields: []string{"a", "b", "d"},`},
		{`stream|from()|eval(lambda: "a" * 2.0).as('b').keep()|httpOut('x')`, "all"},
		{`stream|from().where(lambda: "dc" == 'a')|eval(lambda: "x" * 2.0).as('y')|groupBy('host')|movingAverage('y', 60).as('avg')|httpOut('out')`,
			`Fields: []string{"dc", "x"},`},
		{`stream|from()|eval(lambda: "x" * 2.0).as('y')|httpOut('out')`, `Fields: []string{"x"},`},
		{`stream|from()|stateDuration(lambda: "v" > 1).as('d')|window().period(1m).every(1m)|max('d')|alert().crit(lambda: TRUE)`, "all"},
		{`stream|from()|stateCount(lambda: "v" > 1).as('c')|where(lambda: "c" > 2)|count('c')|httpOut('x')`, `Fields: []string{"c", "v"},`},
		{`stream|from()|window().period(1m).every(1m)|top(2, 'v')|httpOut('x')`, "all"},
		{`var s = stream|from()
var a = s|window().period(1m).every(1m)|sum('a')
var b = s|window().period(1m).every(1m)|sum('b')
a|join(b).as('a', 'b')|httpOut('x')`, `Fields: []string{"a", "b"},`}, // sums make points of their own
		{`var s = stream|from()
var a = s|where(lambda: "x" > 0)
var b = s|where(lambda: "y" > 0)
a|join(b).as('a', 'b')|httpOut('x')`, "all"},
		{`var s = stream|from()
s|window().period(1m).every(1m)|sum('a')
s|window().period(1m).every(1m)|sum('b')`, `Fields: []string{"a", "b"},`},
		{`stream|from()`, ""},
	}
	for _, tt := range tests {
		got := emitNode(t, tt.script, "from1")
		if strings.Contains(got, "DeferFields") {
			t.Errorf("%s: want nothing deferred:\n%s", tt.script, got)
		}
		switch {
		case tt.want == "all":
			if strings.Contains(got, "ProjectFields") {
				t.Errorf("%s: want no projection:\n%s", tt.script, got)
			}
		case !strings.Contains(got, "ProjectFields: true,"):
			t.Errorf("%s: want a projection:\n%s", tt.script, got)
		case tt.want == "" && strings.Contains(got, "Fields: []string"):
			t.Errorf("%s: want no field:\n%s", tt.script, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s:\n%s\nlacks %s", tt.script, got, tt.want)
		}
	}
}

// An alert node without children outputs every field, but only in its
// events: when it is reached through nodes that hand points on as they
// are, the from node defers decoding the fields no lambda reads.
func TestFromDeferredFields(t *testing.T) {
	tests := []struct {
		script string
		want   string // the Fields literal
	}{
		{"stream|from().measurement('cpu').groupBy('host')|alert().crit(lambda: \"usage_idle\" < 70)", `Fields: []string{"usage_idle"},`},
		{`stream|from().groupBy('host', 'cpu')|stateDuration(lambda: "usage_idle" < 70).unit(1s).as('busy')|alert().crit(lambda: "busy" >= 3)`,
			`Fields: []string{"busy", "usage_idle"},`},
		{`stream|from().where(lambda: "dc" == 'a')|groupBy('host')|stateCount(lambda: "x" > 1)|alert().warn(lambda: "y" > 1).critReset(lambda: "z" < 1)`,
			`Fields: []string{"dc", "x", "y", "z"},`},
		{`var s = stream|from()
s|alert().crit(lambda: "a" > 1)
s|window().period(1m).every(1m)|mean('b')|httpOut('x')`, `Fields: []string{"a", "b"},`},
	}
	for _, tt := range tests {
		got := emitNode(t, tt.script, "from1")
		for _, w := range []string{"ProjectFields: true,", "DeferFields: true,", tt.want} {
			if !strings.Contains(got, w) {
				t.Errorf("%s:\n%s\nlacks %s", tt.script, got, w)
			}
		}
	}
}

// Only an alert that a from node reaches through nodes handing points on
// as they are decodes the fields the from node deferred.
func TestAlertReadsDeferredFields(t *testing.T) {
	script := `var s = stream|from().groupBy('host')
s|where(lambda: "v" > 0)|stateCount(lambda: "v" > 1)|alert().crit(lambda: "v" > 90)
s|eval(lambda: "v" * 2.0).as('x')|alert().crit(lambda: "x" > 150)
s|alert().crit(lambda: "v" > 95)|httpOut('a')`
	for node, want := range map[string]bool{"alert4": true, "alert6": false, "alert7": false} {
		got := strings.Contains(emitNode(t, script, node), "DeferredFields: true")
		if got != want {
			t.Errorf("%s: DeferredFields %v, want %v:\n%s", node, got, want, emitNode(t, script, node))
		}
	}
}
