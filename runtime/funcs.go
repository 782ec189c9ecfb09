package runtime

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The 82 lambda functions of Kapacitor 1.5.9 (functions.md §2).
//
// Every function has a generic entry, FnName, over Values: it checks the
// argument kinds against the function's signatures, as Kapacitor does at
// every call, and returns Kapacitor's errors. Compiled lambdas call those
// when the static argument types leave a doubt; when they do not, they call
// Go directly (math.Sqrt, strings.Contains) or the typed helpers below
// (SigmaOf, LocalHour, FormatDuration, …), which share the semantics.

// ---------------------------------------------------------------------------
// Errors

// SignatureError is a call whose argument types match no signature of the
// function. Compiled code adds the argument texts and the references in
// scope with CallError before returning it.
type SignatureError struct {
	Func  string
	Types []string // Kapacitor's type names of the arguments
	Sigs  string   // the available signatures, "[(float), (int)]"
	Args  []string // the arguments as Kapacitor prints them
	Scope []string // the lambda's references, quoted
}

func (e *SignatureError) Error() string {
	var missing []string
	for i, t := range e.Types {
		if t == "missing" && i < len(e.Args) {
			missing = append(missing, e.Args[i])
		}
	}
	if len(missing) > 0 {
		var scope []string
		for _, s := range e.Scope {
			if !contains(missing, s) {
				scope = append(scope, s)
			}
		}
		what := "argument " + strings.Join(missing, ", ") + " is missing"
		if len(missing) > 1 {
			what = "arguments " + strings.Join(missing, ", ") + " are missing"
		}
		return fmt.Sprintf("Cannot call function %q %s, values in scope are [%s]", e.Func, what, strings.Join(scope, ", "))
	}
	args := make([]string, len(e.Types))
	for i, t := range e.Types {
		text := "?"
		if i < len(e.Args) {
			text = e.Args[i]
		}
		args[i] = text + ": " + t
	}
	return fmt.Sprintf("Cannot call function %q with args (%s), available signatures are %s.", e.Func, strings.Join(args, ","), e.Sigs)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// CallError completes a SignatureError returned by a function call with
// the texts of the call's arguments and the lambda's references; other
// errors pass unchanged. It runs only on the error path.
func CallError(err error, args []string, scope []string) error {
	if se, ok := err.(*SignatureError); ok {
		c := *se
		c.Args, c.Scope = args, scope
		return &c
	}
	return err
}

// ArgError wraps an error raised while evaluating argument i (1-based) of
// a function call, as Kapacitor does.
func ArgError(i int, err error) error {
	return &TypeError{Msg: "Failed to handle " + strconv.Itoa(i) + " argument: " + err.Error()}
}

// FuncError is an error raised by the body of function name.
func FuncError(name string, err error) error {
	return &TypeError{Msg: "error calling " + strconv.Quote(name) + ": " + err.Error()}
}

func sigError(name, sigs string, args ...Value) error {
	types := make([]string, len(args))
	for i, a := range args {
		types[i] = a.Kind.String()
	}
	return &SignatureError{Func: name, Types: types, Sigs: sigs}
}

// Signature lists as Kapacitor prints them.
const (
	sigFloat      = "[(float)]"
	sigFloat2     = "[(float,float)]"
	sigInt        = "[(int)]"
	sigIntFloat   = "[(int,float)]"
	sigString     = "[(string)]"
	sigString2    = "[(string,string)]"
	sigTime       = "[(time)]"
	sigNone       = "[()]"
	sigConvert    = "[(boolean), (string), (int), (float)]"
	sigString1    = "[(boolean), (string), (int), (float), (duration)]"
	sigDuration   = "[(duration), (int,duration), (float,duration), (string,duration)]"
	sigIsPresent  = "[(missing), (boolean), (string), (int), (float)]"
	sigHumanBytes = "[(float), (int)]"
	sigIf         = "[(boolean,float,float), (boolean,int,int), (boolean,string,string), (boolean,boolean,boolean), (boolean,regex,regex), (boolean,time,time), (boolean,duration,duration)]"
	sigReplace    = "[(string,string,string,int)]"
	sigSubstring  = "[(string,int,int)]"
	sigRegexRepl  = "[(regex,string,string)]"
)

// ---------------------------------------------------------------------------
// Type conversion

// FnBool is bool(x): bool, string (Go ParseBool), int or float 0 / 1.
func FnBool(x Value) (Value, error) {
	switch x.Kind {
	case KindBool:
		return x, nil
	case KindString:
		b, err := ParseBool(x.S)
		return Bool(b), err
	case KindInt:
		b, err := IntToBool(x.I)
		return Bool(b), err
	case KindFloat:
		b, err := FloatToBool(x.F)
		return Bool(b), err
	}
	return Value{}, sigError("bool", sigConvert, x)
}

// ParseBool is bool() of a string.
func ParseBool(s string) (bool, error) {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, FuncError("bool", err)
	}
	return b, nil
}

