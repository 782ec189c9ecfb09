package runtime

// Grouping, windowing and combining nodes (nodes.md §3, §4, §6.3, §6.4):
// groupBy, window, barrier, flatten, combine.

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unsafe"
)

// ---- groupBy ----------------------------------------------------------------

// GroupByConfig configures a groupBy node.
type GroupByConfig struct {
	// Dims are the listed tag names; All is set by `*`.
	Dims    []string
	All     bool
	Exclude []string
	// ByMeasurement adds the measurement to the group; groupBy never
	// clears a byName set upstream.
	ByMeasurement bool
	Quiet         bool
}

// GroupByNode regroups points (at once) and batches (buffered until a
// batch with another tmax arrives; nodes.md §3.1).
type GroupByNode struct {
	Base
	cfg  GroupByConfig
	dims []string // sorted, without excluded names
	ids  groupIDCache
	out  pointOut
	fwd  forwarding

	// Batch regrouping: the regrouped batches being filled, in order of
	// creation, and the tmax of the batch that filled them.
	lastTime int64
	haveTime bool
	groups   map[GroupID]*Batch
	order    []GroupID
}

// groupIDCache remembers the group of each tag set seen: points of one
// series share their Tags slice (and name), so the slice's address and
// length identify the group without building its ID again. Data handed
// to nodes is never changed, and the cache keeps the slices it knows
// alive, so an address cannot come back with other tags. Without the
// name in the group, the address alone is the key (a fast map).
type groupIDCache struct {
	byTags map[*Tag]groupIDEntry
	byName map[groupIDKey]groupIDEntry
	// bySeries caches by Point.Series, checked like byName: an index
	// instead of a hash lookup.
	bySeries []seriesGroupIDEntry
}

type seriesGroupIDEntry struct {
	tags   *Tag
	name   string
	byName bool
	groupIDEntry
	num uint32 // the task's number of id
}

type groupIDKey struct {
	tags *Tag
	n    int
	name string
}

type groupIDEntry struct {
	n    int // the length of the tag slice
	id   GroupID
	dims Dimensions
}

// groupIDCacheLimit bounds the cache; it starts over when full.
const groupIDCacheLimit = 1 << 17

// NewGroupBy returns a groupBy node.
func NewGroupBy(t *Task, id int, name string, cfg GroupByConfig) *GroupByNode {
	n := &GroupByNode{cfg: cfg, groups: map[GroupID]*Batch{}}
	dims := append([]string(nil), cfg.Dims...)
	sort.Strings(dims)
	n.dims = n.withoutExcluded(dims)
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *GroupByNode) withoutExcluded(names []string) []string {
	if len(n.cfg.Exclude) == 0 {
		return names
	}
	out := names[:0]
	for _, name := range names {
		excluded := false
		for _, x := range n.cfg.Exclude {
			if x == name {
				excluded = true
				break
			}
		}
		if !excluded {
			out = append(out, name)
		}
	}
	return out
}

// tagNames are the dimensions of a point with these tags.
func (n *GroupByNode) tagNames(tags Tags) []string {
	if !n.cfg.All {
		return n.dims
	}
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Key
	}
	return n.withoutExcluded(names)
}

// group returns the group ID and dimensions of data named name with
// these tags, byName when the group includes the name.
func (n *GroupByNode) group(name string, tags Tags, byName bool) (GroupID, Dimensions) {
	var first *Tag
	if len(tags) > 0 {
		first = &tags[0]
	}
	c := &n.ids
	if !byName {
		if e, ok := c.byTags[first]; ok && e.n == len(tags) {
			return e.id, e.dims
		}
	} else if e, ok := c.byName[groupIDKey{first, len(tags), name}]; ok {
		return e.id, e.dims
	}
	dims := Dimensions{ByName: byName, TagNames: n.tagNames(tags)}
	e := groupIDEntry{n: len(tags), id: ComputeGroupID(name, tags, dims), dims: dims}
	if !byName {
		if c.byTags == nil || len(c.byTags) >= groupIDCacheLimit {
			c.byTags = make(map[*Tag]groupIDEntry)
		}
		c.byTags[first] = e
	} else {
		if c.byName == nil || len(c.byName) >= groupIDCacheLimit {
			c.byName = make(map[groupIDKey]groupIDEntry)
		}
		c.byName[groupIDKey{first, len(tags), name}] = e
	}
	return e.id, e.dims
}

