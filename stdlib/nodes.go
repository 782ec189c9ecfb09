package stdlib

// The node kinds of Kapacitor 1.5.9 (spec/nodes.md). Property names are
// spelled as TICKscript writes them; Kapacitor upper-cases only the first
// rune when looking them up (see CanonicalName).

// StandardChaining is the chaining set of every node except the sources
// and terminal nodes (nodes.md §0.6).
var StandardChaining = []string{
	// filtering and transformation
	"where", "eval", "default", "delete", "shift", "sample", "derivative",
	"changeDetect", "stateDuration", "stateCount", "sideload", "log", "flatten",
	// grouping and windowing
	"groupBy", "window", "barrier",
	// combining
	"join", "union", "combine",
	// InfluxQL functions
	"count", "distinct", "mean", "median", "mode", "spread", "sum", "first",
	"last", "min", "max", "percentile", "top", "bottom", "stddev", "elapsed",
	"difference", "movingAverage", "holtWinters", "holtWintersWithFit",
	"cumulativeSum",
	// alerting
	"alert", "deadman",
	// outputs
	"httpOut", "httpPost", "influxDBOut", "kapacitorLoopback",
	// autoscaling
	"k8sAutoscale", "swarmAutoscale", "ec2Autoscale",
	// introspection
	"stats",
}

// Chaining sets that differ from the standard one: the sources have only
// their own child plus the introspection helpers, terminal nodes only the
// helpers (they embed Kapacitor's plain node, not its chain node).
var (
	streamChaining   = []string{"from", "stats", "deadman"}
	batchChaining    = []string{"query", "stats", "deadman"}
	terminalChaining = []string{"stats", "deadman"}
	fromChaining     = append(append([]string(nil), StandardChaining...), "from")
)

// quiet is the property every node has.
func quiet() *Property {
	return flag("quiet", "Suppress error logging for this node; errors are still counted.")
}

// dims is the type of a groupBy dimension: a tag name or `*`.
const dims = String | Star

// fillValue is the type of a query or join fill option: 'null', 'none',
// 'previous', 'linear' or a number.
const fillValue = String | Int | Float

// scalarValue is a default, sideload or handler metadata value.
const scalarValue = Float | Int | String | Bool

// allNodes is every kind; the InfluxQL kinds are built from a table.
var allNodes = append([]*NodeKind{
	streamNode, fromNode, batchNode, queryNode,
	whereNode, evalNode, defaultNode, deleteNode, shiftNode, sampleNode,
	derivativeNode, changeDetectNode, stateDurationNode, stateCountNode,
	sideloadNode, logNode,
	groupByNode, windowNode, barrierNode,
	joinNode, unionNode, combineNode, flattenNode,
	alertNode, deadmanNode,
	httpOutNode, httpPostNode, influxDBOutNode, kapacitorLoopbackNode,
	k8sAutoscaleNode, swarmAutoscaleNode, ec2AutoscaleNode,
	statsNode, noopNode,
}, influxQLNodes()...)

// ---- sources (§1) ----

var streamNode = &NodeKind{
	Name: "stream", Desc: "stream", Category: "source",
	Doc:      "The stream source: every point written to the task's databases and retention policies.",
	Wants:    NoEdge,
	Provides: Stream,
	Chaining: streamChaining,
	Properties: []*Property{
		quiet(),
	},
}

var fromNode = &NodeKind{
	Name: "from", Desc: "from", Category: "source",
	Doc:      "Selects points from the stream by database, retention policy, measurement and predicate, and sets their grouping.",
	Wants:    Stream,
	Provides: Stream,
	Chaining: fromChaining,
	Properties: []*Property{
		field("database", String, "''", "Keep only points of this database; empty matches any."),
		field("retentionPolicy", String, "''", "Keep only points of this retention policy; empty matches any."),
		field("measurement", String, "''", "Keep only points of this measurement; empty matches any."),
		method("where", Appends, "Keep only points for which the predicate is true; several calls are ANDed.", p("expr", Lambda)),
		variadic("groupBy", Replaces, "Group points by these tags, or by every tag with *.", p("dims", dims)),
		flag("groupByMeasurement", "Make the measurement name part of the group."),
		field("truncate", Duration, "0s", "Truncate point times down to a multiple of this duration."),
		field("round", Duration, "0s", "Round point times to the nearest multiple of this duration."),
		quiet(),
	},
}

