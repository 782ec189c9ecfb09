package stdlib

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
)

// The node kinds of the nodes.md §13 summary (UDFs excepted: they are
// configured per server) plus the deadman helper.
var summaryNodes = []string{
	"stream", "from", "batch", "query", "where", "eval", "default", "delete",
	"shift", "sample", "derivative", "changeDetect", "stateDuration",
	"stateCount", "sideload", "log", "groupBy", "window", "barrier",
	"count", "distinct", "mean", "median", "mode", "spread", "sum", "first",
	"last", "min", "max", "percentile", "top", "bottom", "stddev", "elapsed",
	"difference", "movingAverage", "holtWinters", "holtWintersWithFit",
	"cumulativeSum", "join", "union", "combine", "flatten", "alert",
	"deadman", "httpOut", "httpPost", "influxDBOut", "kapacitorLoopback",
	"k8sAutoscale", "swarmAutoscale", "ec2Autoscale", "stats", "noop",
}

func TestCounts(t *testing.T) {
	if got := len(Funcs()); got != 82 {
		t.Errorf("functions: got %d, want 82", got)
	}
	if got := len(Handlers()); got != 24 {
		t.Errorf("handlers: got %d, want 24", got)
	}
	if got := len(StandardChaining); got != 50 {
		t.Errorf("standard chaining methods: got %d, want 50", got)
	}
	if got, want := len(Nodes()), len(summaryNodes); got != want {
		t.Errorf("node kinds: got %d, want %d", got, want)
	}
	for _, name := range StandardChaining {
		if LookupNode(name) == nil {
			t.Errorf("standard chaining method %q creates no known node kind", name)
		}
	}
	for _, name := range summaryNodes {
		if LookupNode(name) == nil {
			t.Errorf("node %q of the summary is missing", name)
		}
	}
}

func TestNoDuplicates(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Nodes() {
		if seen[k.Name] {
			t.Errorf("node kind %q listed twice", k.Name)
		}
		seen[k.Name] = true
		assertUniqueProps(t, k.Name, k.Properties)
		assertUniqueStrings(t, k.Name+" chaining", k.ChainingMethods())
	}
	for _, h := range Handlers() {
		assertUniqueProps(t, "handler "+h.Name, h.Options)
	}
	assertUniqueStrings(t, "standard chaining", StandardChaining)
	assertUniqueStrings(t, "functions", FuncNames())
	for _, f := range Funcs() {
		sigs := map[string]bool{}
		for _, s := range f.Sigs {
			key := typesKey(s.Params)
			if sigs[key] {
				t.Errorf("function %s: signature (%s) listed twice", f.Name, key)
			}
			sigs[key] = true
		}
	}
}

func assertUniqueProps(t *testing.T, owner string, ps []*Property) {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range ps {
		c := CanonicalName(p.Name)
		if seen[c] {
			t.Errorf("%s: property %q listed twice", owner, p.Name)
		}
		seen[c] = true
	}
}

func assertUniqueStrings(t *testing.T, owner string, names []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[CanonicalName(n)] {
			t.Errorf("%s: %q listed twice", owner, n)
		}
		seen[CanonicalName(n)] = true
	}
}

func typesKey(ts []Type) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += ", "
		}
		s += t.String()
	}
	return s
}

// Every entry is documented and well formed.
func TestWellFormed(t *testing.T) {
	for _, k := range Nodes() {
		if k.Desc == "" || k.Doc == "" || k.Category == "" {
			t.Errorf("node %q: empty Desc, Doc or Category", k.Name)
		}
		if k.Optional && !k.Variadic {
			t.Errorf("node %q: Optional without Variadic", k.Name)
		}
		if k.Property("quiet") == nil {
			t.Errorf("node %q: no quiet()", k.Name)
		}
		checkProps(t, "node "+k.Name, k.Properties)
		for _, prm := range k.Params {
			if prm.Sets != "" && k.Property(prm.Sets) == nil {
				t.Errorf("node %q: parameter %q sets unknown property %q", k.Name, prm.Name, prm.Sets)
			}
		}
		for _, c := range k.Constraints {
			if c.Msg == "" || len(c.Props) == 0 {
				t.Errorf("node %q: incomplete constraint %+v", k.Name, c)
			}
			for _, name := range c.Props {
				if k.Property(name) == nil {
					t.Errorf("node %q: constraint names unknown property %q", k.Name, name)
				}
			}
		}
		for _, m := range k.ChainingMethods() {
			if LookupNode(m) == nil {
				t.Errorf("node %q: chaining method %q creates no known kind", k.Name, m)
			}
		}
	}
	for _, h := range Handlers() {
		if h.Doc == "" {
			t.Errorf("handler %q: empty Doc", h.Name)
		}
		checkProps(t, "handler "+h.Name, h.Options)
	}
	for _, f := range Funcs() {
		if f.Doc == "" || len(f.Sigs) == 0 {
			t.Errorf("function %q: empty Doc or no signature", f.Name)
		}
	}
}