func (n *GroupByNode) Point(_ int, p *Point) error {
	byName := p.Dims.ByName || n.cfg.ByMeasurement
	q := p
	if !n.fwd.ok(&n.Base) {
		q = n.out.next(&n.Base)
		*q = *p
	}
	n.regroup(q, byName)
	return n.EmitPoint(q)
}

// regroup sets the group, dimensions and group number of q.
func (n *GroupByNode) regroup(q *Point, byName bool) {
	c := &n.ids
	s, first := int(q.Series), unsafe.SliceData(q.Tags)
	if s < len(c.bySeries) {
		if e := &c.bySeries[s]; e.tags == first && e.n == len(q.Tags) && equalFast(e.name, q.Name) && e.byName == byName && e.id != "" {
			q.Group, q.Dims, q.GroupNum = e.id, e.dims, e.num
			return
		}
	}
	q.Group, q.Dims = n.group(q.Name, q.Tags, byName)
	q.Group, q.GroupNum = n.Task.sharedGroup(q.Group)
	if s == 0 || s >= groupIDCacheLimit || q.Group == "" {
		return
	}
	c.bySeries = indexFor(c.bySeries, s)
	c.bySeries[s] = seriesGroupIDEntry{tags: first, name: q.Name, byName: byName,
		groupIDEntry: groupIDEntry{n: len(q.Tags), id: q.Group, dims: q.Dims}, num: q.GroupNum}
}

func (n *GroupByNode) Batch(_ int, b *Batch) error {
	if err := n.flush(b.TMax); err != nil {
		return err
	}
	byName := b.Dims.ByName || n.cfg.ByMeasurement
	for _, r := range b.Points {
		id, dims := n.group(b.Name, r.Tags, byName)
		g, ok := n.groups[id]
		if !ok {
			g = &Batch{Name: b.Name, TMax: b.TMax, Group: id, Tags: GroupTags(r.Tags, dims), Dims: dims}
			n.groups[id] = g
			n.order = append(n.order, id)
		}
		g.Points = append(g.Points, r)
	}
	return nil
}

// flush emits the regrouped batches when t is another time than the
// one they were filled at. Kapacitor emits them in map order; tickc in
// order of creation.
func (n *GroupByNode) flush(t int64) error {
	if n.haveTime && t == n.lastTime {
		return nil
	}
	n.haveTime, n.lastTime = true, t
	order := n.order
	n.order = nil
	for _, id := range order {
		g := n.groups[id]
		delete(n.groups, id)
		sort.SliceStable(g.Points, func(i, j int) bool { return g.Points[i].Time < g.Points[j].Time })
		if err := n.EmitBatch(g); err != nil {
			return err
		}
	}
	return nil
}

// ---- window -----------------------------------------------------------------

// WindowConfig configures a window node: a time window (Period > 0) or
// a count window (PeriodCount > 0).
type WindowConfig struct {
	Period, Every           time.Duration
	Align, FillPeriod       bool
	PeriodCount, EveryCount int64
	Quiet                   bool
}

// ErrWindowPeriod is the task-start error of a window without a period.
var ErrWindowPeriod = errors.New("window node must have either a non zero period or non zero period count")

// WindowNode buffers the points of each group and emits them as batches
// (nodes.md §4.1). A window is emitted only when a later point of the
// group arrives; nothing is flushed at the end of input.
type WindowNode struct {
	Base
	cfg    WindowConfig
	groups map[GroupID]*windowGroup
	byNum  groupNumIndex[windowGroup]
	// lend is set when every child only reads a batch during the call
	// (batchBorrower): a window's buffer and batch then go out as they
	// are and are used again afterwards.
	lend     bool
	lendInit bool
	out      Batch
}