// IntToBool is bool() of an int: 0 or 1.
func IntToBool(i int64) (bool, error) {
	switch i {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return false, FuncError("bool", fmt.Errorf("cannot convert %v to boolean", i))
}

// FloatToBool is bool() of a float: 0 or 1.
func FloatToBool(f float64) (bool, error) {
	switch f {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return false, FuncError("bool", fmt.Errorf("cannot convert %v to boolean", f))
}

// FnInt is int(x): bool 0/1, string base 10, int, float truncated.
// Durations are refused by the signature.
func FnInt(x Value) (Value, error) {
	switch x.Kind {
	case KindInt:
		return x, nil
	case KindFloat:
		return Int(int64(x.F)), nil
	case KindString:
		i, err := ParseInt(x.S)
		return Int(i), err
	case KindBool:
		return Int(x.I), nil
	}
	return Value{}, sigError("int", sigConvert, x)
}

// ParseInt is int() of a string.
func ParseInt(s string) (int64, error) {
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, FuncError("int", err)
	}
	return i, nil
}

// FnFloat is float(x): bool 0/1, string parsed, int, float.
func FnFloat(x Value) (Value, error) {
	switch x.Kind {
	case KindFloat:
		return x, nil
	case KindInt:
		return Float(float64(x.I)), nil
	case KindString:
		f, err := ParseFloat(x.S)
		return Float(f), err
	case KindBool:
		return Float(float64(x.I)), nil
	}
	return Value{}, sigError("float", sigConvert, x)
}

// ParseFloat is float() of a string.
func ParseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, FuncError("float", err)
	}
	return f, nil
}

// FnString is string(x): bool, string, int, float (never in exponent
// form) and duration (InfluxQL format).
func FnString(x Value) (Value, error) {
	switch x.Kind {
	case KindString:
		return x, nil
	case KindInt:
		return String(strconv.FormatInt(x.I, 10)), nil
	case KindFloat:
		return String(FormatFloat(x.F)), nil
	case KindBool:
		return String(strconv.FormatBool(x.I != 0)), nil
	case KindDuration:
		return String(FormatDuration(time.Duration(x.I))), nil
	}
	return Value{}, sigError("string", sigString1, x)
}

// FormatFloat is string() of a float: the shortest decimal that round-trips,
// without an exponent.
func FormatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// FormatDuration is string() of a duration, in InfluxQL's format: the
// largest of w d h m s ms u that divides it, "0s" for zero.
func FormatDuration(d time.Duration) string {
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	switch {
	case d == 0:
		return "0s"
	case d%week == 0:
		return strconv.FormatInt(int64(d/week), 10) + "w"
	case d%day == 0:
		return strconv.FormatInt(int64(d/day), 10) + "d"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	case d%time.Millisecond == 0:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
	}
	return strconv.FormatInt(int64(d/time.Microsecond), 10) + "u"
}

// FnDuration is duration(x) with one argument: only a duration passes.
func FnDuration(x Value) (Value, error) {
	if x.Kind == KindDuration {
		return x, nil
	}
	return Value{}, sigError("duration", sigDuration, x)
}

