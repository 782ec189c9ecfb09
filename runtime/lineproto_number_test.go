package runtime

import (
	"math"
	"math/big"
	"math/bits"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// The 128-bit powers of ten are 10^-k·2^s truncated, s such that the
// result has exactly 128 bits.
func TestNegPow10x128(t *testing.T) {
	for k := 1; k <= len(negPow10x128); k++ {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
		var q *big.Int
		for s := 127; ; s++ {
			q = new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), uint(s)), p)
			if q.BitLen() == 128 {
				break
			}
		}
		want := [2]uint64{new(big.Int).Rsh(q, 64).Uint64(), new(big.Int).And(q, new(big.Int).SetUint64(math.MaxUint64)).Uint64()}
		if negPow10x128[k-1] != want {
			t.Errorf("negPow10x128[%d] = %#x, want %#x (10^-%d)", k-1, negPow10x128[k-1], want, k)
		}
	}
}

// refDecimalLen is the specification of the values decimalFieldValue and
// decimalFieldLen accept, a byte at a time: their length (0 when
// rejected) and whether they are integers.
func refDecimalLen(b []byte) (int, bool) {
	j := 0
	if len(b) > 0 && b[0] == '-' {
		j = 1
	}
	start := j
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	digits, frac := j-start, -1
	if j < len(b) && b[j] == '.' {
		j++
		fs := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		frac = j - fs
		digits += frac
	}
	if digits == 0 || digits > 19 {
		return 0, false
	}
	isInt := false
	if j < len(b) && b[j] == 'i' {
		if frac >= 0 || digits > 18 {
			return 0, false
		}
		j++
		isInt = true
	}
	if j < len(b) && b[j] != ',' && b[j] != ' ' {
		return 0, false
	}
	return j, isInt
}

// checkDecimal checks decimalFieldValue and decimalFieldLen on b against
// refDecimalLen and strconv, b's capacity being its length so that a
// read past the end would panic; and again with more of a line after b
// (their short cuts for long buffers).
func checkDecimal(t *testing.T, b []byte) {
	t.Helper()
	checkDecimalIn(t, b)
	if len(b) < 40 {
		for _, more := range []int{2, 10, 40 - len(b)} {
			checkDecimalIn(t, append(append(b[:len(b):len(b)], ",x=1"...), strings.Repeat("7", more)...))
		}
	}
}

func checkDecimalIn(t *testing.T, b []byte) {
	t.Helper()
	b = b[:len(b):len(b)]
	n, isInt := refDecimalLen(b)
	if got := decimalFieldLen(b); got != n {
		t.Fatalf("decimalFieldLen(%q) = %d, want %d", b, got, n)
	}
	v, got := decimalFieldValue(b)
	if got != n {
		t.Fatalf("decimalFieldValue(%q) has length %d, want %d", b, got, n)
	}
	if n == 0 {
		return
	}
	if isInt {
		want, err := strconv.ParseInt(string(b[:n-1]), 10, 64)
		if err != nil {
			t.Fatalf("%q: %v", b[:n], err)
		}
		if v != Int(want) {
			t.Fatalf("decimalFieldValue(%q) = %v, want %v", b, v, Int(want))
		}
		return
	}
	want, err := strconv.ParseFloat(string(b[:n]), 64)
	if err != nil {
		t.Fatalf("%q: %v", b[:n], err)
	}
	if v.Kind != KindFloat || math.Float64bits(v.F) != math.Float64bits(want) {
		t.Fatalf("decimalFieldValue(%q) = %v, want float %v (%#x)", b, v, want, math.Float64bits(want))
	}
}

