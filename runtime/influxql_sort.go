package runtime

import (
	"math/bits"
	"slices"
)

// legacySort sorts like Go's sort.Sort did up to Go 1.18 (quicksort with
// a ninther pivot, heapsort fallback, shell pass and insertion sort for
// short runs). Kapacitor 1.5.9 was built with Go 1.15, and the InfluxQL
// reducers that sort by value alone (mode, percentile) pick among equal
// values by where this unstable sort leaves them, so the same algorithm
// is needed to select the same point. Today's sort.Sort (pdqsort) orders
// ties differently.
type sortable interface {
	Len() int
	Less(i, j int) bool
	Swap(i, j int)
}

func legacySort(data sortable) {
	n := data.Len()
	depth := 0
	for i := n; i > 0; i >>= 1 {
		depth++
	}
	legacyQuickSort(data, 0, n, depth*2)
}

func legacyQuickSort(data sortable, a, b, maxDepth int) {
	for b-a > 12 {
		if maxDepth == 0 {
			legacyHeapSort(data, a, b)
			return
		}
		maxDepth--
		mlo, mhi := legacyPivot(data, a, b)
		// Recurse into the smaller part, loop on the larger one.
		if mlo-a < b-mhi {
			legacyQuickSort(data, a, mlo, maxDepth)
			a = mhi
		} else {
			legacyQuickSort(data, mhi, b, maxDepth)
			b = mlo
		}
	}
	if b-a > 1 {
		// One shell-sort pass with gap 6, then insertion sort.
		for i := a + 6; i < b; i++ {
			if data.Less(i, i-6) {
				data.Swap(i, i-6)
			}
		}
		for i := a + 1; i < b; i++ {
			for j := i; j > a && data.Less(j, j-1); j-- {
				data.Swap(j, j-1)
			}
		}
	}
}

func legacySiftDown(data sortable, lo, hi, first int) {
	root := lo
	for {
		child := 2*root + 1
		if child >= hi {
			return
		}
		if child+1 < hi && data.Less(first+child, first+child+1) {
			child++
		}
		if !data.Less(first+root, first+child) {
			return
		}
		data.Swap(first+root, first+child)
		root = child
	}
}

func legacyHeapSort(data sortable, a, b int) {
	first, hi := a, b-a
	for i := (hi - 1) / 2; i >= 0; i-- {
		legacySiftDown(data, i, hi, first)
	}
	for i := hi - 1; i >= 0; i-- {
		data.Swap(first, first+i)
		legacySiftDown(data, 0, i, first)
	}
}

// legacyMedian3 orders data[m0] <= data[m1] <= data[m2].
func legacyMedian3(data sortable, m1, m0, m2 int) {
	if data.Less(m1, m0) {
		data.Swap(m1, m0)
	}
	if data.Less(m2, m1) {
		data.Swap(m2, m1)
		if data.Less(m1, m0) {
			data.Swap(m1, m0)
		}
	}
}

