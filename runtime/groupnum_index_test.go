package runtime

import "testing"

// groupNumIndex answers only for the group an entry was set for: a stale
// or missing number gives nil, never another group's state.
func TestGroupNumIndex(t *testing.T) {
	var x groupNumIndex[int]
	a, b := new(int), new(int)
	x.set(&Point{Group: "g=a", GroupNum: 1}, a)
	x.set(&Point{Group: "g=b", GroupNum: 300}, b)
	x.set(&Point{Group: "g=c"}, new(int)) // no number: not kept
	for _, tt := range []struct {
		group GroupID
		num   uint32
		want  *int
	}{
		{"g=a", 1, a}, {"g=b", 300, b},
		{"g=b", 1, nil}, {"g=a", 300, nil}, // stale numbers
		{"g=a", 2, nil}, {"g=a", 5000, nil}, {"g=c", 0, nil},
	} {
		if got := x.get(&Point{Group: tt.group, GroupNum: tt.num}); got != tt.want {
			t.Errorf("get(%s, %d) = %p, want %p", tt.group, tt.num, got, tt.want)
		}
	}
}
