package runtime

import (
	"container/heap"
	"fmt"
	"math"
	"sort"
	"strings"
)

// The reducers of the InfluxQL nodes. Each follows the InfluxDB 1.1
// reducer Kapacitor 1.5.9 uses for the function, including what time it
// gives its result (a point's own time, or qlZeroTime for "no time", or
// 0 for the sum and an empty count, which Kapacitor then reports as the
// Unix epoch under usePointTimes) and how it breaks ties.

// qlZeroTime marks a reducer result without a time of its own; the node
// then uses the batch or bucket time.
const qlZeroTime = int64(math.MinInt64)

// qlPoint is a value handed to or produced by a reducer.
type qlPoint struct {
	Time  int64
	Value Value
	// Row is the source point, kept where Kapacitor keeps its tags and
	// fields: simple selectors output the row itself, top and bottom its
	// tags.
	Row *Row
}

// qlReducer aggregates the points of one batch or bucket (or, for the
// transformations, of a whole stream group) and emits the result. An
// error from emit is fatal: it is where Kapacitor's reducer would crash
// (a zero elapsed unit, a zero holtWinters interval, …).
//
// The slice emit returns is only valid until the next call on the
// reducer. reset makes the reducer as new, so that a group can reuse it
// for its next batch or bucket.
type qlReducer interface {
	aggregate(p qlPoint)
	emit() ([]qlPoint, error)
	reset()
}

// qlResult holds a single result without allocating one per emit.
type qlResult struct{ res [1]qlPoint }

func (r *qlResult) one(p qlPoint) []qlPoint {
	r.res[0] = p
	return r.res[:]
}

// qlTypeName is the Go type name Kapacitor's messages use for a field kind.
func qlTypeName(k Kind) string {
	switch k {
	case KindFloat:
		return "float64"
	case KindInt:
		return "int64"
	case KindString:
		return "string"
	case KindBool:
		return "bool"
	}
	return k.String()
}

// valueLess orders two values of the same kind (false before true).
func valueLess(a, b Value) bool {
	switch a.Kind {
	case KindFloat:
		return a.F < b.F
	case KindInt:
		return a.I < b.I
	case KindString:
		return a.S < b.S
	case KindBool:
		return a.I == 0 && b.I != 0
	}
	return false
}

func valueEqual(a, b Value) bool {
	switch a.Kind {
	case KindFloat:
		return a.F == b.F
	case KindInt:
		return a.I == b.I
	case KindString:
		return a.S == b.S
	case KindBool:
		return a.I == b.I
	}
	return false
}

// byValue sorts points by value with the legacy (Go 1.15) unstable sort.
type byValue []qlPoint

func (a byValue) Len() int           { return len(a) }
func (a byValue) Less(i, j int) bool { return valueLess(a[i].Value, a[j].Value) }
func (a byValue) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }

// --- count and sum ---

// countReducer counts points. Its result has time 0 when nothing was
// counted (Kapacitor seeds it with a zero point) and no time otherwise.
type countReducer struct {
	qlResult
	n, time int64
}

func (r *countReducer) aggregate(qlPoint) { r.n++; r.time = qlZeroTime }
func (r *countReducer) reset()            { r.n, r.time = 0, 0 }
func (r *countReducer) emit() ([]qlPoint, error) {
	return r.one(qlPoint{Time: r.time, Value: Int(r.n)}), nil
}

// sumReducer adds values up from a zero seed; its result keeps the
// seed's time 0.
type sumReducer struct {
	qlResult
	sum Value
}

func (r *sumReducer) reset() { r.sum.I, r.sum.F = 0, 0 }

func (r *sumReducer) aggregate(p qlPoint) {
	if r.sum.Kind == KindInt {
		r.sum.I += p.Value.I
	} else {
		r.sum.F += p.Value.F
	}
}
func (r *sumReducer) emit() ([]qlPoint, error) { return r.one(qlPoint{Time: 0, Value: r.sum}), nil }

// --- mean ---

type meanReducer struct {
	qlResult
	fsum  float64
	isum  int64
	count uint32
	ints  bool
}

func (r *meanReducer) aggregate(p qlPoint) {
	if r.ints {
		r.isum += p.Value.I
	} else {
		r.fsum += p.Value.F
	}
	r.count++
}

func (r *meanReducer) reset() { r.fsum, r.isum, r.count = 0, 0, 0 }