// FnDurationUnit is duration(x, unit): int or float times the unit, or a
// duration string (the unit is then ignored).
func FnDurationUnit(x, unit Value) (Value, error) {
	if unit.Kind == KindDuration {
		switch x.Kind {
		case KindInt:
			return Dur(time.Duration(x.I) * time.Duration(unit.I)), nil
		case KindFloat:
			return Dur(time.Duration(x.F * float64(unit.I))), nil
		case KindString:
			d, err := ParseDurationString(x.S)
			return Dur(d), err
		}
	}
	return Value{}, sigError("duration", sigDuration, x, unit)
}

// ParseDurationString is duration() of a string, parsed as InfluxQL does.
func ParseDurationString(s string) (time.Duration, error) {
	d, ok := parseInfluxQLDuration(s)
	if !ok {
		return 0, FuncError("duration", fmt.Errorf("invalid duration string %q", s))
	}
	return d, nil
}

// parseInfluxQLDuration parses an optional '-' and one or more
// number-unit pairs with the units ns u µ ms s m h d w.
func parseInfluxQLDuration(s string) (time.Duration, bool) {
	a := []rune(s)
	if len(s) < 2 {
		return 0, false
	}
	i, neg := 0, false
	if a[0] == '-' {
		neg, i = true, 1
	}
	var d time.Duration
	for i < len(a) {
		start := i
		for i < len(a) && a[i] >= '0' && a[i] <= '9' {
			i++
		}
		if i >= len(a) || i == start {
			return 0, false
		}
		n, err := strconv.ParseInt(string(a[start:i]), 10, 64)
		if err != nil {
			return 0, false
		}
		unit := time.Duration(0)
		switch a[i] {
		case 'n':
			if i+1 < len(a) && a[i+1] == 's' {
				unit, i = time.Nanosecond, i+1
			}
		case 'u', 'µ':
			unit = time.Microsecond
		case 'm':
			if i+1 < len(a) && a[i+1] == 's' {
				unit, i = time.Millisecond, i+1
			} else {
				unit = time.Minute
			}
		case 's':
			unit = time.Second
		case 'h':
			unit = time.Hour
		case 'd':
			unit = 24 * time.Hour
		case 'w':
			unit = 7 * 24 * time.Hour
		}
		if unit == 0 {
			return 0, false
		}
		d += time.Duration(n) * unit
		i++
	}
	if d < 0 && !neg {
		return 0, false
	}
	if neg {
		d = -d
	}
	return d, true
}

// ---------------------------------------------------------------------------
// Math: float arguments only

func math1(name string, f func(float64) float64, x Value) (Value, error) {
	if x.Kind != KindFloat {
		return Value{}, sigError(name, sigFloat, x)
	}
	return Float(f(x.F)), nil
}

func math2(name string, f func(float64, float64) float64, x, y Value) (Value, error) {
	if x.Kind != KindFloat || y.Kind != KindFloat {
		return Value{}, sigError(name, sigFloat2, x, y)
	}
	return Float(f(x.F, y.F)), nil
}

func mathIF(name string, f func(int, float64) float64, n, x Value) (Value, error) {
	if n.Kind != KindInt || x.Kind != KindFloat {
		return Value{}, sigError(name, sigIntFloat, n, x)
	}
	return Float(f(int(n.I), x.F)), nil
}

