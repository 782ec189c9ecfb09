package runtime

import "testing"

// Group and series numbers are hints: a stale or foreign number must
// never give a point another group's state.

func TestGroupStatesByNumber(t *testing.T) {
	task := NewTask("t", "stream", nil)
	s := newGroupStates[int](nil)
	a := &Point{Group: "host=a", GroupNum: task.groupNumber("host=a")}
	b := &Point{Group: "host=b", GroupNum: task.groupNumber("host=b")}
	*s.at(task, a) = 10
	*s.at(task, b) = 20
	for _, tt := range []struct {
		p    *Point
		want int
	}{
		{&Point{Group: "host=a", GroupNum: 1}, 10},
		{&Point{Group: "host=b", GroupNum: 2}, 20},
		{&Point{Group: "host=b", GroupNum: 1}, 20},  // stale number: checked by group
		{&Point{Group: "host=a"}, 10},               // no number
		{&Point{Group: "host=a", GroupNum: 99}, 10}, // a number not given yet
	} {
		if got := *s.at(task, tt.p); got != tt.want {
			t.Errorf("%s #%d: state %d, want %d", tt.p.Group, tt.p.GroupNum, got, tt.want)
		}
	}
	if got := *s.get(task, "host=b"); got != 20 {
		t.Errorf("get(host=b) = %d, want 20", got)
	}
	if c := *s.at(task, &Point{Group: "host=c", GroupNum: 1}); c != 0 || len(s.vals) != 3 {
		t.Errorf("a new group under a stale number: state %d, %d states", c, len(s.vals))
	}
	// Past the numbering limit, groups are kept by ID.
	defer func(n int) { maxGroupNumbers = n }(maxGroupNumbers)
	maxGroupNumbers = 3
	*s.get(task, "host=d") = 40
	if got := *s.at(task, &Point{Group: "host=d", GroupNum: 3}); got != 40 || task.groupNumber("host=d") != 0 {
		t.Errorf("host=d past the limit: state %d, number %d", got, task.groupNumber("host=d"))
	}
}

func TestAlertGroupsByNumber(t *testing.T) {
	task := NewTask("t", "stream", nil)
	var gs alertGroups
	c := &alertStateConfig{}
	a, b := gs.add(task, "host=a", c), gs.add(task, "host=b", c)
	for _, tt := range []struct {
		gid  GroupID
		num  uint32
		want *alertGroup
	}{
		{"host=a", 1, a}, {"host=b", 2, b},
		{"host=b", 1, b}, {"host=a", 2, a}, // stale numbers
		{"host=a", 0, a}, {"host=c", 1, nil},
	} {
		if got := gs.lookup(task, tt.gid, tt.num); got != tt.want {
			t.Errorf("lookup(%s, %d) = %p, want %p", tt.gid, tt.num, got, tt.want)
		}
	}
}

// TestFromGroupsBySeries: the from node's per-series cache of groups
// follows the tags a series number stands for, not the number alone.
func TestFromGroupsBySeries(t *testing.T) {
	task := NewTask("t", "stream", nil)
	var g groupIDs
	dims := Dimensions{TagNames: []string{"host"}}
	hostA := Tags{{"cpu", "0"}, {"host", "a"}}
	hostB := Tags{{"cpu", "0"}, {"host", "b"}}
	for _, tt := range []struct {
		series uint32
		tags   Tags
		want   GroupID
	}{
		{1, hostA, "host=a"}, {1, hostA, "host=a"},
		{2, hostB, "host=b"},
		{1, hostB, "host=b"}, // a stale series number
		{1, hostA, "host=a"},
		{0, hostB, "host=b"},
		{7, hostA[:1], "host="}, // the same address, fewer tags
	} {
		q := &Point{Name: "cpu", Series: tt.series, Row: Row{Tags: tt.tags}, Dims: dims}
		g.assign(task, q)
		if q.Group != tt.want || q.GroupNum != task.groupNumber(tt.want) {
			t.Errorf("series %d %v: group %q #%d, want %q #%d", tt.series, tt.tags, q.Group, q.GroupNum, tt.want, task.groupNumber(tt.want))
		}
	}
}

// TestAlertGroupsPastNumbering: groups the task cannot number any more
// are kept by ID.
func TestAlertGroupsPastNumbering(t *testing.T) {
	defer func(n int) { maxGroupNumbers = n }(maxGroupNumbers)
	maxGroupNumbers = 1
	task := NewTask("t", "stream", nil)
	var gs alertGroups
	c := &alertStateConfig{}
	a, b := gs.add(task, "host=a", c), gs.add(task, "host=b", c)
	if task.groupNumber("host=a") != 1 || task.groupNumber("host=b") != 0 {
		t.Fatalf("numbers %d, %d; want 1, 0", task.groupNumber("host=a"), task.groupNumber("host=b"))
	}
	for _, tt := range []struct {
		gid  GroupID
		num  uint32
		want *alertGroup
	}{
		{"host=a", 1, a}, {"host=b", 0, b}, {"host=b", 1, b}, {"host=c", 0, nil},
	} {
		if got := gs.lookup(task, tt.gid, tt.num); got != tt.want {
			t.Errorf("lookup(%s, %d) = %p, want %p", tt.gid, tt.num, got, tt.want)
		}
	}
	if gs.count != 2 {
		t.Errorf("count %d, want 2", gs.count)
	}
}
