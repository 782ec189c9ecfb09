package runtime

import (
	"errors"
	"slices"
	"time"
	"unsafe"
)

// Source nodes (nodes.md §1): stream and its from filters, batch and its
// query nodes.

// ---- stream -------------------------------------------------------------

// StreamConfig configures the stream node.
type StreamConfig struct {
	Quiet bool
}

// StreamNode is the source of a stream task: written or replayed points
// enter through Collect, which keeps those the task subscribes to, and
// it forwards them to its from nodes.
type StreamNode struct {
	Base
	cfg StreamConfig

	routed bool
	// named holds the measurements some from() names; anyName is set when
	// some from() names none.
	named   map[string]bool
	anyName bool
	// onlyFroms is set when every child is a from node: those copy what
	// they forward, so the points Collect is handed can be passed on as
	// they are (borrowed, see the reuse rule in node.go).
	onlyFroms bool
	// handsOver is set when the points given to Collect are the caller's
	// to give away (handOverPoints).
	handsOver bool
	// lastName caches the measurement check of the previous point.
	lastName    string
	lastNamed   bool
	lastChecked bool
	// lastDB and lastRP cache the subscription check of the previous
	// point by the strings' addresses (they hold the bytes, so an address
	// cannot come back with others): the points of one input mostly
	// share their database and retention policy strings.
	lastDB, lastRP string
	lastSubscribed bool
}