func checkProps(t *testing.T, owner string, ps []*Property) {
	t.Helper()
	for _, p := range ps {
		if p.Doc == "" {
			t.Errorf("%s: property %q has no Doc", owner, p.Name)
		}
		if p.Kind == Field && (len(p.Params) != 1 || p.Variadic || p.Repeat != Replaces) {
			t.Errorf("%s: field %q must take exactly one value and replace", owner, p.Name)
		}
		if p.Optional && !p.Variadic {
			t.Errorf("%s: property %q is Optional without Variadic", owner, p.Name)
		}
		if p.Repeat == Flag && len(p.Params) != 0 {
			t.Errorf("%s: flag %q takes parameters", owner, p.Name)
		}
		if h := p.Handler; h != nil {
			for _, prm := range p.Params {
				if prm.Sets != "" && h.Option(prm.Sets) == nil {
					t.Errorf("%s: handler %q parameter sets unknown option %q", owner, h.Name, prm.Sets)
				}
			}
		}
	}
}

// Lookup upper-cases only the first rune, as Kapacitor does.
func TestCanonicalLookup(t *testing.T) {
	window := LookupNode("window")
	push := LookupHandler("pushover")
	tests := []struct {
		name  string
		found bool
		got   *Property
	}{
		{".period finds period", true, window.Property("period")},
		{".Period finds period", true, window.Property("Period")},
		{".PERIOD does not", false, window.Property("PERIOD")},
		{".URL finds URL", true, push.Option("URL")},
		{".uRL finds URL", true, push.Option("uRL")},
		{".url does not find URL", false, push.Option("url")},
		{".urlTitle does not find URLTitle", false, push.Option("urlTitle")},
		{".iconEmoji", true, LookupHandler("slack").Option("iconEmoji")},
	}
	for _, tt := range tests {
		if (tt.got != nil) != tt.found {
			t.Errorf("%s: found = %v, want %v", tt.name, tt.got != nil, tt.found)
		}
	}
	if LookupNode("HttpOut") == nil || LookupNode("httpout") != nil {
		t.Error("chaining lookup must upper-case only the first rune")
	}
	if LookupFunc("Sigma") != nil {
		t.Error("function names are case-sensitive")
	}
}

func TestFunctionSignatures(t *testing.T) {
	tests := []struct {
		name string
		want []Signature
	}{
		{"sigma", []Signature{{Params: []Type{Float}, Result: Float}}},
		{"strSubstring", []Signature{{Params: []Type{String, Int, Int}, Result: String}}},
		{"strReplace", []Signature{{Params: []Type{String, String, String, Int}, Result: String}}},
		{"count", []Signature{{Params: nil, Result: Int}}},
		{"now", []Signature{{Params: nil, Result: Time}}},
		{"jn", []Signature{{Params: []Type{Int, Float}, Result: Float}}},
		{"pow10", []Signature{{Params: []Type{Int}, Result: Float}}},
		{"regexReplace", []Signature{{Params: []Type{Regex, String, String}, Result: String}}},
		{"duration", []Signature{
			{Params: []Type{Duration}, Result: Duration},
			{Params: []Type{Int, Duration}, Result: Duration},
			{Params: []Type{Float, Duration}, Result: Duration},
			{Params: []Type{String, Duration}, Result: Duration},
		}},
	}
	for _, tt := range tests {
		f := LookupFunc(tt.name)
		if f == nil {
			t.Errorf("%s: missing", tt.name)
			continue
		}
		if !reflect.DeepEqual(f.Sigs, tt.want) {
			t.Errorf("%s: signatures %+v, want %+v", tt.name, f.Sigs, tt.want)
		}
	}

	ifn := LookupFunc("if")
	if len(ifn.Sigs) != 7 {
		t.Errorf("if: %d signatures, want one per branch type (7)", len(ifn.Sigs))
	}
	for _, s := range ifn.Sigs {
		if len(s.Params) != 3 || s.Params[0] != Bool || s.Params[1] != s.Result || s.Params[2] != s.Result {
			t.Errorf("if: malformed signature %+v", s)
		}
	}
	if got := LookupFunc("isPresent").Sigs[0].Params[0]; got != Missing {
		t.Errorf("isPresent must accept a missing value, first signature takes %v", got)
	}

	var statefulNames []string
	for _, f := range Funcs() {
		if f.Stateful {
			statefulNames = append(statefulNames, f.Name)
		}
	}
	if want := []string{"count", "sigma", "spread"}; !reflect.DeepEqual(statefulNames, want) {
		t.Errorf("stateful functions %v, want %v", statefulNames, want)
	}
}

