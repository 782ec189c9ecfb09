package runtime

import "time"

// Flap detection weights (alert.go in Kapacitor): the newest change
// weighs weightDiff times the oldest, at most maxWeight.
const (
	flapWeightDiff = 1.5
	flapMaxWeight  = 1.2
)

// alertGroup is the state of one group of an alert node
// (spec/alerting.md §5): a ring of past levels, the flapping flag and
// the times the current incident was first and last triggered.
type alertGroup struct {
	history []AlertLevel
	idx     int // index of the newest entry

	flapping bool
	changed  bool
	expired  bool

	// Zero until the first trigger; time.Time so that durations against
	// the zero time saturate as Kapacitor's do.
	firstTriggered time.Time
	lastTriggered  time.Time

	inhibitors []*alertInhibitor

	idMemo idMemo
}

// alertStateConfig is what the state machine needs from the node.
type alertStateConfig struct {
	useFlapping         bool
	flapLow, flapHigh   float64
	stateChangesOnlyFor time.Duration
}

func newAlertGroup(history int) *alertGroup {
	if history < 2 {
		history = 2
	}
	return &alertGroup{history: make([]AlertLevel, history)}
}

// currentLevel is the newest level in the history.
func (g *alertGroup) currentLevel() AlertLevel { return g.history[g.idx] }

// previousLevel is the level before the newest.
func (g *alertGroup) previousLevel() AlertLevel {
	p := g.idx - 1
	if p < 0 {
		p = len(g.history) - 1
	}
	return g.history[p]
}

// addEvent records level l at time t: changed, history, flapping, expiry.
func (g *alertGroup) addEvent(c *alertStateConfig, t time.Time, l AlertLevel) {
	g.changed = g.history[g.idx] != l
	g.idx = (g.idx + 1) % len(g.history)
	g.history[g.idx] = l
	if c.useFlapping {
		p := g.percentChange()
		if g.flapping && p < c.flapLow {
			g.flapping = false
		} else if !g.flapping && p > c.flapHigh {
			g.flapping = true
		}
	}
	g.expired = !g.changed && c.stateChangesOnlyFor != 0 && t.Sub(g.lastTriggered) >= c.stateChangesOnlyFor
}

// triggered records that an event was triggered at t: it moves the last
// triggered time, starts a new incident when the previous level was OK
// and updates this group's inhibitors.
func (g *alertGroup) triggered(t time.Time) {
	g.lastTriggered = t
	if g.previousLevel() == LevelOK {
		g.firstTriggered = t
	}
	active := g.history[g.idx] != LevelOK
	for _, in := range g.inhibitors {
		in.active = active
	}
}

// duration is the length of the current incident.
func (g *alertGroup) duration() time.Duration { return g.lastTriggered.Sub(g.firstTriggered) }

// percentChange is Kapacitor's weighted share of level changes over the
// history ring, reproduced literally (the pairs start at the newest entry
// and wrap; spec/alerting.md §6).
func (g *alertGroup) percentChange() float64 {
	l := len(g.history)
	changes := 0.0
	weight := flapMaxWeight / flapWeightDiff
	step := (flapMaxWeight - weight) / float64(l-1)
	for i := 0; i < l-1; i++ {
		c := (i + g.idx) % l
		p := c - 1
		if p < 0 {
			p = l - 1
		}
		if g.history[c] != g.history[p] {
			changes += weight
		}
		weight += step
	}
	return changes / float64(l-1)
}