var batchNode = &NodeKind{
	Name: "batch", Desc: "batch", Category: "source",
	Doc:      "The batch source: a container of independently scheduled queries.",
	Wants:    NoEdge,
	Provides: Batch,
	Chaining: batchChaining,
	Properties: []*Property{
		quiet(),
	},
}

var queryNode = &NodeKind{
	Name: "query", Desc: "query", Category: "source",
	Doc:      "Runs an InfluxQL query on a schedule and emits each result series as a batch.",
	Params:   []Param{ctor("q", String, "queryStr")},
	Wants:    Batch,
	Provides: Batch,
	Properties: []*Property{
		internal("queryStr", String, "The query text, from the constructor argument."),
		field("period", Duration, "0s", "Length of the time range each query covers."),
		field("every", Duration, "0s", "Run the query at this interval."),
		field("cron", String, "''", "Run the query on this cron schedule instead of every."),
		field("offset", Duration, "0s", "Move the queried time range back by this duration."),
		flag("align", "Align the schedule to multiples of every."),
		flag("alignGroup", "Align the GROUP BY time buckets with the query start."),
		variadic("groupBy", Replaces, "Set the GROUP BY clause: tags, *, time(d[, offset]) or a duration.", p("dims", dims|TimeDim|Duration)),
		flag("groupByMeasurement", "Make the measurement name part of the group."),
		field("fill", fillValue, "", "Set the FILL clause: 'null', 'none', 'previous', 'linear' or a number."),
		field("cluster", String, "''", "Name of the configured InfluxDB to query; empty uses the default."),
		quiet(),
	},
	Constraints: []Constraint{
		{Kind: AtMostOneOf, Props: []string{"every", "cron"}, Msg: "must not set both 'every' and 'cron' properties"},
		{Kind: RequireOneOf, Props: []string{"every", "cron"}, Msg: "must define one of 'every' or 'cron'"},
	},
}

// ---- filtering and per-point transformation (§2) ----

var whereNode = &NodeKind{
	Name: "where", Desc: "where", Category: "transform",
	Doc:      "Keeps only the points for which the predicate is true.",
	Params:   []Param{ctor("expr", Lambda, "lambda")},
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		internal("lambda", Lambda, "The predicate, from the constructor argument."),
		quiet(),
	},
}

var evalNode = &NodeKind{
	Name: "eval", Desc: "eval", Category: "transform",
	Doc:      "Evaluates expressions on each point and stores the results as fields or tags.",
	Params:   []Param{ctor("exprs", Lambda, "lambdas")},
	Variadic: true,
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		variadic("as", Replaces, "Names of the results, one per expression (required).", p("names", String)),
		variadic("tags", Replaces, "Results to store as tags instead of fields; each must be one of the as names.", p("names", String)),
		variadic("keep", Replaces, "Keep the existing fields; with names, keep exactly these fields.", p("fields", String)),
		internal("lambdas", List, "The expressions, from the constructor arguments."),
		internal("keepList", List, "The field names given to keep."),
		quiet(),
	},
	// The count rule "must specify same number of expressions and .as()
	// names: got N as names, and M expressions." is not a set rule; the
	// checker compares the counts itself.
}

var defaultNode = &NodeKind{
	Name: "default", Desc: "default", Category: "transform",
	Doc:      "Gives absent fields and tags a default value.",
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		method("field", Keyed, "Default for a field that is absent or null.", p("name", String), p("value", scalarValue)),
		method("tag", Keyed, "Default for a tag that is absent or empty.", p("name", String), p("value", String)),
		quiet(),
	},
}