func TestWindowProperties(t *testing.T) {
	w := LookupNode("window")
	if w.Wants != Stream || w.Provides != Batch {
		t.Errorf("window edges %v -> %v, want stream -> batch", w.Wants, w.Provides)
	}
	tests := []struct {
		name string
		kind PropKind
		typ  Type
		rep  Repeat
	}{
		{"period", Field, Duration, Replaces},
		{"every", Field, Duration, Replaces},
		{"periodCount", Field, Int, Replaces},
		{"everyCount", Field, Int, Replaces},
		{"align", Method, None, Flag},
		{"fillPeriod", Method, None, Flag},
	}
	for _, tt := range tests {
		p := w.Property(tt.name)
		if p == nil {
			t.Errorf("window.%s missing", tt.name)
			continue
		}
		var typ Type
		if len(p.Params) > 0 {
			typ = p.Params[0].Type
		}
		if p.Kind != tt.kind || typ != tt.typ || p.Repeat != tt.rep {
			t.Errorf("window.%s = kind %v type %v repeat %v, want %v %v %v", tt.name, p.Kind, typ, p.Repeat, tt.kind, tt.typ, tt.rep)
		}
	}
	if got := w.PropertyNames(); len(got) != 7 {
		t.Errorf("window properties %v, want 7 (with quiet)", got)
	}
}

func TestQueryConstraints(t *testing.T) {
	q := LookupNode("query")
	want := []Constraint{
		{Kind: AtMostOneOf, Props: []string{"every", "cron"}, Msg: "must not set both 'every' and 'cron' properties"},
		{Kind: RequireOneOf, Props: []string{"every", "cron"}, Msg: "must define one of 'every' or 'cron'"},
	}
	if !reflect.DeepEqual(q.Constraints, want) {
		t.Errorf("query constraints %+v, want %+v", q.Constraints, want)
	}
	gb := q.Property("groupBy")
	if !gb.Variadic || gb.Params[0].Type != String|Star|TimeDim|Duration {
		t.Errorf("query.groupBy takes %v (variadic %v), want string, star, time dimension or duration", gb.Params[0].Type, gb.Variadic)
	}
	if from := LookupNode("from").Property("groupBy"); from.Params[0].Type != String|Star {
		t.Errorf("from.groupBy takes %v, want string or star", from.Params[0].Type)
	}
	if qs := q.Property("queryStr"); qs == nil || !qs.Internal {
		t.Error("query.queryStr must be internal")
	}
}

func TestChainingSets(t *testing.T) {
	tests := []struct {
		node string
		want []string
	}{
		{"stream", []string{"from", "stats", "deadman"}},
		{"batch", []string{"query", "stats", "deadman"}},
		{"influxDBOut", []string{"stats", "deadman"}},
		{"kapacitorLoopback", []string{"stats", "deadman"}},
	}
	for _, tt := range tests {
		if got := LookupNode(tt.node).ChainingMethods(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s chaining %v, want %v", tt.node, got, tt.want)
		}
	}
	from := LookupNode("from")
	if !from.CanChain("from") || !from.CanChain("window") || !from.CanChain("Where") {
		t.Error("from chains the standard set plus from")
	}
	for _, name := range []string{"alert", "window", "stats", "query", "barrier", "count"} {
		k := LookupNode(name)
		if !k.CanChain("log") || !k.CanChain("httpOut") || k.CanChain("from") {
			t.Errorf("%s should have exactly the standard chaining set", name)
		}
	}
	if LookupNode("stream").CanChain("where") {
		t.Error("stream has no |where()")
	}
}