func (r *meanReducer) emit() ([]qlPoint, error) {
	v := r.fsum / float64(r.count)
	if r.ints {
		v = float64(r.isum) / float64(r.count)
	}
	return r.one(qlPoint{Time: qlZeroTime, Value: Float(v)}), nil
}

// --- reducers over the whole slice of points ---

// sliceReducer keeps every point and reduces them all at emit.
type sliceReducer struct {
	points []qlPoint
	fn     func(a []qlPoint) ([]qlPoint, error)
}

func (r *sliceReducer) aggregate(p qlPoint) { r.points = append(r.points, p) }
func (r *sliceReducer) reset()              { clear(r.points); r.points = r.points[:0] }
func (r *sliceReducer) emit() ([]qlPoint, error) {
	return r.fn(r.points)
}

func noError(fn func(a []qlPoint) []qlPoint) func(a []qlPoint) ([]qlPoint, error) {
	return func(a []qlPoint) ([]qlPoint, error) { return fn(a), nil }
}

// medianOf is the middle value; an even count averages the two middle
// ones as lo + (hi-lo)/2. A single float point comes back whole (with
// its own time), a single integer as a float without time.
func medianOf(a []qlPoint) []qlPoint {
	ints := a[0].Value.Kind == KindInt
	if len(a) == 1 {
		if ints {
			return []qlPoint{{Time: qlZeroTime, Value: Float(float64(a[0].Value.I))}}
		}
		return []qlPoint{{Time: a[0].Time, Value: a[0].Value}}
	}
	legacySort(byValue(a))
	mid := len(a) / 2
	if len(a)%2 == 0 {
		lo, hi := a[mid-1].Value, a[mid].Value
		if ints {
			return []qlPoint{{Time: qlZeroTime, Value: Float(float64(lo.I) + float64(hi.I-lo.I)/2)}}
		}
		return []qlPoint{{Time: qlZeroTime, Value: Float(lo.F + (hi.F-lo.F)/2)}}
	}
	v := a[mid].Value
	if ints {
		v = Float(float64(v.I))
	}
	return []qlPoint{{Time: qlZeroTime, Value: v}}
}

// modeOf is the most frequent value. After sorting by value, a later run
// replaces the best one when it is longer, or as long and its first
// point is not later than the best run's first point.
func modeOf(a []qlPoint) []qlPoint {
	if len(a) == 1 {
		return []qlPoint{{Time: a[0].Time, Value: a[0].Value}}
	}
	legacySort(byValue(a))
	mostFreq, currFreq := 0, 0
	currMode, mostMode := a[0].Value, a[0].Value
	currTime, mostTime := a[0].Time, a[0].Time
	for _, p := range a {
		if !valueEqual(p.Value, currMode) {
			currFreq = 1
			currMode = p.Value
			currTime = p.Time
			continue
		}
		currFreq++
		if mostFreq > currFreq || (mostFreq == currFreq && currTime > mostTime) {
			continue
		}
		mostFreq = currFreq
		mostMode = p.Value
		mostTime = p.Time
	}
	return []qlPoint{{Time: qlZeroTime, Value: mostMode}}
}

// spreadOf is max - min (floats through math.Min/Max, so NaN spreads).
func spreadOf(a []qlPoint) []qlPoint {
	if a[0].Value.Kind == KindInt {
		lo, hi := a[0].Value.I, a[0].Value.I
		for _, p := range a[1:] {
			if p.Value.I < lo {
				lo = p.Value.I
			}
			if p.Value.I > hi {
				hi = p.Value.I
			}
		}
		return []qlPoint{{Time: qlZeroTime, Value: Int(hi - lo)}}
	}
	lo, hi := a[0].Value.F, a[0].Value.F
	for _, p := range a[1:] {
		lo = math.Min(lo, p.Value.F)
		hi = math.Max(hi, p.Value.F)
	}
	return []qlPoint{{Time: qlZeroTime, Value: Float(hi - lo)}}
}

