package runtime

import (
	"strconv"
	"time"
)

// Kind is the type of a Value.
type Kind uint8

const (
	KindMissing  Kind = iota // an absent field or tag (the zero Value)
	KindFloat                // F
	KindInt                  // I
	KindString               // S
	KindBool                 // I: 0 or 1
	KindDuration             // I: nanoseconds (lambda values only; stored in fields as int)
	KindTime                 // I: Unix nanoseconds (lambda values only)
)

func (k Kind) String() string {
	switch k {
	case KindFloat:
		return "float"
	case KindInt:
		return "int"
	case KindString:
		return "string"
	case KindBool:
		return "boolean"
	case KindDuration:
		return "duration"
	case KindTime:
		return "time"
	}
	return "missing"
}

// Value is a field, tag or lambda value, kept unboxed so reading a field
// or evaluating a lambda does not allocate.
type Value struct {
	Kind Kind
	I    int64
	F    float64
	S    string
}

func Float(f float64) Value          { return Value{Kind: KindFloat, F: f} }
func Int(i int64) Value              { return Value{Kind: KindInt, I: i} }
func String(s string) Value          { return Value{Kind: KindString, S: s} }
func Dur(d time.Duration) Value      { return Value{Kind: KindDuration, I: int64(d)} }
func TimeValue(unixNano int64) Value { return Value{Kind: KindTime, I: unixNano} }
func Bool(b bool) Value {
	if b {
		return Value{Kind: KindBool, I: 1}
	}
	return Value{Kind: KindBool}
}

// Bool reports the value of a KindBool value.
func (v Value) Bool() bool { return v.I != 0 }

// IsMissing reports whether the value is absent.
func (v Value) IsMissing() bool { return v.Kind == KindMissing }

// Stored converts a lambda result into what a point field holds:
// durations become integer nanoseconds (nodes.md §2.2). Times cannot be
// stored; callers reject KindTime before.
func (v Value) Stored() Value {
	if v.Kind == KindDuration {
		return Value{Kind: KindInt, I: v.I}
	}
	return v
}

// Interface returns the value as Go's natural type (float64, int64,
// string, bool, time.Duration, time.Time; nil when missing), for
// templates and JSON.
func (v Value) Interface() any {
	switch v.Kind {
	case KindFloat:
		return v.F
	case KindInt:
		return v.I
	case KindString:
		return v.S
	case KindBool:
		return v.I != 0
	case KindDuration:
		return time.Duration(v.I)
	case KindTime:
		return time.Unix(0, v.I).UTC()
	}
	return nil
}

// String formats the value for logs and error messages.
func (v Value) String() string {
	switch v.Kind {
	case KindFloat:
		return strconv.FormatFloat(v.F, 'f', -1, 64)
	case KindInt:
		return strconv.FormatInt(v.I, 10)
	case KindString:
		return v.S
	case KindBool:
		return strconv.FormatBool(v.I != 0)
	case KindDuration:
		return time.Duration(v.I).String()
	case KindTime:
		return time.Unix(0, v.I).UTC().Format(time.RFC3339Nano)
	}
	return "<missing>"
}