var deleteNode = &NodeKind{
	Name: "delete", Desc: "delete", Category: "transform",
	Doc:      "Removes fields and tags from each point.",
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		method("field", Appends, "Remove this field.", p("name", String)),
		method("tag", Appends, "Remove this tag (and the dimension of that name).", p("name", String)),
		quiet(),
	},
}

var shiftNode = &NodeKind{
	Name: "shift", Desc: "shift", Category: "transform",
	Doc:      "Moves the time of every point by a fixed, non-zero duration.",
	Params:   []Param{ctor("shift", Duration, "shift")},
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		internal("shift", Duration, "The shift, from the constructor argument."),
		quiet(),
	},
}

var sampleNode = &NodeKind{
	Name: "sample", Desc: "sample", Category: "transform",
	Doc:      "Keeps every n-th point, or the points whose time is a multiple of a duration.",
	Params:   []Param{p("rate", Int|Duration)},
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		internal("n", Int, "The count rate, from an int constructor argument."),
		internal("duration", Duration, "The time rate, from a duration constructor argument."),
		quiet(),
	},
}

var derivativeNode = &NodeKind{
	Name: "derivative", Desc: "derivative", Category: "transform",
	Doc:      "Computes the rate of change of a field between consecutive points.",
	Params:   []Param{ctor("field", String, "field")},
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		field("as", String, "", "Name of the result field; defaults to the input field, which is overwritten."),
		field("unit", Duration, "1s", "Time unit of the rate."),
		flag("nonNegative", "Drop negative rates instead of emitting them."),
		internal("field", String, "The input field, from the constructor argument."),
		quiet(),
	},
}

var changeDetectNode = &NodeKind{
	Name: "changeDetect", Desc: "changeDetect", Category: "transform",
	Doc:      "Emits a point only when one of the listed fields differs from the last emitted point.",
	Params:   []Param{ctor("fields", String, "fields")},
	Variadic: true,
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		internal("fields", List, "The watched fields, from the constructor arguments."),
		quiet(),
	},
}

var stateDurationNode = &NodeKind{
	Name: "stateDuration", Desc: "state_duration", Category: "transform",
	Doc:      "Adds a field with how long the predicate has been true in a row (-1 when false).",
	Params:   []Param{ctor("expr", Lambda, "lambda")},
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		field("as", String, "'state_duration'", "Name of the result field."),
		field("unit", Duration, "1s", "Time unit of the result."),
		internal("lambda", Lambda, "The predicate, from the constructor argument."),
		quiet(),
	},
}

var stateCountNode = &NodeKind{
	Name: "stateCount", Desc: "state_count", Category: "transform",
	Doc:      "Adds a field with how many consecutive points satisfied the predicate (-1 when false).",
	Params:   []Param{ctor("expr", Lambda, "lambda")},
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		field("as", String, "'state_count'", "Name of the result field."),
		internal("lambda", Lambda, "The predicate, from the constructor argument."),
		quiet(),
	},
}

var sideloadNode = &NodeKind{
	Name: "sideload", Desc: "sideload", Category: "transform",
	Doc:      "Adds fields and tags looked up in external files or an HTTP source, keyed by templated paths.",
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		field("source", String, "''", "Where to load from: file:///dir, an http(s) URL or an httppost endpoint name."),
		variadic("order", Replaces, "Lookup paths, templated on the point's tags, tried in order.", p("paths", String)),
		method("field", Keyed, "Load this field; the default gives its value and type when no path has it.", p("key", String), p("default", scalarValue)),
		method("tag", Keyed, "Load this tag, with its default.", p("key", String), p("default", String)),
		quiet(),
	},
}

var logNode = &NodeKind{
	Name: "log", Desc: "log", Category: "transform",
	Doc:      "Logs every point or batch and passes it on unchanged.",
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		field("level", String, "'INFO'", "Log level: DEBUG, INFO or ERROR."),
		field("prefix", String, "''", "Text prepended to every log line."),
		quiet(),
	},
}

