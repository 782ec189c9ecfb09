package runtime

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestParseTimestampFast agrees with strconv.ParseInt on the timestamps
// it accepts (at most 19 digits, an optional minus) and rejects any other
// text, whatever the position of a bad byte (eight digits are read at
// a time).
func TestParseTimestampFast(t *testing.T) {
	cases := []string{
		"0", "1", "-1", "1609459200", "1609459200000000000", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809", "9999999999999999999", "12345678", "123456789",
		"", "-", "1a", "12345678a", "a2345678", "1234567a9", "1 ", "+1", "1.5", "00000000000000000001",
		"01234567890123456789", "1234567\x00", "12345678:",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteByte('-')
		}
		n := 1 + r.IntN(20)
		for range n {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		s := b.String()
		if r.IntN(5) == 0 {
			k := r.IntN(len(s))
			s = s[:k] + string("x/:. "[r.IntN(5)]) + s[k+1:]
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		got, ok := parseTimestampFast([]byte(s))
		want, err := strconv.ParseInt(s, 10, 64)
		wantOK := err == nil && s != "" && s[0] != '+' && len(strings.TrimPrefix(s, "-")) <= 19
		if ok != wantOK || (ok && got != want) {
			t.Fatalf("%q: got %d, %v; want %d, %v", s, got, ok, want, wantOK)
		}
	}
}