// batchBorrower is a node that reads the batches it is given only while
// it handles them: it keeps neither the *Batch nor its Points slice (the
// rows' tags and fields, which nobody changes, it may keep). A parent
// may then hand it a buffer that it reuses after the call.
type batchBorrower interface {
	borrowsBatches()
}

// The nodes that copy what they keep of a batch.
func (*GroupByNode) borrowsBatches()      {}
func (*FlattenNode) borrowsBatches()      {}
func (*CombineNode) borrowsBatches()      {}
func (*WhereNode) borrowsBatches()        {}
func (*EvalNode) borrowsBatches()         {}
func (*DefaultNode) borrowsBatches()      {}
func (*DeleteNode) borrowsBatches()       {}
func (*ShiftNode) borrowsBatches()        {}
func (*SampleNode) borrowsBatches()       {}
func (*DerivativeNode) borrowsBatches()   {}
func (*ChangeDetectNode) borrowsBatches() {}
func (*StateNode) borrowsBatches()        {}
func (*InfluxQLNode) borrowsBatches()     {}

// childrenBorrow reports whether every child of b is a batchBorrower.
func childrenBorrow(b *Base) bool {
	for _, e := range b.Edges {
		if _, ok := e.Child.(batchBorrower); !ok {
			return false
		}
	}
	return true
}

// pointBorrower is a node that reads the points it is given only while
// it handles them: it keeps no *Point (the point's tags and fields, which
// nobody changes, it may keep). borrowsPoints may depend on the node's
// children, for nodes that pass the point itself on. It answers for the
// nodes of this family; pointSafe (node.go) knows some others.
type pointBorrower interface {
	borrowsPoints() bool
}

// lendablePoint reports whether n may be handed a point that its parent
// reuses after the call.
func lendablePoint(n Node) bool {
	if pb, ok := n.(pointBorrower); ok {
		return pb.borrowsPoints()
	}
	return pointSafe(n)
}

// childrenBorrowPoints reports whether every child of b may be lent a
// point.
func childrenBorrowPoints(b *Base) bool {
	for _, e := range b.Edges {
		if !lendablePoint(e.Child) {
			return false
		}
	}
	return true
}

// forwarding decides once whether a node forwards the points it is
// handed, changed, instead of copies: when its only parent hands it
// points that the parent reads no more and shows no other child (a from,
// eval or groupBy node with one child forwards a point and returns), and
// its own children keep no *Point.
type forwarding struct{ decided, inPlace bool }

func (f *forwarding) ok(b *Base) bool {
	if !f.decided {
		f.decide(b)
	}
	return f.inPlace
}

func (f *forwarding) decide(b *Base) {
	f.decided = true
	switch parent := b.parent.(type) {
	case *FromNode, *EvalNode, *GroupByNode:
		f.inPlace = reuseIngestMemory && b.Parents == 1 && len(parent.Info().Edges) == 1 && childrenBorrowPoints(b)
	}
}

// pointOut gives a node the points it emits: a new one each time, or,
// when every child only borrows points, always the same one (no
// allocation per point). Which it is is decided on the first point,
// once the pipeline is linked.
type pointOut struct {
	decided, lend bool
	p             Point
}

func (o *pointOut) next(b *Base) *Point {
	if o.lends(b) {
		return &o.p
	}
	return new(Point)
}

// lends reports whether the node's points go to borrowers only.
func (o *pointOut) lends(b *Base) bool {
	if !o.decided {
		o.lend, o.decided = childrenBorrowPoints(b), true
	}
	return o.lend
}