// stddevOf is the sample standard deviation (running mean, then the sum
// of squared deviations over n-1); float NaNs are skipped. Fewer than two
// points give 0.
func stddevOf(a []qlPoint) []qlPoint {
	if len(a) < 2 {
		return []qlPoint{{Time: qlZeroTime, Value: Float(0)}}
	}
	ints := a[0].Value.Kind == KindInt
	val := func(p qlPoint) float64 {
		if ints {
			return float64(p.Value.I)
		}
		return p.Value.F
	}
	var mean float64
	var count int
	for _, p := range a {
		v := val(p)
		if !ints && math.IsNaN(v) {
			continue
		}
		count++
		mean += (v - mean) / float64(count)
	}
	var variance float64
	for _, p := range a {
		v := val(p)
		if !ints && math.IsNaN(v) {
			continue
		}
		variance += math.Pow(v-mean, 2)
	}
	return []qlPoint{{Time: qlZeroTime, Value: Float(math.Sqrt(variance / float64(count-1)))}}
}

// percentileReducer selects the point at index floor(n*p/100 + 0.5) - 1
// of the points sorted by value; nothing when that is out of range. A
// float result keeps the point's time, an integer one has none. It keeps
// only the values (with the index of their point) and sorts those.
type percentileReducer struct {
	qlResult
	percentile float64
	ints       bool
	fkeys      []sortKey[float64]
	ikeys      []sortKey[int64]
	rows       []*Row
	// fvals and ivals are uniqueKth's scratch.
	fvals []float64
	ivals []int64
}

func (r *percentileReducer) aggregate(p qlPoint) {
	i := int32(len(r.rows))
	r.rows = append(r.rows, p.Row)
	if r.ints {
		r.ikeys = append(r.ikeys, sortKey[int64]{p.Value.I, i})
	} else {
		r.fkeys = append(r.fkeys, sortKey[float64]{p.Value.F, i})
	}
}

func (r *percentileReducer) reset() {
	clear(r.rows)
	r.rows, r.fkeys, r.ikeys = r.rows[:0], r.fkeys[:0], r.ikeys[:0]
}

func (r *percentileReducer) emit() ([]qlPoint, error) {
	n := len(r.rows)
	i := int(math.Floor(float64(n)*r.percentile/100.0+0.5)) - 1
	if i < 0 || i >= n {
		return nil, nil
	}
	if r.ints {
		k, ok := uniqueKth(r.ikeys, i, &r.ivals)
		if !ok {
			legacySortKeys(r.ikeys)
			k = r.ikeys[i]
		}
		return r.one(qlPoint{Time: qlZeroTime, Value: Int(k.k), Row: r.rows[k.i]}), nil
	}
	k, ok := uniqueKth(r.fkeys, i, &r.fvals)
	if !ok {
		legacySortKeys(r.fkeys)
		k = r.fkeys[i]
	}
	row := r.rows[k.i]
	return r.one(qlPoint{Time: row.Time, Value: Float(k.k), Row: row}), nil
}

// --- top and bottom ---

// rankedPoints is a heap of points, best first.
type rankedPoints struct {
	points []qlPoint
	better func(a, b *qlPoint) bool
}

func (h *rankedPoints) Len() int           { return len(h.points) }
func (h *rankedPoints) Less(i, j int) bool { return h.better(&h.points[i], &h.points[j]) }
func (h *rankedPoints) Swap(i, j int)      { h.points[i], h.points[j] = h.points[j], h.points[i] }
func (h *rankedPoints) Push(x any)         { h.points = append(h.points, x.(qlPoint)) }
func (h *rankedPoints) Pop() any {
	p := h.points[len(h.points)-1]
	h.points = h.points[:len(h.points)-1]
	return p
}

// selectRanked returns the n best points (by value, earlier time first
// on equal values), ordered by time (stable, so equal times keep the
// ranking order). With extra names, only the best point of each distinct
// combination of those fields/tags takes part.
func selectRanked(n int64, extra []string, top bool) func(a []qlPoint) ([]qlPoint, error) {
	valueBetter := func(a, b Value) bool {
		if top {
			return valueLess(b, a)
		}
		return valueLess(a, b)
	}
	better := func(a, b *qlPoint) bool {
		if !valueEqual(a.Value, b.Value) {
			return valueBetter(a.Value, b.Value)
		}
		return a.Time < b.Time
	}
	return func(a []qlPoint) ([]qlPoint, error) {
		if n < 0 {
			return nil, fmt.Errorf("cannot select %d points", n)
		}
		if len(extra) > 0 {
			a = bestPerCombination(a, extra, valueBetter)
		}
		size := int(n)
		if size > len(a) {
			size = len(a)
		}
		h := &rankedPoints{points: a, better: better}
		heap.Init(h)
		out := make([]qlPoint, 0, size)
		for i := 0; i < size; i++ {
			out = append(out, heap.Pop(h).(qlPoint))
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Time < out[j].Time })
		return out, nil
	}
}

