package runtime

import (
	"math"
	"math/rand"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// decimalToFloat must round exactly as strconv.ParseFloat does.
func TestDecimalToFloatMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	check := func(m uint64, frac int) {
		t.Helper()
		digits := strconv.FormatUint(m, 10)
		for len(digits) <= frac {
			digits = "0" + digits
		}
		text := digits[:len(digits)-frac] + "." + digits[len(digits)-frac:]
		want, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := decimalToFloat(m, frac); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("decimalToFloat(%d, %d) = %v, strconv.ParseFloat(%q) = %v", m, frac, got, text, want)
		}
	}
	for i := 0; i < 300000; i++ {
		digits := 1 + rng.Intn(19)
		m := rng.Uint64() % pow10u64[digits]
		if digits == 19 {
			m = rng.Uint64() % (10 * pow10u64[18])
		}
		check(m, rng.Intn(20))
	}
	// Exact ties between two floats: integers above 2^53 that are odd
	// multiples of half an ulp, written with a fraction of zeros.
	for i := 0; i < 100000; i++ {
		k := uint64(1)<<53 + uint64(rng.Int63n(1<<53))
		shift := 1 + rng.Intn(10) // ulp of k·2^shift is 2^shift
		v := k<<shift | 1<<(shift-1)
		if v >= pow10u64[18] {
			continue
		}
		frac := rng.Intn(19 - len(strconv.FormatUint(v, 10)) + 1)
		check(v*pow10u64[frac], frac)
	}
	for _, c := range []struct {
		m    uint64
		frac int
	}{{1<<53 + 1, 0}, {1<<53 + 1, 1}, {1<<64 - 1, 19}, {1<<64 - 1, 1}, {9999999999999999999, 19}, {1, 19}, {0, 5}, {18014398509481985, 0}, {180143985094819850, 1}} {
		check(c.m, c.frac)
	}
}

// parseFast must accept only lines that parse accepts, with the same
// result: every line is parsed by ParseLine (fast path when it applies)
// and by the two-pass parser alone, after the key has been seen.
func TestParseFastAgreesWithParse(t *testing.T) {
	keys := []string{"cpu", "cpu,host=a", "cpu,b=2,a=1", `c\ pu,t=x`, "m,t=a\"b"}
	names := []string{"v", "usage_idle", "a\tb", "", "x\\y", `q"`, "#", "b"}
	values := []string{"1", "-1", "1.5", "-0.25", ".5", "5.", "-.5", ".", "-", "1i", "-7i", "1.5i", "1e5", "007", "0.1234567890123456789",
		"12345678901234567890", "123456789012345678i", "1234567890123456789i", "25.487791008468722", "t", `"s"`, "1x", "1i2", "NaN", ""}
	seps := []string{",", ",", ", ", " ", ",,"}
	times := []string{"", " 1609459200", " -5", "  7", " 1609459200000000000", " 9223372036854775807", " 99999999999999999999", " 12x", " ", "\t5", " 5 "}
	rng := rand.New(rand.NewSource(3))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		key := keys[rng.Intn(len(keys))]
		b.WriteString(key)
		b.WriteString([]string{" ", " ", " ", "  ", " \t"}[rng.Intn(5)])
		for n := 1 + rng.Intn(4); n > 0; n-- {
			b.WriteString(names[rng.Intn(len(names))])
			b.WriteString("=")
			b.WriteString(values[rng.Intn(len(values))])
			if n > 1 {
				b.WriteString(seps[rng.Intn(len(seps))])
			}
		}
		b.WriteString(times[rng.Intn(len(times))])
		line := []byte(b.String())

		for _, prec := range []string{"n", "s"} {
			fast := NewLineParser(prec)
			fast.ParseLine([]byte(key+" warm=1 0"), 0, new(Point)) // caches the key
			var pf Point
			okF, errF := fast.ParseLine(line, 42, &pf)

			slow := NewLineParser(prec)
			var ps Point
			okS, errS := slow.ParseLine(line[:len(line):len(line)], 42, &ps) // key not cached: two-pass parse
			if okF != okS || (errF == nil) != (errS == nil) || (errF != nil && errF.Error() != errS.Error()) {
				t.Fatalf("%q (precision %s): fast path gave %v, %v; parse gave %v, %v", line, prec, okF, errF, okS, errS)
			}
			if errF == nil && !reflect.DeepEqual(pf, ps) {
				t.Fatalf("%q (precision %s):\nfast %+v\nslow %+v", line, prec, pf, ps)
			}
		}
	}
}

func TestParseFastRecyclesFieldMemory(t *testing.T) {
	lp := NewLineParser("s")
	var buf []Field
	lp.fieldBuf = &buf
	var a, b Point
	for i, line := range []string{"cpu,h=a x=1,y=2 1", "cpu,h=a y=3,x=4 2"} {
		p := []*Point{&a, &b}[i]
		if ok, err := lp.ParseLine([]byte(line), 0, p); !ok || err != nil {
			t.Fatal(line, err)
		}
	}
	if len(buf) != 4 || cap(a.Fields) != 2 || cap(b.Fields) != 2 {
		t.Fatalf("fields not appended to the buffer: buf %v, points %v %v", buf, b.Fields, a.Fields)
	}
	if a.Fields[0] != (Field{"x", Float(1)}) || b.Fields[0] != (Field{"x", Float(4)}) {
		t.Errorf("fields %v, %v", a.Fields, b.Fields)
	}
}