// The nodes that copy what they keep of a point, and those that pass the
// point itself on (borrowers when their children are).
func (*GroupByNode) borrowsPoints() bool        { return true }
func (*WindowNode) borrowsPoints() bool         { return true }
func (*FlattenNode) borrowsPoints() bool        { return true }
func (*CombineNode) borrowsPoints() bool        { return true }
func (*EvalNode) borrowsPoints() bool           { return true }
func (*DefaultNode) borrowsPoints() bool        { return true }
func (*DeleteNode) borrowsPoints() bool         { return true }
func (*ShiftNode) borrowsPoints() bool          { return true }
func (*DerivativeNode) borrowsPoints() bool     { return true }
func (*StateNode) borrowsPoints() bool          { return true }
func (n *WhereNode) borrowsPoints() bool        { return childrenBorrowPoints(&n.Base) }
func (n *SampleNode) borrowsPoints() bool       { return childrenBorrowPoints(&n.Base) }
func (n *ChangeDetectNode) borrowsPoints() bool { return childrenBorrowPoints(&n.Base) }
func (n *BarrierNode) borrowsPoints() bool      { return childrenBorrowPoints(&n.Base) }
func (n *LogNode) borrowsPoints() bool          { return childrenBorrowPoints(&n.Base) }

// borrowsPoints: a transformation keeps values only; the other functions
// keep the points of a bucket until it closes.
func (n *InfluxQLNode) borrowsPoints() bool { return n.method.transformation }

// fieldsBorrower is a node that keeps no Fields slice it is given after
// the call (it may keep the values). borrowsFields may depend on the
// node's children, for nodes that pass the fields on. It answers for the
// nodes of this family; fieldsSafe (node.go) knows some others.
type fieldsBorrower interface {
	borrowsFields() bool
}

// lendableFields reports whether n may be handed fields that its parent
// reuses after the call.
func lendableFields(n Node) bool {
	if fb, ok := n.(fieldsBorrower); ok {
		return fb.borrowsFields()
	}
	return fieldsSafe(n)
}

// fieldsOut gives a node the Fields of the points it emits: new ones each
// time, or, when no node below keeps fields, always the same buffer. New
// ones are cut from a slab, as the line parser does, so that a node
// emitting a point at a time allocates once per fieldsSlabSize fields.
type fieldsOut struct {
	decided, lend bool
	buf           Fields
}

// fieldsSlabSize is the size of a slab of new fields: small, because a
// kept point keeps its whole slab alive.
const fieldsSlabSize = 64

// make returns n fields to fill in.
func (o *fieldsOut) make(b *Base, n int) Fields {
	if !o.decided {
		o.decided, o.lend = true, true
		for _, e := range b.Edges {
			o.lend = o.lend && lendableFields(e.Child)
		}
	}
	if !o.lend {
		if n > len(o.buf) {
			if n > fieldsSlabSize/4 {
				return make(Fields, n)
			}
			o.buf = make(Fields, fieldsSlabSize)
		}
		f := o.buf[:n:n]
		o.buf = o.buf[n:]
		return f
	}
	if cap(o.buf) < n {
		o.buf = make(Fields, n)
	}
	return o.buf[:n]
}

// Which nodes keep the fields they get: groupBy, where, sample, barrier
// and log pass them on; eval and stateDuration/stateCount build new
// ones; a transformation keeps values only.
func (n *GroupByNode) borrowsFields() bool  { return childrenAll(n, lendableFields) }
func (n *WhereNode) borrowsFields() bool    { return childrenAll(n, lendableFields) }
func (n *SampleNode) borrowsFields() bool   { return childrenAll(n, lendableFields) }
func (n *BarrierNode) borrowsFields() bool  { return childrenAll(n, lendableFields) }
func (n *LogNode) borrowsFields() bool      { return childrenAll(n, lendableFields) }
func (*EvalNode) borrowsFields() bool       { return true }
func (*StateNode) borrowsFields() bool      { return true }
func (n *InfluxQLNode) borrowsFields() bool { return n.method.transformation }

type windowGroup struct {
	name  string
	group GroupID
	tags  Tags
	dims  Dimensions

	// Time windows: the buffer is buf[start:], in arrival order.
	nextEmit int64
	buf      []Row
	start    int

	// Count windows: a ring of the last PeriodCount points.
	ring      []Row
	ringStart int
	ringSize  int
	count     int64
	nextCount int64
}

