package runtime

import (
	"errors"
	"sync/atomic"
	"time"
)

// AlertConfig is an alert node as compiled (spec/alerting.md §3). Every
// field is taken as given: an empty template renders empty (Kapacitor's
// defaults are DefaultAlertID, … and DefaultAlertHistory, which the
// compiler fills in).
type AlertConfig struct {
	ID, Message, Details string

	// Level expressions and the reset expressions that must hold to leave
	// a level downward; nil when unset.
	Info, Warn, Crit                *Lambda
	InfoReset, WarnReset, CritReset *Lambda

	Category string
	Topic    string

	History           int // values below 2 mean 2
	Flapping          bool
	FlapLow, FlapHigh float64

	StateChangesOnly         bool
	StateChangesOnlyDuration time.Duration

	NoRecoveries bool
	All          bool

	Inhibitors []AlertInhibitor

	LevelTag, LevelField, MessageField, DurationField, IDTag, IDField string

	Handlers []AlertHandlerSpec
	Quiet    bool
	// DeferredFields says that the node's points come from a from node
	// through nodes that hand them on as they are (FromConfig.
	// DeferFields): it decodes the fields the stream deferred when it
	// sends an event. Other alert nodes leave Point.deferred alone.
	DeferredFields bool
}

// AlertInhibitor is one `.inhibit(category, tags...)`.
type AlertInhibitor struct {
	Category  string
	EqualTags []string
}

// DefaultAlertHistory is the history length without `.history()`.
const DefaultAlertHistory = 21

// AlertNode evaluates alert levels per group, sends events to its
// handlers (or, in capture mode, records them) and forwards the data of
// every triggered event, augmented by the *Tag/*Field options.
type AlertNode struct {
	Base
	cfg   AlertConfig
	state alertStateConfig

	// levels and resets by AlertLevel (index 0 unused). Their states are
	// shared by all groups, as Kapacitor compiles each expression once.
	levels      [4]*Lambda
	resets      [4]*Lambda
	levelStates [4]LambdaState
	resetStates [4]LambdaState

	tmpl     *alertTemplates
	svc      *alertService
	anon     *alertTopic // the node's anonymous topic
	named    *alertTopic // the `.topic()` topic, nil when unset
	groups   alertGroups
	handlers []alertHandler
	// handlersReadEvent: some handler reads the event, not just its JSON.
	handlersReadEvent bool

	// The event being sent and its JSON, reused from event to event:
	// handlers copy what they keep; captured bodies are encoded into
	// bodies, lastBody the size of the last one.
	event    AlertEvent
	jsonBuf  []byte
	bodies   byteArena
	lastBody int
	idBuf    []byte // the ID being looked up or built
	// fieldDecoder decodes the fields the stream deferred to an event
	// (Point.deferred).
	fieldDecoder *LineParser

	// initErr is an error Kapacitor reports when creating the task
	// (template syntax, flap thresholds, handler options).
	initErr error

	AlertsTriggered, AlertsInhibited                             atomic.Int64
	OKsTriggered, InfosTriggered, WarnsTriggered, CritsTriggered atomic.Int64
}

// NewAlert creates an alert node.
func NewAlert(t *Task, id int, name string, cfg AlertConfig) *AlertNode {
	n := &AlertNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	if n.cfg.History < 2 {
		n.cfg.History = 2
	}
	n.levels = [4]*Lambda{nil, cfg.Info, cfg.Warn, cfg.Crit}
	n.resets = [4]*Lambda{nil, cfg.InfoReset, cfg.WarnReset, cfg.CritReset}
	n.state = alertStateConfig{
		history: n.cfg.History, useFlapping: cfg.Flapping, flapLow: cfg.FlapLow, flapHigh: cfg.FlapHigh,
		stateChangesOnlyFor: cfg.StateChangesOnlyDuration,
	}

	n.svc = alertServiceOf(t)
	n.anon = n.svc.topic("main:" + t.ID + ":" + name)
	if cfg.Topic != "" {
		n.named = n.svc.topic(cfg.Topic)
	}

	tmpl, err := parseAlertTemplates(t, n.cfg.ID, n.cfg.Message, n.cfg.Details)
	if err != nil {
		n.initErr = err
		return n
	}
	n.tmpl = tmpl
	if cfg.Flapping && (cfg.FlapLow > 1 || cfg.FlapHigh > 1) {
		n.initErr = errors.New("alert flap thresholds are percentages and should be between 0 and 1")
		return n
	}
	n.handlers, n.initErr = newAlertHandlers(n, cfg.Handlers)
	for _, h := range n.handlers {
		n.handlersReadEvent = n.handlersReadEvent || h.readsEvent()
	}
	return n
}