func FnAbs(x Value) (Value, error)      { return math1("abs", math.Abs, x) }
func FnAcos(x Value) (Value, error)     { return math1("acos", math.Acos, x) }
func FnAcosh(x Value) (Value, error)    { return math1("acosh", math.Acosh, x) }
func FnAsin(x Value) (Value, error)     { return math1("asin", math.Asin, x) }
func FnAsinh(x Value) (Value, error)    { return math1("asinh", math.Asinh, x) }
func FnAtan(x Value) (Value, error)     { return math1("atan", math.Atan, x) }
func FnAtan2(y, x Value) (Value, error) { return math2("atan2", math.Atan2, y, x) }
func FnAtanh(x Value) (Value, error)    { return math1("atanh", math.Atanh, x) }
func FnCbrt(x Value) (Value, error)     { return math1("cbrt", math.Cbrt, x) }
func FnCeil(x Value) (Value, error)     { return math1("ceil", math.Ceil, x) }
func FnCos(x Value) (Value, error)      { return math1("cos", math.Cos, x) }
func FnCosh(x Value) (Value, error)     { return math1("cosh", math.Cosh, x) }
func FnErf(x Value) (Value, error)      { return math1("erf", math.Erf, x) }
func FnErfc(x Value) (Value, error)     { return math1("erfc", math.Erfc, x) }
func FnExp(x Value) (Value, error)      { return math1("exp", math.Exp, x) }
func FnExp2(x Value) (Value, error)     { return math1("exp2", math.Exp2, x) }
func FnExpm1(x Value) (Value, error)    { return math1("expm1", math.Expm1, x) }
func FnFloor(x Value) (Value, error)    { return math1("floor", math.Floor, x) }
func FnGamma(x Value) (Value, error)    { return math1("gamma", math.Gamma, x) }
func FnHypot(p, q Value) (Value, error) { return math2("hypot", math.Hypot, p, q) }
func FnJ0(x Value) (Value, error)       { return math1("j0", math.J0, x) }
func FnJ1(x Value) (Value, error)       { return math1("j1", math.J1, x) }
func FnJn(n, x Value) (Value, error)    { return mathIF("jn", math.Jn, n, x) }
func FnLog(x Value) (Value, error)      { return math1("log", math.Log, x) }
func FnLog10(x Value) (Value, error)    { return math1("log10", math.Log10, x) }
func FnLog1p(x Value) (Value, error)    { return math1("log1p", math.Log1p, x) }
func FnLog2(x Value) (Value, error)     { return math1("log2", math.Log2, x) }
func FnLogb(x Value) (Value, error)     { return math1("logb", math.Logb, x) }
func FnMax(x, y Value) (Value, error)   { return math2("max", math.Max, x, y) }
func FnMin(x, y Value) (Value, error)   { return math2("min", math.Min, x, y) }
func FnMod(x, y Value) (Value, error)   { return math2("mod", math.Mod, x, y) }
func FnPow(x, y Value) (Value, error)   { return math2("pow", math.Pow, x, y) }

// Square is math.Pow(x, 2.0) at a fraction of its cost, for compiled
// code. Pow squares the mantissa of x, rounding once, then scales the
// result by a power of two, which is exact unless the square is
// subnormal; so it equals x*x wherever x*x is a normal float or infinite.
func Square(x float64) float64 {
	if math.Abs(x) >= 0x1p-511 {
		return x * x
	}
	return math.Pow(x, 2)
}
func FnSin(x Value) (Value, error)   { return math1("sin", math.Sin, x) }
func FnSinh(x Value) (Value, error)  { return math1("sinh", math.Sinh, x) }
func FnSqrt(x Value) (Value, error)  { return math1("sqrt", math.Sqrt, x) }
func FnTan(x Value) (Value, error)   { return math1("tan", math.Tan, x) }
func FnTanh(x Value) (Value, error)  { return math1("tanh", math.Tanh, x) }
func FnTrunc(x Value) (Value, error) { return math1("trunc", math.Trunc, x) }
func FnY0(x Value) (Value, error)    { return math1("y0", math.Y0, x) }
func FnY1(x Value) (Value, error)    { return math1("y1", math.Y1, x) }
func FnYn(n, x Value) (Value, error) { return mathIF("yn", math.Yn, n, x) }
func FnPow10(n Value) (Value, error) {
	if n.Kind != KindInt {
		return Value{}, sigError("pow10", sigInt, n)
	}
	return Float(math.Pow10(int(n.I))), nil
}

// ---------------------------------------------------------------------------
// Strings: byte offsets and lengths

func str2[T any](name string, f func(string, string) T, wrap func(T) Value, s, t Value) (Value, error) {
	if s.Kind != KindString || t.Kind != KindString {
		return Value{}, sigError(name, sigString2, s, t)
	}
	return wrap(f(s.S, t.S)), nil
}