// ---- grouping, windowing, barriers (§3, §4) ----

var groupByNode = &NodeKind{
	Name: "groupBy", Desc: "groupby", Category: "grouping",
	Doc:      "Regroups the data by the given tags, or by every tag with *.",
	Params:   []Param{ctor("dims", dims, "dimensions")},
	Variadic: true,
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		flag("byMeasurement", "Make the measurement name part of the group."),
		variadic("exclude", Appends, "Tags to leave out when grouping by *.", p("dims", String)),
		internal("dimensions", List, "The dimensions, from the constructor arguments."),
		quiet(),
	},
}

var windowNode = &NodeKind{
	Name: "window", Desc: "window", Category: "grouping",
	Doc:      "Buffers stream points and emits them as batches over a time or count window.",
	Wants:    Stream,
	Provides: Batch,
	Properties: []*Property{
		field("period", Duration, "0s", "Length of each window in time."),
		field("every", Duration, "0s", "How often to emit a window; 0 emits on every point."),
		flag("align", "Align window boundaries to multiples of every."),
		flag("fillPeriod", "Wait until a full period of data is buffered before the first emission."),
		field("periodCount", Int, "0", "Length of each window in points."),
		field("everyCount", Int, "0", "Emit a count window after this many points."),
		quiet(),
	},
	Constraints: []Constraint{
		{Kind: AtMostOneOf, Props: []string{"period", "periodCount"}, Msg: "cannot specify both period and periodCount"},
		{Kind: AtMostOneOf, Props: []string{"align", "periodCount"}, Msg: "can only align windows based off time, not count"},
		{Kind: Requires, Props: []string{"periodCount", "everyCount"}, Msg: "everyCount must be greater than zero"},
		{Kind: RequireOneOf, Props: []string{"period", "periodCount"}, Msg: "window node must have either a non zero period or non zero period count"},
	},
}

var barrierNode = &NodeKind{
	Name: "barrier", Desc: "barrier", Category: "grouping",
	Doc:      "Emits barriers on wall-clock idleness or periods, optionally deleting group state.",
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		field("idle", Duration, "0s", "Emit a barrier when a group has been idle this long."),
		field("period", Duration, "0s", "Emit a barrier for every group at this interval."),
		field("delete", Bool, "FALSE", "Also delete the group's state after each barrier."),
		quiet(),
	},
	Constraints: []Constraint{
		{Kind: AtMostOneOf, Props: []string{"idle", "period"}, Msg: "cannot specify both idle and period"},
		{Kind: RequireOneOf, Props: []string{"idle", "period"}, Msg: "idle must be greater than zero"},
	},
}

// ---- InfluxQL function nodes (§5) ----

// influxQLSpec describes one InfluxQL chaining method.
type influxQLSpec struct {
	name     string
	category string
	params   []Param
	variadic bool
	provides Edge
	doc      string
}