var decimalCases = []struct {
	in string
	n  int // accepted length, 0 for rejected
}{
	{"0", 1}, {"-0", 2}, {"0.", 2}, {"-0.", 3}, {"0.0", 3}, {"-0.0,", 4}, {"5.", 2}, {"5.i", 0},
	{".5", 2}, {"-.5", 3}, {".", 0}, {"-", 0}, {"-.", 0}, {"", 0}, {",", 0}, {" ", 0}, {"--1", 0},
	{"1", 1}, {"12345678", 8}, {"123456789", 9}, {"1234567.8", 9}, {"12345678.", 9}, {"0.12345678", 10},
	{"1234567890123456789", 19}, {"12345678901234567890", 0}, {"1.234567890123456789", 20},
	{"1.2345678901234567890", 0}, {"0.000000000000000001", 20}, {"0.0000000000000000001", 0},
	{"9999999999999999999", 19}, {"-9.999999999999999999", 21}, {".9999999999999999999", 20},
	{"0000000000000000001", 19}, {"0000000000000000000.", 20}, {"00000000000000000000", 0},
	{"9007199254740992", 16}, {"9007199254740993", 16}, {"9007199254740995", 16}, {"900719925474099.3", 17},
	{"9007199254740993.0", 18}, {"9007199254740993.00", 19}, {"9007199254740995.000", 20}, {"18014398509481986.0", 19},
	{"4.8371157537303295", 18}, {"92.4971833538796", 16}, {"92.4971833538796 1609459200", 16}, {"92.4971833538796,x=1", 16},
	{"1e5", 0}, {"1E5", 0}, {"1x", 0}, {"1.5x", 0}, {"1..5", 0}, {"1.5.", 0}, {"1,", 1}, {"1 ", 1}, {"1.5,2", 3},
	{"NaN", 0}, {"inf", 0}, {"+1", 0}, {"1/", 0}, {"1:", 0}, {"\x001", 0}, {"1\x00", 0}, {"1\xb1", 0}, {"\xb1", 0},
	{"1i", 2}, {"-7i", 3}, {"-0i", 3}, {"1i,", 2}, {"1i ", 2}, {"1ix", 0}, {"1.5i", 0}, {"i", 0}, {"-i", 0},
	{"123456789012345678i", 19}, {"-123456789012345678i", 20}, {"1234567890123456789i", 0}, {"999999999999999999i", 19},
	{"12345678901234567890123456789012345", 0}, {"1.12345678901234567890123456789012345", 0},
}

func TestDecimalFieldValueCases(t *testing.T) {
	for _, c := range decimalCases {
		if n, _ := refDecimalLen([]byte(c.in)); n != c.n {
			t.Fatalf("refDecimalLen(%q) = %d, want %d", c.in, n, c.n)
		}
		checkDecimal(t, []byte(c.in))
		// The same value in a longer buffer: no difference.
		checkDecimal(t, []byte(c.in+" 1609459200"))
	}
}

// Random decimal numbers (1–19 digits, a point anywhere or none, a sign,
// what follows them) decode bit for bit as strconv parses them.
func TestDecimalFieldValueRandom(t *testing.T) {
	n := 2000000
	if testing.Short() {
		n = 100000
	}
	rng := rand.New(rand.NewSource(11))
	tails := []string{"", ",", " ", ",b=1", " 1609459200", "i", "i,", "x", "e5", ".", "5"}
	var sb strings.Builder
	for range n {
		sb.Reset()
		if rng.Intn(4) == 0 {
			sb.WriteByte('-')
		}
		digits := 1 + rng.Intn(19)
		point := rng.Intn(digits + 2) // digits+1: no point
		zeros := rng.Intn(digits + 1) // leading zeros
		for k := range digits {
			if k == point {
				sb.WriteByte('.')
			}
			if k < zeros {
				sb.WriteByte('0')
			} else {
				sb.WriteByte(byte('0' + rng.Intn(10)))
			}
		}
		if point == digits {
			sb.WriteByte('.')
		}
		if rng.Intn(3) == 0 {
			sb.WriteString(tails[rng.Intn(len(tails))])
		}
		checkDecimal(t, []byte(sb.String()))
	}
}

// Random floats as strconv formats them, the common field values.
func TestDecimalFieldValueFormatted(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for range 300000 {
		f := rng.Float64() * math.Pow(10, float64(rng.Intn(12)-4))
		checkDecimal(t, []byte(strconv.FormatFloat(f, 'g', -1, 64)))
		checkDecimal(t, []byte(strconv.FormatFloat(f, 'f', rng.Intn(19), 64)+","))
	}
}