// InfluxQL nodes: edges per nodes.md §5, shared properties, parameters.
func TestInfluxQLNodes(t *testing.T) {
	provides := map[string]Edge{
		"count": Stream, "distinct": Batch, "mean": Stream, "median": Stream,
		"mode": Stream, "spread": Stream, "sum": Stream, "stddev": Stream,
		"first": Stream, "last": Stream, "min": Stream, "max": Stream,
		"percentile": Stream, "top": Batch, "bottom": Batch,
		"elapsed": SameAsParent, "difference": SameAsParent,
		"movingAverage": SameAsParent, "cumulativeSum": SameAsParent,
		"holtWinters": Batch, "holtWintersWithFit": Batch,
	}
	for name, want := range provides {
		k := LookupNode(name)
		if k == nil {
			t.Errorf("%s missing", name)
			continue
		}
		if k.Wants != SameAsParent || k.Provides != want {
			t.Errorf("%s: %v -> %v, want any -> %v", name, k.Wants, k.Provides, want)
		}
		as := k.Property("as")
		if as == nil || as.Kind != Field || as.Default != "'"+k.Desc+"'" {
			t.Errorf("%s: .as() missing or wrong default", name)
		}
		if k.Property("usePointTimes") == nil {
			t.Errorf("%s: .usePointTimes() missing", name)
		}
	}
	if d := LookupNode("holtWintersWithFit").Desc; d != "holtWinters" {
		t.Errorf("holtWintersWithFit desc %q, want holtWinters", d)
	}
	top := LookupNode("top")
	if !top.Variadic || !reflect.DeepEqual(paramTypes(top.Params), []Type{Int, String, String}) {
		t.Errorf("top(num int, field string, tags ...string) expected, got %+v variadic %v", top.Params, top.Variadic)
	}
	if pc := LookupNode("percentile"); !reflect.DeepEqual(paramTypes(pc.Params), []Type{String, Float}) {
		t.Errorf("percentile(field string, p float) expected, got %+v", pc.Params)
	}
	if hw := LookupNode("holtWinters"); !reflect.DeepEqual(paramTypes(hw.Params), []Type{String, Int, Int, Duration}) {
		t.Errorf("holtWinters(field, h, m, interval) expected, got %+v", hw.Params)
	}
}

func paramTypes(ps []Param) []Type {
	out := make([]Type, len(ps))
	for i, p := range ps {
		out[i] = p.Type
	}
	return out
}

func TestDescs(t *testing.T) {
	want := map[string]string{
		"httpOut": "http_out", "httpPost": "http_post", "influxDBOut": "influxdb_out",
		"kapacitorLoopback": "kapacitor_loopback", "stateDuration": "state_duration",
		"stateCount": "state_count", "groupBy": "groupby", "changeDetect": "changeDetect",
		"k8sAutoscale": "k8s_autoscale", "swarmAutoscale": "swarm_autoscale",
		"ec2Autoscale": "ec2_autoscale", "deadman": "alert", "movingAverage": "movingAverage",
	}
	for name, desc := range want {
		if got := LookupNode(name).Desc; got != desc {
			t.Errorf("%s desc %q, want %q", name, got, desc)
		}
	}
}