// InitError is the error that stops the task before it runs, as Kapacitor
// fails to create it (bad template, flap thresholds, handler options).
func (n *AlertNode) InitError() error { return n.Base.Fatal(n.initErr) }

// Point handles a stream point.
func (n *AlertNode) Point(_ int, p *Point) error {
	if n.initErr != nil {
		return n.InitError()
	}
	g, err := n.groupOf(p.Name, p.Group, p.GroupNum, p.Tags, p.Dims, p.Time)
	if err != nil {
		return err
	}
	l := n.determineLevel(&p.Row, g.currentLevel())
	g.addEvent(&n.state, p.Time, l)

	if (n.cfg.Flapping && g.flapping) || (n.cfg.StateChangesOnly && !g.changed && !g.expired) {
		return nil
	}
	if l == LevelOK && !g.changed {
		return nil
	}
	g.triggered(&n.state, p.Time)
	if n.cfg.NoRecoveries && l == LevelOK {
		return nil
	}
	id, err := n.eventID(g, p.Name, p.Group, p.Tags)
	if err != nil {
		return err
	}
	if p.deferred != nil && n.cfg.DeferredFields {
		p = n.withAllFields(p)
	}
	ev := &n.event
	*ev = AlertEvent{
		ID: id, Time: time.Unix(0, p.Time), Duration: g.duration(), Level: l, Recoverable: !n.cfg.NoRecoveries,
		Point: p, Tags: p.Tags, Fields: p.Fields, Name: p.Name, Group: p.Group,
	}
	if err := n.sendEvent(ev); err != nil {
		return err
	}
	return n.EmitPoint(n.augmentPoint(p, ev))
}

// withAllFields returns a copy of p with the fields the stream deferred
// decoded (Point.deferred): the event outputs them all.
func (n *AlertNode) withAllFields(p *Point) *Point {
	if n.fieldDecoder == nil {
		n.fieldDecoder = NewLineParser("ns")
	}
	q := new(Point)
	*q = *p
	q.Fields = n.fieldDecoder.deferredFields(p)
	q.deferred = nil
	return q
}

// Batch handles a batch: every point is judged against the level before
// the batch; the batch takes the highest level (the lowest with .all()).
func (n *AlertNode) Batch(_ int, b *Batch) error {
	if n.initErr != nil {
		return n.InitError()
	}
	g, err := n.groupOf(b.Name, b.Group, 0, b.Tags, b.Dims, b.TMax)
	if err != nil {
		return err
	}
	if len(b.Points) == 0 {
		return nil
	}
	lowest, highest, hp := LevelCritical, LevelOK, -1
	cur := g.currentLevel()
	for i := range b.Points {
		l := n.determineLevel(&b.Points[i], cur)
		if l < lowest {
			lowest = l
		}
		if l > highest || hp < 0 {
			highest, hp = l, i
		}
	}
	l := highest
	if n.cfg.All {
		l = lowest
	}
	t := b.Points[hp].Time
	if n.cfg.All || l == LevelOK {
		t = b.TMax
	}
	g.addEvent(&n.state, t, l)

	// A recovery is sent even while flapping; other levels obey flapping
	// and stateChangesOnly.
	recovery := g.changed && l == LevelOK
	send := l != LevelOK && !((n.cfg.Flapping && g.flapping) || (n.cfg.StateChangesOnly && !g.changed && !g.expired))
	if !recovery && !send {
		return nil
	}
	g.triggered(&n.state, t)
	if n.cfg.NoRecoveries && l == LevelOK {
		return nil
	}
	id, err := n.eventID(g, b.Name, b.Group, b.Tags)
	if err != nil {
		return err
	}
	ev := &n.event
	*ev = AlertEvent{
		ID: id, Time: time.Unix(0, t), Duration: g.duration(), Level: l, Recoverable: !n.cfg.NoRecoveries,
		Batch: b, Tags: b.Tags, Fields: b.Points[hp].Fields, Name: b.Name, Group: b.Group,
	}
	if err := n.sendEvent(ev); err != nil {
		return err
	}
	return n.EmitBatch(n.augmentBatch(b, ev))
}

