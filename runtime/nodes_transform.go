package runtime

// Per-point nodes (nodes.md §2): where, eval, default, delete, shift,
// sample, derivative, changeDetect, stateDuration/stateCount, log.
//
// They pass the edge type through. On a batch edge they treat the batch
// point by point and always forward the batch, so a batch whose points
// are all dropped still flows as an empty batch.

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// groupStates holds one state per group, created (zero, then init) on
// the group's first message (Kapacitor's grouped consumer). The states
// live in one slice indexed by the task's number of the group
// (Task.numberOf; a map for groups past the numbering limit): no hashing
// per message, no allocation per group and no pointer per state for the
// collector to trace. A pointer get returns is valid until the next get.
type groupStates[T any] struct {
	byNum []int32           // by group number: the state's index + 1, 0 for none
	index map[GroupID]int32 // groups without a number
	vals  []T
	init  func(*T)
}

func newGroupStates[T any](init func(*T)) groupStates[T] {
	return groupStates[T]{init: init}
}

// get returns the state of group g, creating it when g is new.
func (s *groupStates[T]) get(t *Task, g GroupID) *T { return s.of(t, g, 0) }

// at returns the state of p's group, creating it when the group is new.
func (s *groupStates[T]) at(t *Task, p *Point) *T { return s.of(t, p.Group, p.GroupNum) }

// of returns the state of group g, whose number num may be (0: unknown).
func (s *groupStates[T]) of(t *Task, g GroupID, num uint32) *T {
	if num = t.numberOf(g, num); num == 0 {
		i, ok := s.index[g]
		if !ok {
			if s.index == nil {
				s.index = map[GroupID]int32{}
			}
			i = s.add()
			s.index[g] = i
		}
		return &s.vals[i]
	}
	if int(num) < len(s.byNum) {
		if i := s.byNum[num]; i > 0 {
			return &s.vals[i-1]
		}
	}
	i := s.add()
	s.byNum = indexFor(s.byNum, int(num))
	s.byNum[num] = i + 1
	return &s.vals[i]
}

// add appends a new state and returns its index.
func (s *groupStates[T]) add() int32 {
	var zero T
	s.vals = append(s.vals, zero)
	i := int32(len(s.vals) - 1)
	if s.init != nil {
		s.init(&s.vals[i])
	}
	return i
}

// lambdaStates are the expression states of a node: one per group when
// the expression uses its state (count(), sigma(), …), otherwise one
// shared state that is never read, and no lookup per point.
type lambdaStates struct {
	perGroup bool
	groups   groupStates[LambdaState]
	shared   LambdaState
}

func newLambdaStates(l *Lambda) lambdaStates {
	return lambdaStates{perGroup: l != nil && l.Stateful, groups: newGroupStates[LambdaState](nil)}
}

func (s *lambdaStates) get(t *Task, g GroupID) *LambdaState {
	if !s.perGroup {
		return &s.shared
	}
	return s.groups.get(t, g)
}

// at is get of p's group.
func (s *lambdaStates) at(t *Task, p *Point) *LambdaState {
	if !s.perGroup {
		return &s.shared
	}
	return s.groups.at(t, p)
}

// filterBatch returns a copy of b holding the points keep accepts (or
// the rows it returns), in order. keep returns false to drop a point.
func filterBatch(b *Batch, keep func(r *Row) (Row, bool)) *Batch {
	out := *b
	out.Points = make([]Row, 0, len(b.Points))
	for i := range b.Points {
		if r, ok := keep(&b.Points[i]); ok {
			out.Points = append(out.Points, r)
		}
	}
	return &out
}

// goTruncate is time.Time.Truncate on Unix nanoseconds: multiples are
// counted from year 1, not from the Unix epoch (pitfalls.md 9).
func goTruncate(ns int64, d time.Duration) int64 {
	if d <= 0 {
		return ns
	}
	return time.Unix(0, ns).UTC().Truncate(d).UnixNano()
}

// goRound is time.Time.Round on Unix nanoseconds (halves round up).
func goRound(ns int64, d time.Duration) int64 {
	if d <= 0 {
		return ns
	}
	return time.Unix(0, ns).UTC().Round(d).UnixNano()
}

// goTypeName names a value's type as Kapacitor's messages do (%T of the
// Go value).
func goTypeName(v Value) string {
	switch v.Kind {
	case KindFloat:
		return "float64"
	case KindInt:
		return "int64"
	case KindString:
		return "string"
	case KindBool:
		return "bool"
	case KindDuration:
		return "time.Duration"
	case KindTime:
		return "time.Time"
	}
	return "<nil>"
}

// ---- where ----------------------------------------------------------------

// WhereConfig configures a where node.
type WhereConfig struct {
	Lambda *Lambda
	Quiet  bool
}

// WhereNode keeps the points whose predicate is true. Each group has its
// own expression state (stateful functions count per group).
type WhereNode struct {
	Base
	cfg    WhereConfig
	states lambdaStates
}

