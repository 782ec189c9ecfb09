package runtime

import (
	"math"
	"math/rand"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
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
	names := []string{"v", "usage_idle", "usage_user", "a\tb", "", "x\\y", `q"`, "#", "b", "v", "usage_idle"}
	values := []string{"1", "-1", "1.5", "-0.25", ".5", "5.", "-.5", ".", "-", "1i", "-7i", "1.5i", "1e5", "007", "0.1234567890123456789",
		"12345678901234567890", "123456789012345678i", "1234567890123456789i", "25.487791008468722", "t", `"s"`, "1x", "1i2", "NaN", ""}
	seps := []string{",", ",", ", ", " ", ",,"}
	times := []string{"", " 1609459200", " -5", "  7", " 1609459200000000000", " 9223372036854775807", " 99999999999999999999", " 12x", " ", "\t5", " 5 "}
	rng := rand.New(rand.NewSource(3))
	// One long-lived parser per precision: its caches (keys, recent field
	// keys and their order) carry over from line to line.
	fastParsers := map[string]*LineParser{"n": NewLineParser("n"), "s": NewLineParser("s")}
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
			fast := fastParsers[prec]
			if rng.Intn(3) == 0 {
				fast.ParseLine([]byte(key+" warm=1 0"), 0, new(Point)) // caches the key
			}
			var pf Point
			okF, errF := fast.ParseLine(line, 42, &pf)

			slow := NewLineParser(prec)
			var ps Point
			okS, errS := slow.ParseLine(line[:len(line):len(line)], 42, &ps) // key not cached: two-pass parse
			if okF != okS || (errF == nil) != (errS == nil) || (errF != nil && errF.Error() != errS.Error()) {
				t.Fatalf("%q (precision %s): fast path gave %v, %v; parse gave %v, %v", line, prec, okF, errF, okS, errS)
			}
			pf.Series, ps.Series, pf.verdict, ps.verdict = 0, 0, nil, nil // each parser has its own series
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

// Lines that repeat a few field lists (duplicates included) in random
// order exercise the reuse of recent keys and of their sorted order.
func TestParseFastRepeatedFieldLists(t *testing.T) {
	lists := [][]string{{"usage_user", "usage_system", "usage_idle"}, {"v"}, {"b", "a", "b"}, {"a", "b"}, {"usage_user", "usage_system"}, {"z", "y", "x", "w"}}
	fast := NewLineParser("s")
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		b.WriteString([]string{"cpu,host=a", "cpu,host=b", "mem"}[rng.Intn(3)])
		b.WriteByte(' ')
		for k, name := range lists[rng.Intn(len(lists))] {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(name + "=" + strconv.FormatFloat(rng.NormFloat64()*100, 'f', rng.Intn(16), 64))
			if rng.Intn(10) == 0 {
				b.WriteString("i") // a float with i: invalid unless no fraction
			}
		}
		b.WriteString(" " + strconv.Itoa(rng.Intn(1e9)))
		line := []byte(b.String())
		var pf, ps Point
		okF, errF := fast.ParseLine(line, 0, &pf)
		okS, errS := NewLineParser("s").ParseLine(line, 0, &ps)
		if okF != okS || (errF == nil) != (errS == nil) || (errF != nil && errF.Error() != errS.Error()) {
			t.Fatalf("%q: fast parser gave %v, %v; a fresh one %v, %v", line, okF, errF, okS, errS)
		}
		pf.Series, ps.Series, pf.verdict, ps.verdict = 0, 0, nil, nil // each parser has its own series
		if errF == nil && !reflect.DeepEqual(pf, ps) {
			t.Fatalf("%q:\nfast  %+v\nfresh %+v", line, pf, ps)
		}
	}
}

