package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"window", "where", "mean", "median", "httpOut", "alert"}
	for _, tc := range []struct{ in, want string }{
		{"windw", "window"},
		{"wnidow", "window"},
		{"Window", "window"},
		{"mena", "mean"},
		{"httpout", "httpOut"},
		{"alrt", "alert"},
		{"zzzzzz", ""},
		{"x", ""},
	} {
		if got := Closest(tc.in, cands); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := DidYouMean("windw", cands); got != `; did you mean "window"?` {
		t.Errorf("DidYouMean = %q", got)
	}
}