// NewWindow returns a window node.
func NewWindow(t *Task, id int, name string, cfg WindowConfig) *WindowNode {
	n := &WindowNode{cfg: cfg, groups: map[GroupID]*windowGroup{}}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *WindowNode) newGroup(p *Point) *windowGroup {
	g := &windowGroup{name: p.Name, group: p.Group, tags: GroupTags(p.Tags, p.Dims), dims: p.Dims}
	if n.cfg.Period != 0 {
		every, period := int64(n.cfg.Every), int64(n.cfg.Period)
		if n.cfg.FillPeriod {
			g.nextEmit = p.Time + period
			if n.cfg.Align {
				first := g.nextEmit
				g.nextEmit = goTruncate(first, n.cfg.Every)
				if g.nextEmit <= first {
					// The first few points fall before the first window.
					g.nextEmit += every
				}
			}
		} else {
			g.nextEmit = p.Time + every
			if n.cfg.Align {
				g.nextEmit = goTruncate(g.nextEmit, n.cfg.Every)
			}
		}
	} else {
		g.ring = make([]Row, n.cfg.PeriodCount)
		g.nextCount = n.cfg.EveryCount
		if n.cfg.FillPeriod {
			g.nextCount = n.cfg.PeriodCount
		}
	}
	return g
}

// InitError is the error that stops the task before it runs (no period),
// nil when the node is valid.
func (n *WindowNode) InitError() error {
	if n.cfg.Period == 0 && n.cfg.PeriodCount <= 0 {
		return n.Fatal(ErrWindowPeriod)
	}
	return nil
}

func (n *WindowNode) Point(_ int, p *Point) error {
	if err := n.InitError(); err != nil {
		return err
	}
	g := n.byNum.get(p)
	if g == nil {
		var ok bool
		if g, ok = n.groups[p.Group]; !ok {
			g = n.newGroup(p)
			n.groups[p.Group] = g
		}
		n.byNum.set(p, g)
	}
	if n.cfg.Period == 0 {
		return n.pointByCount(g, p)
	}
	return n.pointByTime(g, p)
}

func (n *WindowNode) Batch(int, *Batch) error {
	return n.Fatal(errors.New("window does not support batch data"))
}

func (n *WindowNode) pointByTime(g *windowGroup, p *Point) error {
	t := p.Time
	if n.cfg.Every == 0 {
		// Emit on every point: a right-closed window (t-period, t].
		g.buf = append(g.buf, p.Row)
		if t < g.nextEmit {
			return nil
		}
		g.purge(t-int64(n.cfg.Period), false)
		g.nextEmit = t
		return n.emit(g, t, false)
	}
	// A left-closed window [end-period, end): more points of the same
	// time may follow, so p belongs to the next window.
	if t < g.nextEmit {
		g.buf = append(g.buf, p.Row)
		return nil
	}
	end := g.nextEmit
	g.purge(end-int64(n.cfg.Period), true)
	// The next end counts from this point, not from the last end.
	g.nextEmit = t + int64(n.cfg.Every)
	if n.cfg.Align {
		g.nextEmit = goTruncate(g.nextEmit, n.cfg.Every)
	}
	// With every >= period the next end is at least one period after
	// this one, so the next purge drops every point buffered now: the
	// buffer can leave with the batch.
	err := n.emit(g, end, n.cfg.Every >= n.cfg.Period)
	g.buf = append(g.buf, p.Row)
	return err
}

// emit sends the buffered points as the batch of window end tmax. When
// spent, the points are not needed afterwards: the buffer itself goes
// out and the group starts an empty one.
func (n *WindowNode) emit(g *windowGroup, tmax int64, spent bool) error {
	if !n.lendInit {
		n.lend, n.lendInit = childrenBorrow(&n.Base), true
	}
	live := g.buf[g.start:]
	var b *Batch
	if n.lend {
		b = &n.out
	} else {
		b = new(Batch)
	}
	*b = Batch{Name: g.name, TMax: tmax, Group: g.group, Tags: g.tags, Dims: g.dims}
	switch {
	case len(live) == 0:
	case n.lend:
		b.Points = live
	case spent:
		// The batch keeps the buffer (capped, so that nobody appends
		// into what follows); the next one is sized like it.
		b.Points = live[:len(live):len(live)]
		g.buf, g.start = make([]Row, 0, len(live)), 0
	default:
		b.Points = append(make([]Row, 0, len(live)), live...)
	}
	err := n.EmitBatch(b)
	if n.lend {
		*b = Batch{}
		if spent {
			clear(g.buf)
			g.buf, g.start = g.buf[:0], 0
		}
	}
	return err
}

