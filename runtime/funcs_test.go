package runtime

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestBuiltinsAreComplete(t *testing.T) {
	if len(Builtins) != 82 {
		t.Errorf("%d builtins, want 82", len(Builtins))
	}
}

// TestFunctions calls every function through the registry; want is the
// result, or err a prefix of the error message.
func TestFunctions(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	f, i, s, b, d := Float, Int, String, Bool, Dur
	const thursday = 1614834367000000000 // 2021-03-04T05:06:07Z
	tests := []struct {
		name string
		args []Value
		want Value
		err  string
	}{
		// bool
		{"bool", []Value{b(true)}, b(true), ""},
		{"bool", []Value{s("T")}, b(true), ""},
		{"bool", []Value{s("False")}, b(false), ""},
		{"bool", []Value{s("yes")}, Value{}, `error calling "bool": strconv.ParseBool: parsing "yes": invalid syntax`},
		{"bool", []Value{i(0)}, b(false), ""},
		{"bool", []Value{i(2)}, Value{}, `error calling "bool": cannot convert 2 to boolean`},
		{"bool", []Value{f(1)}, b(true), ""},
		{"bool", []Value{f(0.5)}, Value{}, `error calling "bool": cannot convert 0.5 to boolean`},
		{"bool", []Value{d(1)}, Value{}, `Cannot call function "bool" with args (?: duration), available signatures are [(boolean), (string), (int), (float)].`},
		// int
		{"int", []Value{b(true)}, i(1), ""},
		{"int", []Value{s("-12")}, i(-12), ""},
		{"int", []Value{s(" 1")}, Value{}, `error calling "int": strconv.ParseInt: parsing " 1": invalid syntax`},
		{"int", []Value{s("0x10")}, Value{}, `error calling "int"`},
		{"int", []Value{f(-3.9)}, i(-3), ""},
		{"int", []Value{d(time.Second)}, Value{}, `Cannot call function "int"`},
		// float
		{"float", []Value{b(false)}, f(0), ""},
		{"float", []Value{s("1e3")}, f(1000), ""},
		{"float", []Value{s("Inf")}, f(inf), ""},
		{"float", []Value{s("x")}, Value{}, `error calling "float": strconv.ParseFloat: parsing "x": invalid syntax`},
		{"float", []Value{i(3)}, f(3), ""},
		// string
		{"string", []Value{b(false)}, s("false"), ""},
		{"string", []Value{i(-5)}, s("-5"), ""},
		{"string", []Value{f(1)}, s("1"), ""},
		{"string", []Value{f(1e21)}, s("1000000000000000000000"), ""},
		{"string", []Value{f(0.1)}, s("0.1"), ""},
		{"string", []Value{d(0)}, s("0s"), ""},
		{"string", []Value{d(90 * time.Second)}, s("90s"), ""},
		{"string", []Value{d(2 * time.Hour)}, s("2h"), ""},
		{"string", []Value{d(1500 * time.Millisecond)}, s("1500ms"), ""},
		{"string", []Value{d(7 * 24 * time.Hour)}, s("1w"), ""},
		{"string", []Value{d(48 * time.Hour)}, s("2d"), ""},
		{"string", []Value{d(1)}, s("0u"), ""},
		{"string", []Value{d(1500)}, s("1u"), ""},
		{"string", []Value{d(-time.Minute)}, s("-1m"), ""},
		// duration
		{"duration", []Value{d(time.Second)}, d(time.Second), ""},
		{"duration", []Value{i(3), d(time.Minute)}, d(3 * time.Minute), ""},
		{"duration", []Value{f(1.5), d(time.Second)}, d(1500 * time.Millisecond), ""},
		{"duration", []Value{s("5m"), d(time.Hour)}, d(5 * time.Minute), ""},
		{"duration", []Value{s("1h30m"), d(time.Hour)}, d(90 * time.Minute), ""},
		{"duration", []Value{s("-2d"), d(time.Hour)}, d(-48 * time.Hour), ""},
		{"duration", []Value{s("5x"), d(time.Hour)}, Value{}, `error calling "duration": invalid duration string "5x"`},
		{"duration", []Value{s("5m")}, Value{}, `Cannot call function "duration" with args (?: string)`},
		{"duration", []Value{i(5)}, Value{}, `Cannot call function "duration"`},
		// math
		{"abs", []Value{f(-2)}, f(2), ""},
		{"abs", []Value{i(-2)}, Value{}, `Cannot call function "abs" with args (?: int), available signatures are [(float)].`},
		{"acos", []Value{f(2)}, f(nan), ""},
		{"acosh", []Value{f(1)}, f(0), ""},
		{"asin", []Value{f(0)}, f(0), ""},
		{"asinh", []Value{f(0)}, f(0), ""},
		{"atan", []Value{f(0)}, f(0), ""},
		{"atan2", []Value{f(1), f(-1)}, f(math.Atan2(1, -1)), ""},
		{"atanh", []Value{f(0)}, f(0), ""},
		{"cbrt", []Value{f(27)}, f(3), ""},
		{"ceil", []Value{f(1.2)}, f(2), ""},
		{"cos", []Value{f(0)}, f(1), ""},
		{"cosh", []Value{f(0)}, f(1), ""},
		{"erf", []Value{f(0)}, f(0), ""},
		{"erfc", []Value{f(0)}, f(1), ""},
		{"exp", []Value{f(0)}, f(1), ""},
		{"exp2", []Value{f(3)}, f(8), ""},
		{"expm1", []Value{f(0)}, f(0), ""},
		{"floor", []Value{f(-1.5)}, f(-2), ""},
		{"gamma", []Value{f(5)}, f(24), ""},
		{"hypot", []Value{f(3), f(4)}, f(5), ""},
		{"j0", []Value{f(0)}, f(1), ""},
		{"j1", []Value{f(0)}, f(0), ""},
		{"jn", []Value{i(1), f(2)}, f(math.Jn(1, 2)), ""},
		{"jn", []Value{f(1), f(2)}, Value{}, `Cannot call function "jn" with args (?: float,?: float), available signatures are [(int,float)].`},
		{"log", []Value{f(0)}, f(math.Inf(-1)), ""},
		{"log10", []Value{f(1000)}, f(3), ""},
		{"log1p", []Value{f(0)}, f(0), ""},
		{"log2", []Value{f(8)}, f(3), ""},
		{"logb", []Value{f(8)}, f(3), ""},
		{"max", []Value{f(1), f(nan)}, f(nan), ""},
		{"min", []Value{f(1), f(2)}, f(1), ""},
		{"mod", []Value{f(-7), f(3)}, f(-1), ""},
		{"mod", []Value{f(1), f(0)}, f(nan), ""},
		{"pow", []Value{f(2), f(10)}, f(1024), ""},
		{"pow10", []Value{i(-1)}, f(0.1), ""},
		{"sin", []Value{f(0)}, f(0), ""},
		{"sinh", []Value{f(0)}, f(0), ""},
		{"sqrt", []Value{f(-1)}, f(nan), ""},
		{"tan", []Value{f(0)}, f(0), ""},
		{"tanh", []Value{f(0)}, f(0), ""},
		{"trunc", []Value{f(-1.7)}, f(-1), ""},
		{"y0", []Value{f(1)}, f(math.Y0(1)), ""},
		{"y1", []Value{f(1)}, f(math.Y1(1)), ""},
		{"yn", []Value{i(2), f(1)}, f(math.Yn(2, 1)), ""},
		// strings
		{"strContains", []Value{s("abc"), s("bc")}, b(true), ""},
		{"strContainsAny", []Value{s("abc"), s("xyc")}, b(true), ""},
		{"strCount", []Value{s("cheese"), s("e")}, i(3), ""},
		{"strCount", []Value{s("héllo"), s("")}, i(6), ""},
		{"strHasPrefix", []Value{s("abc"), s("ab")}, b(true), ""},
		{"strHasSuffix", []Value{s("abc"), s("ab")}, b(false), ""},
		{"strIndex", []Value{s("chicken"), s("ken")}, i(4), ""},
		{"strIndex", []Value{s("chicken"), s("dmr")}, i(-1), ""},
		{"strIndexAny", []Value{s("golang"), s("ny")}, i(4), ""},
		{"strLastIndex", []Value{s("go gopher"), s("go")}, i(3), ""},
		{"strLastIndexAny", []Value{s("go gopher"), s("go")}, i(4), ""},
		{"strLength", []Value{s("héllo")}, i(6), ""},
		{"strReplace", []Value{s("aaaa"), s("a"), s("b"), i(2)}, s("bbaa"), ""},
		{"strReplace", []Value{s("aaaa"), s("a"), s("b"), i(-1)}, s("bbbb"), ""},
		{"strReplace", []Value{s("aaaa"), s("a"), s("b"), i(0)}, s("aaaa"), ""},
		{"strReplace", []Value{s("aaaa"), s("a"), s("b"), f(1)}, Value{}, `Cannot call function "strReplace"`},
		{"strSubstring", []Value{s("abcdef"), i(1), i(3)}, s("bc"), ""},
		{"strSubstring", []Value{s("abc"), i(0), i(3)}, Value{}, `error calling "strSubstring": stop index too large for string in strSubstring: 3`},
		{"strSubstring", []Value{s("abc"), i(-1), i(2)}, Value{}, `error calling "strSubstring": found negative index for strSubstring: -1`},
		{"strSubstring", []Value{s("abc"), i(0), i(-2)}, Value{}, `error calling "strSubstring": found negative index for strSubstring: -2`},
		{"strSubstring", []Value{s("abcdef"), i(3), i(2)}, Value{}, `error calling "strSubstring"`},
		{"strToLower", []Value{s("ÀB")}, s("àb"), ""},
		{"strToUpper", []Value{s("àb")}, s("ÀB"), ""},
		{"strTrim", []Value{s("xxaxx"), s("x")}, s("a"), ""},
		{"strTrimLeft", []Value{s("abcba"), s("ba")}, s("cba"), ""},
		{"strTrimPrefix", []Value{s("abab"), s("ab")}, s("ab"), ""},
		{"strTrimRight", []Value{s("abcba"), s("ba")}, s("abc"), ""},
		{"strTrimSpace", []Value{s("\t a \n")}, s("a"), ""},
		{"strTrimSuffix", []Value{s("abab"), s("ab")}, s("ab"), ""},
		// presence
		{"isPresent", []Value{Missing("x")}, b(false), ""},
		{"isPresent", []Value{s("")}, b(true), ""},
		{"isPresent", []Value{d(1)}, Value{}, `Cannot call function "isPresent"`},
		// time
		{"unixNano", []Value{TimeValue(thursday)}, i(thursday), ""},
		{"unixNano", []Value{i(1)}, Value{}, `Cannot call function "unixNano" with args (?: int), available signatures are [(time)].`},
		// humanBytes
		{"humanBytes", []Value{i(5)}, s("5 B"), ""},
		{"humanBytes", []Value{i(1500)}, s("1.5 kB"), ""},
		{"humanBytes", []Value{i(123456789)}, s("124 MB"), ""},
		{"humanBytes", []Value{i(82854982)}, s("83 MB"), ""},
		{"humanBytes", []Value{f(999999.9)}, s("1000 kB"), ""},
		{"humanBytes", []Value{i(1e18)}, s("1.0 EB"), ""},
		{"humanBytes", []Value{s("1")}, Value{}, `Cannot call function "humanBytes"`},
		// if
		{"if", []Value{b(true), i(1), i(2)}, i(1), ""},
		{"if", []Value{b(false), s("a"), s("b")}, s("b"), ""},
		{"if", []Value{b(true), i(1), f(2)}, Value{}, `Cannot call function "if" with args (?: boolean,?: int,?: float)`},
		{"if", []Value{i(1), i(1), i(2)}, Value{}, `Cannot call function "if"`},
		{"if", []Value{b(true), Missing("m"), Missing("m")}, Value{}, `Cannot call function "if"`},
	}
	for _, tt := range tests {
		fn := Builtins[tt.name]
		if fn == nil {
			t.Fatalf("no builtin %s", tt.name)
		}
		got, err := fn.Call(&LambdaState{}, tt.args)
		if tt.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("%s%v: error %v, want %q", tt.name, tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || !sameFuncValue(got, tt.want) {
			t.Errorf("%s%v = %v (%v) %v, want %v (%v)", tt.name, tt.args, got, got.Kind, err, tt.want, tt.want.Kind)
		}
	}
}

func sameFuncValue(a, b Value) bool {
	if a.Kind == KindFloat && b.Kind == KindFloat && math.IsNaN(a.F) && math.IsNaN(b.F) {
		return true
	}
	return a == b
}

func TestTimeAccessorsLocalZone(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	const ns = 1614834367000000000 // 2021-03-04T05:06:07Z, a Thursday
	time.Local = time.UTC
	check := func(name string, want int64) {
		t.Helper()
		got, err := Builtins[name].Call(nil, []Value{TimeValue(ns)})
		if err != nil || got != Int(want) {
			t.Errorf("%s = %v %v, want %d", name, got, err, want)
		}
	}
	check("minute", 6)
	check("hour", 5)
	check("weekday", 4)
	check("day", 4)
	check("month", 3)
	check("year", 2021)
	time.Local = time.FixedZone("x", -6*3600)
	check("hour", 23)
	check("weekday", 3)
	check("day", 3)
	if got := LocalWeekday(0); got != 3 { // 1969-12-31 in UTC-6
		t.Errorf("LocalWeekday(0) = %d", got)
	}
	time.Local = time.UTC
	if got := LocalWeekday(0); got != 4 {
		t.Errorf("1970-01-01 is weekday %d, want 4", got)
	}
}

func TestNow(t *testing.T) {
	before := time.Now().UnixNano()
	v, err := Builtins["now"].Call(nil, nil)
	if err != nil || v.Kind != KindTime || v.I < before {
		t.Errorf("now() = %v %v", v, err)
	}
}

func TestRegexReplace(t *testing.T) {
	re := MustCompileRegex(`a(b)`)
	if v, err := FnRegexReplace(re, String("xab"), String("$1$1")); err != nil || v != String("xbb") {
		t.Errorf("regexReplace = %v %v", v, err)
	}
	named := MustCompileRegex(`(?P<d>\d+)`)
	if v, err := FnRegexReplace(named, String("a12b3"), String("<${d}>")); err != nil || v != String("a<12>b<3>") {
		t.Errorf("regexReplace named = %v %v", v, err)
	}
	if v, _ := FnRegexReplace(re, String("ab"), String("$1x")); v != String("") { // $1x is group "1x"
		t.Errorf("regexReplace $1x = %q", v.S)
	}
	if _, err := FnRegexReplace(re, Int(1), String("")); err == nil {
		t.Error("regexReplace over an int succeeded")
	}
}

func TestStatefulFunctions(t *testing.T) {
	var st LambdaState
	for want := int64(1); want <= 3; want++ {
		if v, _ := FnCount(&st); v != Int(want) {
			t.Errorf("count = %v, want %d", v, want)
		}
	}
	st = LambdaState{}
	var sig []float64
	for _, x := range []float64{1, 2, 3, 10} {
		v, err := FnSigma(&st, Float(x))
		if err != nil {
			t.Fatal(err)
		}
		sig = append(sig, v.F)
	}
	// n=4: mean 4, sample variance 50/3.
	want := []float64{0, math.Sqrt(0.5), 1, 6 / math.Sqrt(50.0/3)}
	for k := range want {
		if math.Abs(sig[k]-want[k]) > 1e-12 {
			t.Errorf("sigma #%d = %v, want %v", k, sig[k], want[k])
		}
	}
	st = LambdaState{}
	if v, _ := FnSigma(&st, Float(5)); v.F != 0 {
		t.Errorf("sigma first = %v", v)
	}
	if v, _ := FnSigma(&st, Float(5)); v.F != 0 {
		t.Errorf("sigma no variance = %v", v)
	}
	if _, err := FnSigma(&st, Int(5)); err == nil || err.Error() != `Cannot call function "sigma" with args (?: int), available signatures are [(float)].` {
		t.Errorf("sigma int: %v", err)
	}
	st = LambdaState{}
	for k, tt := range []struct{ x, want float64 }{{5, 0}, {3, 2}, {4, 2}, {10, 7}} {
		if v, _ := FnSpread(&st, Float(tt.x)); v.F != tt.want {
			t.Errorf("spread #%d = %v, want %v", k, v.F, tt.want)
		}
	}
}

func TestSignatureErrorTexts(t *testing.T) {
	_, err := FnAbs(Missing("x"))
	err = CallError(err, []string{`"x"`}, []string{`"a"`, `"x"`, `"b"`})
	want := `Cannot call function "abs" argument "x" is missing, values in scope are ["a", "b"]`
	if err.Error() != want {
		t.Errorf("got %q\nwant %q", err, want)
	}
	_, err = FnPow(Missing("x"), Missing("y"))
	err = CallError(err, []string{`"x"`, `"y"`}, []string{`"x"`, `"y"`})
	want = `Cannot call function "pow" arguments "x", "y" are missing, values in scope are []`
	if err.Error() != want {
		t.Errorf("got %q\nwant %q", err, want)
	}
	_, err = FnSigma(&LambdaState{}, Int(1))
	err = ArgError(1, CallError(err, []string{`"v"`}, nil))
	want = `Failed to handle 1 argument: Cannot call function "sigma" with args ("v": int), available signatures are [(float)].`
	if err.Error() != want {
		t.Errorf("got %q\nwant %q", err, want)
	}
	if e := CallError(ErrDivideByZero, nil, nil); e != ErrDivideByZero {
		t.Errorf("CallError changed %v", e)
	}
}

// TestSquareIsPow holds Square to math.Pow(x, 2) bit for bit: random bit
// patterns (every exponent), the edges of the x*x shortcut, and the
// special values.
func TestSquareIsPow(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 2, 0.5, 3, 1e-300, -1e-300, 1e300, -1e300,
		math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN(),
		0x1p-511, -0x1p-511, math.Nextafter(0x1p-511, 0), math.Sqrt(math.MaxFloat64),
		math.Nextafter(math.Sqrt(math.MaxFloat64), math.Inf(1)), 0x1p-512 * 1.4142135623730951}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2_000_000 {
		xs = append(xs, math.Float64frombits(rng.Uint64()))
	}
	for range 200_000 {
		// Around the edges, where rounding and scaling meet.
		xs = append(xs, math.Ldexp(1+rng.Float64(), -515+rng.IntN(8)), math.Ldexp(1+rng.Float64(), 508+rng.IntN(8)))
	}
	for _, x := range xs {
		got, want := Square(x), math.Pow(x, 2)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("Square(%v) = %v, Pow = %v", x, got, want)
		}
	}
}