var influxQLSpecs = []influxQLSpec{
	{"count", "aggregate", fieldParam(), false, Stream, "Counts the points that have the field."},
	{"distinct", "aggregate", fieldParam(), false, Batch, "Emits a batch with one point per distinct value of the field."},
	{"mean", "aggregate", fieldParam(), false, Stream, "Averages the field."},
	{"median", "aggregate", fieldParam(), false, Stream, "Takes the middle value of the field."},
	{"mode", "aggregate", fieldParam(), false, Stream, "Takes the most frequent value of the field."},
	{"spread", "aggregate", fieldParam(), false, Stream, "Takes the difference between the largest and smallest value of the field."},
	{"sum", "aggregate", fieldParam(), false, Stream, "Adds up the field."},
	{"first", "selector", fieldParam(), false, Stream, "Selects the earliest point that has the field."},
	{"last", "selector", fieldParam(), false, Stream, "Selects the latest point that has the field."},
	{"min", "selector", fieldParam(), false, Stream, "Selects the point with the smallest value of the field."},
	{"max", "selector", fieldParam(), false, Stream, "Selects the point with the largest value of the field."},
	{"percentile", "selector", []Param{ctor("field", String, "field"), p("percentile", Float)}, false, Stream,
		"Selects the point at the given percentile (0-100) of the field."},
	{"top", "selector", []Param{p("num", Int), ctor("field", String, "field"), p("fieldsAndTags", String)}, true, Batch,
		"Selects the num points with the largest values, optionally one per distinct combination of extra tags or fields."},
	{"bottom", "selector", []Param{p("num", Int), ctor("field", String, "field"), p("fieldsAndTags", String)}, true, Batch,
		"Selects the num points with the smallest values, optionally one per distinct combination of extra tags or fields."},
	{"stddev", "aggregate", fieldParam(), false, Stream, "Computes the sample standard deviation of the field."},
	{"elapsed", "transformation", []Param{ctor("field", String, "field"), p("unit", Duration)}, false, SameAsParent,
		"Emits the time elapsed since the previous point, in units."},
	{"difference", "transformation", fieldParam(), false, SameAsParent, "Emits the difference from the previous value of the field."},
	{"movingAverage", "transformation", []Param{ctor("field", String, "field"), p("window", Int)}, false, SameAsParent,
		"Emits the mean of the last window values of the field."},
	{"holtWinters", "forecast", holtWintersParams(), false, Batch, "Forecasts h future values of the field with the Holt-Winters method."},
	{"holtWintersWithFit", "forecast", holtWintersParams(), false, Batch,
		"Forecasts like holtWinters and also emits the fitted values for the input range."},
	{"cumulativeSum", "transformation", fieldParam(), false, SameAsParent, "Emits the running sum of the field."},
}

func fieldParam() []Param { return []Param{ctor("field", String, "field")} }

func holtWintersParams() []Param {
	return []Param{ctor("field", String, "field"), p("h", Int), p("m", Int), p("interval", Duration)}
}

// influxQLNodes builds one kind per InfluxQL method; they share their
// properties (as, usePointTimes) and plumbing fields.
func influxQLNodes() []*NodeKind {
	out := make([]*NodeKind, 0, len(influxQLSpecs))
	for _, s := range influxQLSpecs {
		desc := s.name
		if s.name == "holtWintersWithFit" {
			desc = "holtWinters" // both variants are named holtWinters
		}
		out = append(out, &NodeKind{
			Name: s.name, Desc: desc, Category: s.category, Doc: s.doc,
			Params:   s.params,
			Variadic: s.variadic,
			Wants:    SameAsParent,
			Provides: s.provides,
			Properties: []*Property{
				field("as", String, "'"+desc+"'", "Name of the result field."),
				flag("usePointTimes", "Use the selected points' own times instead of the batch or bucket time."),
				internal("method", String, "The InfluxQL function name."),
				internal("field", String, "The input field, from the constructor argument."),
				internal("reduceCreater", None, "The reducer factory (Go plumbing)."),
				internal("args", List, "The remaining constructor arguments."),
				quiet(),
			},
		})
	}
	return out
}

// ---- combining (§6) ----

var joinNode = &NodeKind{
	Name: "join", Desc: "join", Category: "combining",
	Doc:      "Joins this node's data with other nodes' data by group and time, prefixing each parent's fields.",
	Params:   []Param{p("others", Node)},
	Variadic: true,
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		variadic("as", Replaces, "Field prefixes, one per parent in order (required).", p("names", String)),
		variadic("on", Replaces, "Join on these dimensions only, matching less specific groups to more specific ones.", p("dims", String)),
		field("delimiter", String, "'.'", "Separator between prefix and field name."),
		field("streamName", String, "''", "Measurement name of the joined data; defaults to the first parent's."),
		field("tolerance", Duration, "0s", "Round times to this duration before matching."),
		field("fill", fillValue, "'none'", "What to do when a parent is missing: 'none' (inner join), 'null' or a number."),
		quiet(),
	},
	Constraints: []Constraint{
		{Kind: RequireAll, Props: []string{"as"}, Msg: "a call to join.as() is required to specify the output stream prefixes."},
	},
}