func str1(name string, f func(string) string, s Value) (Value, error) {
	if s.Kind != KindString {
		return Value{}, sigError(name, sigString, s)
	}
	return String(f(s.S)), nil
}

func intOf(i int) Value { return Int(int64(i)) }

func FnStrContains(s, sub Value) (Value, error) {
	return str2("strContains", strings.Contains, Bool, s, sub)
}
func FnStrContainsAny(s, chars Value) (Value, error) {
	return str2("strContainsAny", strings.ContainsAny, Bool, s, chars)
}
func FnStrCount(s, sub Value) (Value, error) {
	return str2("strCount", strings.Count, intOf, s, sub)
}
func FnStrHasPrefix(s, p Value) (Value, error) {
	return str2("strHasPrefix", strings.HasPrefix, Bool, s, p)
}
func FnStrHasSuffix(s, p Value) (Value, error) {
	return str2("strHasSuffix", strings.HasSuffix, Bool, s, p)
}
func FnStrIndex(s, sub Value) (Value, error) {
	return str2("strIndex", strings.Index, intOf, s, sub)
}
func FnStrIndexAny(s, chars Value) (Value, error) {
	return str2("strIndexAny", strings.IndexAny, intOf, s, chars)
}
func FnStrLastIndex(s, sub Value) (Value, error) {
	return str2("strLastIndex", strings.LastIndex, intOf, s, sub)
}
func FnStrLastIndexAny(s, chars Value) (Value, error) {
	return str2("strLastIndexAny", strings.LastIndexAny, intOf, s, chars)
}
func FnStrTrim(s, cutset Value) (Value, error) {
	return str2("strTrim", strings.Trim, String, s, cutset)
}
func FnStrTrimLeft(s, cutset Value) (Value, error) {
	return str2("strTrimLeft", strings.TrimLeft, String, s, cutset)
}
func FnStrTrimRight(s, cutset Value) (Value, error) {
	return str2("strTrimRight", strings.TrimRight, String, s, cutset)
}
func FnStrTrimPrefix(s, p Value) (Value, error) {
	return str2("strTrimPrefix", strings.TrimPrefix, String, s, p)
}
func FnStrTrimSuffix(s, p Value) (Value, error) {
	return str2("strTrimSuffix", strings.TrimSuffix, String, s, p)
}
func FnStrToLower(s Value) (Value, error)   { return str1("strToLower", strings.ToLower, s) }
func FnStrToUpper(s Value) (Value, error)   { return str1("strToUpper", strings.ToUpper, s) }
func FnStrTrimSpace(s Value) (Value, error) { return str1("strTrimSpace", strings.TrimSpace, s) }

// FnStrLength is strLength(s): the length in bytes.
func FnStrLength(s Value) (Value, error) {
	if s.Kind != KindString {
		return Value{}, sigError("strLength", sigString, s)
	}
	return Int(int64(len(s.S))), nil
}

// FnStrReplace is strReplace(s, old, new, n).
func FnStrReplace(s, old, new, n Value) (Value, error) {
	if s.Kind != KindString || old.Kind != KindString || new.Kind != KindString || n.Kind != KindInt {
		return Value{}, sigError("strReplace", sigReplace, s, old, new, n)
	}
	return String(strings.Replace(s.S, old.S, new.S, int(n.I))), nil
}

// FnStrSubstring is strSubstring(s, start, stop).
func FnStrSubstring(s, start, stop Value) (Value, error) {
	if s.Kind != KindString || start.Kind != KindInt || stop.Kind != KindInt {
		return Value{}, sigError("strSubstring", sigSubstring, s, start, stop)
	}
	sub, err := Substring(s.S, start.I, stop.I)
	return String(sub), err
}