// NewWhere returns a where node.
func NewWhere(t *Task, id int, name string, cfg WhereConfig) *WhereNode {
	n := &WhereNode{cfg: cfg, states: newLambdaStates(cfg.Lambda)}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *WhereNode) pass(r *Row, st *LambdaState) bool {
	ok, err := EvalPredicate(n.cfg.Lambda, r, st)
	if err != nil {
		n.LogError("error while evaluating expression: %v", err)
		return false
	}
	return ok
}

func (n *WhereNode) Point(_ int, p *Point) error {
	if !n.pass(&p.Row, n.states.at(n.Task, p)) {
		return nil
	}
	return n.EmitPoint(p)
}

func (n *WhereNode) Batch(_ int, b *Batch) error {
	st := n.states.get(n.Task, b.Group)
	return n.EmitBatch(filterBatch(b, func(r *Row) (Row, bool) { return *r, n.pass(r, st) }))
}

// ---- eval -----------------------------------------------------------------

// EvalConfig configures an eval node.
type EvalConfig struct {
	Lambdas []*Lambda
	// Refs are the names each lambda reads (ir.Lambda.Refs): Kapacitor
	// refreshes exactly these from the point before each expression,
	// which decides whether a later expression sees an earlier result.
	Refs [][]string
	As   []string
	// Tags are the As names stored as tags.
	Tags []string
	// Keep is set by .keep(); KeepList holds its names.
	Keep     bool
	KeepList []string
	// Unused are As names no node below reads or outputs (codegen's
	// field analysis): their expressions run, for their errors, but the
	// results are left out of the points.
	Unused []string
	Quiet  bool
}

// EvalNode evaluates expressions in order on every point and stores the
// results as fields or tags (nodes.md §2.2).
type EvalNode struct {
	Base
	cfg   EvalConfig
	isTag map[string]bool
	// states are the expression states, per group when an expression
	// is stateful; shared holds them otherwise.
	perGroup bool
	states   groupStates[[]LambdaState]
	shared   []LambdaState
	// earlier[i] are the names expression i reads that an earlier
	// expression produces: only those need a row beyond the point.
	earlier [][]string
	// scope and scratch are reused for every point (no concurrency).
	scope   evalScope
	scratch Row

	// direct is the fast path of the common eval: results stored as
	// fields only (no tags, no keep) and no result read back by a later
	// expression, so that the scope holds nothing the output needs.
	direct bool
	// newRefs[i] are the names expression i reads first among all the
	// expressions (the field-and-tag clash is checked once per name).
	newRefs [][]string
	// outKeys are the output field names in key order (each unique As
	// name); outAt[i] is where expression i's result goes among them, -1
	// when a later expression of the same name overwrites it.
	outKeys []string
	outAt   []int
	emitted pointOut
	fwd     forwarding
	fields  fieldsOut
}

