package runtime

import (
	"fmt"
	"time"
)

// InfluxQLConfig configures one of the 21 InfluxQL function nodes
// (count, mean, top, holtWinters, …; functions.md §3, nodes.md §5).
type InfluxQLConfig struct {
	// Method is the script method: "count", "distinct", …,
	// "holtWintersWithFit", "cumulativeSum".
	Method string
	// Field is the field the function reads; As names the result field
	// (Kapacitor's default is the method name, "holtWinters" for both
	// holt-winters variants; the emitter always sets it).
	Field, As string
	// UsePointTimes gives results the selected point's own time instead
	// of the batch's or bucket's (always on for holtWinters*).
	UsePointTimes bool

	Percentile    float64       // percentile
	N             int64         // top, bottom: how many points
	FieldsAndTags []string      // top, bottom: one point per combination
	Unit          time.Duration // elapsed
	Window        int64         // movingAverage
	H, M          int64         // holtWinters*: horizon and season length
	Interval      time.Duration // holtWinters*

	Quiet bool // do not log errors
}

// qlMethod describes how a function's node behaves.
type qlMethod struct {
	// emptyOK: the function emits on an empty batch (count, sum).
	emptyOK bool
	// simpleSelector: the result is the selected point, all its tags and
	// fields, with the field renamed.
	simpleSelector bool
	// transformation: one result per input point, state kept across the
	// stream, the parent's edge type provided.
	transformation bool
	// batchOut: the node provides a batch edge (distinct, top, bottom,
	// holtWinters*).
	batchOut bool
	// create returns a reducer for fields of kind k, or nil when the
	// function does not apply to that kind.
	create func(cfg *InfluxQLConfig, k Kind) qlReducer
}

func numeric(k Kind) bool { return k == KindFloat || k == KindInt }

func zeroOf(k Kind) Value {
	if k == KindInt {
		return Int(0)
	}
	return Float(0)
}

func sliceOf(fn func([]qlPoint) []qlPoint) func(*InfluxQLConfig, Kind) qlReducer {
	return func(_ *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &sliceReducer{fn: noError(fn)}
	}
}

func selectorOf(replace func(prev, curr *qlPoint) bool, anyKind bool) func(*InfluxQLConfig, Kind) qlReducer {
	return func(_ *InfluxQLConfig, k Kind) qlReducer {
		if !anyKind && !numeric(k) {
			return nil
		}
		return &selectorReducer{replace: replace}
	}
}

func rankedOf(top bool) func(*InfluxQLConfig, Kind) qlReducer {
	return func(cfg *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &sliceReducer{fn: selectRanked(cfg.N, cfg.FieldsAndTags, top)}
	}
}

func holtWintersOf(withFit bool) func(*InfluxQLConfig, Kind) qlReducer {
	return func(cfg *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return newHoltWintersReducer(cfg.H, cfg.M, int64(cfg.Interval), withFit)
	}
}

var qlMethods = map[string]*qlMethod{
	"count": {emptyOK: true, create: func(*InfluxQLConfig, Kind) qlReducer { return &countReducer{} }},
	"sum": {emptyOK: true, create: func(_ *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &sumReducer{sum: zeroOf(k)}
	}},
	"distinct": {batchOut: true, create: func(*InfluxQLConfig, Kind) qlReducer { return &distinctReducer{} }},
	"mean": {create: func(_ *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &meanReducer{ints: k == KindInt}
	}},
	"median": {create: sliceOf(medianOf)},
	"mode":   {create: sliceOf(modeOf)},
	"spread": {create: sliceOf(spreadOf)},
	"stddev": {create: sliceOf(stddevOf)},
	"percentile": {simpleSelector: true, create: func(cfg *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &percentileReducer{percentile: cfg.Percentile, ints: k == KindInt}
	}},
	"first":  {simpleSelector: true, create: selectorOf(firstReplaces, true)},
	"last":   {simpleSelector: true, create: selectorOf(lastReplaces, true)},
	"min":    {simpleSelector: true, create: selectorOf(minReplaces, false)},
	"max":    {simpleSelector: true, create: selectorOf(maxReplaces, false)},
	"top":    {batchOut: true, create: rankedOf(true)},
	"bottom": {batchOut: true, create: rankedOf(false)},
	"elapsed": {transformation: true, create: func(cfg *InfluxQLConfig, k Kind) qlReducer {
		return &elapsedReducer{unit: int64(cfg.Unit)}
	}},
	"difference": {transformation: true, create: func(_ *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &differenceReducer{}
	}},
	"movingAverage": {transformation: true, create: func(cfg *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &movingAverageReducer{window: int(cfg.Window), ints: k == KindInt}
	}},
	"cumulativeSum": {transformation: true, create: func(_ *InfluxQLConfig, k Kind) qlReducer {
		if !numeric(k) {
			return nil
		}
		return &cumulativeSumReducer{sum: zeroOf(k)}
	}},
	"holtWinters":        {batchOut: true, create: holtWintersOf(false)},
	"holtWintersWithFit": {batchOut: true, create: holtWintersOf(true)},
}