// Substring is strSubstring over bytes [start, stop), with Kapacitor's
// checks: stop must be below the length (so the last byte is out of
// reach), and start beyond stop is an error rather than a panic.
func Substring(s string, start, stop int64) (string, error) {
	switch {
	case start < 0:
		return "", FuncError("strSubstring", fmt.Errorf("found negative index for strSubstring: %d", start))
	case stop < 0:
		return "", FuncError("strSubstring", fmt.Errorf("found negative index for strSubstring: %d", stop))
	case stop >= int64(len(s)):
		return "", FuncError("strSubstring", fmt.Errorf("stop index too large for string in strSubstring: %d", stop))
	case start > stop:
		return "", FuncError("strSubstring", fmt.Errorf("slice bounds out of range [%d:%d]", start, stop))
	}
	return s[start:stop], nil
}

// FnRegexReplace is regexReplace(re, src, repl); the regex is always
// known when the lambda is compiled.
func FnRegexReplace(re *Regex, src, repl Value) (Value, error) {
	if src.Kind != KindString || repl.Kind != KindString {
		return Value{}, &SignatureError{Func: "regexReplace", Types: []string{"regex", src.Kind.String(), repl.Kind.String()}, Sigs: sigRegexRepl}
	}
	return String(re.ReplaceAllString(src.S, repl.S)), nil
}

// ---------------------------------------------------------------------------
// Presence, time, formatting, conditional

// FnIsPresent is isPresent(x): false only for a missing reference.
func FnIsPresent(x Value) (Value, error) {
	switch x.Kind {
	case KindMissing:
		return Bool(false), nil
	case KindBool, KindString, KindInt, KindFloat:
		return Bool(true), nil
	}
	return Value{}, sigError("isPresent", sigIsPresent, x)
}

// localTime is a lambda time value as a time in the process's zone, as
// Kapacitor hands "time" to lambdas.
func localTime(ns int64) time.Time { return time.Unix(0, ns) }

// Time accessors over Unix nanoseconds, in the local zone.
func LocalMinute(ns int64) int64  { return int64(localTime(ns).Minute()) }
func LocalHour(ns int64) int64    { return int64(localTime(ns).Hour()) }
func LocalWeekday(ns int64) int64 { return int64(localTime(ns).Weekday()) }
func LocalDay(ns int64) int64     { return int64(localTime(ns).Day()) }
func LocalMonth(ns int64) int64   { return int64(localTime(ns).Month()) }
func LocalYear(ns int64) int64    { return int64(localTime(ns).Year()) }

// WallNow is now(): the wall clock, not the data's time.
func WallNow() int64 { return time.Now().UnixNano() }

func timeFn(name string, f func(int64) int64, t Value) (Value, error) {
	if t.Kind != KindTime {
		return Value{}, sigError(name, sigTime, t)
	}
	return Int(f(t.I)), nil
}

func unixNano(ns int64) int64 { return ns }

func FnUnixNano(t Value) (Value, error) { return timeFn("unixNano", unixNano, t) }
func FnMinute(t Value) (Value, error)   { return timeFn("minute", LocalMinute, t) }
func FnHour(t Value) (Value, error)     { return timeFn("hour", LocalHour, t) }
func FnWeekday(t Value) (Value, error)  { return timeFn("weekday", LocalWeekday, t) }
func FnDay(t Value) (Value, error)      { return timeFn("day", LocalDay, t) }
func FnMonth(t Value) (Value, error)    { return timeFn("month", LocalMonth, t) }
func FnYear(t Value) (Value, error)     { return timeFn("year", LocalYear, t) }

// FnNow is now().
func FnNow() (Value, error) { return TimeValue(WallNow()), nil }

// FnHumanBytes is humanBytes(n) over a float or an int.
func FnHumanBytes(n Value) (Value, error) {
	switch n.Kind {
	case KindFloat:
		return String(HumanBytes(uint64(n.F))), nil
	case KindInt:
		return String(HumanBytes(uint64(n.I))), nil
	}
	return Value{}, sigError("humanBytes", sigHumanBytes, n)
}

// HumanBytes formats a byte count in SI units the way go-humanize's Bytes
// does (Kapacitor's humanBytes): "<n> B" below 10, else one decimal below
// 10 units and none above, the value rounded half up at one decimal.
func HumanBytes(s uint64) string {
	if s < 10 {
		return strconv.FormatUint(s, 10) + " B"
	}
	sizes := [...]string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	e := math.Floor(math.Log(float64(s)) / math.Log(1000))
	val := math.Floor(float64(s)/math.Pow(1000, e)*10+0.5) / 10
	prec := 0
	if val < 10 {
		prec = 1
	}
	return strconv.FormatFloat(val, 'f', prec, 64) + " " + sizes[int(e)]
}