// NewEval returns an eval node.
func NewEval(t *Task, id int, name string, cfg EvalConfig) *EvalNode {
	n := &EvalNode{cfg: cfg, isTag: map[string]bool{}}
	for _, tag := range cfg.Tags {
		n.isTag[tag] = true
	}
	k := len(cfg.Lambdas)
	n.earlier = make([][]string, k)
	for i := 0; i < k && i < len(cfg.Refs); i++ {
		for _, ref := range cfg.Refs[i] {
			for _, as := range cfg.As[:min(i, len(cfg.As))] {
				if ref == as {
					n.earlier[i] = append(n.earlier[i], ref)
					break
				}
			}
		}
	}
	for _, l := range cfg.Lambdas {
		n.perGroup = n.perGroup || l.Stateful
	}
	n.states = newGroupStates(func(s *[]LambdaState) { *s = make([]LambdaState, k) })
	n.shared = make([]LambdaState, k)
	n.planDirect()
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// planDirect decides whether the fast path applies and prepares it.
func (n *EvalNode) planDirect() {
	cfg := &n.cfg
	if len(cfg.Tags) > 0 || cfg.Keep || len(cfg.As) != len(cfg.Lambdas) {
		return
	}
	// A result read back by a later expression is refreshed from the
	// point when the point has that name: the general path handles it.
	for i, as := range cfg.As {
		for j := i + 1; j < len(cfg.Refs); j++ {
			if slices.Contains(cfg.Refs[j], as) {
				return
			}
		}
	}
	n.direct = true
	n.newRefs = make([][]string, len(cfg.Lambdas))
	seen := map[string]bool{"time": true}
	for i := 0; i < len(cfg.Refs) && i < len(cfg.Lambdas); i++ {
		for _, ref := range cfg.Refs[i] {
			if !seen[ref] {
				seen[ref] = true
				n.newRefs[i] = append(n.newRefs[i], ref)
			}
		}
	}
	used := slices.DeleteFunc(slices.Clone(cfg.As), func(as string) bool { return slices.Contains(cfg.Unused, as) })
	n.outKeys = slices.Compact(slices.Sorted(slices.Values(used)))
	n.outAt = make([]int, len(cfg.As))
	for i, as := range cfg.As {
		n.outAt[i], _ = slices.BinarySearch(n.outKeys, as)
		if slices.Contains(cfg.As[i+1:], as) || slices.Contains(cfg.Unused, as) {
			n.outAt[i] = -1
		}
	}
}

// evalDirect is eval on the fast path: it returns the new fields of r,
// in fields from out when out is set (a point), new ones otherwise. Each
// result goes straight to its field: on an error the fields are dropped
// (and a lent buffer is free again once the call returns).
func (n *EvalNode) evalDirect(r *Row, states []LambdaState, out *fieldsOut) (Fields, error) {
	var fields Fields
	if out != nil {
		fields = out.make(&n.Base, len(n.outKeys))
	} else {
		fields = make(Fields, len(n.outKeys))
	}
	noTags := true // no name read so far is a tag of r
	for i, l := range n.cfg.Lambdas {
		for _, ref := range n.newRefs[i] {
			if !NoTag(r.Tags, ref) {
				noTags = false
				if !NoField(r.Fields, ref) {
					return nil, fmt.Errorf("cannot have field and tags with same name %q", ref)
				}
			}
		}
		states[i].NoRefIsTag = noTags // expression i reads no other names
		v, err := l.Func(r, &states[i])
		if err != nil {
			return nil, err
		}
		switch v.Kind {
		case KindFloat, KindInt, KindString, KindBool:
		case KindDuration:
			v = v.Stored()
		default:
			return nil, fmt.Errorf("expression returned unexpected type %s", v.Kind)
		}
		k := n.outAt[i]
		if k < 0 {
			continue
		}
		// Field by field: a whole-struct copy into the heap is a bulk
		// barrier while the collector runs, two pointer writes are not.
		f := &fields[k]
		f.Key = n.outKeys[k]
		f.Value.Kind, f.Value.I, f.Value.F = v.Kind, v.I, v.F
		if v.S != "" || f.Value.S != "" {
			f.Value.S = v.S
		}
	}
	return fields, nil
}

// lambdaStates returns the expression states of group g, whose number
// num may be (0: unknown).
func (n *EvalNode) lambdaStates(g GroupID, num uint32) []LambdaState {
	if !n.perGroup {
		return n.shared
	}
	return *n.states.of(n.Task, g, num)
}

// evalScope is Kapacitor's expression scope of one point: the names the
// expressions read or produced and their current values.
type evalScope struct {
	names  []string
	values []Value
}

func (s *evalScope) reset() { s.names, s.values = s.names[:0], s.values[:0] }

func (s *evalScope) lookup(name string) (Value, bool) {
	for i, n := range s.names {
		if n == name {
			return s.values[i], true
		}
	}
	return Value{}, false
}

func (s *evalScope) set(name string, v Value) {
	for i, n := range s.names {
		if n == name {
			s.values[i] = v
			return
		}
	}
	s.names = append(s.names, name)
	s.values = append(s.values, v)
}

// eval computes the new tags and fields of r; an error drops the point.
func (n *EvalNode) eval(r *Row, states []LambdaState) (Tags, Fields, error) {
	sc := &n.scope
	sc.reset()
	for i, l := range n.cfg.Lambdas {
		// Refresh the expression's references from the point: a field or
		// tag of the point wins over an earlier result of that name.
		var refs []string
		if i < len(n.cfg.Refs) {
			refs = n.cfg.Refs[i]
		}
		for _, ref := range refs {
			if ref == "time" {
				sc.set(ref, TimeValue(r.Time))
				continue
			}
			fv, isField := r.Fields.Get(ref)
			tv, isTag := r.Tags.Get(ref)
			switch {
			case isField && isTag:
				return nil, nil, fmt.Errorf("cannot have field and tags with same name %q", ref)
			case isField:
				sc.set(ref, fv)
			case isTag:
				sc.set(ref, String(tv))
			default:
				if _, ok := sc.lookup(ref); !ok {
					sc.set(ref, Value{})
				}
			}
		}
		v, err := l.Func(n.rowForExpr(r, i), &states[i])
		if err != nil {
			return nil, nil, err
		}
		switch v.Kind {
		case KindFloat, KindInt, KindString, KindBool, KindDuration:
		default:
			return nil, nil, fmt.Errorf("expression returned unexpected type %s", v.Kind)
		}
		sc.set(n.cfg.As[i], v)
	}

	tags := r.Tags
	if len(n.cfg.Tags) > 0 {
		tags = r.Tags.Clone()
		for _, tag := range n.cfg.Tags {
			v, _ := sc.lookup(tag)
			if v.Kind != KindString {
				return nil, nil, fmt.Errorf("result of a tag expression must be of type string, got %s", goTypeName(v))
			}
			tags = tags.Set(tag, v.S)
		}
	}

	var fields Fields
	switch {
	case n.cfg.Keep && len(n.cfg.KeepList) > 0:
		fields = make(Fields, 0, len(n.cfg.KeepList))
		for _, f := range n.cfg.KeepList {
			// The scope first (results and every name an expression
			// read), then the point's other fields.
			if v, ok := sc.lookup(f); ok {
				fields = setStored(fields, f, v)
				continue
			}
			v, ok := r.Fields.Get(f)
			if !ok {
				return nil, nil, fmt.Errorf("cannot keep field %q, field does not exist", f)
			}
			fields = fields.Set(f, v)
		}
	case n.cfg.Keep:
		fields = make(Fields, len(r.Fields), len(r.Fields)+len(n.cfg.As))
		copy(fields, r.Fields)
		for _, f := range n.cfg.As {
			v, _ := sc.lookup(f)
			fields = setStored(fields, f, v)
		}
	default:
		fields = make(Fields, 0, len(n.cfg.As))
		for _, f := range n.cfg.As {
			if n.isTag[f] {
				continue
			}
			v, _ := sc.lookup(f)
			fields = setStored(fields, f, v)
		}
	}
	return tags, fields, nil
}

// setStored sets field key to v as a point stores it: durations become
// int nanoseconds. A time or a missing value (a kept name that an
// expression read but the point lacks; not an error in Kapacitor) is
// not written.
func setStored(f Fields, key string, v Value) Fields {
	if v.Kind == KindTime || v.Kind == KindMissing {
		return f
	}
	return f.Set(key, v.Stored())
}

// rowForExpr returns the row expression i reads: the point, plus the
// results of earlier expressions it names that are neither fields nor
// tags of the point (those keep the point's value).
func (n *EvalNode) rowForExpr(r *Row, i int) *Row {
	if len(n.earlier[i]) == 0 {
		return r
	}
	s := &n.scratch
	s.Time, s.Tags = r.Time, r.Tags
	s.Fields = append(s.Fields[:0], r.Fields...)
	for _, name := range n.earlier[i] {
		if _, ok := r.Fields.Get(name); ok {
			continue
		}
		if _, ok := r.Tags.Get(name); ok {
			continue
		}
		v, _ := n.scope.lookup(name)
		s.Fields = s.Fields.Set(name, v)
	}
	return s
}

func (n *EvalNode) Point(_ int, p *Point) error {
	states := n.lambdaStates(p.Group, p.GroupNum)
	if n.direct {
		fields, err := n.evalDirect(&p.Row, states, &n.fields)
		if err != nil {
			n.LogError("error evaluating expression: %v", err)
			return nil
		}
		q := p
		if !n.fwd.ok(&n.Base) {
			q = n.emitted.next(&n.Base)
			*q = *p
		}
		q.Fields = fields
		return n.EmitPoint(q)
	}
	tags, fields, err := n.eval(&p.Row, states)
	if err != nil {
		n.LogError("error evaluating expression: %v", err)
		return nil
	}
	q := p
	if !n.fwd.ok(&n.Base) {
		q = n.emitted.next(&n.Base)
		*q = *p
	}
	q.Tags, q.Fields = tags, fields
	if len(n.cfg.Tags) > 0 {
		q.Group = ComputeGroupID(q.Name, q.Tags, q.Dims)
	}
	return n.EmitPoint(q)
}

func (n *EvalNode) Batch(_ int, b *Batch) error {
	states := n.lambdaStates(b.Group, 0)
	return n.EmitBatch(filterBatch(b, func(r *Row) (Row, bool) {
		if n.direct {
			fields, err := n.evalDirect(r, states, nil)
			if err != nil {
				n.LogError("error evaluating expression: %v", err)
				return Row{}, false
			}
			return Row{Time: r.Time, Tags: r.Tags, Fields: fields}, true
		}
		tags, fields, err := n.eval(r, states)
		if err != nil {
			n.LogError("error evaluating expression: %v", err)
			return Row{}, false
		}
		return Row{Time: r.Time, Tags: tags, Fields: fields}, true
	}))
}

// ---- default --------------------------------------------------------------

// DefaultConfig configures a default node: one value per field or tag
// name (the last .field/.tag call per name).
type DefaultConfig struct {
	Fields Fields
	Tags   Tags
	Quiet  bool
}

// DefaultNode fills absent (or null) fields and absent (or empty) tags.
type DefaultNode struct {
	Base
	cfg DefaultConfig
	out pointOut
	// FieldsDefaulted and TagsDefaulted are the node's stats.
	FieldsDefaulted, TagsDefaulted int64
}

// NewDefault returns a default node.
func NewDefault(t *Task, id int, name string, cfg DefaultConfig) *DefaultNode {
	n := &DefaultNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// apply returns fields and tags with the defaults; they are copies when
// changed, the originals otherwise.
func (n *DefaultNode) apply(fields Fields, tags Tags) (Fields, Tags) {
	copied := false
	for _, d := range n.cfg.Fields {
		if v, ok := fields.Get(d.Key); ok && !v.IsMissing() {
			continue
		}
		if !copied {
			fields, copied = fields.Clone(), true
		}
		n.FieldsDefaulted++
		fields = fields.Set(d.Key, d.Value)
	}
	return fields, n.applyTags(tags)
}

func (n *DefaultNode) applyTags(tags Tags) Tags {
	copied := false
	for _, d := range n.cfg.Tags {
		if v, _ := tags.Get(d.Key); v != "" {
			continue
		}
		if !copied {
			tags, copied = tags.Clone(), true
		}
		n.TagsDefaulted++
		tags = tags.Set(d.Key, d.Value)
	}
	return tags
}

func (n *DefaultNode) Point(_ int, p *Point) error {
	q := n.out.next(&n.Base)
	*q = *p
	q.Fields, q.Tags = n.apply(p.Fields, p.Tags)
	q.Group = ComputeGroupID(q.Name, q.Tags, q.Dims)
	return n.EmitPoint(q)
}

// Batch applies the tag defaults to the group tags too; the batch is
// then grouped by all of its group tags, as in Kapacitor.
func (n *DefaultNode) Batch(_ int, b *Batch) error {
	out := filterBatch(b, func(r *Row) (Row, bool) {
		f, t := n.apply(r.Fields, r.Tags)
		return Row{Time: r.Time, Tags: t, Fields: f}, true
	})
	out.Tags = n.applyTags(b.Tags)
	regroupByAllTags(out)
	return n.EmitBatch(out)
}

// regroupByAllTags makes a batch's dimensions all of its group tags and
// recomputes its group (Kapacitor's BeginBatchMessage.SetTags).
func regroupByAllTags(b *Batch) {
	names := make([]string, len(b.Tags))
	for i, t := range b.Tags {
		names[i] = t.Key
	}
	b.Dims = Dimensions{ByName: b.Dims.ByName, TagNames: names}
	b.Group = ComputeGroupID(b.Name, b.Tags, b.Dims)
}

// ---- delete ---------------------------------------------------------------

// DeleteConfig configures a delete node.
type DeleteConfig struct {
	Fields []string
	Tags   []string
	Quiet  bool
}

// DeleteNode removes fields and tags; a deleted tag leaves the group's
// dimensions too.
type DeleteNode struct {
	Base
	cfg DeleteConfig
	out pointOut
	// FieldsDeleted and TagsDeleted are the node's stats.
	FieldsDeleted, TagsDeleted int64
}

// NewDelete returns a delete node.
func NewDelete(t *Task, id int, name string, cfg DeleteConfig) *DeleteNode {
	n := &DeleteNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *DeleteNode) apply(fields Fields, tags Tags) (Fields, Tags) {
	copied := false
	for _, f := range n.cfg.Fields {
		if _, ok := fields.Get(f); !ok {
			continue
		}
		if !copied {
			fields, copied = fields.Clone(), true
		}
		n.FieldsDeleted++
		fields = fields.Delete(f)
	}
	return fields, n.applyTags(tags)
}

func (n *DeleteNode) applyTags(tags Tags) Tags {
	copied := false
	for _, t := range n.cfg.Tags {
		if _, ok := tags.Get(t); !ok {
			continue
		}
		if !copied {
			tags, copied = tags.Clone(), true
		}
		n.TagsDeleted++
		tags = tags.Delete(t)
	}
	return tags
}

func (n *DeleteNode) deletedTag(name string) bool {
	for _, t := range n.cfg.Tags {
		if t == name {
			return true
		}
	}
	return false
}

func (n *DeleteNode) Point(_ int, p *Point) error {
	q := n.out.next(&n.Base)
	*q = *p
	q.Fields, q.Tags = n.apply(p.Fields, p.Tags)
	for _, d := range p.Dims.TagNames {
		if n.deletedTag(d) {
			names := make([]string, 0, len(p.Dims.TagNames))
			for _, d := range p.Dims.TagNames {
				if !n.deletedTag(d) {
					names = append(names, d)
				}
			}
			q.Dims = Dimensions{ByName: p.Dims.ByName, TagNames: names}
			break
		}
	}
	q.Group = ComputeGroupID(q.Name, q.Tags, q.Dims)
	return n.EmitPoint(q)
}

func (n *DeleteNode) Batch(_ int, b *Batch) error {
	out := filterBatch(b, func(r *Row) (Row, bool) {
		f, t := n.apply(r.Fields, r.Tags)
		return Row{Time: r.Time, Tags: t, Fields: f}, true
	})
	out.Tags = n.applyTags(b.Tags)
	regroupByAllTags(out)
	return n.EmitBatch(out)
}

// ---- shift ----------------------------------------------------------------

// ShiftConfig configures a shift node.
type ShiftConfig struct {
	Shift time.Duration
	Quiet bool
}

// ShiftNode moves every point and batch time by a fixed duration.
type ShiftNode struct {
	Base
	cfg ShiftConfig
	out pointOut
}

// ErrZeroShift is the task-start error of shift(0s).
var ErrZeroShift = errors.New("invalid shift value: must be non zero duration")

// NewShift returns a shift node.
func NewShift(t *Task, id int, name string, cfg ShiftConfig) *ShiftNode {
	n := &ShiftNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// InitError is the error that stops the task before it runs (shift(0s)),
// nil when the node is valid.
func (n *ShiftNode) InitError() error {
	if n.cfg.Shift == 0 {
		return n.Fatal(ErrZeroShift)
	}
	return nil
}

func (n *ShiftNode) Point(_ int, p *Point) error {
	if n.cfg.Shift == 0 {
		return n.InitError()
	}
	q := n.out.next(&n.Base)
	*q = *p
	q.Time += int64(n.cfg.Shift)
	return n.EmitPoint(q)
}

func (n *ShiftNode) Batch(_ int, b *Batch) error {
	if n.cfg.Shift == 0 {
		return n.InitError()
	}
	d := int64(n.cfg.Shift)
	out := filterBatch(b, func(r *Row) (Row, bool) {
		s := *r
		s.Time += d
		return s, true
	})
	out.TMax += d
	return n.EmitBatch(out)
}

// ---- sample ---------------------------------------------------------------

// SampleConfig configures a sample node: N for sample(n), Duration for
// sample(d).
type SampleConfig struct {
	N        int64
	Duration time.Duration
	Quiet    bool
}

// SampleNode keeps every N-th point of a group, or the points whose time
// is a multiple of Duration.
type SampleNode struct {
	Base
	cfg    SampleConfig
	counts groupStates[int64]
}

// ErrSampleRate is the task-start error of a zero sample rate.
var ErrSampleRate = errors.New("invalid sample rate: must be positive integer or duration")

// NewSample returns a sample node.
func NewSample(t *Task, id int, name string, cfg SampleConfig) *SampleNode {
	n := &SampleNode{cfg: cfg, counts: newGroupStates[int64](nil)}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *SampleNode) keep(count *int64, t int64) bool {
	c := *count
	*count = c + 1
	if n.cfg.Duration != 0 {
		return goTruncate(t, n.cfg.Duration) == t
	}
	return c%n.cfg.N == 0
}

// InitError is the error that stops the task before it runs (a zero
// rate), nil when the node is valid.
func (n *SampleNode) InitError() error {
	if n.cfg.Duration > 0 || n.cfg.N > 0 {
		return nil
	}
	return n.Fatal(ErrSampleRate)
}

func (n *SampleNode) Point(_ int, p *Point) error {
	if err := n.InitError(); err != nil {
		return err
	}
	if !n.keep(n.counts.at(n.Task, p), p.Time) {
		return nil
	}
	return n.EmitPoint(p)
}

// Batch counts from zero in every batch; batches themselves always pass.
func (n *SampleNode) Batch(_ int, b *Batch) error {
	if err := n.InitError(); err != nil {
		return err
	}
	var count int64
	return n.EmitBatch(filterBatch(b, func(r *Row) (Row, bool) { return *r, n.keep(&count, r.Time) }))
}

// ---- derivative -----------------------------------------------------------

// DerivativeConfig configures a derivative node.
type DerivativeConfig struct {
	Field string
	As    string // defaults to Field
	Unit  time.Duration
	// NonNegative drops negative rates.
	NonNegative bool
	Quiet       bool
}

// DerivativeNode emits the rate of change of a field between consecutive
// points of a group (nodes.md §2.7).
type DerivativeNode struct {
	Base
	cfg  DerivativeConfig
	prev groupStates[derivPrev]
	out  pointOut
}

// derivPrev is the previous point of a group: only its time and value
// matter.
type derivPrev struct {
	ok   bool
	time int64
	v    float64
}

// NewDerivative returns a derivative node.
func NewDerivative(t *Task, id int, name string, cfg DerivativeConfig) *DerivativeNode {
	if cfg.As == "" {
		cfg.As = cfg.Field
	}
	if cfg.Unit == 0 {
		cfg.Unit = time.Second
	}
	n := &DerivativeNode{cfg: cfg, prev: newGroupStates[derivPrev](nil)}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func numericValue(v Value) (float64, bool) {
	switch v.Kind {
	case KindFloat:
		return v.F, true
	case KindInt:
		return float64(v.I), true
	}
	return 0, false
}

// derive updates prev with r and returns r with the rate set, or false
// when nothing is emitted for r.
func (n *DerivativeNode) derive(prev *derivPrev, r *Row) (Row, bool) {
	cur, _ := r.Fields.Get(n.cfg.Field)
	f1, ok := numericValue(cur)
	if !ok {
		n.LogError("cannot perform derivative: field is the wrong type: field=%s type=%s", n.cfg.Field, goTypeName(cur))
		return Row{}, false
	}
	last := *prev
	*prev = derivPrev{ok: true, time: r.Time, v: f1}
	if !last.ok {
		return Row{}, false
	}
	elapsed := float64(r.Time - last.time)
	if elapsed == 0 {
		n.LogError("cannot perform derivative: elaspsed time was 0")
		return Row{}, false
	}
	diff := f1 - last.v
	if n.cfg.NonNegative && diff < 0 {
		return Row{}, false
	}
	out := *r
	out.Fields = r.Fields.Clone().Set(n.cfg.As, Float(diff/(elapsed/float64(n.cfg.Unit))))
	return out, true
}

func (n *DerivativeNode) Point(_ int, p *Point) error {
	r, ok := n.derive(n.prev.at(n.Task, p), &p.Row)
	if !ok {
		return nil
	}
	q := n.out.next(&n.Base)
	*q = *p
	q.Row = r
	return n.EmitPoint(q)
}

// Batch starts afresh in every batch: its first point only primes.
func (n *DerivativeNode) Batch(_ int, b *Batch) error {
	var prev derivPrev
	return n.EmitBatch(filterBatch(b, func(r *Row) (Row, bool) { return n.derive(&prev, r) }))
}

// ---- changeDetect ---------------------------------------------------------

// ChangeDetectConfig configures a changeDetect node.
type ChangeDetectConfig struct {
	Fields []string
	Quiet  bool
}

// ChangeDetectNode emits a point when one of the fields differs from the
// last emitted point of its group.
type ChangeDetectNode struct {
	Base
	cfg  ChangeDetectConfig
	last groupStates[changePrev]
}

type changePrev struct {
	ok     bool
	fields Fields
}

// NewChangeDetect returns a changeDetect node.
func NewChangeDetect(t *Task, id int, name string, cfg ChangeDetectConfig) *ChangeDetectNode {
	n := &ChangeDetectNode{cfg: cfg, last: newGroupStates[changePrev](nil)}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// sameValue is Go interface equality of two field values: int 1 and
// float 1.0 differ, NaN differs from itself.
func sameValue(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case KindFloat:
		return a.F == b.F
	case KindString:
		return a.S == b.S
	}
	return a.I == b.I
}

func (n *ChangeDetectNode) changed(prev *changePrev, r *Row) bool {
	for _, f := range n.cfg.Fields {
		v, ok := r.Fields.Get(f)
		if !ok {
			n.LogError("Invalid field in change detect: expected field %s not found", f)
			continue
		}
		var old Value
		if prev.ok {
			old, _ = prev.fields.Get(f)
		}
		if !sameValue(old, v) {
			*prev = changePrev{ok: true, fields: r.Fields}
			return true
		}
	}
	return false
}

func (n *ChangeDetectNode) Point(_ int, p *Point) error {
	if !n.changed(n.last.at(n.Task, p), &p.Row) {
		return nil
	}
	return n.EmitPoint(p)
}

func (n *ChangeDetectNode) Batch(_ int, b *Batch) error {
	var prev changePrev
	return n.EmitBatch(filterBatch(b, func(r *Row) (Row, bool) { return *r, n.changed(&prev, r) }))
}

// ---- stateDuration / stateCount ---------------------------------------------

// StateConfig configures a stateDuration or stateCount node.
type StateConfig struct {
	Lambda *Lambda
	As     string
	// Unit is the unit of stateDuration (1s by default); unused by
	// stateCount.
	Unit  time.Duration
	Quiet bool
}

// StateNode adds how long (stateDuration) or for how many points
// (stateCount) the predicate has been true in a row; -1 when false.
type StateNode struct {
	Base
	cfg      StateConfig
	duration bool
	// groups hold one word per group (see stateGroup); the expression
	// states are kept per group only when the expression is stateful.
	groups  groupStates[stateGroup]
	lambdas lambdaStates
	out     pointOut
	fields  fieldsOut
}

// stateGroup is the state of one group, kept small for tasks with many
// series: the count of stateCount, or the start of the current run of
// stateDuration (notStarted when the predicate was false).
type stateGroup int64

const notStarted stateGroup = math.MinInt64

func (n *StateNode) resetGroup(g *stateGroup) {
	if n.duration {
		*g = notStarted
	} else {
		*g = 0
	}
}

// NewStateDuration returns a stateDuration node.
func NewStateDuration(t *Task, id int, name string, cfg StateConfig) *StateNode {
	if cfg.As == "" {
		cfg.As = "state_duration"
	}
	if cfg.Unit == 0 {
		cfg.Unit = time.Second
	}
	return newState(t, id, name, cfg, true)
}

// NewStateCount returns a stateCount node.
func NewStateCount(t *Task, id int, name string, cfg StateConfig) *StateNode {
	if cfg.As == "" {
		cfg.As = "state_count"
	}
	return newState(t, id, name, cfg, false)
}

func newState(t *Task, id int, name string, cfg StateConfig, duration bool) *StateNode {
	n := &StateNode{cfg: cfg, duration: duration, lambdas: newLambdaStates(cfg.Lambda)}
	n.groups = newGroupStates(n.resetGroup)
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// track updates g with r and returns r with the state field set, its
// fields from out when out is set (a point), new ones otherwise.
func (n *StateNode) track(g *stateGroup, st *LambdaState, r *Row, out *fieldsOut) (Row, bool) {
	in, err := EvalPredicate(n.cfg.Lambda, r, st)
	if err != nil {
		n.LogError("error while evaluating expression: %v", err)
		return Row{}, false
	}
	var v Value
	switch {
	case !in:
		n.resetGroup(g)
		if n.duration {
			v = Float(-1)
		} else {
			v = Int(-1)
		}
	case n.duration:
		if *g == notStarted {
			*g = stateGroup(r.Time)
		}
		v = Float(float64(r.Time-int64(*g)) / float64(n.cfg.Unit))
	default:
		*g++
		v = Int(int64(*g))
	}
	res := *r
	i, found := fieldIndex(r.Fields, n.cfg.As)
	size := len(r.Fields)
	if !found {
		size++
	}
	if out != nil {
		res.Fields = out.make(&n.Base, size)
	} else {
		res.Fields = make(Fields, size)
	}
	withField(res.Fields, r.Fields, i, found, n.cfg.As, v)
	return res, true
}

// fieldIndex is where key is, or would go, in the sorted fields f: the
// search of Fields.Set, without a function call per step.
func fieldIndex(f Fields, key string) (int, bool) {
	i, j := 0, len(f)
	for i < j {
		h := int(uint(i+j) >> 1)
		if f[h].Key < key {
			i = h + 1
		} else {
			j = h
		}
	}
	return i, i < len(f) && f[i].Key == key
}

// withField writes into dst (of the right size) the fields f with key
// set to v; i and found are where key is or goes in f.
func withField(dst, f Fields, i int, found bool, key string, v Value) {
	copy(dst, f[:i])
	dst[i] = Field{Key: key, Value: v}
	if found {
		copy(dst[i+1:], f[i+1:])
	} else {
		copy(dst[i+1:], f[i:])
	}
}

func (n *StateNode) Point(_ int, p *Point) error {
	r, ok := n.track(n.groups.at(n.Task, p), n.lambdas.at(n.Task, p), &p.Row, &n.fields)
	if !ok {
		return nil
	}
	q := n.out.next(&n.Base)
	*q = *p
	q.Row = r
	return n.EmitPoint(q)
}

// Batch restarts the state at every batch; the expression state of the
// group carries over.
func (n *StateNode) Batch(_ int, b *Batch) error {
	var g stateGroup
	n.resetGroup(&g)
	st := n.lambdas.get(n.Task, b.Group)
	return n.EmitBatch(filterBatch(b, func(r *Row) (Row, bool) { return n.track(&g, st, r, nil) }))
}

// ---- log --------------------------------------------------------------------

// LogConfig configures a log node.
type LogConfig struct {
	Level  string // DEBUG, INFO or ERROR (anything else logs at INFO)
	Prefix string
	Quiet  bool
}

// LogNode writes every point or batch to the task log and passes it on.
type LogNode struct {
	Base
	cfg   LogConfig
	level string
}

// NewLog returns a log node.
func NewLog(t *Task, id int, name string, cfg LogConfig) *LogNode {
	n := &LogNode{cfg: cfg}
	switch strings.ToUpper(cfg.Level) {
	case "DEBUG":
		n.level = "D!"
	case "ERROR":
		n.level = "E!"
	default:
		n.level = "I!"
	}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

func (n *LogNode) Point(_ int, p *Point) error {
	if n.Task != nil {
		n.Task.Logf("%s %s: point prefix=%q name=%s db=%s rp=%s group=%q dimensions=%s tags=%s fields=%s time=%s",
			n.level, n.Name, n.cfg.Prefix, p.Name, p.Database, p.RP, string(p.Group),
			formatDims(p.Dims), formatTags(p.Tags), formatFields(p.Fields), formatTime(p.Time))
	}
	return n.EmitPoint(p)
}

func (n *LogNode) Batch(_ int, b *Batch) error {
	if n.Task != nil {
		n.Task.Logf("%s %s: begin batch prefix=%q name=%s group=%q tags=%s tmax=%s size=%d",
			n.level, n.Name, n.cfg.Prefix, b.Name, string(b.Group), formatTags(b.Tags), formatTime(b.TMax), len(b.Points))
		for _, r := range b.Points {
			n.Task.Logf("%s %s: batch point prefix=%q name=%s group=%q tags=%s fields=%s time=%s",
				n.level, n.Name, n.cfg.Prefix, b.Name, string(b.Group), formatTags(r.Tags), formatFields(r.Fields), formatTime(r.Time))
		}
		n.Task.Logf("%s %s: end batch prefix=%q name=%s group=%q", n.level, n.Name, n.cfg.Prefix, b.Name, string(b.Group))
	}
	return n.EmitBatch(b)
}

func formatTime(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339Nano) }

func formatDims(d Dimensions) string {
	return fmt.Sprintf("{byName=%t tags=[%s]}", d.ByName, strings.Join(d.TagNames, ","))
}

func formatTags(t Tags) string {
	parts := make([]string, len(t))
	for i, tag := range t {
		parts[i] = tag.Key + "=" + tag.Value
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func formatFields(f Fields) string {
	parts := make([]string, len(f))
	for i, fl := range f {
		parts[i] = fl.Key + "=" + fl.Value.String()
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}