// legacyPivot partitions data[lo:hi] around a pivot and returns the
// bounds of the run equal to it.
func legacyPivot(data sortable, lo, hi int) (midlo, midhi int) {
	m := int(uint(lo+hi) >> 1)
	if hi-lo > 40 {
		s := (hi - lo) / 8
		legacyMedian3(data, lo, lo+s, lo+2*s)
		legacyMedian3(data, m, m-s, m+s)
		legacyMedian3(data, hi-1, hi-1-s, hi-1-2*s)
	}
	legacyMedian3(data, lo, m, hi-1)

	// data[lo] is the pivot; data[lo<i<a] < pivot; data[a<=i<b] <= pivot;
	// data[c<=i<hi-1] > pivot; data[hi-1] >= pivot.
	pivot := lo
	a, c := lo+1, hi-1
	for ; a < c && data.Less(a, pivot); a++ {
	}
	b := a
	for {
		for ; b < c && !data.Less(pivot, b); b++ {
		}
		for ; b < c && data.Less(pivot, c-1); c-- {
		}
		if b >= c {
			break
		}
		data.Swap(b, c-1)
		b++
		c--
	}
	protect := hi-c < 5
	if !protect && hi-c < (hi-lo)/4 {
		dups := 0
		if !data.Less(pivot, hi-1) {
			data.Swap(c, hi-1)
			c++
			dups++
		}
		if !data.Less(b-1, pivot) {
			b--
			dups++
		}
		if !data.Less(m, pivot) {
			data.Swap(m, b-1)
			b--
			dups++
		}
		protect = dups > 1
	}
	if protect {
		// Many duplicates: gather the pivot's equals in data[b:c].
		for {
			for ; a < b && !data.Less(b-1, pivot); b-- {
			}
			for ; a < b && data.Less(a, pivot); a++ {
			}
			if a >= b {
				break
			}
			data.Swap(a, b-1)
			a++
			b--
		}
	}
	data.Swap(pivot, b-1)
	return b - 1, c
}

// sortKey is a value to sort by and the index of its point: sorting
// these small pairs with the legacy algorithm leaves the points in the
// same order as sorting the points themselves by value would, since
// every comparison and swap is the same.
type sortKey[K int64 | float64] struct {
	k K
	i int32
}

// legacySortKeys is legacySort specialised to sortKeys (compared by key
// alone), without an interface call per comparison or swap. Each step
// mirrors the generic version one for one; a test checks they agree.
func legacySortKeys[K int64 | float64](d []sortKey[K]) {
	n := len(d)
	depth := 0
	for i := n; i > 0; i >>= 1 {
		depth++
	}
	legacyQuickSortKeys(d, 0, n, depth*2)
}

func legacyQuickSortKeys[K int64 | float64](d []sortKey[K], a, b, maxDepth int) {
	for b-a > 12 {
		if maxDepth == 0 {
			legacyHeapSortKeys(d, a, b)
			return
		}
		maxDepth--
		mlo, mhi := legacyPivotKeys(d, a, b)
		if mlo-a < b-mhi {
			legacyQuickSortKeys(d, a, mlo, maxDepth)
			a = mhi
		} else {
			legacyQuickSortKeys(d, mhi, b, maxDepth)
			b = mlo
		}
	}
	if b-a > 1 {
		for i := a + 6; i < b; i++ {
			if d[i].k < d[i-6].k {
				d[i], d[i-6] = d[i-6], d[i]
			}
		}
		for i := a + 1; i < b; i++ {
			for j := i; j > a && d[j].k < d[j-1].k; j-- {
				d[j], d[j-1] = d[j-1], d[j]
			}
		}
	}
}

func legacySiftDownKeys[K int64 | float64](d []sortKey[K], lo, hi, first int) {
	root := lo
	for {
		child := 2*root + 1
		if child >= hi {
			return
		}
		if child+1 < hi && d[first+child].k < d[first+child+1].k {
			child++
		}
		if !(d[first+root].k < d[first+child].k) {
			return
		}
		d[first+root], d[first+child] = d[first+child], d[first+root]
		root = child
	}
}

func legacyHeapSortKeys[K int64 | float64](d []sortKey[K], a, b int) {
	first, hi := a, b-a
	for i := (hi - 1) / 2; i >= 0; i-- {
		legacySiftDownKeys(d, i, hi, first)
	}
	for i := hi - 1; i >= 0; i-- {
		d[first], d[first+i] = d[first+i], d[first]
		legacySiftDownKeys(d, 0, i, first)
	}
}

func legacyMedian3Keys[K int64 | float64](d []sortKey[K], m1, m0, m2 int) {
	if d[m1].k < d[m0].k {
		d[m1], d[m0] = d[m0], d[m1]
	}
	if d[m2].k < d[m1].k {
		d[m2], d[m1] = d[m1], d[m2]
		if d[m1].k < d[m0].k {
			d[m1], d[m0] = d[m0], d[m1]
		}
	}
}