// bestPerCombination keeps, for each distinct combination of the extra
// fields/tags (a field wins over a tag of the same name; a missing one
// counts as the empty tag), the best point: a better value, or an equal
// value at an earlier time. Kapacitor walks a Go map here, so its order
// is random; this keeps the order of first appearance.
func bestPerCombination(a []qlPoint, extra []string, valueBetter func(a, b Value) bool) []qlPoint {
	index := map[string]int{}
	var out []qlPoint
	var key strings.Builder
	for _, p := range a {
		key.Reset()
		for i, name := range extra {
			if i > 0 {
				key.WriteByte(',')
			}
			if v, ok := p.Row.Fields.Get(name); ok {
				// Kapacitor formats the value with %s: strings as they
				// are, other types as %!s(type=value).
				if v.Kind == KindString {
					key.WriteString(v.S)
				} else {
					fmt.Fprintf(&key, "%s", v.Interface())
				}
			} else {
				tag, _ := p.Row.Tags.Get(name)
				key.WriteString(tag)
			}
		}
		k := key.String()
		i, seen := index[k]
		if !seen {
			index[k] = len(out)
			out = append(out, p)
			continue
		}
		cur := out[i]
		if valueBetter(p.Value, cur.Value) || (valueEqual(p.Value, cur.Value) && p.Time < cur.Time) {
			out[i] = p
		}
	}
	return out
}

// --- selectors that keep one point ---

// selectorReducer keeps the point that wins against every other one.
type selectorReducer struct {
	qlResult
	best    qlPoint
	has     bool
	replace func(prev, curr *qlPoint) bool
}

func (r *selectorReducer) aggregate(p qlPoint) {
	if !r.has || r.replace(&r.best, &p) {
		r.best = p
		r.has = true
	}
}

func (r *selectorReducer) reset() { r.best, r.has = qlPoint{}, false }

func (r *selectorReducer) emit() ([]qlPoint, error) {
	if !r.has {
		return nil, nil
	}
	return r.one(r.best), nil
}

// firstReplaces: an earlier point, or at the same time a greater value
// (for booleans: false beats true).
func firstReplaces(prev, curr *qlPoint) bool {
	if curr.Time != prev.Time {
		return curr.Time < prev.Time
	}
	if curr.Value.Kind == KindBool {
		return curr.Value.I == 0 && prev.Value.I != 0
	}
	return valueLess(prev.Value, curr.Value)
}

// lastReplaces: a later point, or at the same time a greater value (for
// booleans: true beats false).
func lastReplaces(prev, curr *qlPoint) bool {
	if curr.Time != prev.Time {
		return curr.Time > prev.Time
	}
	return valueLess(prev.Value, curr.Value)
}

// minReplaces: a smaller value, or the same value earlier.
func minReplaces(prev, curr *qlPoint) bool {
	return valueLess(curr.Value, prev.Value) || (valueEqual(curr.Value, prev.Value) && curr.Time < prev.Time)
}

// maxReplaces: a greater value, or the same value earlier.
func maxReplaces(prev, curr *qlPoint) bool {
	return valueLess(prev.Value, curr.Value) || (valueEqual(curr.Value, prev.Value) && curr.Time < prev.Time)
}

// --- distinct ---

// distinctReducer keeps the first point of each value and emits them
// ordered by (time, value). Like Kapacitor's map, a NaN never equals
// another NaN, so every NaN is distinct.
type distinctReducer struct {
	seen   map[Value]struct{}
	points []qlPoint
}

func (r *distinctReducer) aggregate(p qlPoint) {
	if r.seen == nil {
		r.seen = map[Value]struct{}{}
	}
	key := p.Value
	if _, ok := r.seen[key]; ok {
		return
	}
	r.seen[key] = struct{}{}
	r.points = append(r.points, qlPoint{Time: p.Time, Value: p.Value})
}

func (r *distinctReducer) reset() { clear(r.seen); r.points = r.points[:0] }

func (r *distinctReducer) emit() ([]qlPoint, error) {
	out := append([]qlPoint(nil), r.points...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Time != out[j].Time {
			return out[i].Time < out[j].Time
		}
		return valueLess(out[i].Value, out[j].Value)
	})
	return out, nil
}

// --- transformations (one output per input point) ---

