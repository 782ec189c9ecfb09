package runtime

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseLineValid(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		precision string
		want      Point
	}{
		{"float field, seconds", "cpu value=1.5 10", "s",
			pt("cpu", 10e9, nil, Fields{{"value", Float(1.5)}})},
		{"all field types", `m i=-3i,f=-1.5e3,s="x y",t=t,T=TRUE,F=False,z=.5 1`, "n",
			pt("m", 1, nil, Fields{{"F", Bool(false)}, {"T", Bool(true)}, {"f", Float(-1500)}, {"i", Int(-3)}, {"s", String("x y")}, {"t", Bool(true)}, {"z", Float(0.5)}})},
		{"integer stays integer, plain number is float", "m a=1i,b=1 0", "s",
			pt("m", 0, nil, Fields{{"a", Int(1)}, {"b", Float(1)}})},
		{"tags sorted", "cpu,z=1,host=a,b=2 v=1 0", "n",
			pt("cpu", 0, Tags{{"b", "2"}, {"host", "a"}, {"z", "1"}}, Fields{{"v", Float(1)}})},
		{"escapes in measurement, tags, field keys", `c\,p\ u,ho\ st=a\,b\=c f\=i\,e\ ld=1 0`, "n",
			pt("c,p u", 0, Tags{{"ho st", "a,b=c"}}, Fields{{"f=i,e ld", Float(1)}})},
		{"backslash before other char is kept", `c\pu,t=a\b v=1 0`, "n",
			pt(`c\pu`, 0, Tags{{"t", `a\b`}}, Fields{{"v", Float(1)}})},
		{"string escapes", `m s="a \"q\" \\ \n, =" 0`, "n",
			pt("m", 0, nil, Fields{{"s", String(`a "q" \ \n, =`)}})},
		{"duplicate field: last wins", "m a=1,b=2,a=3 0", "n",
			pt("m", 0, nil, Fields{{"a", Float(3)}, {"b", Float(2)}})},
		{"leading blanks, padded zeros, extra spaces", "  \tdisk,type=sda value=39   0000000001", "s",
			pt("disk", 1e9, Tags{{"type", "sda"}}, Fields{{"value", Float(39)}})},
		{"trailing spaces after timestamp", "m v=1 5   ", "ms", pt("m", 5e6, nil, Fields{{"v", Float(1)}})},
		{"negative timestamp", "m v=1 -5", "u", pt("m", -5000, nil, Fields{{"v", Float(1)}})},
		{"minutes and hours", "m v=1 2", "h", pt("m", 7200e9, nil, Fields{{"v", Float(1)}})},
		{"unknown precision is ns", "m v=1 2", "us", pt("m", 2, nil, Fields{{"v", Float(1)}})},
		{"no timestamp takes the default", "m v=1", "s", pt("m", 42, nil, Fields{{"v", Float(1)}})},
		{"max int", "m v=9223372036854775807i 0", "n", pt("m", 0, nil, Fields{{"v", Int(math.MaxInt64)}})},
		{"equals in tag value first char", "m,a== v=1 0", "n", pt("m", 0, Tags{{"a", "="}}, Fields{{"v", Float(1)}})},
		{"string with comma and space keeps fields apart", `m a="x, y=1",b=2i 0`, "n",
			pt("m", 0, nil, Fields{{"a", String("x, y=1")}, {"b", Int(2)}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lp := NewLineParser(tt.precision)
			var p Point
			ok, err := lp.ParseLine([]byte(tt.line), 42, &p)
			if err != nil || !ok {
				t.Fatalf("ParseLine(%q) = %v, %v", tt.line, ok, err)
			}
			p.Series, p.verdict = 0, nil // see TestSeriesNumbers
			if !reflect.DeepEqual(p, tt.want) {
				t.Errorf("ParseLine(%q)\n got %+v\nwant %+v", tt.line, p, tt.want)
			}
		})
	}
}

func pt(name string, tm int64, tags Tags, fields Fields) Point {
	return Point{Name: name, Row: Row{Time: tm, Tags: tags, Fields: fields}}
}

func TestParseLineSkips(t *testing.T) {
	for _, line := range []string{"", "   ", "\t", "# comment", "  # indented comment"} {
		var p Point
		ok, err := NewLineParser("s").ParseLine([]byte(line), 0, &p)
		if ok || err != nil {
			t.Errorf("ParseLine(%q) = %v, %v; want no point, no error", line, ok, err)
		}
	}
}

