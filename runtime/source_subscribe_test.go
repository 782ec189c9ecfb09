package runtime

import (
	"strings"
	"testing"
)

// TestStreamSubscriptionCache: the stream's check of a point's database
// and retention policy, cached by the strings' addresses, gives what the
// task's subscriptions say whatever strings carry the names.
func TestStreamSubscriptionCache(t *testing.T) {
	task, _ := ntTask()
	task.Dbrps = []DBRP{{"db", "rp"}}
	stream := NewStream(task, 0, "stream0", StreamConfig{})
	from := NewFrom(task, 1, "from1", FromConfig{})
	Link(stream, from, 0)
	rec := ntChain(task, from)
	db, rp := "db", "rp"
	for _, dbrp := range [][2]string{
		{db, rp}, {db, rp}, {"other", rp}, {db, "autogen"},
		{strings.Clone(db), strings.Clone(rp)}, {db, ""}, {"", rp}, {db, rp},
	} {
		p := &Point{Name: "m", Database: dbrp[0], RP: dbrp[1], Row: Row{Fields: ntFields("v", 1.0)}}
		if err := stream.Collect(p); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(rec.points); got != 4 {
		t.Errorf("%d points through, want 4", got)
	}
}
