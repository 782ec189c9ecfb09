package runtime

// Combining nodes with several parents (nodes.md §6.1, §6.2): join and
// union. Both tell their parents apart by the port (the parent's index
// among the node's parents), buffer on data time, and flush what is
// left once every parent is done.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// noTime marks a time that was never set: Kapacitor uses Go's zero
// time.Time, which is before every time a point can carry.
const noTime int64 = math.MinInt64

// joinMsg is a point or a batch held by join or union, with the port it
// came in on.
type joinMsg struct {
	src int
	p   *Point
	b   *Batch
}

func (m joinMsg) time() int64 {
	if m.p != nil {
		return m.p.Time
	}
	return m.b.TMax
}

func (m joinMsg) name() string {
	if m.p != nil {
		return m.p.Name
	}
	return m.b.Name
}

func (m joinMsg) group() GroupID {
	if m.p != nil {
		return m.p.Group
	}
	return m.b.Group
}

func (m joinMsg) dims() Dimensions {
	if m.p != nil {
		return m.p.Dims
	}
	return m.b.Dims
}

// groupTags are the dimension tags of the message (Kapacitor's
// GroupInfo().Tags): a missing dimension tag of a point appears as "".
func (m joinMsg) groupTags() Tags {
	if m.p != nil {
		return GroupTags(m.p.Tags, m.p.Dims)
	}
	return m.b.Tags
}

// ---- join -------------------------------------------------------------------

// JoinConfig configures a join node.
type JoinConfig struct {
	// Names are the .as() prefixes, one per parent in parent order.
	Names []string
	// On are the .on() dimensions; empty joins on the whole group.
	On []string
	// Delimiter goes between a prefix and a field name ("." unless the
	// script set it; an empty delimiter is valid).
	Delimiter  string
	StreamName string
	Tolerance  time.Duration
	// Fill is the .fill() value: missing (not set) or the string "none"
	// for an inner join, the string "null", or an int or float number.
	Fill  Value
	Quiet bool
}

type joinFill uint8

const (
	joinFillNone joinFill = iota
	joinFillNull
	joinFillNumber
)

// JoinNode joins the data of its parents by group and (rounded) time
// into join sets, and emits one point or batch per set, its fields
// prefixed by the parent's name.
type JoinNode struct {
	Base
	cfg     JoinConfig
	fill    joinFill
	initErr error

	groups map[GroupID]*joinGroup
	order  []GroupID // groups in order of creation, for the final flush

	// .on() matching (Kapacitor's matchPoints): the latest time per
	// parent and join group, the less specific messages waiting for
	// specific ones, and the specific ones waiting for their match.
	lowMarks  map[joinSrcGroup]int64
	matches   map[GroupID][]joinMsg
	specifics map[GroupID][]joinMsg
	reported  []bool
	nReported int

	free []*joinSet // emitted sets, reused
}

type joinSrcGroup struct {
	src   int
	group GroupID
}