// purge drops points from the front of the buffer (arrival order) up to
// the first one recent enough: time >= oldest when inclusive, > oldest
// otherwise. An old point behind a newer one survives.
func (g *windowGroup) purge(oldest int64, inclusive bool) {
	for g.start < len(g.buf) {
		t := g.buf[g.start].Time
		if t > oldest || (inclusive && t == oldest) {
			break
		}
		g.buf[g.start] = Row{}
		g.start++
	}
	// Reclaim the dropped front once it is most of the slice.
	if g.start == len(g.buf) {
		g.buf, g.start = g.buf[:0], 0
	} else if g.start > 32 && g.start*2 >= len(g.buf) {
		n := copy(g.buf, g.buf[g.start:])
		clear(g.buf[n:])
		g.buf = g.buf[:n]
		g.start = 0
	}
}

func (n *WindowNode) pointByCount(g *windowGroup, p *Point) error {
	size := int(n.cfg.PeriodCount)
	stop := (g.ringStart + g.ringSize) % size
	g.ring[stop] = p.Row
	if g.ringSize == size {
		g.ringStart = (g.ringStart + 1) % size
	} else {
		g.ringSize++
	}
	g.count++
	if g.count != g.nextCount {
		return nil
	}
	g.nextCount += n.cfg.EveryCount
	pts := make([]Row, g.ringSize)
	for i := range pts {
		pts[i] = g.ring[(g.ringStart+i)%size]
	}
	return n.EmitBatch(&Batch{Name: g.name, TMax: pts[len(pts)-1].Time, Group: g.group, Tags: g.tags, Dims: g.dims, Points: pts})
}

// ---- barrier ----------------------------------------------------------------

// BarrierConfig configures a barrier node.
type BarrierConfig struct {
	Idle, Period time.Duration
	Delete       bool
	Quiet        bool
}

// BarrierNode emits barriers driven by wall-clock time in Kapacitor.
// The runtime carries no barrier or delete-group messages, so it only
// passes data through: with no barrier emitted, no data is late (which
// is also what a replay, far faster than any idle or period, sees).
type BarrierNode struct {
	Base
	cfg BarrierConfig
}

// NewBarrier returns a barrier node.
func NewBarrier(t *Task, id int, name string, cfg BarrierConfig) *BarrierNode {
	n := &BarrierNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *BarrierNode) Point(_ int, p *Point) error { return n.EmitPoint(p) }
func (n *BarrierNode) Batch(_ int, b *Batch) error { return n.EmitBatch(b) }

// ---- flatten ----------------------------------------------------------------

// FlattenConfig configures a flatten node.
type FlattenConfig struct {
	On                    []string
	Delimiter             string // Kapacitor default "." (codegen fills it)
	Tolerance             time.Duration
	DropOriginalFieldName bool
	Quiet                 bool
}

// FlattenNode merges the points of a group that share a (rounded) time
// into one point whose field names are prefixed with the On tag values.
type FlattenNode struct {
	Base
	cfg    FlattenConfig
	groups map[GroupID]*flattenGroup
	// prefix is Kapacitor's pooled name buffer. A point lacking an On tag
	// leaves its partial prefix behind, which the next point's names then
	// start with; kept for fidelity.
	prefix strings.Builder
}

type flattenGroup struct {
	time   int64
	name   string
	tags   Tags
	dims   Dimensions
	group  GroupID
	points []Row
}