// NewStream returns the stream node.
func NewStream(t *Task, id int, name string, cfg StreamConfig) *StreamNode {
	n := &StreamNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// route works out, once the pipeline is built, which measurements the
// task subscribes to: those of every from() node, anywhere in the task.
func (n *StreamNode) route() {
	n.routed = true
	n.named = map[string]bool{}
	for _, node := range n.Task.Nodes {
		if f, ok := node.(*FromNode); ok {
			if f.cfg.Measurement == "" {
				n.anyName = true
			} else {
				n.named[f.cfg.Measurement] = true
			}
		}
	}
	n.onlyFroms = true
	for _, e := range n.Edges {
		if _, ok := e.Child.(*FromNode); !ok {
			n.onlyFroms = false
		}
	}
	if f := n.verdictFrom(); f != nil {
		f.verdicts = true
	}
	if n.handsOver && len(n.Edges) == 1 {
		if f, ok := n.Edges[0].Child.(*FromNode); ok {
			f.ownsInput = true // its only source: each point comes once
		}
	}
}

// handOverPoints says that the points later given to Collect are the
// caller's to give away: it reads them no more once Collect returns
// (the replay's chunks), so a from node may change one instead of
// copying it. Call it before the first point.
func (n *StreamNode) handOverPoints() { n.handsOver = true }

// verdictFrom returns the from node that keeps verdicts on series
// (FromNode.verdicts): the stream's only child, when its predicates
// depend on the series alone. Its verdicts are the task's.
func (n *StreamNode) verdictFrom() *FromNode {
	if len(n.Edges) != 1 {
		return nil
	}
	f, ok := n.Edges[0].Child.(*FromNode)
	if !ok || !f.cfg.WhereBySeries {
		return nil
	}
	return f
}

// projectIngestFields enables the field projection; tests turn it off to
// compare.
var projectIngestFields = true

// fieldProjection returns the only fields the task reads of the points
// it is handed, nil when it may read any: the union of the from nodes'
// Fields, when every from node has a projection; deferOthers is set when
// a from node has the others decoded later (FromConfig.DeferFields).
func (n *StreamNode) fieldProjection() (fields []string, deferOthers bool) {
	if !projectIngestFields {
		return nil, false
	}
	fields = []string{}
	for _, e := range n.Edges {
		f, ok := e.Child.(*FromNode)
		if !ok || !f.cfg.ProjectFields {
			return nil, false
		}
		deferOthers = deferOthers || f.cfg.DeferFields
		for _, name := range f.cfg.Fields {
			if !slices.Contains(fields, name) {
				fields = append(fields, name)
			}
		}
	}
	return fields, deferOthers
}

// recyclesFields reports whether the memory of a point's Fields may be
// reused once Collect has returned: no node of the task keeps Fields it
// was handed (see the reuse rule in node.go).
func (n *StreamNode) recyclesFields() bool {
	return reuseIngestMemory && childrenAll(n, fieldsSafe)
}

// Collect takes a point written to (or replayed into) the task. Like
// Kapacitor's task master it delivers the point once for each
// subscription it matches, (db, rp, its measurement) and (db, rp, any
// measurement): a task with both a from().measurement('cpu') and a
// from() without measurement receives each cpu point twice. The point is
// only read, and only during the call (after handOverPoints it may be
// changed too).
func (n *StreamNode) Collect(p *Point) error {
	if !n.routed {
		n.route()
	}
	if !n.subscribes(p.Database, p.RP) {
		return nil
	}
	if !n.onlyFroms {
		c := *p // children that are not from nodes may keep the point
		p = &c
	}
	if !n.lastChecked || p.Name != n.lastName {
		n.lastName, n.lastNamed, n.lastChecked = p.Name, n.named[p.Name], true
	}
	if n.lastNamed {
		if err := n.EmitPoint(p); err != nil {
			return err
		}
	}
	if n.anyName {
		return n.EmitPoint(p)
	}
	return nil
}

// subscribes is Task.subscribes, cached for the strings of the last call.
func (n *StreamNode) subscribes(db, rp string) bool {
	if !sameString(db, n.lastDB) || !sameString(rp, n.lastRP) {
		n.lastDB, n.lastRP = db, rp
		n.lastSubscribed = n.Task.subscribes(db, rp)
	}
	return n.lastSubscribed
}

// equalFast is a == b, without comparing bytes when a and b share them
// (the names of a series' points do).
func equalFast(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// sameString reports whether a and b are the same bytes in memory (both
// non-empty): equal without comparing them.
func sameString(a, b string) bool {
	return len(a) == len(b) && len(a) > 0 && unsafe.StringData(a) == unsafe.StringData(b)
}

// Point forwards p to the from nodes.
func (n *StreamNode) Point(_ int, p *Point) error { return n.Collect(p) }

// Batch cannot happen: the stream node has no batch input.
func (n *StreamNode) Batch(int, *Batch) error {
	return n.Fatal(errors.New("stream does not support batch data"))
}

// ---- from ---------------------------------------------------------------

// FromConfig configures a from node (nodes.md §1.2).
type FromConfig struct {
	// Database, RetentionPolicy and Measurement select points; empty
	// matches any.
	Database, RetentionPolicy, Measurement string
	// Where holds the .where() predicates in script order; they are ANDed
	// as one expression with one state, evaluated left to right with
	// short-circuit, as Kapacitor combines them.
	Where []*Lambda
	// GroupBy are the tag names of .groupBy(); GroupByAll is set by `*`.
	GroupBy            []string
	GroupByAll         bool
	GroupByMeasurement bool
	// Truncate and Round adjust point times (0 = off).
	Truncate, Round time.Duration
	Quiet           bool
	// Fields, when ProjectFields is set, are the only fields the task
	// reads of the points this node passes on (the compiler works it out
	// from what the nodes below read and output): the stream need not
	// decode the others.
	ProjectFields bool
	Fields        []string
	// DeferFields, with ProjectFields, says that the other fields are
	// read only by alert nodes, to send an event, reached through nodes
	// that hand each point on during the call: where, groupBy,
	// stateDuration, stateCount. The stream then decodes them only then
	// (Point.deferred).
	DeferFields bool
	// WhereBySeries is set when the measurement and where predicates
	// depend on a point's series alone, given that it has no field named
	// as one of WhereRefs (the names the predicates read): no stateful
	// function, no "time". The node then decides once per series.
	WhereBySeries bool
	WhereRefs     []string
}

// FromNode selects points of the stream and sets their grouping.
type FromNode struct {
	Base
	cfg    FromConfig
	dims   []string // sorted GroupBy
	where  LambdaState
	groups groupIDs

	// out, when set, is the one point the node hands its children, reused
	// for every point: set when nothing below can keep a *Point
	// (pointSafe). Otherwise every point forwarded is a new copy.
	out     *Point
	checked bool
	// verdicts is set when the node is the stream's only child: it keeps
	// its verdict on each series (cfg.WhereBySeries) on the parser's
	// series key, where the parsers see it too.
	verdicts bool
	// ownsInput is set when the points the node gets are its own to
	// change (StreamNode.handOverPoints); inPlace when it then forwards
	// them changed instead of a copy (nothing below keeps a *Point).
	ownsInput, inPlace bool
}

// NewFrom returns a from node.
func NewFrom(t *Task, id int, name string, cfg FromConfig) *FromNode {
	n := &FromNode{cfg: cfg, dims: sortedCopy(cfg.GroupBy)}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *FromNode) matches(p *Point) bool {
	if n.cfg.Database != "" && p.Database != n.cfg.Database {
		return false
	}
	if n.cfg.RetentionPolicy != "" && p.RP != n.cfg.RetentionPolicy {
		return false
	}
	k := p.verdict // set when no field is named as WhereRefs
	if k == nil || !n.verdicts {
		ok, _ := n.matchesSeries(p)
		return ok
	}
	switch k.v.Load() {
	case verdictPass:
		return true
	case verdictReject:
		return false
	}
	ok, decided := n.matchesSeries(p)
	if decided {
		v := verdictReject
		if ok {
			v = verdictPass
		}
		k.v.Store(v)
	}
	return ok
}

// matchesSeries applies the measurement and the where predicates; decided
// is false when a predicate failed (the error is logged, per point).
func (n *FromNode) matchesSeries(p *Point) (ok, decided bool) {
	if n.cfg.Measurement != "" && p.Name != n.cfg.Measurement {
		return false, true
	}
	for _, l := range n.cfg.Where {
		ok, err := EvalPredicate(l, &p.Row, &n.where)
		if err != nil {
			n.LogError("failed to evaluate WHERE expression: %v", err)
			return false, false
		}
		if !ok {
			return false, true
		}
	}
	return true, true
}

// Point filters p, adjusts its time and regroups it. The point it
// forwards is its own: the stream's point is only borrowed.
func (n *FromNode) Point(_ int, p *Point) error {
	if !n.matches(p) {
		return nil
	}
	if !n.checked {
		n.checked = true
		if reuseIngestMemory && childrenAll(n, pointSafe) {
			n.out = new(Point)
			n.inPlace = n.ownsInput
		}
	}
	q := p
	if !n.inPlace {
		if q = n.out; q == nil {
			q = new(Point)
		}
		*q = *p
	}
	if !n.cfg.DeferFields {
		q.deferred = nil // the stream deferred them for another from node
	}
	if n.cfg.Truncate != 0 {
		q.Time = TruncateTime(q.Time, n.cfg.Truncate)
	}
	if n.cfg.Round != 0 {
		q.Time = RoundTime(q.Time, n.cfg.Round)
	}
	q.Dims = Dimensions{ByName: n.cfg.GroupByMeasurement, TagNames: n.dims}
	if n.cfg.GroupByAll {
		q.Dims.TagNames = n.groups.allTagNames(q.Tags)
	}
	n.groups.assign(n.Task, q)
	return n.EmitPoint(q)
}

// groupIDs hands out the group IDs of one from node, whose dimensions
// are fixed (or, for groupBy(*), a function of the tags). Points of one
// series share their Tags slice (the line parser decodes a series once),
// so the ID is cached by the slice's address: tags handed to nodes are
// read-only, and the cache keeps the slice alive, so an address never
// stands for other tags. The length and measurement are checked too.
type groupIDs struct {
	buf      []byte
	bySeries map[*Tag]seriesGroup
	// bySeriesNum caches by Point.Series what bySeries caches by address:
	// an index instead of a hash lookup.
	bySeriesNum []seriesGroup
	allNames    map[*Tag][]string // groupBy(*): the tag names by series
}

type seriesGroup struct {
	tags *Tag // bySeriesNum: the series' tags (bySeries: the key)
	n    int
	name string
	id   GroupID
	num  uint32 // the task's number of id
	ok   bool   // bySeriesNum: the entry is set
}

// groupIDLimit bounds the caches; past it IDs are computed every time.
const groupIDLimit = 1 << 18

// assign sets the group ID and number of q, whose dimensions must be
// the node's (see above).
func (g *groupIDs) assign(t *Task, q *Point) {
	s, key := int(q.Series), unsafe.SliceData(q.Tags)
	if s < len(g.bySeriesNum) {
		if e := &g.bySeriesNum[s]; e.ok && e.tags == key && e.n == len(q.Tags) && equalFast(e.name, q.Name) {
			q.Group, q.GroupNum = e.id, e.num
			return
		}
	}
	if s == 0 || s >= groupIDLimit {
		q.Group = g.id(q.Name, q.Tags, q.Dims)
		q.GroupNum = t.groupNumber(q.Group)
		return
	}
	id, num := t.sharedGroup(g.compute(q.Name, q.Tags, q.Dims))
	g.bySeriesNum = indexFor(g.bySeriesNum, s)
	g.bySeriesNum[s] = seriesGroup{tags: key, n: len(q.Tags), name: q.Name, id: id, num: num, ok: true}
	q.Group, q.GroupNum = id, num
}

// id returns the group ID of a point; dims must be the node's (see above).
func (g *groupIDs) id(name string, tags Tags, dims Dimensions) GroupID {
	if len(dims.TagNames) == 0 {
		return g.compute(name, tags, dims)
	}
	key := unsafe.SliceData(tags)
	if sg, ok := g.bySeries[key]; ok && sg.n == len(tags) && (sg.name == name || !dims.ByName) {
		return sg.id
	}
	id := g.compute(name, tags, dims)
	if g.bySeries == nil {
		g.bySeries = make(map[*Tag]seriesGroup)
	}
	if len(g.bySeries) < groupIDLimit {
		g.bySeries[key] = seriesGroup{n: len(tags), name: name, id: id}
	}
	return id
}

// compute returns the group ID of a point, uncached.
func (g *groupIDs) compute(name string, tags Tags, dims Dimensions) GroupID {
	if len(dims.TagNames) == 0 {
		if dims.ByName {
			return GroupID(name)
		}
		return NilGroup
	}
	g.buf = appendGroupID(g.buf[:0], name, tags, dims)
	return GroupID(g.buf)
}

// allTagNames returns the keys of tags, the dimensions of groupBy(*).
func (g *groupIDs) allTagNames(tags Tags) []string {
	key := unsafe.SliceData(tags)
	if names, ok := g.allNames[key]; ok && len(names) == len(tags) {
		return names
	}
	names := dimsOfAllTags(tags)
	if g.allNames == nil {
		g.allNames = make(map[*Tag][]string)
	}
	if len(g.allNames) < groupIDLimit {
		g.allNames[key] = names
	}
	return names
}

// appendGroupID appends the group ID ComputeGroupID returns for data
// with dimension tag names (name, a newline when grouped by name, then
// tag=value pairs in dimension order).
func appendGroupID(b []byte, name string, tags Tags, dims Dimensions) []byte {
	if dims.ByName {
		b = append(b, name...)
		b = append(b, '\n')
	}
	for i, d := range dims.TagNames {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, d...)
		b = append(b, '=')
		v, _ := tags.Get(d)
		b = append(b, v...)
	}
	return b
}

// Batch is a fatal error: from only takes stream data.
func (n *FromNode) Batch(int, *Batch) error {
	return n.Fatal(errors.New("from does not support batch data"))
}

// TruncateTime truncates a Unix-nanosecond time to a multiple of d as Go's
// time.Time.Truncate does: multiples counted from year 1, not from the
// Unix epoch (the same for any d dividing a day; not for 7m or 1w).
func TruncateTime(t int64, d time.Duration) int64 {
	if d <= 0 {
		return t
	}
	return time.Unix(0, t).Truncate(d).UnixNano()
}

// RoundTime rounds a Unix-nanosecond time to the nearest multiple of d
// (halves up), counted from year 1 like time.Time.Round.
func RoundTime(t int64, d time.Duration) int64 {
	if d <= 0 {
		return t
	}
	return time.Unix(0, t).Round(d).UnixNano()
}

func dimsOfAllTags(tags Tags) []string {
	if len(tags) == 0 {
		return nil
	}
	keys := make([]string, len(tags))
	for i, t := range tags {
		keys[i] = t.Key
	}
	return keys
}

func sortedCopy(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	c := append([]string(nil), s...)
	// Insertion sort: dimension lists are short.
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j] < c[j-1]; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	return c
}