// BenchmarkParseLineRecycled parses tickbench-like lines (1,000 series,
// full-precision floats) into recycled field memory, as a replay does
// when the task keeps no fields.
func BenchmarkParseLineRecycled(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	var lines [][]byte
	size := 0
	for i := 0; i < 4096; i++ {
		user, system := rng.Float64()*30, rng.Float64()*10
		line := []byte("cpu,cpu=cpu" + strconv.Itoa(i%4) + ",datacenter=us-east-1,host=host-" + strconv.Itoa(10000+(i/4)%250) + ",service=api" +
			" usage_user=" + strconv.FormatFloat(user, 'g', -1, 64) + ",usage_system=" + strconv.FormatFloat(system, 'g', -1, 64) +
			",usage_idle=" + strconv.FormatFloat(100-user-system, 'g', -1, 64) + " " + strconv.Itoa(1609459200+i/1000))
		lines = append(lines, line)
		size += len(line)
	}
	lp := NewLineParser("s")
	var buf []Field
	lp.fieldBuf = &buf
	var p Point
	b.SetBytes(int64(size / len(lines)))
	b.ReportAllocs()
	i := 0
	cpu0 := ingestCPUTime()
	for b.Loop() {
		if i%1024 == 0 {
			buf = buf[:0]
		}
		if ok, err := lp.ParseLine(lines[i%len(lines)], 0, &p); !ok || err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(ingestCPUTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// ingestCPUTime is the process's user+system CPU time in nanoseconds: on a
// loaded machine it varies less than the wall time.
func ingestCPUTime() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// randomFieldsLine is a line of one of three series whose fields are one
// of lists, each valued by one of the first three values, or one in odds
// by any of them.
func randomFieldsLine(rng *rand.Rand, lists [][]string, values []string, odds int) []byte {
	var b strings.Builder
	b.WriteString([]string{"cpu,host=a", "cpu,host=b", "mem"}[rng.Intn(3)])
	b.WriteByte(' ')
	for k, name := range lists[rng.Intn(len(lists))] {
		if k > 0 {
			b.WriteByte(',')
		}
		v := values[rng.Intn(3)]
		if rng.Intn(odds) == 0 {
			v = values[rng.Intn(len(values))]
		}
		b.WriteString(name + "=" + v)
	}
	b.WriteString(" 1")
	return []byte(b.String())
}

// With a field projection the parser gives what it gives without one,
// less the fields left out; errors are the same.
func TestParseFieldProjection(t *testing.T) {
	lists := [][]string{{"usage_user", "usage_system", "usage_idle"}, {"usage_idle"}, {"b", "a", "b"}, {"a", "s"}, {"x\\ y", "a"}}
	values := []string{"1", "-2.5", "3i", "t", `"str"`, "1e3", "bad", "25.487791008468722", "99999999999999999999"}
	only := []string{"usage_idle", "a", "x y"}
	proj := NewLineParser("s")
	proj.SetFieldProjection(only)
	rng := rand.New(rand.NewSource(9))
	for i := 0; i < 20000; i++ {
		line := randomFieldsLine(rng, lists, values, 5)
		var pp, pa Point
		okP, errP := proj.ParseLine(line, 0, &pp)
		okA, errA := NewLineParser("s").ParseLine(line, 0, &pa)
		if okP != okA || (errP == nil) != (errA == nil) || (errP != nil && errP.Error() != errA.Error()) {
			t.Fatalf("%q: projected %v, %v; all fields %v, %v", line, okP, errP, okA, errA)
		}
		if errA != nil {
			continue
		}
		want := Fields{}
		for _, f := range pa.Fields {
			if slices.Contains(only, f.Key) {
				want = append(want, f)
			}
		}
		pa.Fields = want
		pp.Series, pa.Series, pp.verdict, pa.verdict = 0, 0, nil, nil // each parser has its own series
		if !reflect.DeepEqual(pp, pa) {
			t.Fatalf("%q:\nprojected %+v\nwant      %+v", line, pp, pa)
		}
	}
}

// With the left-out fields deferred, a point has the projected fields
// and keeps its fields section, from which deferredFields gives all the
// fields a parser without projection gives, the point's own winning.
func TestParseDeferLeftOut(t *testing.T) {
	lists := [][]string{{"usage_user", "usage_system", "usage_idle"}, {"usage_idle"}, {"b", "a", "b"}, {"a", "s"}, {"x\\ y", "a"}, {"a", "usage_idle"}}
	values := []string{"1", "-2.5", "3i", "t", `"str"`, `"a,b c=d"`, "1e3", "25.487791008468722"}
	only := []string{"usage_idle", "a", "x y"}
	def := NewLineParser("s")
	def.SetFieldProjection(only)
	def.DeferLeftOut(true)
	decoder := NewLineParser("ns")
	rng := rand.New(rand.NewSource(11))
	deferred := 0
	for i := 0; i < 20000; i++ {
		line := randomFieldsLine(rng, lists, values, 4)
		var pd, pa Point
		if _, err := def.ParseLine(line, 0, &pd); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if _, err := NewLineParser("s").ParseLine(line, 0, &pa); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		var projected Fields
		for _, f := range pa.Fields {
			if slices.Contains(only, f.Key) {
				projected = append(projected, f)
			}
		}
		if len(pd.Fields) != len(projected) || len(projected) > 0 && !reflect.DeepEqual(pd.Fields, projected) {
			t.Fatalf("%q: fields %v, want %v", line, pd.Fields, projected)
		}
		if len(projected) == len(pa.Fields) {
			if pd.deferred != nil {
				t.Fatalf("%q: nothing left out, yet deferred %q", line, pd.deferred)
			}
			continue
		}
		deferred++
		if got := decoder.deferredFields(&pd); !reflect.DeepEqual(got, pa.Fields) {
			t.Fatalf("%q: deferred fields %v, want %v", line, got, pa.Fields)
		}
		// A node's change to a field wins over the line's.
		pd.Fields = Fields{{Key: "usage_idle", Value: String("changed")}}
		want := pa.Fields.Clone().Set("usage_idle", String("changed"))
		if got := decoder.deferredFields(&pd); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: deferred fields over changed ones %v, want %v", line, got, want)
		}
	}
	if deferred < 5000 {
		t.Errorf("only %d of the lines deferred fields", deferred)
	}
}