var unionNode = &NodeKind{
	Name: "union", Desc: "union", Category: "combining",
	Doc:      "Merges this node's data with other nodes' data into one edge in time order.",
	Params:   []Param{p("others", Node)},
	Variadic: true,
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		field("rename", String, "''", "New measurement name for all merged data; empty keeps the names."),
		quiet(),
	},
}

var combineNode = &NodeKind{
	Name: "combine", Desc: "combine", Category: "combining",
	Doc:      "Combines points of one group and time that match different expressions into single points.",
	Params:   []Param{ctor("exprs", Lambda, "lambdas")},
	Variadic: true,
	Wants:    SameAsParent,
	Provides: Stream,
	Properties: []*Property{
		variadic("as", Replaces, "Field prefixes, one per expression (required).", p("names", String)),
		field("delimiter", String, "'.'", "Separator between prefix and field name."),
		field("tolerance", Duration, "0s", "Round times to this duration before combining."),
		field("max", Int, "1000000", "Largest number of combinations to try per time; more is a fatal error."),
		internal("lambdas", List, "The expressions, from the constructor arguments."),
		quiet(),
	},
	Constraints: []Constraint{
		{Kind: RequireAll, Props: []string{"as"}, Msg: "a call to combine.as() is required to specify the output stream prefixes."},
	},
}

var flattenNode = &NodeKind{
	Name: "flatten", Desc: "flatten", Category: "combining",
	Doc:      "Merges the points of one group and time into one point, prefixing fields with tag values.",
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		variadic("on", Replaces, "Tags whose values prefix the field names, in order.", p("dims", String)),
		field("delimiter", String, "'.'", "Separator between the name parts."),
		field("tolerance", Duration, "0s", "Round times to this duration before merging."),
		withDefault(optional("dropOriginalFieldName", Replaces, "Leave the original field name out of the flattened names.", p("drop", Bool)), "FALSE"),
		quiet(),
	},
}

// ---- alerting (§7); the properties are in handlers.go ----

var alertNode = &NodeKind{
	Name: "alert", Desc: "alert", Category: "alerting",
	Doc:        "Evaluates alert levels per group and sends events to handlers on level changes.",
	Wants:      SameAsParent,
	Provides:   SameAsParent,
	Properties: alertProperties(),
}

var deadmanNode = &NodeKind{
	Name: "deadman", Desc: "alert", Category: "alerting",
	Doc: "Alerts when the node's throughput drops to the threshold or below (stats|derivative|alert helper).",
	Params: []Param{
		p("threshold", Float), p("interval", Duration), p("expr", Lambda),
	},
	Variadic:   true,
	Helper:     true,
	Wants:      NoEdge,
	Provides:   Stream,
	Properties: alertProperties(),
}

// ---- outputs (§8) ----

var httpOutNode = &NodeKind{
	Name: "httpOut", Desc: "http_out", Category: "output",
	Doc:      "Serves the latest point or batch of each group as JSON over the task's HTTP endpoint.",
	Params:   []Param{ctor("endpoint", String, "endpoint")},
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		internal("endpoint", String, "The endpoint name, from the constructor argument."),
		quiet(),
	},
}

var httpPostNode = &NodeKind{
	Name: "httpPost", Desc: "http_post", Category: "output",
	Doc:      "POSTs every point or batch as JSON to a URL or a configured endpoint.",
	Params:   []Param{ctor("url", String, "URLs")},
	Variadic: true,
	Optional: true,
	Wants:    SameAsParent,
	Provides: SameAsParent,
	Properties: []*Property{
		method("endpoint", Appends, "Name of a configured [[httppost]] endpoint to post to (at most one).", p("name", String)),
		method("header", Keyed, "Add an HTTP header to each request.", p("key", String), p("value", String)),
		flag("captureResponse", "Log the response body of failed requests."),
		field("codeField", String, "''", "Add the HTTP status code to each point as this int field."),
		field("timeout", Duration, "0s", "Request timeout; 0 means none."),
		internal("URLs", List, "The URL, from the constructor argument."),
		quiet(),
	},
	Constraints: []Constraint{
		{Kind: RequireOneOf, Props: []string{"URLs", "endpoint"}, Msg: "must provide url or endpoint"},
		{Kind: AtMostOneOf, Props: []string{"URLs", "endpoint"}, Msg: "only one endpoint and url may be specified"},
	},
}