// ---- batch and query ----------------------------------------------------

// BatchConfig configures the batch node.
type BatchConfig struct {
	Quiet bool
}

// BatchNode is the source of a batch task: a container of query nodes,
// each an independent source of batches.
type BatchNode struct {
	Base
	cfg BatchConfig
}

// NewBatch returns the batch node.
func NewBatch(t *Task, id int, name string, cfg BatchConfig) *BatchNode {
	n := &BatchNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// Point cannot happen: nothing feeds the batch node.
func (n *BatchNode) Point(int, *Point) error {
	return n.Fatal(errors.New("batch does not support stream data"))
}

// Batch cannot happen either: batches enter through the query nodes.
func (n *BatchNode) Batch(int, *Batch) error {
	return n.Fatal(errors.New("batches enter through the query nodes"))
}

// QueryDim is one dimension of a query's .groupBy(): a tag, `*`, or a
// time(d[, offset]) bucket.
type QueryDim struct {
	Tag          string
	Star         bool
	Time         time.Duration // > 0 for a time dimension
	TimeOffset   time.Duration
	IsTimeBucket bool
}

// QueryFill is the .fill() option of a query: Kind is "" (unset), "null",
// "none", "previous", "linear" or "number" (then Value holds the number).
type QueryFill struct {
	Kind  string
	Value Value
}

// QueryConfig configures a query node (nodes.md §1.4). In a replay the
// recorded batches are delivered as they are: the schedule, the time
// range and the GROUP BY only matter to a live task querying InfluxDB.
type QueryConfig struct {
	Query              string
	Period, Every      time.Duration
	Cron               string
	Offset             time.Duration
	Align, AlignGroup  bool
	GroupBy            []QueryDim
	GroupByMeasurement bool
	Fill               QueryFill
	Cluster            string
	Quiet              bool
}

// QueryNode is a batch source: in a replay it receives the recorded
// batches through Collect and forwards them unchanged.
type QueryNode struct {
	Base
	cfg QueryConfig

	// BatchesQueried and PointsQueried are Kapacitor's query stats.
	BatchesQueried, PointsQueried int64
}

// NewQuery returns a query node.
func NewQuery(t *Task, id int, name string, cfg QueryConfig) *QueryNode {
	n := &QueryNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// Config returns the node's configuration.
func (n *QueryNode) Config() QueryConfig { return n.cfg }

// InitError reports what stops Kapacitor from creating the query node:
// several time dimensions, an unknown fill option, a missing or doubled
// schedule. (The query text itself is checked by the compiler.)
func (n *QueryNode) InitError() error {
	var err error
	timeDims := 0
	for _, d := range n.cfg.GroupBy {
		if d.IsTimeBucket {
			timeDims++
		}
	}
	switch k := n.cfg.Fill.Kind; {
	case timeDims > 1:
		err = errors.New("groupBy cannot have more than one time dimension")
	case k != "" && k != "null" && k != "none" && k != "previous" && k != "linear" && k != "number":
		err = errors.New("unexpected fill option " + k)
	case n.cfg.Every != 0 && n.cfg.Cron != "":
		err = errors.New("must not set both 'every' and 'cron' properties")
	case n.cfg.Every < 0:
		err = errors.New("'every' duration must must non-negative")
	case n.cfg.Every == 0 && n.cfg.Cron == "":
		err = errors.New("must define one of 'every' or 'cron'")
	}
	return n.Fatal(err)
}

// Collect takes one batch the query produced (or a recording holds).
func (n *QueryNode) Collect(b *Batch) error {
	n.BatchesQueried++
	n.PointsQueried += int64(len(b.Points))
	return n.EmitBatch(b)
}

// Point cannot happen: query nodes carry batches.
func (n *QueryNode) Point(int, *Point) error {
	return n.Fatal(errors.New("query does not support stream data"))
}

// Batch forwards a batch that reached the node through its parent.
func (n *QueryNode) Batch(_ int, b *Batch) error { return n.Collect(b) }