// eiselLemire either gives the correctly rounded float or declines, and
// it declines on exact ties (which decimalToFloat then divides out).
func TestEiselLemire(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	declined := 0
	check := func(m uint64, frac int) {
		t.Helper()
		want := float64(m) / exactPow10[frac] // exact operands, one rounding
		if m > 1<<53 {
			want = decimalToFloatExact(m, frac)
		}
		if got, ok := eiselLemire(m, frac); !ok {
			declined++
		} else if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("eiselLemire(%d, %d) = %v, want %v", m, frac, got, want)
		}
	}
	for range 1000000 {
		m := 1 + rng.Uint64()%(1<<64-1)
		if rng.Intn(2) == 0 {
			m >>= rng.Intn(64)
			m |= 1
		}
		check(m, 1+rng.Intn(19))
	}
	for frac := 1; frac <= 19; frac++ {
		for _, m := range []uint64{1, 2, 3, 5, 7, 1<<53 - 1, 1 << 53, 1<<53 + 1, 1<<64 - 1, pow10u64[frac], 9999999999999999999} {
			check(m, frac)
		}
	}
	// Ties: v = k·2^shift + 2^(shift-1) with k of 53 bits lies halfway
	// between two floats; v·10^frac / 10^frac is the same number.
	ties := 0
	for range 100000 {
		k := uint64(1)<<52 + uint64(rng.Int63n(1<<52))
		shift := 1 + rng.Intn(11)
		v := k<<shift | 1<<(shift-1)
		for frac := 1; frac <= 19; frac++ {
			hi, lo := bits.Mul64(v, pow10u64[frac])
			if hi != 0 {
				break
			}
			before := declined
			check(lo, frac)
			if declined == before {
				t.Fatalf("eiselLemire(%d, %d) did not decline an exact tie", lo, frac)
			}
			ties++
		}
	}
	if ties == 0 {
		t.Fatal("no ties tried")
	}
}

// FuzzDecimalFieldValue checks arbitrary bytes as the random tests do.
func FuzzDecimalFieldValue(f *testing.F) {
	for _, c := range decimalCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecimal(t, b)
	})
}

// benchDecimalValues are realistic field values: random floats in
// [0, 100) as strconv formats them (mostly 16 or 17 significant digits),
// each followed by a comma as in a line.
func benchDecimalValues() [][]byte {
	rng := rand.New(rand.NewSource(1))
	vals := make([][]byte, 1024)
	for i := range vals {
		vals[i] = []byte(strconv.FormatFloat(rng.Float64()*100, 'g', -1, 64) + ",")
	}
	return vals
}

func BenchmarkDecimalFieldValue(b *testing.B) {
	vals := benchDecimalValues()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, n := decimalFieldValue(vals[i&1023]); n == 0 {
			b.Fatal("rejected")
		}
	}
}

func BenchmarkDecimalFieldLen(b *testing.B) {
	vals := benchDecimalValues()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if decimalFieldLen(vals[i&1023]) == 0 {
			b.Fatal("rejected")
		}
	}
}

// benchMantissas are the (mantissa, fraction digits) of benchDecimalValues.
func benchMantissas() ([]uint64, []int) {
	ms, fs := make([]uint64, 1024), make([]int, 1024)
	for i, v := range benchDecimalValues() {
		s := strings.TrimSuffix(string(v), ",")
		if k := strings.IndexByte(s, '.'); k >= 0 {
			fs[i] = len(s) - k - 1
			s = s[:k] + s[k+1:]
		}
		ms[i], _ = strconv.ParseUint(s, 10, 64)
	}
	return ms, fs
}

func BenchmarkDecimalToFloat(b *testing.B) {
	ms, fs := benchMantissas()
	b.ResetTimer()
	var sum float64
	for i := 0; i < b.N; i++ {
		sum += decimalToFloat(ms[i&1023], fs[i&1023])
	}
	sinkFloat = sum
}

func BenchmarkDecimalToFloatExact(b *testing.B) {
	ms, fs := benchMantissas()
	b.ResetTimer()
	var sum float64
	for i := 0; i < b.N; i++ {
		sum += decimalToFloatExact(ms[i&1023], fs[i&1023])
	}
	sinkFloat = sum
}

var sinkFloat float64