// FnIf is if(cond, a, b) for non-regex branches of the same type.
func FnIf(cond, a, b Value) (Value, error) {
	if cond.Kind != KindBool || a.Kind != b.Kind || a.Kind == KindMissing {
		return Value{}, sigError("if", sigIf, cond, a, b)
	}
	if cond.I != 0 {
		return a, nil
	}
	return b, nil
}

// IfCond checks the condition of an if() whose branches are regexes.
func IfCond(cond Value) (bool, error) {
	if cond.Kind != KindBool {
		return false, &SignatureError{Func: "if", Types: []string{cond.Kind.String(), "regex", "regex"}, Sigs: sigIf}
	}
	return cond.I != 0, nil
}

// ---------------------------------------------------------------------------
// Stateful functions: one state per function per expression instance

// CountOf is count(): 1 on the first evaluation, 2 on the second, …
func CountOf(st *LambdaState) int64 {
	st.Count++
	return st.Count
}

// FnCount is count() as a Value.
func FnCount(st *LambdaState) (Value, error) { return Int(CountOf(st)), nil }

// SigmaOf is sigma(x): how many sample standard deviations x is from the
// running mean of every value so far, x included (Welford); 0 while fewer
// than two values or no variance.
func SigmaOf(s *SigmaState, x float64) float64 {
	s.N++
	n := float64(s.N)
	delta := x - s.Mean
	s.Mean += delta / n
	s.M2 += delta * (x - s.Mean)
	variance := s.M2 / (n - 1)
	if n < 2 || variance == 0 {
		return 0
	}
	return math.Abs(x-s.Mean) / math.Sqrt(variance)
}

// FnSigma is sigma(x) over a Value.
func FnSigma(st *LambdaState, x Value) (Value, error) {
	if x.Kind != KindFloat {
		return Value{}, sigError("sigma", sigFloat, x)
	}
	return Float(SigmaOf(&st.Sigma, x.F)), nil
}

// SpreadOf is spread(x): running maximum minus running minimum, x included.
func SpreadOf(s *SpreadState, x float64) float64 {
	if !s.Init {
		s.Init, s.Min, s.Max = true, math.Inf(1), math.Inf(-1)
	}
	if x < s.Min {
		s.Min = x
	}
	if x > s.Max {
		s.Max = x
	}
	return s.Max - s.Min
}

// FnSpread is spread(x) over a Value.
func FnSpread(st *LambdaState, x Value) (Value, error) {
	if x.Kind != KindFloat {
		return Value{}, sigError("spread", sigFloat, x)
	}
	return Float(SpreadOf(&st.Spread, x.F)), nil
}

// ---------------------------------------------------------------------------
// Registry

// Builtin is a lambda function callable by name over Values, for constant
// folding at compile time and for tests. regexReplace, which takes a regex,
// has no Call.
type Builtin struct {
	Name     string
	Stateful bool
	// Call applies the function; st is used only by stateful functions.
	Call func(st *LambdaState, args []Value) (Value, error)
}

// Builtins are the 82 lambda functions by name.
var Builtins = map[string]*Builtin{}

