package stdlib

// The 82 built-in lambda functions of Kapacitor 1.5.9 (spec/functions.md
// §2). A call must match one signature exactly: there is no implicit
// conversion, not even int to float.

// sig is one signature: the parameter types, then the result last.
func sig(types ...Type) Signature {
	n := len(types) - 1
	return Signature{Params: append([]Type(nil), types[:n]...), Result: types[n]}
}

func fn(name, doc string, sigs ...Signature) *Func {
	return &Func{Name: name, Sigs: sigs, Doc: doc}
}

func stateful(name, doc string, sigs ...Signature) *Func {
	f := fn(name, doc, sigs...)
	f.Stateful = true
	return f
}

// math1 is a float → float function.
func math1(name, doc string) *Func { return fn(name, doc, sig(Float, Float)) }

// math2 is a (float, float) → float function.
func math2(name, doc string) *Func { return fn(name, doc, sig(Float, Float, Float)) }

// ifSigs is (bool, T, T) → T for every T the conditional accepts.
func ifSigs() []Signature {
	var out []Signature
	for _, t := range []Type{Float, Int, String, Bool, Regex, Time, Duration} {
		out = append(out, sig(Bool, t, t, t))
	}
	return out
}

var allFuncs = []*Func{
	// Type conversion
	fn("bool", "Converts to bool: 'true'/'false' style strings, 0 or 1.",
		sig(Bool, Bool), sig(String, Bool), sig(Int, Bool), sig(Float, Bool)),
	fn("int", "Converts to int; floats are truncated toward zero, strings parsed in base 10.",
		sig(Bool, Int), sig(String, Int), sig(Int, Int), sig(Float, Int)),
	fn("float", "Converts to float; strings are parsed.",
		sig(Bool, Float), sig(String, Float), sig(Int, Float), sig(Float, Float)),
	fn("string", "Converts to string; durations use the InfluxQL format.",
		sig(Bool, String), sig(String, String), sig(Int, String), sig(Float, String), sig(Duration, String)),
	fn("duration", "Converts to duration: a number times the unit, or a duration string (the unit is then ignored but required).",
		sig(Duration, Duration), sig(Int, Duration, Duration), sig(Float, Duration, Duration), sig(String, Duration, Duration)),

	// Math
	math1("abs", "Absolute value."),
	math1("acos", "Arc cosine, in radians."),
	math1("acosh", "Inverse hyperbolic cosine."),
	math1("asin", "Arc sine, in radians."),
	math1("asinh", "Inverse hyperbolic sine."),
	math1("atan", "Arc tangent, in radians."),
	math2("atan2", "Arc tangent of y/x, using the signs of both to pick the quadrant."),
	math1("atanh", "Inverse hyperbolic tangent."),
	math1("cbrt", "Cube root."),
	math1("ceil", "Smallest integral value not below x, as a float."),
	math1("cos", "Cosine of radians."),
	math1("cosh", "Hyperbolic cosine."),
	math1("erf", "Error function."),
	math1("erfc", "Complementary error function."),
	math1("exp", "e raised to x."),
	math1("exp2", "2 raised to x."),
	math1("expm1", "e raised to x, minus 1, accurate near zero."),
	math1("floor", "Largest integral value not above x, as a float."),
	math1("gamma", "Gamma function."),
	math2("hypot", "Square root of p*p + q*q."),
	math1("j0", "Bessel function of the first kind, order 0."),
	math1("j1", "Bessel function of the first kind, order 1."),
	fn("jn", "Bessel function of the first kind, order n.", sig(Int, Float, Float)),
	math1("log", "Natural logarithm."),
	math1("log10", "Base-10 logarithm."),
	math1("log1p", "Natural logarithm of 1 + x, accurate near zero."),
	math1("log2", "Base-2 logarithm."),
	math1("logb", "Binary exponent of x."),
	math2("max", "Larger of two floats."),
	math2("min", "Smaller of two floats."),
	math2("mod", "Floating-point remainder of x/y, with the sign of x."),
	math2("pow", "x raised to y."),
	fn("pow10", "10 raised to an integer n.", sig(Int, Float)),
	math1("sin", "Sine of radians."),
	math1("sinh", "Hyperbolic sine."),
	math1("sqrt", "Square root."),
	math1("tan", "Tangent of radians."),
	math1("tanh", "Hyperbolic tangent."),
	math1("trunc", "x with its fractional part removed, as a float."),
	math1("y0", "Bessel function of the second kind, order 0."),
	math1("y1", "Bessel function of the second kind, order 1."),
	fn("yn", "Bessel function of the second kind, order n.", sig(Int, Float, Float)),

	// Strings (byte offsets and lengths)
	fn("strContains", "Whether s contains the substring.", sig(String, String, Bool)),
	fn("strContainsAny", "Whether s contains any character of chars.", sig(String, String, Bool)),
	fn("strCount", "Number of non-overlapping occurrences of the substring.", sig(String, String, Int)),
	fn("strHasPrefix", "Whether s starts with the prefix.", sig(String, String, Bool)),
	fn("strHasSuffix", "Whether s ends with the suffix.", sig(String, String, Bool)),
	fn("strIndex", "Byte index of the first occurrence of the substring, or -1.", sig(String, String, Int)),
	fn("strIndexAny", "Byte index of the first character of chars in s, or -1.", sig(String, String, Int)),
	fn("strLastIndex", "Byte index of the last occurrence of the substring, or -1.", sig(String, String, Int)),
	fn("strLastIndexAny", "Byte index of the last character of chars in s, or -1.", sig(String, String, Int)),
	fn("strLength", "Length of s in bytes.", sig(String, Int)),
	fn("strReplace", "Replaces the first n occurrences of old with new (all when n < 0).", sig(String, String, String, Int, String)),
	fn("strSubstring", "Bytes from start up to, not including, stop.", sig(String, Int, Int, String)),
	fn("strToLower", "s in lower case.", sig(String, String)),
	fn("strToUpper", "s in upper case.", sig(String, String)),
	fn("strTrim", "s without leading and trailing characters of the cutset.", sig(String, String, String)),
	fn("strTrimLeft", "s without leading characters of the cutset.", sig(String, String, String)),
	fn("strTrimPrefix", "s without the prefix, if present.", sig(String, String, String)),
	fn("strTrimRight", "s without trailing characters of the cutset.", sig(String, String, String)),
	fn("strTrimSpace", "s without leading and trailing white space.", sig(String, String)),
	fn("strTrimSuffix", "s without the suffix, if present.", sig(String, String, String)),

	// Regex
	fn("regexReplace", "Replaces every match of the regex in src with repl ($1 and ${name} expand groups).",
		sig(Regex, String, String, String)),

	// Presence
	fn("isPresent", "Whether the field or tag exists on the point.",
		sig(Missing, Bool), sig(Bool, Bool), sig(String, Bool), sig(Int, Bool), sig(Float, Bool)),

	// Time
	fn("unixNano", "Nanoseconds since the Unix epoch.", sig(Time, Int)),
	fn("minute", "Minute of the hour, 0-59.", sig(Time, Int)),
	fn("hour", "Hour of the day, 0-23, in the local time zone.", sig(Time, Int)),
	fn("weekday", "Day of the week, 0 (Sunday) to 6.", sig(Time, Int)),
	fn("day", "Day of the month, 1-31.", sig(Time, Int)),
	fn("month", "Month of the year, 1-12.", sig(Time, Int)),
	fn("year", "The year.", sig(Time, Int)),
	fn("now", "The current wall-clock time.", sig(Time)),

	// Formatting
	fn("humanBytes", "A byte count in SI units, e.g. '124 MB'.", sig(Float, String), sig(Int, String)),

	// Conditional
	fn("if", "a when cond is true, else b; both branches are evaluated and must have the same type.", ifSigs()...),

	// Stateful
	stateful("count", "Counts its own evaluations: 1, 2, 3, ...", sig(Int)),
	stateful("sigma", "Number of standard deviations x is from the running mean of all values so far.", sig(Float, Float)),
	stateful("spread", "Running maximum minus running minimum of all values so far.", sig(Float, Float)),
}

// FuncNames returns the names of all lambda functions, sorted.
func FuncNames() []string {
	fs := Funcs()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}