var influxDBOutNode = &NodeKind{
	Name: "influxDBOut", Desc: "influxdb_out", Category: "output",
	Doc:      "Writes every point to InfluxDB; terminal.",
	Wants:    SameAsParent,
	Provides: NoEdge,
	Chaining: terminalChaining,
	Properties: []*Property{
		field("cluster", String, "''", "Name of the configured InfluxDB to write to; empty uses the default."),
		field("database", String, "''", "Database to write to."),
		field("retentionPolicy", String, "''", "Retention policy to write to."),
		field("measurement", String, "''", "Measurement name to write; empty keeps the data's name."),
		field("writeConsistency", String, "''", "Write consistency level for clustered InfluxDB."),
		field("precision", String, "''", "Time precision of the writes; empty is nanoseconds."),
		field("buffer", Int, "1000", "Number of points buffered before a write."),
		field("flushInterval", Duration, "10s", "Longest time points stay buffered."),
		method("tag", Keyed, "Add a static tag to every written point.", p("key", String), p("value", String)),
		flag("create", "Create the database and retention policy at task start."),
		quiet(),
	},
}

var kapacitorLoopbackNode = &NodeKind{
	Name: "kapacitorLoopback", Desc: "kapacitor_loopback", Category: "output",
	Doc:      "Writes every point back into Kapacitor's own stream input under another database; terminal.",
	Wants:    SameAsParent,
	Provides: NoEdge,
	Chaining: terminalChaining,
	Properties: []*Property{
		field("database", String, "''", "Database to write to (required)."),
		field("retentionPolicy", String, "''", "Retention policy to write to (required)."),
		field("measurement", String, "''", "Measurement name to write; empty keeps the data's name."),
		method("tag", Keyed, "Add a static tag to every written point.", p("key", String), p("value", String)),
		quiet(),
	},
	Constraints: []Constraint{
		{Kind: RequireAll, Props: []string{"database"}, Msg: "must specify a database"},
		{Kind: RequireAll, Props: []string{"retentionPolicy"}, Msg: "must specify a retention policy"},
	},
}

// ---- autoscaling (§9) ----

// autoscaleProps are the properties the three autoscale nodes share.
func autoscaleProps() []*Property {
	return []*Property{
		field("cluster", String, "''", "Name of the configured cluster to scale."),
		field("currentField", String, "''", "Name under which the current replica count is visible to the replicas expression."),
		field("max", Int, "0", "Largest replica count; 0 means unlimited."),
		field("min", Int, "1", "Smallest replica count; at least 1."),
		field("replicas", Lambda, "", "Expression giving the desired replica count as an int (required)."),
		field("increaseCooldown", Duration, "0s", "Minimum time between two scale-ups."),
		field("decreaseCooldown", Duration, "0s", "Minimum time between two scale-downs."),
		quiet(),
	}
}