func init() {
	arity := func(name string, n int, f func(st *LambdaState, a []Value) (Value, error)) {
		Builtins[name] = &Builtin{Name: name, Call: func(st *LambdaState, a []Value) (Value, error) {
			if len(a) != n {
				return Value{}, &TypeError{Msg: fmt.Sprintf("%s expects %d arguments, got %d", name, n, len(a))}
			}
			return f(st, a)
		}}
	}
	one := func(name string, f func(Value) (Value, error)) {
		arity(name, 1, func(_ *LambdaState, a []Value) (Value, error) { return f(a[0]) })
	}
	two := func(name string, f func(Value, Value) (Value, error)) {
		arity(name, 2, func(_ *LambdaState, a []Value) (Value, error) { return f(a[0], a[1]) })
	}
	for name, f := range map[string]func(Value) (Value, error){
		"bool": FnBool, "int": FnInt, "float": FnFloat, "string": FnString,
		"abs": FnAbs, "acos": FnAcos, "acosh": FnAcosh, "asin": FnAsin, "asinh": FnAsinh,
		"atan": FnAtan, "atanh": FnAtanh, "cbrt": FnCbrt, "ceil": FnCeil, "cos": FnCos,
		"cosh": FnCosh, "erf": FnErf, "erfc": FnErfc, "exp": FnExp, "exp2": FnExp2,
		"expm1": FnExpm1, "floor": FnFloor, "gamma": FnGamma, "j0": FnJ0, "j1": FnJ1,
		"log": FnLog, "log10": FnLog10, "log1p": FnLog1p, "log2": FnLog2, "logb": FnLogb,
		"pow10": FnPow10, "sin": FnSin, "sinh": FnSinh, "sqrt": FnSqrt, "tan": FnTan,
		"tanh": FnTanh, "trunc": FnTrunc, "y0": FnY0, "y1": FnY1,
		"strLength": FnStrLength, "strToLower": FnStrToLower, "strToUpper": FnStrToUpper,
		"strTrimSpace": FnStrTrimSpace, "isPresent": FnIsPresent,
		"unixNano": FnUnixNano, "minute": FnMinute, "hour": FnHour, "weekday": FnWeekday,
		"day": FnDay, "month": FnMonth, "year": FnYear, "humanBytes": FnHumanBytes,
	} {
		one(name, f)
	}
	for name, f := range map[string]func(Value, Value) (Value, error){
		"atan2": FnAtan2, "hypot": FnHypot, "jn": FnJn, "max": FnMax, "min": FnMin,
		"mod": FnMod, "pow": FnPow, "yn": FnYn,
		"strContains": FnStrContains, "strContainsAny": FnStrContainsAny, "strCount": FnStrCount,
		"strHasPrefix": FnStrHasPrefix, "strHasSuffix": FnStrHasSuffix, "strIndex": FnStrIndex,
		"strIndexAny": FnStrIndexAny, "strLastIndex": FnStrLastIndex, "strLastIndexAny": FnStrLastIndexAny,
		"strTrim": FnStrTrim, "strTrimLeft": FnStrTrimLeft, "strTrimRight": FnStrTrimRight,
		"strTrimPrefix": FnStrTrimPrefix, "strTrimSuffix": FnStrTrimSuffix,
	} {
		two(name, f)
	}
	Builtins["duration"] = &Builtin{Name: "duration", Call: func(_ *LambdaState, a []Value) (Value, error) {
		switch len(a) {
		case 1:
			return FnDuration(a[0])
		case 2:
			return FnDurationUnit(a[0], a[1])
		}
		return Value{}, &TypeError{Msg: "duration expects one or two arguments"}
	}}
	arity("strReplace", 4, func(_ *LambdaState, a []Value) (Value, error) { return FnStrReplace(a[0], a[1], a[2], a[3]) })
	arity("strSubstring", 3, func(_ *LambdaState, a []Value) (Value, error) { return FnStrSubstring(a[0], a[1], a[2]) })
	arity("if", 3, func(_ *LambdaState, a []Value) (Value, error) { return FnIf(a[0], a[1], a[2]) })
	arity("now", 0, func(_ *LambdaState, a []Value) (Value, error) { return FnNow() })
	arity("count", 0, func(st *LambdaState, a []Value) (Value, error) { return FnCount(st) })
	arity("sigma", 1, func(st *LambdaState, a []Value) (Value, error) { return FnSigma(st, a[0]) })
	arity("spread", 1, func(st *LambdaState, a []Value) (Value, error) { return FnSpread(st, a[0]) })
	for _, name := range []string{"count", "sigma", "spread"} {
		Builtins[name].Stateful = true
	}
	Builtins["regexReplace"] = &Builtin{Name: "regexReplace"}
}