// Done waits for the handlers to deliver what they hold, then passes end
// of input on.
func (n *AlertNode) Done(port int) error {
	if !n.AllParentsDone() {
		return nil
	}
	for _, h := range n.handlers {
		h.close()
	}
	return n.DoneChildren()
}

// groupOf returns the state of a message's group, creating it on the
// group's first message at time t (Unix ns); num is the group's number,
// 0 when unknown. A new group needs its event
// ID to restore its level. The default ID, name:group, is built when an
// event needs it and never stored. A custom template is rendered once per
// group and cached while its inputs are unchanged (eventID); one the
// cache cannot follow is rendered for every message, as Kapacitor does
// (its errors stop the task).
func (n *AlertNode) groupOf(name string, gid GroupID, num uint32, tags Tags, dims Dimensions, t int64) (*alertGroup, error) {
	g := n.groups.lookup(n.Task, gid, num)
	if g != nil && n.tmpl.idPlan.memo {
		return g, nil
	}
	if n.tmpl.id == nil {
		n.idBuf = appendDefaultID(n.idBuf[:0], name, gid)
		return n.newGroup(gid, n.idBuf, t, tags, dims), nil
	}
	id, err := n.tmpl.renderID(name, gid, tags)
	if err != nil {
		return nil, n.Fatal(err)
	}
	if g == nil {
		n.idBuf = append(n.idBuf[:0], id...)
		g = n.newGroup(gid, n.idBuf, t, tags, dims)
	}
	n.tmpl.rememberID(g, name, tags, id)
	return g, nil
}

// eventID is the event ID of the group's current message.
func (n *AlertNode) eventID(g *alertGroup, name string, gid GroupID, tags Tags) (string, error) {
	if n.tmpl.id == nil {
		return string(appendDefaultID(n.idBuf[:0], name, gid)), nil
	}
	if !n.tmpl.idPlan.memo {
		return g.extra.memo.id, nil // rendered for this message by groupOf
	}
	if id, ok := n.tmpl.cachedID(g, name, tags); ok {
		return id, nil
	}
	id, err := n.tmpl.renderID(name, gid, tags)
	if err != nil {
		return "", n.Fatal(err)
	}
	n.tmpl.rememberID(g, name, tags, id)
	return id, nil
}

// newGroup creates the state of a group on its first message: if the
// node's topic already holds a non-OK event with this ID (another group
// rendered the same ID), the new group starts at that level.
func (n *AlertNode) newGroup(gid GroupID, id []byte, t int64, tags Tags, dims Dimensions) *alertGroup {
	g := n.groups.add(n.Task, gid, &n.state)
	if len(n.cfg.Inhibitors) > 0 {
		groupTags := GroupTags(tags, dims)
		x := g.extraState()
		for _, in := range n.cfg.Inhibitors {
			it := make(Tags, 0, len(in.EqualTags))
			for _, k := range in.EqualTags {
				v, _ := groupTags.Get(k)
				it = it.Set(k, v)
			}
			inh := &alertInhibitor{category: in.Category, tags: it}
			x.inhibitors = append(x.inhibitors, inh)
			n.svc.addInhibitor(inh)
		}
	}
	if st := n.restoreEvent(id); st.Level != LevelOK {
		g.addEvent(&n.state, t, st.Level)
		g.triggered(&n.state, st.Time)
	}
	return g
}

// hasAnonTopic reports whether the node publishes to its anonymous topic:
// in Kapacitor only a node with handlers does; a capture records every
// node's events as a handler would receive them.
func (n *AlertNode) hasAnonTopic() bool {
	return len(n.cfg.Handlers) > 0 || n.Task.Capture != nil
}