// InfluxQLNode runs one InfluxQL function per group.
//
// Batch input: one reduction per batch, emitted at its end (an empty
// batch only for count and sum). Stream input: the points of a group
// with the same time form a bucket, reduced when a point with another
// time arrives (the last bucket is never emitted). Transformations
// instead emit one result per point, keeping their state across a
// stream group, or within one batch.
type InfluxQLNode struct {
	Base
	cfg        InfluxQLConfig
	method     *qlMethod
	pointTimes bool
	groups     map[GroupID]*qlGroup
	last       *qlGroup // the group of the previous message
	byNum      groupNumIndex[qlGroup]
	out        pointOut
	fields     fieldsOut
}

// qlGroup is the state of one group.
type qlGroup struct {
	id   GroupID
	num  uint32 // the group's number (Point.GroupNum), 0 when unknown
	name string
	dims Dimensions
	tags Tags // the group tags
	// time is the batch's tmax or the bucket's time.
	time int64
	// rc is the reducer of the current batch/bucket (of the whole group
	// for stream transformations); nil until a point with the field
	// fixes its type.
	rc   qlReducer
	kind Kind
	// spare is the last closed reducer, reused (reset) when the next
	// batch or bucket has the same type.
	spare     qlReducer
	spareKind Kind
}

// close ends the current batch/bucket: the reducer is kept for reuse.
func (g *qlGroup) close() {
	if g.rc != nil {
		g.spare, g.spareKind, g.rc = g.rc, g.kind, nil
	}
}

