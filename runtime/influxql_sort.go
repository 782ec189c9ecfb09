package runtime

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
