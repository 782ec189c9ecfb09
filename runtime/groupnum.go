package runtime

// groupNumIndex finds a node's state of a point's group by the point's
// group number (Point.GroupNum) instead of hashing the group ID: with
// thousands of groups in turn, the hash lookup is a few cache misses per
// point. The number is a hint: each entry keeps its group ID, checked
// against the point's, so a stale number only sends the caller to its
// map.
type groupNumIndex[T any] struct {
	entries []groupNumEntry[T]
}

type groupNumEntry[T any] struct {
	id GroupID
	v  *T
}

// get returns the state remembered for p's group number when it is the
// state of p's group, nil otherwise.
func (x *groupNumIndex[T]) get(p *Point) *T {
	if num := int(p.GroupNum); num < len(x.entries) {
		if e := &x.entries[num]; e.v != nil && e.id == p.Group {
			return e.v
		}
	}
	return nil
}

// set remembers v as the state of p's group under p's group number.
func (x *groupNumIndex[T]) set(p *Point, v *T) {
	num := int(p.GroupNum)
	if num == 0 {
		return
	}
	x.entries = indexFor(x.entries, num)
	x.entries[num] = groupNumEntry[T]{id: p.Group, v: v}
}