func TestAlertAndHandlers(t *testing.T) {
	alert := LookupNode("alert")
	deadman := LookupNode("deadman")
	if !deadman.Helper || !reflect.DeepEqual(paramTypes(deadman.Params), []Type{Float, Duration, Lambda}) || !deadman.Variadic {
		t.Errorf("deadman(threshold float, interval duration, expr ...lambda) helper expected, got %+v", deadman)
	}
	if !reflect.DeepEqual(alert.PropertyNames(), deadman.PropertyNames()) {
		t.Error("deadman accepts exactly the alert properties")
	}
	for _, h := range Handlers() {
		p := alert.Property(h.Name)
		if p == nil || p.Handler != h || p.Kind != Method || p.Repeat != Appends {
			t.Errorf("alert has no handler method %q", h.Name)
		}
	}
	tests := []struct {
		name     string
		params   []Type
		variadic bool
	}{
		{"post", []Type{String}, true},
		{"tcp", []Type{String}, false},
		{"email", []Type{String}, true},
		{"exec", []Type{String, String}, true},
		{"log", []Type{String}, false},
		{"mqtt", []Type{String}, false},
		{"snmpTrap", []Type{String}, false},
		{"slack", []Type{}, false},
	}
	for _, tt := range tests {
		p := alert.Property(tt.name)
		if !reflect.DeepEqual(paramTypes(p.Params), tt.params) || p.Variadic != tt.variadic {
			t.Errorf(".%s params %+v variadic %v, want %v %v", tt.name, p.Params, p.Variadic, tt.params, tt.variadic)
		}
	}
	// Options that shadow alert properties (alerting.md §9.1).
	if o := LookupHandler("mqtt").Option("topic"); o == nil || o.Kind != Field {
		t.Error("mqtt must have its own topic option")
	}
	if o := LookupHandler("opsGenie2").Option("details"); o == nil || o.Kind != Method || len(o.Params) != 0 {
		t.Error("opsGenie2 details is a flag method")
	}
	if o := LookupHandler("log").Option("mode"); o == nil || o.Params[0].Type != Int || o.Default != "0600" {
		t.Error("log mode is an int option defaulting to 0600")
	}
	sco := alert.Property("stateChangesOnly")
	if !sco.Optional || !sco.Variadic || sco.Params[0].Type != Duration {
		t.Error("stateChangesOnly takes an optional duration")
	}
	fl := alert.Property("flapping")
	if !reflect.DeepEqual(paramTypes(fl.Params), []Type{Float, Float}) {
		t.Error("flapping(low, high float)")
	}
	inh := alert.Property("inhibit")
	if !inh.Variadic || inh.Repeat != Appends || len(inh.Params) != 2 {
		t.Error("inhibit(category string, tags ...string) appends")
	}
	if h := alert.Property("history"); h.Kind != Field || h.Params[0].Type != Int || h.Default != "21" {
		t.Error("history is an int field defaulting to 21")
	}
	if got, want := len(HandlerNames()), 24; got != want {
		t.Errorf("HandlerNames: %d, want %d", got, want)
	}
}

func TestTerminalAndSourceEdges(t *testing.T) {
	tests := []struct {
		node            string
		wants, provides Edge
	}{
		{"stream", NoEdge, Stream},
		{"batch", NoEdge, Batch},
		{"from", Stream, Stream},
		{"query", Batch, Batch},
		{"stats", NoEdge, Stream},
		{"influxDBOut", SameAsParent, NoEdge},
		{"kapacitorLoopback", SameAsParent, NoEdge},
		{"combine", SameAsParent, Stream},
		{"k8sAutoscale", SameAsParent, Stream},
		{"join", SameAsParent, SameAsParent},
		{"alert", SameAsParent, SameAsParent},
	}
	for _, tt := range tests {
		k := LookupNode(tt.node)
		if k.Wants != tt.wants || k.Provides != tt.provides {
			t.Errorf("%s: %v -> %v, want %v -> %v", tt.node, k.Wants, k.Provides, tt.wants, tt.provides)
		}
	}
	if j := LookupNode("join"); j.Params[0].Type != Node || !j.Variadic {
		t.Error("join takes ...node")
	}
	if !LookupNode("noop").Implicit {
		t.Error("noop cannot be created from TICKscript")
	}
	for _, n := range NodeNames() {
		if n == "noop" || n == "stream" || n == "batch" {
			t.Errorf("NodeNames lists %q", n)
		}
	}
}

// Every chaining and property method that Kapacitor's own test scripts use
// is known to the catalogue (UDF options excepted).
func TestConformanceScriptsUseKnownNames(t *testing.T) {
	files, _ := filepath.Glob("/work/shared/conformance/kapacitor/*/task.tick")
	if len(files) == 0 {
		t.Skip("conformance scripts not available")
	}
	literals := regexp.MustCompile(`'''(?s:.*?)'''|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|//[^\n]*`)
	chain := regexp.MustCompile(`\|\s*(\w+)\s*\(`)
	prop := regexp.MustCompile(`\.\s*(\w+)\s*\(`)
	udfOptions := map[string]bool{"opt1": true, "opt2": true}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code := literals.ReplaceAllString(string(src), "''")
		for _, m := range chain.FindAllStringSubmatch(code, -1) {
			if LookupNode(m[1]) == nil {
				t.Errorf("%s: unknown chaining method %q", f, m[1])
			}
		}
		for _, m := range prop.FindAllStringSubmatch(code, -1) {
			if !udfOptions[m[1]] && !knownProperty(m[1]) {
				t.Errorf("%s: unknown property %q", f, m[1])
			}
		}
	}
}

func knownProperty(name string) bool {
	for _, k := range Nodes() {
		if k.Property(name) != nil {
			return true
		}
	}
	for _, h := range Handlers() {
		if h.Option(name) != nil {
			return true
		}
	}
	return false
}