// elapsedReducer emits the time since the previous point in units.
type elapsedReducer struct {
	qlResult
	unit       int64
	prev, curr int64
	n          int
}

func (r *elapsedReducer) aggregate(p qlPoint) {
	r.prev, r.curr = r.curr, p.Time
	r.n++
}

func (r *elapsedReducer) reset() { r.prev, r.curr, r.n = 0, 0, 0 }

func (r *elapsedReducer) emit() ([]qlPoint, error) {
	if r.n < 2 {
		return nil, nil
	}
	if r.unit == 0 {
		return nil, fmt.Errorf("elapsed: integer divide by zero (unit is 0)")
	}
	return r.one(qlPoint{Time: r.curr, Value: Int((r.curr - r.prev) / r.unit)}), nil
}

// differenceReducer emits v - v_prev once per new point; a point at the
// time of the last accepted one is ignored.
type differenceReducer struct {
	qlResult
	prev, curr       qlPoint
	hasPrev, hasCurr bool
}

func (r *differenceReducer) aggregate(p qlPoint) {
	if r.hasCurr && r.curr.Time == p.Time {
		return
	}
	r.prev, r.hasPrev = r.curr, r.hasCurr
	r.curr, r.hasCurr = p, true
}

func (r *differenceReducer) reset() { *r = differenceReducer{} }

func (r *differenceReducer) emit() ([]qlPoint, error) {
	if !r.hasPrev {
		return nil, nil
	}
	r.hasPrev = false // each difference is emitted once
	if r.curr.Value.Kind == KindInt {
		return r.one(qlPoint{Time: r.curr.Time, Value: Int(r.curr.Value.I - r.prev.Value.I)}), nil
	}
	return r.one(qlPoint{Time: r.curr.Time, Value: Float(r.curr.Value.F - r.prev.Value.F)}), nil
}

// movingAverageReducer averages the last window values, keeping a
// running sum (integers sum as integers).
type movingAverageReducer struct {
	qlResult
	window int
	ints   bool
	fbuf   []float64
	ibuf   []int64
	fsum   float64
	isum   int64
	pos    int
	time   int64
	filled int
}

func (r *movingAverageReducer) aggregate(p qlPoint) {
	if r.window <= 0 {
		return
	}
	if r.ints {
		if len(r.ibuf) < r.window {
			r.ibuf = append(r.ibuf, p.Value.I)
		} else {
			r.isum -= r.ibuf[r.pos]
			r.ibuf[r.pos] = p.Value.I
		}
		r.isum += p.Value.I
		r.filled = len(r.ibuf)
	} else {
		if len(r.fbuf) < r.window {
			r.fbuf = append(r.fbuf, p.Value.F)
		} else {
			r.fsum -= r.fbuf[r.pos]
			r.fbuf[r.pos] = p.Value.F
		}
		r.fsum += p.Value.F
		r.filled = len(r.fbuf)
	}
	r.time = p.Time
	r.pos++
	if r.pos >= r.window {
		r.pos = 0
	}
}

func (r *movingAverageReducer) reset() {
	r.fbuf, r.ibuf = r.fbuf[:0], r.ibuf[:0]
	r.fsum, r.isum, r.pos, r.time, r.filled = 0, 0, 0, 0, 0
}

func (r *movingAverageReducer) emit() ([]qlPoint, error) {
	if r.window <= 0 {
		return nil, fmt.Errorf("movingAverage: window must be positive, got %d", r.window)
	}
	if r.filled != r.window {
		return nil, nil
	}
	v := r.fsum / float64(r.window)
	if r.ints {
		v = float64(r.isum) / float64(r.window)
	}
	return r.one(qlPoint{Time: r.time, Value: Float(v)}), nil
}

// cumulativeSumReducer emits the running sum.
type cumulativeSumReducer struct {
	qlResult
	sum  Value
	time int64
	has  bool
}

func (r *cumulativeSumReducer) aggregate(p qlPoint) {
	if r.sum.Kind == KindInt {
		r.sum.I += p.Value.I
	} else {
		r.sum.F += p.Value.F
	}
	r.time = p.Time
	r.has = true
}

func (r *cumulativeSumReducer) reset() { r.sum.I, r.sum.F, r.time, r.has = 0, 0, 0, false }

func (r *cumulativeSumReducer) emit() ([]qlPoint, error) {
	if !r.has {
		return nil, nil
	}
	return r.one(qlPoint{Time: r.time, Value: r.sum}), nil
}
