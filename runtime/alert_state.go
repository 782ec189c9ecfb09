package runtime

import (
	"math"
	"time"
)

// Flap detection weights (alert.go in Kapacitor): the newest change
// weighs weightDiff times the oldest, at most maxWeight.
const (
	flapWeightDiff = 1.5
	flapMaxWeight  = 1.2
)

// inlineHistory is the longest history kept inside the group struct, two
// bits a level in one word; longer ones live in alertGroupExtra.
const inlineHistory = 32

// alertNoTime stands for the zero time.Time in the triggered times: the first
// trigger has not happened. InfluxDB reserves it (its earliest time is
// MinInt64+2), so no point carries it.
const alertNoTime = math.MinInt64

// alertGroup is the state of one group of an alert node
// (spec/alerting.md §5): a ring of past levels, the flapping flag and
// the times the current incident was first and last triggered. A node
// may hold 100,000 of them, so the common case is 40 bytes with no
// pointer: what only some nodes need (custom IDs, inhibitors, long
// histories) is in extra.
type alertGroup struct {
	// ring holds the history when it is at most inlineHistory long:
	// entry i is bits 2i and 2i+1.
	ring uint64
	// The triggered times in Unix nanoseconds, alertNoTime until set.
	firstTriggered int64
	lastTriggered  int64

	extra *alertGroupExtra

	idx      uint32 // index of the newest entry
	flapping bool
	changed  bool
	expired  bool
}

// alertGroupExtra is the state of a group that only some nodes need.
type alertGroupExtra struct {
	long       []AlertLevel // the history ring beyond inlineHistory
	memo       idMemo       // the ID a custom template rendered
	inhibitors []*alertInhibitor
}

// alertStateConfig is what the state machine needs from the node.
type alertStateConfig struct {
	history             int // the length of the ring, at least 2
	useFlapping         bool
	flapLow, flapHigh   float64
	stateChangesOnlyFor time.Duration
}

// init sets up an OK group with an empty history.
func (g *alertGroup) init(c *alertStateConfig) {
	*g = alertGroup{firstTriggered: alertNoTime, lastTriggered: alertNoTime}
	if c.history > inlineHistory {
		g.extraState().long = make([]AlertLevel, c.history)
	}
}

// extraState returns the group's extra state, creating it.
func (g *alertGroup) extraState() *alertGroupExtra {
	if g.extra == nil {
		g.extra = &alertGroupExtra{}
	}
	return g.extra
}

// at is the level at ring position i.
func (g *alertGroup) at(i uint32) AlertLevel {
	if g.extra != nil && g.extra.long != nil {
		return g.extra.long[i]
	}
	return AlertLevel(g.ring>>(2*i)) & 3
}

func (g *alertGroup) set(i uint32, l AlertLevel) {
	if g.extra != nil && g.extra.long != nil {
		g.extra.long[i] = l
		return
	}
	g.ring = g.ring&^(3<<(2*i)) | uint64(l)<<(2*i)
}

// currentLevel is the newest level in the history.
func (g *alertGroup) currentLevel() AlertLevel { return g.at(g.idx) }

// previousLevel is the level before the newest.
func (g *alertGroup) previousLevel(c *alertStateConfig) AlertLevel {
	if g.idx == 0 {
		return g.at(uint32(c.history - 1))
	}
	return g.at(g.idx - 1)
}

// addEvent records level l at time t (Unix ns): changed, history,
// flapping, expiry.
func (g *alertGroup) addEvent(c *alertStateConfig, t int64, l AlertLevel) {
	g.changed = g.currentLevel() != l
	g.idx++
	if g.idx == uint32(c.history) {
		g.idx = 0
	}
	g.set(g.idx, l)
	if c.useFlapping {
		p := g.percentChange(c)
		if g.flapping && p < c.flapLow {
			g.flapping = false
		} else if !g.flapping && p > c.flapHigh {
			g.flapping = true
		}
	}
	g.expired = !g.changed && c.stateChangesOnlyFor != 0 &&
		time.Unix(0, t).Sub(g.lastTriggeredTime()) >= c.stateChangesOnlyFor
}

// triggered records that an event was triggered at t: it moves the last
// triggered time, starts a new incident when the previous level was OK
// and updates this group's inhibitors.
func (g *alertGroup) triggered(c *alertStateConfig, t int64) {
	g.lastTriggered = t
	if g.previousLevel(c) == LevelOK {
		g.firstTriggered = t
	}
	if g.extra != nil {
		active := g.currentLevel() != LevelOK
		for _, in := range g.extra.inhibitors {
			in.active = active
		}
	}
}

// nsTime is the time.Time of a triggered time: the zero time when unset,
// so that durations against it saturate as Kapacitor's do.
func nsTime(ns int64) time.Time {
	if ns == alertNoTime {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

func (g *alertGroup) lastTriggeredTime() time.Time { return nsTime(g.lastTriggered) }

// duration is the length of the current incident.
func (g *alertGroup) duration() time.Duration {
	return nsTime(g.lastTriggered).Sub(nsTime(g.firstTriggered))
}

// percentChange is Kapacitor's weighted share of level changes over the
// history ring, reproduced literally (the pairs start at the newest entry
// and wrap; spec/alerting.md §6).
func (g *alertGroup) percentChange(c *alertStateConfig) float64 {
	l := uint32(c.history)
	changes := 0.0
	weight := flapMaxWeight / flapWeightDiff
	step := (flapMaxWeight - weight) / float64(l-1)
	for i := uint32(0); i < l-1; i++ {
		cur := (i + g.idx) % l
		prev := cur + l - 1
		if cur > 0 {
			prev = cur - 1
		}
		if g.at(cur) != g.at(prev) {
			changes += weight
		}
		weight += step
	}
	return changes / float64(l-1)
}

// alertGroups finds the state of a group by the task's number of its ID
// (Task.numberOf): an index instead of a hash lookup; groups past the
// numbering limit are kept by ID in a map. States are allocated in
// chunks and never move.
type alertGroups struct {
	byNum []*alertGroup
	byID  map[GroupID]*alertGroup // groups without a number
	free  []alertGroup            // the rest of the current chunk
	count int
}

const groupChunk = 256 // group states per allocation

// lookup returns the state of group gid, nil when the group is new; num
// is the number the message carries for it (0 when none).
func (gs *alertGroups) lookup(t *Task, gid GroupID, num uint32) *alertGroup {
	if num = t.numberOf(gid, num); num == 0 {
		return gs.byID[gid]
	}
	if int(num) < len(gs.byNum) {
		return gs.byNum[num]
	}
	return nil
}

// add creates the state of a new group, OK with an empty history.
func (gs *alertGroups) add(t *Task, gid GroupID, c *alertStateConfig) *alertGroup {
	if len(gs.free) == 0 {
		gs.free = make([]alertGroup, groupChunk)
	}
	g := &gs.free[0]
	gs.free = gs.free[1:]
	g.init(c)
	gs.count++
	if num := t.groupNumber(gid); num != 0 {
		gs.byNum = indexFor(gs.byNum, int(num))
		gs.byNum[num] = g
	} else {
		if gs.byID == nil {
			gs.byID = map[GroupID]*alertGroup{}
		}
		gs.byID[gid] = g
	}
	return g
}