// NewInfluxQL returns the node of function cfg.Method.
func NewInfluxQL(t *Task, id int, name string, cfg InfluxQLConfig) *InfluxQLNode {
	m, ok := qlMethods[cfg.Method]
	if !ok {
		panic("runtime: unknown InfluxQL function " + cfg.Method)
	}
	n := &InfluxQLNode{
		cfg:    cfg,
		method: m,
		// holtWinters always uses point times; transformations give
		// each result the time of its input point.
		pointTimes: cfg.UsePointTimes || m.transformation || cfg.Method == "holtWinters" || cfg.Method == "holtWintersWithFit",
		groups:     map[GroupID]*qlGroup{},
	}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// methodName is the function's name in messages (both holt-winters
// variants are "holtWinters" to Kapacitor).
func (n *InfluxQLNode) methodName() string {
	if n.cfg.Method == "holtWintersWithFit" {
		return "holtWinters"
	}
	return n.cfg.Method
}

// lookup returns the state of group id, nil when the group is new.
func (n *InfluxQLNode) lookup(id GroupID) *qlGroup {
	if n.last != nil && n.last.id == id {
		return n.last
	}
	g := n.groups[id]
	if g != nil {
		n.last = g
	}
	return g
}

func (n *InfluxQLNode) newGroup(id GroupID, name string, dims Dimensions, tags Tags, t int64) *qlGroup {
	g := &qlGroup{id: id, name: name, dims: dims, tags: tags, time: t}
	n.groups[id] = g
	n.last = g
	return g
}

// realize creates the group's reducer for the type of the field in row;
// it logs and returns false when the field is missing or the function
// does not apply to its type.
func (n *InfluxQLNode) realize(g *qlGroup, row *Row) bool {
	v, ok := row.Fields.Get(n.cfg.Field)
	if !ok {
		n.LogError("failed to realize reduce context from fields: field %q missing from point", n.cfg.Field)
		return false
	}
	if g.spare != nil && g.spareKind == v.Kind {
		g.rc, g.kind, g.spare = g.spare, v.Kind, nil
		g.rc.reset()
		return true
	}
	rc, err := n.reducerFor(v.Kind)
	if err != nil {
		n.LogError("failed to realize reduce context from fields: %v", err)
		return false
	}
	g.rc, g.kind = rc, v.Kind
	return true
}

func (n *InfluxQLNode) reducerFor(k Kind) (qlReducer, error) {
	var rc qlReducer
	switch k {
	case KindFloat, KindInt, KindString, KindBool:
		rc = n.method.create(&n.cfg, k)
	default:
		return nil, fmt.Errorf("invalid influxql func %s with field %s: invalid field kind: %s", n.methodName(), n.cfg.Field, k)
	}
	if rc == nil {
		return nil, fmt.Errorf("invalid influxql func %s with field %s: cannot apply %s to %s field",
			n.methodName(), n.cfg.Field, n.methodName(), qlTypeName(k))
	}
	return rc, nil
}

// aggregate feeds row to the group's reducer; a missing field or one of
// another type than the reducer's is logged and skipped.
func (n *InfluxQLNode) aggregate(g *qlGroup, row *Row) {
	v, ok := row.Fields.Get(n.cfg.Field)
	if !ok {
		n.LogError("failed to aggregate point: field %s missing from point cannot aggregate", n.cfg.Field)
		return
	}
	if v.Kind != g.kind {
		n.LogError("failed to aggregate point: field %s has wrong type: got %s exp %s",
			n.cfg.Field, qlTypeName(v.Kind), qlTypeName(g.kind))
		return
	}
	p := qlPoint{Time: row.Time, Value: v, Row: row}
	if n.method.transformation {
		p.Row = nil // transformations keep values only (borrowsPoints)
	}
	g.rc.aggregate(p)
}

// outTime is the time of a result whose reducer time is t.
func (n *InfluxQLNode) outTime(g *qlGroup, t int64) int64 {
	if n.pointTimes && t != qlZeroTime {
		return t
	}
	return g.time
}

// Point handles a stream point.
func (n *InfluxQLNode) Point(_ int, p *Point) error {
	g := n.byNum.get(p)
	if g == nil {
		if g = n.lookup(p.Group); g == nil {
			g = n.newGroup(p.Group, p.Name, p.Dims, GroupTags(p.Tags, p.Dims), p.Time)
		}
		n.byNum.set(p, g)
		g.num = p.GroupNum
	}
	if n.method.transformation {
		if g.rc == nil && !n.realize(g, &p.Row) {
			return nil
		}
		n.aggregate(g, &p.Row)
		// Emitted even when the point was skipped: Kapacitor then repeats
		// the previous result (elapsed, movingAverage, cumulativeSum).
		return n.emitResult(g)
	}
	if p.Time == g.time {
		if g.rc == nil && !n.realize(g, &p.Row) {
			return nil
		}
		n.aggregate(g, &p.Row)
		return nil
	}
	// A new time closes the bucket.
	var err error
	if g.rc != nil {
		err = n.emitResult(g)
	}
	g.close()
	g.name, g.time = p.Name, p.Time
	if n.realize(g, &p.Row) {
		n.aggregate(g, &p.Row)
	}
	return err
}

// Batch handles a batch.
func (n *InfluxQLNode) Batch(_ int, b *Batch) error {
	g := n.lookup(b.Group)
	if g == nil {
		g = n.newGroup(b.Group, b.Name, b.Dims, b.Tags, b.TMax)
	}
	g.close()
	g.time = b.TMax
	if n.method.transformation {
		return n.transformBatch(g, b)
	}
	size := 0
	for i := range b.Points {
		row := &b.Points[i]
		if g.rc == nil && !n.realize(g, row) {
			continue
		}
		n.aggregate(g, row)
		size++
	}
	if size == 0 {
		if !n.method.emptyOK {
			return nil
		}
		// Nothing fixed the type: Kapacitor assumes float.
		if g.rc == nil {
			rc, err := n.reducerFor(KindFloat)
			if err != nil {
				return n.Fatal(err)
			}
			g.rc, g.kind = rc, KindFloat
		}
	}
	return n.emitResult(g)
}

// transformBatch emits the batch with each point replaced by the
// function's result for it (when there is one); the state starts afresh.
func (n *InfluxQLNode) transformBatch(g *qlGroup, b *Batch) error {
	out := &Batch{Name: b.Name, TMax: b.TMax, Group: b.Group, Tags: b.Tags, Dims: b.Dims,
		Points: make([]Row, 0, len(b.Points))}
	for i := range b.Points {
		row := &b.Points[i]
		if g.rc == nil && !n.realize(g, row) {
			continue
		}
		n.aggregate(g, row)
		res, err := g.rc.emit()
		if err != nil {
			return n.Fatal(err)
		}
		if len(res) == 1 {
			out.Points = append(out.Points, Row{
				Time:   n.outTime(g, res[0].Time),
				Tags:   g.tags,
				Fields: Fields{{Key: n.cfg.As, Value: res[0].Value}},
			})
		}
	}
	return n.EmitBatch(out)
}

// emitResult emits the reducer's result: a batch for the batch-producing
// functions, otherwise a point when there is exactly one result.
func (n *InfluxQLNode) emitResult(g *qlGroup) error {
	res, err := g.rc.emit()
	if err != nil {
		return n.Fatal(err)
	}
	if n.method.batchOut {
		return n.EmitBatch(n.resultBatch(g, res))
	}
	if len(res) != 1 {
		return nil
	}
	return n.EmitPoint(n.resultPoint(g, &res[0]))
}

func (n *InfluxQLNode) resultPoint(g *qlGroup, r *qlPoint) *Point {
	var p *Point
	var fields Fields
	if n.method.simpleSelector {
		p = n.out.next(&n.Base)
	} else if n.out.lends(&n.Base) {
		p, fields = &n.out.p, n.fields.make(&n.Base, 1)
	} else {
		// The point and its one field in one allocation.
		pf := new(pointAndField)
		p, fields = &pf.p, pf.f[:]
	}
	*p = Point{Row: Row{Time: n.outTime(g, r.Time)}, Name: g.name, Dims: g.dims, Group: g.id, GroupNum: g.num}
	if n.method.simpleSelector {
		// The selected point itself, the field renamed to As.
		p.Tags, p.Fields = r.Row.Tags, r.Row.Fields
		if n.cfg.As != n.cfg.Field {
			v, _ := p.Fields.Get(n.cfg.Field)
			p.Fields = p.Fields.Clone().Delete(n.cfg.Field).Set(n.cfg.As, v)
		}
		return p
	}
	p.Tags = g.tags
	fields[0] = Field{Key: n.cfg.As, Value: r.Value}
	p.Fields = fields
	return p
}

// pointAndField is a result point with its only field.
type pointAndField struct {
	p Point
	f [1]Field
}

// resultBatch builds the output batch: each point has only the field As
// and the group tags (plus, for top and bottom, the selected point's own
// tags); tmax moves up to the latest point time.
func (n *InfluxQLNode) resultBatch(g *qlGroup, res []qlPoint) *Batch {
	b := &Batch{Name: g.name, TMax: g.time, Group: g.id, Tags: g.tags, Dims: g.dims, Points: make([]Row, len(res))}
	for i := range res {
		r := &res[i]
		t := n.outTime(g, r.Time)
		tags := g.tags
		if r.Row != nil && len(r.Row.Tags) > 0 {
			tags = mergeTags(g.tags, r.Row.Tags)
		}
		b.Points[i] = Row{Time: t, Tags: tags, Fields: Fields{{Key: n.cfg.As, Value: r.Value}}}
		if t > b.TMax {
			b.TMax = t
		}
	}
	return b
}

// mergeTags returns base with over's tags added (over wins).
func mergeTags(base, over Tags) Tags {
	if len(base) == 0 {
		return over
	}
	out := base.Clone()
	for _, t := range over {
		out = out.Set(t.Key, t.Value)
	}
	return out
}