// restoreEvent finds the last state of event id in the node's topics;
// the anonymous topic wins and the other is brought in line.
func (n *AlertNode) restoreEvent(id []byte) alertEventState {
	var anon alertEventState
	var anonFound bool
	if n.hasAnonTopic() {
		anon, anonFound = n.svc.eventState(n.anon, id)
	}
	var named alertEventState
	var namedFound bool
	if n.named != nil {
		named, namedFound = n.svc.eventState(n.named, id)
	}
	if anon.Level != named.Level {
		if anonFound && namedFound {
			n.svc.update(n.named, string(id), anon)
		} else if namedFound && n.hasAnonTopic() {
			n.svc.update(n.anon, string(id), named)
		}
	}
	if anonFound {
		return anon
	}
	return named
}

// determineLevel searches the levels from CRITICAL down: a level above
// cur wins outright; cur is kept while its reset expression is false;
// then cur and the levels below are tried. A failing level expression
// counts as false, a failing reset expression as true.
func (n *AlertNode) determineLevel(r *Row, cur AlertLevel) AlertLevel {
	if l, ok := n.firstMatch(LevelCritical, cur, r); ok {
		return l
	}
	if rs := n.resets[cur]; rs != nil {
		pass, err := EvalPredicate(rs, r, &n.resetStates[cur])
		if err != nil {
			n.LogError("error evaluating reset expression for current level: level=%s err=%v", cur, err)
		} else if !pass {
			return cur
		}
	}
	if l, ok := n.firstMatch(cur, LevelOK, r); ok {
		return l
	}
	return LevelOK
}

// firstMatch returns the first level from start down to stop (both
// included; OK has no expression) whose expression is true. The current
// level is evaluated by both searches of determineLevel, as in
// Kapacitor, which matters for stateful functions.
func (n *AlertNode) firstMatch(start, stop AlertLevel, r *Row) (AlertLevel, bool) {
	for l := start; l > LevelOK && l >= stop; l-- {
		e := n.levels[l]
		if e == nil {
			continue
		}
		pass, err := EvalPredicate(e, r, &n.levelStates[l])
		if err != nil {
			n.LogError("error evaluating expression for level: level=%s err=%v", l, err)
			continue
		}
		if pass {
			return l, true
		}
	}
	return LevelOK, false
}

// sendEvent renders the message and details, checks inhibition, records
// the event in the topics and hands it to the handlers or the capture.
func (n *AlertNode) sendEvent(ev *AlertEvent) error {
	if err := n.tmpl.renderMessageAndDetails(ev); err != nil {
		return n.Fatal(err)
	}
	if n.svc.isInhibited(n.cfg.Category, ev.Tags) {
		n.AlertsInhibited.Add(1)
		return nil
	}
	n.AlertsTriggered.Add(1)
	switch ev.Level {
	case LevelOK:
		n.OKsTriggered.Add(1)
	case LevelInfo:
		n.InfosTriggered.Add(1)
	case LevelWarning:
		n.WarnsTriggered.Add(1)
	case LevelCritical:
		n.CritsTriggered.Add(1)
	}
	st := alertEventState{Level: ev.Level, Time: ev.Time.UnixNano()}
	if n.hasAnonTopic() {
		ev.PreviousLevel = n.svc.collect(n.anon, ev.ID, st)
	}
	if n.named != nil {
		n.svc.collect(n.named, ev.ID, st)
	}

	if c := n.Task.Capture; c != nil {
		// Captured as it will appear in result.json, encoded in place
		// in the arena; no handler runs.
		body, err := ev.appendLaidOut(n.bodies.room(n.lastBody))
		if err != nil {
			n.LogError("failed to marshal alert data json: %v", err)
			return nil
		}
		n.lastBody = len(body)
		c.alertLaidOut(n.ID, n.bodies.keep(body))
		return nil
	}
	body, err := ev.AppendJSON(n.jsonBuf[:0])
	if err != nil {
		n.LogError("failed to marshal alert data json: %v", err)
		return nil
	}
	n.jsonBuf = body
	if n.handlersReadEvent {
		// Handlers queue a copy of the event: it must not point into
		// the node's buffers.
		ev.materializeDetails()
	}
	for _, h := range n.handlers {
		h.handle(ev, body)
	}
	return nil
}