func TestParseLineErrors(t *testing.T) {
	tests := []struct{ line, reason string }{
		{",t=a v=1", "missing measurement"},
		{"cpu", "missing fields"},
		{"cpu,host=a", "missing fields"},
		{"cpu,=a v=1", "missing tag key"},
		{"cpu,host v=1", "missing tag value"},
		{"cpu,host= v=1", "missing tag value"},
		{"cpu,host=a=b v=1", "invalid tag format"},
		{"cpu,a=1,a=2 v=1", "duplicate tags"},
		{"cpu,b=1,a=2,b=3 v=1", "duplicate tags"},
		{"cpu =1", "missing field key"},
		{"cpu a=1,=2", "missing field key"},
		{"cpu a=", "missing field value"},
		{"cpu a=,b=1", "missing field value"},
		{"cpu a=1,b", "invalid field format"},
		{"cpu a", "invalid field format"},
		{`cpu a="x`, "unbalanced quotes"},
		{"cpu a=1.1.1", "invalid number"},
		{"cpu a=NaN", "invalid number"},
		{"cpu a=-", "invalid number"},
		{"cpu a=1.5i", "invalid number"},
		{"cpu a=1e3i", "invalid number"},
		{"cpu a=9i10", "invalid number"},
		{"cpu a=1u", "invalid number"},
		{"cpu a=.", "invalid number"},
		{"cpu a=1e", "invalid float"},
		{"cpu a=1e999", "invalid float"},
		{"cpu a=99999999999999999999i", `unable to parse integer 99999999999999999999: strconv.ParseInt: parsing "99999999999999999999": value out of range`},
		{"cpu a=yes", "invalid boolean"},
		{"cpu a=tru", "invalid boolean"},
		{"cpu a=tRUE", "invalid boolean"},
		{"cpu a=inf", "invalid boolean"},
		{"cpu a=1 12x", "bad timestamp"},
		{"cpu a=1 1.5", "bad timestamp"},
		{"cpu a=1 1\r", "bad timestamp"},
		{"cpu a=1 1 2", "point is invalid"},
		{"cpu a=1 99999999999999999999", `strconv.ParseInt: parsing "99999999999999999999": value out of range`},
		{"cpu a=1 -", `strconv.ParseInt: parsing "-": invalid syntax`},
		{"cpu a=1 9223372036854775807", "time outside range -9223372036854775806 - 9223372036854775806"},
		{"cpu a=1 -9223372036854775808", "time outside range -9223372036854775806 - 9223372036854775806"},
		{"cpu a=1 9300000000", "time outside range -9223372036854775806 - 9223372036854775806"}, // with precision s
		{"m" + strings.Repeat("x", 65535) + " v=1", "max key length exceeded: 65536 > 65535"},
	}
	for _, tt := range tests {
		prec := "n"
		if strings.HasSuffix(tt.line, "9300000000") {
			prec = "s"
		}
		var p Point
		_, err := NewLineParser(prec).ParseLine([]byte(tt.line), 0, &p)
		le, ok := err.(*LineError)
		if !ok {
			t.Errorf("ParseLine(%.40q): err = %v, want reason %q", tt.line, err, tt.reason)
			continue
		}
		if le.Reason != tt.reason {
			t.Errorf("ParseLine(%.40q): reason %q, want %q", tt.line, le.Reason, tt.reason)
		}
		if want := "unable to parse '" + tt.line + "': " + tt.reason; le.Error() != want {
			t.Errorf("Error() = %.80q, want %.80q", le.Error(), want)
		}
	}
}