// NewJoin returns a join node.
func NewJoin(t *Task, id int, name string, cfg JoinConfig) *JoinNode {
	n := &JoinNode{
		cfg:       cfg,
		groups:    map[GroupID]*joinGroup{},
		lowMarks:  map[joinSrcGroup]int64{},
		matches:   map[GroupID][]joinMsg{},
		specifics: map[GroupID][]joinMsg{},
	}
	switch cfg.Fill.Kind {
	case KindString:
		switch cfg.Fill.S {
		case "null":
			n.fill = joinFillNull
		case "none":
			n.fill = joinFillNone
		default:
			n.initErr = fmt.Errorf("unexpected fill option %s", cfg.Fill.S)
		}
	case KindInt, KindFloat:
		n.fill = joinFillNumber
	}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// InitError is the error that stops the task before it runs (an
// unknown fill option), nil when the node is valid.
func (n *JoinNode) InitError() error { return n.Fatal(n.initErr) }

func (n *JoinNode) Point(port int, p *Point) error {
	return n.message(joinMsg{src: port, p: p})
}

func (n *JoinNode) Batch(port int, b *Batch) error {
	return n.message(joinMsg{src: port, b: b})
}

// Done flushes every group once the last parent is done: all remaining
// sets are emitted, complete or not (subject to fill).
func (n *JoinNode) Done(int) error {
	if !n.AllParentsDone() {
		return nil
	}
	for _, id := range n.order {
		if err := n.groups[id].emitAll(); err != nil {
			return err
		}
	}
	return n.DoneChildren()
}

func (n *JoinNode) parents() int {
	if n.Parents > len(n.cfg.Names) {
		return n.Parents
	}
	return len(n.cfg.Names)
}

func (n *JoinNode) message(m joinMsg) error {
	if n.initErr != nil {
		return n.InitError()
	}
	if len(n.cfg.On) > 0 {
		return n.matchOn(m)
	}
	return n.group(m.group()).collect(m)
}

func (n *JoinNode) group(id GroupID) *joinGroup {
	g, ok := n.groups[id]
	if !ok {
		g = &joinGroup{n: n, sets: map[int64][]*joinSet{}, oldest: noTime, head: make([]int64, n.parents())}
		for i := range g.head {
			g.head[i] = noTime
		}
		n.groups[id] = g
		n.order = append(n.order, id)
	}
	return g
}

func (n *JoinNode) round(t int64) int64 { return goRound(t, n.cfg.Tolerance) }

// matchOn pairs messages of a parent grouped exactly by the .on()
// dimensions (less specific) with the messages of more specifically
// grouped parents that share those dimension values and the time. The
// less specific message is re-tagged with the specific group before both
// go to the specific group's join sets. Specific messages that can no
// longer be matched (every parent has moved past them) go alone.
func (n *JoinNode) matchOn(m joinMsg) error {
	if n.reported == nil {
		n.reported = make([]bool, n.parents())
	}
	if m.src < len(n.reported) && !n.reported[m.src] {
		n.reported[m.src] = true
		n.nReported++
	}
	allReported := n.nReported == len(n.reported)
	t := n.round(m.time())
	dims := m.dims()
	id := ComputeGroupID(m.name(), m.groupTags(), Dimensions{ByName: dims.ByName, TagNames: n.cfg.On})
	n.lowMarks[joinSrcGroup{m.src, id}] = t

	// The low mark is the oldest latest time over the parents; a parent
	// without data in this group counts only when it comes last (as in
	// Kapacitor, whose loop restarts from an unset mark).
	lowMark := noTime
	if allReported {
		for s := range n.reported {
			lm, ok := n.lowMarks[joinSrcGroup{s, id}]
			if !ok {
				lm = noTime
			}
			if lowMark == noTime || lm < lowMark {
				lowMark = lm
			}
		}
		// Specific messages that cannot be matched any more go alone.
		buf := n.specifics[id]
		i := 0
		for ; i < len(buf); i++ {
			if n.round(buf[i].time()) >= lowMark {
				break
			}
			if err := n.group(buf[i].group()).collect(buf[i]); err != nil {
				return err
			}
		}
		n.specifics[id] = buf[i:]
	}

	if len(dims.TagNames) > len(n.cfg.On) {
		// A specific message: send it with every waiting match of its
		// time, drop matches the low mark has passed, or keep it until its
		// match arrives (or the low mark passes it).
		matched := false
		if buf, ok := n.matches[id]; ok {
			i := 0
			for ; i < len(buf); i++ {
				mt := n.round(buf[i].time())
				if mt == t {
					if err := n.sendMatch(m, buf[i]); err != nil {
						return err
					}
					matched = true
				}
				if mt >= lowMark {
					break
				}
			}
			if allReported {
				n.matches[id] = buf[i:]
			}
		}
		if !matched {
			if allReported && t < lowMark {
				return n.group(m.group()).collect(m)
			}
			n.specifics[id] = append(n.specifics[id], m)
		}
		return nil
	}

	// A less specific message: keep it for later specific ones and send
	// it with the waiting specific messages of its time.
	n.matches[id] = append(n.matches[id], m)
	buf := n.specifics[id]
	i := 0
	for ; i < len(buf); i++ {
		if n.round(buf[i].time()) != t {
			break
		}
		if err := n.sendMatch(buf[i], m); err != nil {
			return err
		}
	}
	n.specifics[id] = buf[i:]
	return nil
}

// sendMatch collects a specific message and its less specific match,
// re-tagged with the specific message's group, into the specific group.
func (n *JoinNode) sendMatch(specific, match joinMsg) error {
	tags, dims := specific.groupTags(), specific.dims()
	if match.p != nil {
		p := *match.p
		p.Tags = tags
		p.Regroup(dims)
		match.p = &p
	} else {
		b := *match.b
		b.Tags = tags
		b.Dims = Dimensions{ByName: b.Dims.ByName, TagNames: tagKeys(tags)}
		b.Group = ComputeGroupID(b.Name, b.Tags, b.Dims)
		match.b = &b
	}
	g := n.group(specific.group())
	if err := g.collect(specific); err != nil {
		return err
	}
	return g.collect(match)
}

// tagKeys returns the (sorted) keys of tags.
func tagKeys(tags Tags) []string {
	if len(tags) == 0 {
		return nil
	}
	keys := make([]string, len(tags))
	for i, t := range tags {
		keys[i] = t.Key
	}
	return keys
}

// joinGroup holds the open join sets of one group, by rounded time, and
// each parent's head (the latest rounded time it sent in this group).
type joinGroup struct {
	n      *JoinNode
	sets   map[int64][]*joinSet
	head   []int64
	oldest int64
}

// collect adds a message to the first set of its time that lacks its
// parent (or a new set) and emits what has become ready.
func (g *joinGroup) collect(m joinMsg) error {
	t := g.n.round(m.time())
	if g.oldest == noTime || t < g.oldest {
		g.oldest = t
	}
	var set *joinSet
	for _, s := range g.sets[t] {
		if s.values[m.src].p == nil && s.values[m.src].b == nil {
			set = s
			break
		}
	}
	if set == nil {
		set = g.n.newSet(t)
		g.sets[t] = append(g.sets[t], set)
	}
	set.add(m)
	if m.src < len(g.head) {
		g.head[m.src] = t
	}
	return g.emit(g.onlyReady())
}

// onlyReady reports whether some parent's head has not passed the
// oldest set, so that only complete sets may go.
func (g *joinGroup) onlyReady() bool {
	for _, h := range g.head {
		if h <= g.oldest {
			return true
		}
	}
	return false
}

// emit sends the sets of the oldest time (only the leading complete
// ones when onlyReady) and, when it was allowed to send incomplete sets,
// goes on with the next oldest time.
func (g *joinGroup) emit(onlyReady bool) error {
	if len(g.sets) == 0 {
		return nil
	}
	sets := g.sets[g.oldest]
	i := 0
	for ; i < len(sets); i++ {
		if onlyReady && !sets[i].ready() {
			break
		}
		if err := g.n.emitSet(sets[i]); err != nil {
			return err
		}
		g.n.freeSet(sets[i])
	}
	if i == len(sets) {
		delete(g.sets, g.oldest)
	} else {
		g.sets[g.oldest] = sets[i:]
	}
	g.oldest = noTime
	for t := range g.sets {
		if g.oldest == noTime || t < g.oldest {
			g.oldest = t
		}
	}
	if !onlyReady {
		return g.emit(g.onlyReady())
	}
	return nil
}

// emitAll sends every remaining set.
func (g *joinGroup) emitAll() error {
	for len(g.sets) > 0 {
		if err := g.emit(false); err != nil {
			return err
		}
	}
	return nil
}

// joinSet is what the parents sent for one group and time: at most one
// message per parent.
type joinSet struct {
	time   int64
	values []joinMsg
	size   int
	first  int // the lowest parent index present
}

func (n *JoinNode) newSet(t int64) *joinSet {
	k := n.parents()
	if last := len(n.free) - 1; last >= 0 {
		s := n.free[last]
		n.free = n.free[:last]
		s.time, s.first = t, k
		return s
	}
	return &joinSet{time: t, values: make([]joinMsg, k), first: k}
}

// freeSet keeps an emitted set for reuse (nothing holds it: the joined
// message has its own fields).
func (n *JoinNode) freeSet(s *joinSet) {
	clear(s.values)
	s.size = 0
	if len(n.free) < 64 {
		n.free = append(n.free, s)
	}
}

func (s *joinSet) add(m joinMsg) {
	if m.src >= len(s.values) {
		return
	}
	if m.src < s.first {
		s.first = m.src
	}
	s.values[m.src] = m
	s.size++
}

func (s *joinSet) ready() bool { return s.size == len(s.values) }

func (s *joinSet) has(i int) bool { return s.values[i].p != nil || s.values[i].b != nil }

// emitSet joins a set into one point or batch and sends it.
func (n *JoinNode) emitSet(s *joinSet) error {
	first := s.values[s.first]
	name := n.cfg.StreamName
	if name == "" {
		name = first.name()
	}
	if first.p != nil {
		p, ok := n.joinPoints(s, name)
		if !ok {
			return nil
		}
		return n.EmitPoint(p)
	}
	return n.EmitBatch(n.joinBatches(s, name))
}

// prefixed is a field name under a parent's prefix.
func (n *JoinNode) prefixed(i int, key string) string {
	return n.cfg.Names[i] + n.cfg.Delimiter + key
}

// fillFields adds the fill value for a missing parent under each of the
// given field names; false for an inner join (the set is dropped).
func (n *JoinNode) fillFields(out Fields, i int, keys []string) (Fields, bool) {
	var v Value
	switch n.fill {
	case joinFillNull:
		v = Value{}
	case joinFillNumber:
		v = n.cfg.Fill
	default:
		return out, false
	}
	for _, k := range keys {
		out = append(out, Field{n.prefixed(i, k), v})
	}
	return out, true
}

// joinPoints joins the points of a set: each parent's fields under its
// prefix, the first parent's group tags and dimensions, the set's time.
func (n *JoinNode) joinPoints(s *joinSet, name string) (*Point, bool) {
	first := s.values[s.first].p
	fields := make(Fields, 0, len(s.values)*len(first.Fields))
	var firstKeys []string
	for i, m := range s.values {
		if !s.has(i) {
			if firstKeys == nil {
				firstKeys = make([]string, len(first.Fields))
				for j, f := range first.Fields {
					firstKeys[j] = f.Key
				}
			}
			var ok bool
			if fields, ok = n.fillFields(fields, i, firstKeys); !ok {
				return nil, false
			}
			continue
		}
		for _, f := range m.p.Fields {
			fields = append(fields, Field{n.prefixed(i, f.Key), f.Value})
		}
	}
	p := &Point{
		Row:  Row{Time: s.time, Tags: GroupTags(first.Tags, first.Dims), Fields: sortFields(fields)},
		Name: name,
		Dims: first.Dims,
	}
	// The group is the first point's unless the name is part of it and
	// changed.
	p.Group = first.Group
	if first.Dims.ByName && name != first.Name {
		p.Group = ComputeGroupID(p.Name, p.Tags, p.Dims)
	}
	return p, true
}

// sortFields sorts fields by key; for a repeated key the last one wins
// (later parents overwrite earlier ones, as map assignment does).
func sortFields(f Fields) Fields {
	slices.SortStableFunc(f, func(a, b Field) int { return strings.Compare(a.Key, b.Key) })
	out := f[:0]
	for i := range f {
		if len(out) > 0 && out[len(out)-1].Key == f[i].Key {
			out[len(out)-1] = f[i]
			continue
		}
		out = append(out, f[i])
	}
	return out
}

// joinBatches joins the batches of a set point by point: the points of
// all parents are walked in time order, points of equal rounded time are
// joined, a parent without a point at that time is filled (or the point
// dropped for an inner join). The batch takes the first batch's tags and
// the set's time.
func (n *JoinNode) joinBatches(s *joinSet, name string) *Batch {
	first := s.values[s.first].b
	out := &Batch{
		Name: name,
		TMax: s.time,
		Tags: first.Tags,
		Dims: Dimensions{ByName: first.Dims.ByName, TagNames: tagKeys(first.Tags)},
	}
	out.Group = ComputeGroupID(out.Name, out.Tags, out.Dims)
	k := len(s.values)
	empty := make([]bool, k)
	emptyCount := 0
	indexes := make([]int, k)
	set := make([]*Row, k)
	// fieldNames are the field names of the first point joined (with
	// fields), which fill uses for every missing parent.
	var fieldNames []string
	for emptyCount < k {
		for i := range set {
			set[i] = nil
		}
		setTime, haveTime := int64(0), false
		count := 0
		for i, m := range s.values {
			if empty[i] {
				continue
			}
			if m.b == nil || indexes[i] == len(m.b.Points) {
				emptyCount++
				empty[i] = true
				continue
			}
			bp := &m.b.Points[indexes[i]]
			t := n.round(bp.Time)
			if !haveTime {
				setTime, haveTime = t, true
			}
			switch {
			case t < setTime:
				// An earlier point: start the set again from it.
				setTime = t
				for j := range set {
					if set[j] != nil {
						indexes[j]--
					}
					set[j] = nil
				}
				set[i] = bp
				indexes[i]++
				count = 1
			case t == setTime:
				if fieldNames == nil {
					for _, f := range bp.Fields {
						fieldNames = append(fieldNames, f.Key)
					}
				}
				set[i] = bp
				indexes[i]++
				count++
			}
		}
		if count == 0 {
			continue
		}
		fields := make(Fields, 0, k*len(fieldNames))
		keep := true
		for i, bp := range set {
			if bp == nil {
				fields, keep = n.fillFields(fields, i, fieldNames)
				if !keep {
					break
				}
				continue
			}
			for _, f := range bp.Fields {
				fields = append(fields, Field{n.prefixed(i, f.Key), f.Value})
			}
		}
		if !keep {
			continue
		}
		out.Points = append(out.Points, Row{Time: setTime, Tags: out.Tags, Fields: sortFields(fields)})
	}
	return out
}

// ---- union ------------------------------------------------------------------

// UnionConfig configures a union node.
type UnionConfig struct {
	// Rename, when set, is the measurement name of everything merged.
	Rename string
	Quiet  bool
}

// UnionNode merges its parents into one edge in time order: messages
// wait per parent until every parent has sent something, then all those
// at or before the lowest parent time go, parent by parent.
type UnionNode struct {
	Base
	cfg      UnionConfig
	sources  [][]joinMsg
	lowMarks []int64
}

// NewUnion returns a union node.
func NewUnion(t *Task, id int, name string, cfg UnionConfig) *UnionNode {
	n := &UnionNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// ensure sizes the buffers once the parents are linked.
func (n *UnionNode) ensure(port int) {
	k := n.Parents
	if port >= k {
		k = port + 1
	}
	for len(n.sources) < k {
		n.sources = append(n.sources, nil)
		n.lowMarks = append(n.lowMarks, noTime)
	}
}

func (n *UnionNode) Point(port int, p *Point) error {
	if n.cfg.Rename != "" {
		c := *p
		c.Name = n.cfg.Rename
		c.Group = ComputeGroupID(c.Name, c.Tags, c.Dims)
		p = &c
	}
	n.ensure(port)
	n.sources[port] = append(n.sources[port], joinMsg{src: port, p: p})
	return n.emitReady(false)
}

func (n *UnionNode) Batch(port int, b *Batch) error {
	if n.cfg.Rename != "" {
		c := *b
		c.Name = n.cfg.Rename
		c.Group = ComputeGroupID(c.Name, c.Tags, c.Dims)
		b = &c
	}
	n.ensure(port)
	n.sources[port] = append(n.sources[port], joinMsg{src: port, b: b})
	return n.emitReady(false)
}

// Done drains every buffer once the last parent is done.
func (n *UnionNode) Done(int) error {
	if !n.AllParentsDone() {
		return nil
	}
	n.ensure(0)
	if err := n.emitReady(true); err != nil {
		return err
	}
	return n.DoneChildren()
}

// emitReady sends, until nothing changes, every buffered message at or
// before the mark: the lowest time at the head of a buffer or, unless
// draining, remembered as a parent's low mark. A parent's low mark is
// the time at the head of its buffer when last looked at (Kapacitor's
// lowMarks), so a parent that has sent nothing holds everything back.
func (n *UnionNode) emitReady(drain bool) error {
	for emitted := true; emitted; {
		emitted = false
		mark := noTime
		valid := 0
		for i, buf := range n.sources {
			sourceMark := n.lowMarks[i]
			if len(buf) > 0 {
				t := buf[0].time()
				if mark == noTime || t < mark {
					mark = t
				}
				sourceMark = t
			}
			n.lowMarks[i] = sourceMark
			if sourceMark != noTime {
				valid++
				if !drain && (mark == noTime || sourceMark < mark) {
					mark = sourceMark
				}
			}
		}
		if !drain && valid != len(n.sources) {
			return nil
		}
		for i := range n.sources {
			buf := n.sources[i]
			j := 0
			for ; j < len(buf); j++ {
				m := buf[j]
				if m.time() > mark {
					break
				}
				var err error
				if m.p != nil {
					err = n.EmitPoint(m.p)
				} else {
					err = n.EmitBatch(m.b)
				}
				if err != nil {
					return err
				}
				emitted = true
			}
			n.sources[i] = buf[j:]
		}
	}
	return nil
}