var k8sAutoscaleNode = &NodeKind{
	Name: "k8sAutoscale", Desc: "k8s_autoscale", Category: "autoscale",
	Doc:      "Scales a Kubernetes resource to the replica count computed from each point.",
	Wants:    SameAsParent,
	Provides: Stream,
	Properties: props(autoscaleProps(), []*Property{
		field("namespace", String, "''", "Namespace of the resource; empty means default."),
		field("kind", String, "'deployments'", "Kind of resource: deployments, replicasets or replicationcontrollers."),
		field("resourceName", String, "''", "Name of the resource to scale."),
		field("resourceNameTag", String, "''", "Tag that holds the name of the resource to scale."),
		field("namespaceTag", String, "'namespace'", "Output tag for the namespace."),
		field("kindTag", String, "'kind'", "Output tag for the kind."),
		field("resourceTag", String, "'resource'", "Output tag for the resource name."),
	}),
	Constraints: []Constraint{
		{Kind: RequireOneOf, Props: []string{"resourceName", "resourceNameTag"}, Msg: "must specify exactly one of ResourceName or ResourceNameTag"},
		{Kind: AtMostOneOf, Props: []string{"resourceName", "resourceNameTag"}, Msg: "must specify exactly one of ResourceName or ResourceNameTag"},
		{Kind: RequireAll, Props: []string{"replicas"}, Msg: "must provide a replicas lambda expression"},
	},
}

var swarmAutoscaleNode = &NodeKind{
	Name: "swarmAutoscale", Desc: "swarm_autoscale", Category: "autoscale",
	Doc:      "Scales a Docker Swarm service to the replica count computed from each point.",
	Wants:    SameAsParent,
	Provides: Stream,
	Properties: props(autoscaleProps(), []*Property{
		field("serviceName", String, "''", "Name of the service to scale."),
		field("serviceNameTag", String, "''", "Tag that holds the name of the service to scale."),
		field("outputServiceNameTag", String, "''", "Output tag for the service name; defaults to serviceNameTag."),
	}),
	Constraints: []Constraint{
		{Kind: RequireOneOf, Props: []string{"serviceName", "serviceNameTag"}, Msg: "must specify exactly one of ServiceName or ServiceNameTag"},
		{Kind: AtMostOneOf, Props: []string{"serviceName", "serviceNameTag"}, Msg: "must specify exactly one of ServiceName or ServiceNameTag"},
		{Kind: RequireAll, Props: []string{"replicas"}, Msg: "must provide a replicas lambda expression"},
	},
}

var ec2AutoscaleNode = &NodeKind{
	Name: "ec2Autoscale", Desc: "ec2_autoscale", Category: "autoscale",
	Doc:      "Scales an AWS EC2 auto-scaling group to the capacity computed from each point.",
	Wants:    SameAsParent,
	Provides: Stream,
	Properties: props(autoscaleProps(), []*Property{
		field("groupName", String, "''", "Name of the auto-scaling group."),
		field("groupNameTag", String, "''", "Tag that holds the name of the auto-scaling group."),
		field("outputGroupNameTag", String, "''", "Output tag for the group name; defaults to groupNameTag."),
	}),
	Constraints: []Constraint{
		{Kind: RequireOneOf, Props: []string{"groupName", "groupNameTag"}, Msg: "must specify exactly one of GroupName or GroupNameTag"},
		{Kind: AtMostOneOf, Props: []string{"groupName", "groupNameTag"}, Msg: "must specify exactly one of GroupName or GroupNameTag"},
		{Kind: RequireAll, Props: []string{"replicas"}, Msg: "must provide a replicas lambda expression"},
	},
}

// ---- introspection and plumbing (§10) ----

var statsNode = &NodeKind{
	Name: "stats", Desc: "stats", Category: "introspection",
	Doc:      "A new source that emits, every wall-clock interval, how many points the node has emitted per group.",
	Params:   []Param{ctor("interval", Duration, "interval")},
	Wants:    NoEdge,
	Provides: Stream,
	Properties: []*Property{
		flag("align", "Align emission times to multiples of the interval."),
		internal("interval", Duration, "The interval, from the constructor argument."),
		internal("sourceNode", Node, "The observed node."),
		quiet(),
	},
}

var noopNode = &NodeKind{
	Name: "noop", Desc: "noop", Category: "internal",
	Doc:        "Invisible child added under a childless node observed by stats; passes nothing on.",
	Wants:      SameAsParent,
	Provides:   SameAsParent,
	Implicit:   true,
	Properties: []*Property{quiet()},
}