func legacyPivotKeys[K int64 | float64](d []sortKey[K], lo, hi int) (midlo, midhi int) {
	m := int(uint(lo+hi) >> 1)
	if hi-lo > 40 {
		s := (hi - lo) / 8
		legacyMedian3Keys(d, lo, lo+s, lo+2*s)
		legacyMedian3Keys(d, m, m-s, m+s)
		legacyMedian3Keys(d, hi-1, hi-1-s, hi-1-2*s)
	}
	legacyMedian3Keys(d, lo, m, hi-1)

	pivot := lo
	a, c := lo+1, hi-1
	for ; a < c && d[a].k < d[pivot].k; a++ {
	}
	b := a
	for {
		for ; b < c && !(d[pivot].k < d[b].k); b++ {
		}
		for ; b < c && d[pivot].k < d[c-1].k; c-- {
		}
		if b >= c {
			break
		}
		d[b], d[c-1] = d[c-1], d[b]
		b++
		c--
	}
	protect := hi-c < 5
	if !protect && hi-c < (hi-lo)/4 {
		dups := 0
		if !(d[pivot].k < d[hi-1].k) {
			d[c], d[hi-1] = d[hi-1], d[c]
			c++
			dups++
		}
		if !(d[b-1].k < d[pivot].k) {
			b--
			dups++
		}
		if !(d[m].k < d[pivot].k) {
			d[m], d[b-1] = d[b-1], d[m]
			b--
			dups++
		}
		protect = dups > 1
	}
	if protect {
		for {
			for ; a < b && !(d[b-1].k < d[pivot].k); b-- {
			}
			for ; a < b && d[a].k < d[pivot].k; a++ {
			}
			if a >= b {
				break
			}
			d[a], d[b-1] = d[b-1], d[a]
			a++
			b--
		}
	}
	d[pivot], d[b-1] = d[b-1], d[pivot]
	return b - 1, c
}

// uniqueKth returns the key that sorting d puts at index k, when no other
// key equals it: that key then lands at k whatever the sort, so finding
// it by selection (about 3n comparisons instead of n log n) picks the
// same point. With ties or NaNs at stake, which point lands at k is the
// legacy sort's doing: it reports false and leaves d unchanged (the
// selection runs on a copy of the values in *scratch).
func uniqueKth[K int64 | float64](d []sortKey[K], k int, scratch *[]K) (sortKey[K], bool) {
	s := (*scratch)[:0]
	for i := range d {
		if d[i].k != d[i].k { // NaN: unordered
			return sortKey[K]{}, false
		}
		s = append(s, d[i].k)
	}
	*scratch = s
	v := selectKth(s, k)
	found := -1
	for i := range d {
		if d[i].k == v {
			if found >= 0 {
				return sortKey[K]{}, false
			}
			found = i
		}
	}
	return d[found], true
}

// selectKth returns the value at index k of s sorted (s without NaNs),
// reordering s: quickselect with a median-of-three pivot and a
// three-way partition, sorting what is left once the budget of rounds
// (against adversarial inputs) is spent.
func selectKth[K int64 | float64](s []K, k int) K {
	lo, hi := 0, len(s)
	for budget := 2*bits.Len(uint(len(s))) + 8; hi-lo > 16; budget-- {
		if budget == 0 {
			break
		}
		a, b, c := s[lo], s[lo+(hi-lo)/2], s[hi-1]
		if a > b {
			a, b = b, a
		}
		if b > c {
			b = c
			if a > b {
				b = a
			}
		}
		p := b
		// s[lo:lt] < p, s[lt:i] == p, s[gt:hi] > p.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch x := s[i]; {
			case x < p:
				s[lt], s[i] = x, s[lt]
				lt++
				i++
			case x > p:
				gt--
				s[gt], s[i] = x, s[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return p
		}
	}
	slices.Sort(s[lo:hi])
	return s[k]
}