// NewFlatten returns a flatten node.
func NewFlatten(t *Task, id int, name string, cfg FlattenConfig) *FlattenNode {
	n := &FlattenNode{cfg: cfg, groups: map[GroupID]*flattenGroup{}}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// flatten merges points into one field set; later points overwrite
// earlier ones on a name clash.
func (n *FlattenNode) flatten(points []Row) Fields {
	var fields Fields
	pre := &n.prefix
POINTS:
	for _, p := range points {
		for i, tag := range n.cfg.On {
			v, ok := p.Tags.Get(tag)
			if !ok {
				n.LogError("point missing tag for flatten operation: tag %s is missing from point", tag)
				continue POINTS
			}
			if i > 0 {
				pre.WriteString(n.cfg.Delimiter)
			}
			pre.WriteString(v)
		}
		base := pre.String()
		for _, f := range p.Fields {
			name := base
			if !n.cfg.DropOriginalFieldName {
				if base != "" {
					name += n.cfg.Delimiter
				}
				name += f.Key
			}
			fields = fields.Set(name, f.Value)
		}
		pre.Reset()
	}
	return fields
}

func (n *FlattenNode) Point(_ int, p *Point) error {
	t := goRound(p.Time, n.cfg.Tolerance)
	g, ok := n.groups[p.Group]
	if !ok {
		g = &flattenGroup{time: t, name: p.Name, tags: GroupTags(p.Tags, p.Dims), dims: p.Dims, group: p.Group}
		n.groups[p.Group] = g
	}
	if t == g.time {
		g.points = append(g.points, p.Row)
		return nil
	}
	prev := g.time
	var fields Fields
	if len(g.points) > 0 {
		fields = n.flatten(g.points)
	}
	g.time = t
	g.points = append(g.points[:0], p.Row)
	if len(fields) == 0 {
		return nil
	}
	return n.EmitPoint(&Point{
		Row:  Row{Time: prev, Tags: g.tags, Fields: fields},
		Name: g.name, Dims: g.dims, Group: g.group,
	})
}

// Batch merges within the batch: the merged point of a time is emitted
// when a point of another time comes, the last one at the batch end.
func (n *FlattenNode) Batch(_ int, b *Batch) error {
	out := *b
	out.Points = nil
	var (
		cur    int64
		points []Row
	)
	for _, r := range b.Points {
		t := goRound(r.Time, n.cfg.Tolerance)
		if len(points) > 0 && t != cur {
			if fields := n.flatten(points); len(fields) > 0 {
				out.Points = append(out.Points, Row{Time: cur, Tags: b.Tags, Fields: fields})
			}
			points = points[:0]
		}
		cur = t
		points = append(points, r)
	}
	if len(points) > 0 {
		// Emitted even when every point lacked an On tag.
		out.Points = append(out.Points, Row{Time: cur, Tags: b.Tags, Fields: n.flatten(points)})
	}
	return n.EmitBatch(&out)
}

// ---- combine ----------------------------------------------------------------

// CombineConfig configures a combine node.
type CombineConfig struct {
	Lambdas   []*Lambda
	As        []string
	Delimiter string
	Tolerance time.Duration
	Max       int64
	Quiet     bool
}

// CombineNode pairs points of a group and time that match different
// expressions into single points (nodes.md §6.3). It always emits a
// stream.
type CombineNode struct {
	Base
	cfg    CombineConfig
	groups map[GroupID]*combineGroup
}

type combineGroup struct {
	time    int64
	name    string
	dims    Dimensions
	states  []LambdaState
	points  []Row
	matches [][]bool
}

// NewCombine returns a combine node.
func NewCombine(t *Task, id int, name string, cfg CombineConfig) *CombineNode {
	n := &CombineNode{cfg: cfg, groups: map[GroupID]*combineGroup{}}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *CombineNode) group(id GroupID, name string, dims Dimensions, first int64) *combineGroup {
	g, ok := n.groups[id]
	if !ok {
		g = &combineGroup{time: first, name: name, dims: dims, states: make([]LambdaState, len(n.cfg.Lambdas))}
		n.groups[id] = g
	}
	return g
}

// add buffers r (its time rounded), first combining the buffered set when
// r has another time.
func (n *CombineNode) add(g *combineGroup, r Row) error {
	r.Time = goRound(r.Time, n.cfg.Tolerance)
	if r.Time == g.time {
		g.points = append(g.points, r)
		return nil
	}
	if err := n.combine(g); err != nil {
		return err
	}
	g.time = r.Time
	g.points = append(g.points[:0], r)
	return nil
}

func (n *CombineNode) Point(_ int, p *Point) error {
	// The group's first time is the raw time of its first point.
	return n.add(n.group(p.Group, p.Name, p.Dims, p.Time), p.Row)
}

func (n *CombineNode) Batch(_ int, b *Batch) error {
	g := n.group(b.Group, b.Name, b.Dims, 0)
	g.name = b.Name
	g.time = 0
	g.points = g.points[:0]
	for _, r := range b.Points {
		if err := n.add(g, r); err != nil {
			return err
		}
	}
	err := n.combine(g)
	g.points = g.points[:0]
	return err
}

// combinations counts n choose k as Kapacitor does (-1 when n < k).
func combinations(n, k int64) int64 {
	if n < k {
		return -1
	}
	count := int64(1)
	for i := int64(0); i < k; i++ {
		count = (count * (n - i)) / (i + 1)
	}
	return count
}

// combine emits one point per k-combination of the buffered points (in
// lexicographic order) in which every expression gets its own point.
func (n *CombineNode) combine(g *combineGroup) error {
	if len(g.points) == 0 {
		return nil
	}
	k := len(n.cfg.Lambdas)
	// Which points each expression matches; errors count as no match.
	for len(g.matches) < k {
		g.matches = append(g.matches, nil)
	}
	for s, l := range n.cfg.Lambdas {
		m := g.matches[s][:0]
		for i := range g.points {
			ok, err := EvalPredicate(l, &g.points[i], &g.states[s])
			if err != nil {
				n.LogError("error evaluating lambda expression: %v", err)
			}
			m = append(m, ok)
		}
		g.matches[s] = m
	}

	total := combinations(int64(len(g.points)), int64(k))
	if total > n.cfg.Max {
		return n.Fatal(fmt.Errorf("refusing to perform combination as total combinations %d exceeds max combinations %d", total, n.cfg.Max))
	}
	if total == -1 || k == 0 {
		return nil
	}
	np := len(g.points)
	indices := make([]int, k)
	for i := range indices {
		indices[i] = i
	}
	remaining := make([]int, 0, k)
	set := make([]*Row, k)
	for {
		remaining = append(remaining[:0], indices...)
		valid := true
		for s := 0; s < k && valid; s++ {
			found := false
			for i, idx := range remaining {
				if g.matches[s][idx] {
					set[s] = &g.points[idx]
					remaining = append(remaining[:i], remaining[i+1:]...)
					found = true
					break
				}
			}
			valid = found
		}
		if valid {
			if err := n.EmitPoint(n.merge(g, set)); err != nil {
				return err
			}
		}
		// Next combination in lexicographic order.
		i := k - 1
		for ; i >= 0 && indices[i] == i+np-k; i-- {
		}
		if i < 0 {
			return nil
		}
		indices[i]++
		for j := i + 1; j < k; j++ {
			indices[j] = indices[j-1] + 1
		}
	}
}

// merge builds the combined point: fields and non-dimension tags get the
// expression's prefix, dimension tags stay as they are.
func (n *CombineNode) merge(g *combineGroup, set []*Row) *Point {
	var fields Fields
	var tags Tags
	for s, r := range set {
		prefix := n.cfg.As[s] + n.cfg.Delimiter
		for _, f := range r.Fields {
			fields = fields.Set(prefix+f.Key, f.Value)
		}
		for _, t := range r.Tags {
			if isDimension(g.dims, t.Key) {
				tags = tags.Set(t.Key, t.Value)
			} else {
				tags = tags.Set(prefix+t.Key, t.Value)
			}
		}
	}
	t := goRound(set[0].Time, n.cfg.Tolerance)
	return &Point{
		Row:  Row{Time: t, Tags: tags, Fields: fields},
		Name: g.name, Dims: g.dims, Group: ComputeGroupID(g.name, tags, g.dims),
	}
}

func isDimension(d Dimensions, tag string) bool {
	for _, name := range d.TagNames {
		if name == tag {
			return true
		}
	}
	return false
}