func TestParseBody(t *testing.T) {
	body := "cpu v=1 1\n" +
		"\n" +
		"# comment\n" +
		"cpu v= 2\n" +
		"mem s=\"multi\nline\" 3\n" +
		"bad\n" +
		"disk v=2i 4"
	var got []string
	bad, err := NewLineParser("s").ParseBody([]byte(body), 0, func(p *Point) error {
		got = append(got, fmt.Sprintf("%s@%d:%v", p.Name, p.Time/1e9, p.Fields[0].Value.Interface()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cpu@1:1", "mem@3:multi\nline", "disk@4:2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("points = %q, want %q", got, want)
	}
	var errs []string
	for _, e := range bad {
		errs = append(errs, fmt.Sprintf("%d: %s", e.Line, e.Error()))
	}
	wantErrs := []string{"4: unable to parse 'cpu v= 2': missing field value", "7: unable to parse 'bad': missing fields"}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors = %q, want %q", errs, wantErrs)
	}
}

// Points must not share backing arrays: a node that appends to one
// point's tags must not clobber the next point's.
func TestParseLineSlabsDoNotAlias(t *testing.T) {
	lp := NewLineParser("n")
	var a, b Point
	lp.ParseLine([]byte("m,a=1 v=1 0"), 0, &a)
	lp.ParseLine([]byte("m,b=2 v=2 0"), 0, &b)
	a.Tags = append(a.Tags, Tag{"z", "z"})
	a.Fields = append(a.Fields, Field{"z", Int(1)})
	if b.Tags[0] != (Tag{"b", "2"}) || b.Fields[0].Value != Float(2) {
		t.Errorf("second point changed by appending to the first: %+v", b)
	}
}

func BenchmarkParseLine(b *testing.B) {
	line := []byte("cpu,cpu=cpu0,datacenter=dc1,host=host042,service=svc3 usage_user=12.5,usage_system=3.25,usage_idle=84.25 1609459200")
	lp := NewLineParser("s")
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	var p Point
	for i := 0; i < b.N; i++ {
		if _, err := lp.ParseLine(line, 0, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseBody(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&sb, "cpu,cpu=cpu%d,datacenter=dc%d,host=host%03d,service=svc%d usage_user=%d.5,usage_system=3.25,usage_idle=84.25 %d\n",
			i%4, i%4, i/4, i%8, i%100, 1609459200+i/1000)
	}
	body := []byte(sb.String())
	lp := NewLineParser("s")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := lp.ParseBody(body, 0, func(*Point) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// The fast number paths must give exactly what strconv gives.
func TestParseNumbersFast(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "84.25", "0.1", "-1.5", ".5", "5.", "123456789012345", "1.23456789012345",
		"0.00000000000001", "999999999999999", "3.14159265358979", "100.000", "-0.0000001", "12345.678901234"} {
		f, ok := parseFloatFast([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		if !ok || err != nil || math.Float64bits(f) != math.Float64bits(want) {
			t.Errorf("parseFloatFast(%q) = %v, %v; strconv gives %v", s, f, ok, want)
		}
	}
	for _, s := range []string{"1234567890123456", "1e5", "1.2.3", "-", "", "1x"} {
		if _, ok := parseFloatFast([]byte(s)); ok {
			t.Errorf("parseFloatFast(%q) took the fast path", s)
		}
	}
	for _, s := range []string{"0", "-7", "123456789012345678", "-123456789012345678"} {
		n, ok := parseIntFast([]byte(s))
		want, _ := strconv.ParseInt(s, 10, 64)
		if !ok || n != want {
			t.Errorf("parseIntFast(%q) = %v, %v", s, n, ok)
		}
	}
	if _, ok := parseIntFast([]byte("9223372036854775807")); ok {
		t.Error("19 digits took the fast path")
	}
}

// Field keys are reused from the series' previous point but follow a
// changed field set.
func TestParseFieldKeysPerSeries(t *testing.T) {
	lp := NewLineParser("n")
	var a, b, c Point
	lp.ParseLine([]byte("m,h=a x=1,y=2 0"), 0, &a)
	lp.ParseLine([]byte("m,h=a y=1,z=2 0"), 0, &b)
	lp.ParseLine([]byte(`m,h=a y\ 1=1,z=2 0`), 0, &c)
	if a.Fields[0].Key != "x" || a.Fields[1].Key != "y" || b.Fields[0].Key != "y" || b.Fields[1].Key != "z" || c.Fields[0].Key != "y 1" {
		t.Errorf("fields: %v / %v / %v", a.Fields, b.Fields, c.Fields)
	}
}

// TestSeriesNumbers: a parser numbers the series it caches 1, 2, … in
// the order it meets them, points of a series get its number, and
// parsers sharing a key cache agree on the numbers.
func TestSeriesNumbers(t *testing.T) {
	shared := &seriesCache{}
	a, b := NewLineParser("s"), NewLineParser("s")
	a.shared, b.shared = shared, shared
	for _, tt := range []struct {
		lp   *LineParser
		line string
		want uint32
	}{
		{a, "cpu,host=a v=1 1", 1},
		{a, "cpu,host=b v=1 1", 2},
		{a, "cpu,host=a v=2 2", 1},
		{b, "cpu,host=b v=3 3", 2}, // known to the shared cache
		{b, "mem v=1 1", 3},
		{a, "mem v=1 1", 3},
		{a, `cpu,host=a\ b v=1 1`, 4},        // the general path numbers too
		{NewLineParser("s"), "mem v=1 1", 1}, // parsers of their own count alone
	} {
		var p Point
		if ok, err := tt.lp.ParseLine([]byte(tt.line), 0, &p); !ok || err != nil {
			t.Fatalf("%q: %v, %v", tt.line, ok, err)
		}
		if p.Series != tt.want {
			t.Errorf("%q: series %d, want %d", tt.line, p.Series, tt.want)
		}
	}
}

// TestSeriesGuess: guessing a line's series from the one that followed
// the previous series last time never gives a line another series.
func TestSeriesGuess(t *testing.T) {
	lp := NewLineParser("s")
	for i, host := range []string{"a", "b", "a", "c", "a", "b", "b", "a", "a\\ b", "a"} {
		var p Point
		line := "cpu,host=" + host + " v=1 1"
		if ok, err := lp.ParseLine([]byte(line), 0, &p); !ok || err != nil {
			t.Fatalf("%q: %v, %v", line, ok, err)
		}
		if want := strings.ReplaceAll(host, "\\", ""); len(p.Tags) != 1 || p.Tags[0].Value != want {
			t.Errorf("line %d %q: tags %v, want host=%s", i, line, p.Tags, want)
		}
	}
}