// augmentPoint returns p with the level, ID, message and duration added
// as the *Tag/*Field options ask (p itself when none is set).
func (n *AlertNode) augmentPoint(p *Point, ev *AlertEvent) *Point {
	c := &n.cfg
	if c.LevelTag == "" && c.IDTag == "" && c.LevelField == "" && c.MessageField == "" && c.IDField == "" && c.DurationField == "" {
		return p
	}
	q := *p
	if c.LevelTag != "" || c.IDTag != "" {
		q.Tags = n.augmentTags(p.Tags.Clone(), ev)
		q.Group = ComputeGroupID(q.Name, q.Tags, q.Dims)
	}
	if c.LevelField != "" || c.MessageField != "" || c.IDField != "" || c.DurationField != "" {
		q.Fields = n.augmentFields(p.Fields.Clone(), ev)
	}
	return &q
}

// augmentBatch returns b with every point augmented, and the level and
// ID tags added to the group tags (which makes them dimensions).
func (n *AlertNode) augmentBatch(b *Batch, ev *AlertEvent) *Batch {
	c := &n.cfg
	tagsToo := c.LevelTag != "" || c.IDTag != ""
	fieldsToo := c.LevelField != "" || c.MessageField != "" || c.IDField != "" || c.DurationField != ""
	if !tagsToo && !fieldsToo {
		return b
	}
	out := b.ShallowCopy()
	for i := range out.Points {
		pt := &out.Points[i]
		if tagsToo {
			pt.Tags = n.augmentTags(pt.Tags.Clone(), ev)
		}
		if fieldsToo {
			pt.Fields = n.augmentFields(pt.Fields.Clone(), ev)
		}
	}
	if tagsToo {
		out.Tags = n.augmentTags(b.Tags.Clone(), ev)
		names := make([]string, len(out.Tags))
		for i, t := range out.Tags {
			names[i] = t.Key
		}
		out.Dims = Dimensions{ByName: b.Dims.ByName, TagNames: names}
		out.Group = ComputeGroupID(out.Name, out.Tags, out.Dims)
	}
	return out
}

func (n *AlertNode) augmentTags(tags Tags, ev *AlertEvent) Tags {
	if n.cfg.LevelTag != "" {
		tags = tags.Set(n.cfg.LevelTag, ev.Level.String())
	}
	if n.cfg.IDTag != "" {
		tags = tags.Set(n.cfg.IDTag, ev.ID)
	}
	return tags
}

func (n *AlertNode) augmentFields(fields Fields, ev *AlertEvent) Fields {
	if n.cfg.LevelField != "" {
		fields = fields.Set(n.cfg.LevelField, String(ev.Level.String()))
	}
	if n.cfg.MessageField != "" {
		fields = fields.Set(n.cfg.MessageField, String(ev.Message))
	}
	if n.cfg.IDField != "" {
		fields = fields.Set(n.cfg.IDField, String(ev.ID))
	}
	if n.cfg.DurationField != "" {
		fields = fields.Set(n.cfg.DurationField, Int(int64(ev.Duration)))
	}
	return fields
}

// byteArena holds byte slices appended in place into shared chunks: one
// allocation per chunk of captured events rather than one per event.
type byteArena struct{ chunk []byte }

const byteArenaChunk = 64 << 10

// room returns an empty slice to append one slice to, with room for
// about need bytes (more may be appended); keep takes the result.
func (a *byteArena) room(need int) []byte {
	if need += need / 4; need > cap(a.chunk)-len(a.chunk) {
		a.chunk = make([]byte, 0, max(byteArenaChunk, need))
	}
	return a.chunk[len(a.chunk):len(a.chunk)]
}

// keep keeps b, appended to the last room: in the chunk, or in its own
// array when it outgrew the room (append then moved it, with a larger
// capacity than the room's).
func (a *byteArena) keep(b []byte) []byte {
	if n := len(a.chunk); cap(b) == cap(a.chunk)-n {
		a.chunk = a.chunk[:n+len(b)]
	}
	return b[:len(b):len(b)]
}
