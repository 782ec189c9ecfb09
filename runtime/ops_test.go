package runtime

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// kindSamples has one value of every kind a lambda operand can have.
var kindSamples = map[Kind]Value{
	KindMissing:  Missing("m"),
	KindFloat:    Float(2.5),
	KindInt:      Int(2),
	KindString:   String("s"),
	KindBool:     Bool(true),
	KindDuration: Dur(2 * time.Second),
	KindTime:     TimeValue(1),
}

// opTable is language.md §4.2: the result kind of every valid
// combination; every other combination is an error.
var opTable = map[Op]map[[2]Kind]Kind{
	OpAdd: {{KindInt, KindInt}: KindInt, {KindFloat, KindFloat}: KindFloat,
		{KindString, KindString}: KindString, {KindDuration, KindDuration}: KindDuration},
	OpSub: {{KindInt, KindInt}: KindInt, {KindFloat, KindFloat}: KindFloat, {KindDuration, KindDuration}: KindDuration},
	OpMul: {{KindInt, KindInt}: KindInt, {KindFloat, KindFloat}: KindFloat,
		{KindDuration, KindInt}: KindDuration, {KindInt, KindDuration}: KindDuration,
		{KindDuration, KindFloat}: KindDuration, {KindFloat, KindDuration}: KindDuration},
	OpDiv: {{KindInt, KindInt}: KindInt, {KindFloat, KindFloat}: KindFloat,
		{KindDuration, KindInt}: KindDuration, {KindDuration, KindFloat}: KindDuration,
		{KindDuration, KindDuration}: KindInt},
	OpMod: {{KindInt, KindInt}: KindInt},
}

func init() {
	eq := map[[2]Kind]Kind{}
	ord := map[[2]Kind]Kind{}
	for _, k := range []Kind{KindInt, KindFloat, KindString, KindDuration} {
		eq[[2]Kind{k, k}] = KindBool
		ord[[2]Kind{k, k}] = KindBool
	}
	eq[[2]Kind{KindBool, KindBool}] = KindBool
	for _, m := range []map[[2]Kind]Kind{eq, ord} {
		m[[2]Kind{KindInt, KindFloat}] = KindBool
		m[[2]Kind{KindFloat, KindInt}] = KindBool
	}
	opTable[OpEq], opTable[OpNeq] = eq, eq
	opTable[OpLt], opTable[OpLte], opTable[OpGt], opTable[OpGte] = ord, ord, ord, ord
	opTable[OpAnd] = map[[2]Kind]Kind{{KindBool, KindBool}: KindBool}
	opTable[OpOr] = opTable[OpAnd]
}

// TestOperatorKinds runs every operator over every pair of kinds and
// checks the result kind against the table, and the message otherwise.
func TestOperatorKinds(t *testing.T) {
	for op, valid := range opTable {
		for lk, l := range kindSamples {
			for rk, r := range kindSamples {
				got, err := Binary(op, l, r)
				want, ok := valid[[2]Kind{lk, rk}]
				if ok {
					if err != nil || got.Kind != want {
						t.Errorf("%v %v %v: got %v %v, want kind %v", lk, op, rk, got, err, want)
					}
					continue
				}
				if err == nil {
					t.Errorf("%v %v %v: got %v, want an error", lk, op, rk, got)
					continue
				}
				if msg := expectedOpError(op, lk, rk); err.Error() != msg {
					t.Errorf("%v %v %v:\n got %q\nwant %q", lk, op, rk, err, msg)
				}
			}
		}
	}
}

// expectedOpError is Kapacitor's message for an invalid combination.
func expectedOpError(op Op, l, r Kind) string {
	if op >= OpEq && (l == KindMissing || r == KindMissing) {
		if l == KindMissing {
			return `left reference value "m" is missing value`
		}
		return `right reference value "m" is missing value`
	}
	takes := false
	for pair := range opTable[op] {
		if pair[0] == l || pair[1] == l {
			takes = true
		}
	}
	if takes {
		return "mismatched type to binary operator. got " + l.String() + " " + op.String() + " " + r.String() +
			". see bool(), int(), float(), string(), duration()"
	}
	kind := map[bool]string{true: "math", false: "comparison"}[op <= OpMod]
	if op >= OpAnd {
		kind = "logical"
	}
	return "invalid " + kind + " operator " + op.String() + " for type " + l.String()
}

func TestOperatorValues(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		op   Op
		l, r Value
		want Value
		err  string
	}{
		{OpAdd, Int(math.MaxInt64), Int(1), Int(math.MinInt64), ""},
		{OpAdd, String("a"), String("b"), String("ab"), ""},
		{OpSub, Dur(time.Minute), Dur(time.Second), Dur(59 * time.Second), ""},
		{OpMul, Dur(time.Second), Float(1.5), Dur(1500 * time.Millisecond), ""},
		{OpMul, Float(-0.5), Dur(3), Dur(-1), ""}, // truncated toward zero
		{OpMul, Int(3), Dur(time.Second), Dur(3 * time.Second), ""},
		{OpDiv, Int(-7), Int(2), Int(-3), ""},
		{OpDiv, Int(1), Int(0), Value{}, "runtime error: integer divide by zero"},
		{OpDiv, Float(1), Float(0), Float(math.Inf(1)), ""},
		{OpDiv, Dur(10 * time.Second), Dur(3 * time.Second), Int(3), ""},
		{OpDiv, Dur(time.Second), Dur(0), Value{}, "runtime error: integer divide by zero"},
		{OpDiv, Dur(time.Second), Int(0), Value{}, "runtime error: integer divide by zero"},
		{OpDiv, Dur(time.Second), Float(4), Dur(250 * time.Millisecond), ""},
		{OpMod, Int(-7), Int(3), Int(-1), ""},
		{OpMod, Int(7), Int(0), Value{}, "runtime error: integer divide by zero"},
		{OpEq, Int(2), Float(2), Bool(true), ""},
		{OpEq, Float(nan), Float(nan), Bool(false), ""},
		{OpNeq, Float(nan), Int(1), Bool(true), ""},
		{OpLte, Int(1), Float(nan), Bool(false), ""},
		{OpGte, Float(nan), Float(nan), Bool(false), ""},
		{OpLt, String("B"), String("a"), Bool(true), ""}, // bytewise
		{OpLt, String("é"), String("z"), Bool(false), ""},
		{OpGt, Dur(2), Dur(1), Bool(true), ""},
		{OpEq, Bool(false), Bool(false), Bool(true), ""},
		{OpNeq, Bool(true), Bool(false), Bool(true), ""},
		{OpLt, Int(-1), Int(1), Bool(true), ""},
		{OpGte, Int(1), Float(0.5), Bool(true), ""},
		{OpAnd, Bool(true), Bool(false), Bool(false), ""},
		{OpOr, Bool(true), Bool(false), Bool(true), ""},
		{OpAnd, Missing("a"), Bool(false), Value{}, `left reference value "a" is missing value`},
	}
	for _, tt := range tests {
		got, err := Binary(tt.op, tt.l, tt.r)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%v %v %v: err %v, want %q", tt.l, tt.op, tt.r, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%v %v %v = %v (%v) %v, want %v (%v)", tt.l, tt.op, tt.r, got, got.Kind, err, tt.want, tt.want.Kind)
		}
	}
}

func TestRegexOps(t *testing.T) {
	re := MustCompileRegex("b+")
	if ok, err := Match(String("abbc"), re); !ok || err != nil {
		t.Errorf("Match: %v %v", ok, err)
	}
	if ok, err := NotMatch(String("ac"), re); !ok || err != nil {
		t.Errorf("NotMatch: %v %v", ok, err)
	}
	for _, tt := range []struct {
		v    Value
		want string
	}{
		{Int(1), "invalid comparison operator =~ for type int"},
		{Missing("x"), `left reference value "x" is missing value`},
		{Bool(true), "invalid comparison operator =~ for type boolean"},
	} {
		if _, err := Match(tt.v, re); err == nil || err.Error() != tt.want {
			t.Errorf("Match(%v): %v, want %q", tt.v, err, tt.want)
		}
	}
}

func TestLogicalSides(t *testing.T) {
	if _, err := LogicalLeft(OpAnd, Int(1)); err == nil || err.Error() != "invalid logical operator AND for type int" {
		t.Errorf("LogicalLeft int: %v", err)
	}
	if _, err := LogicalLeft(OpOr, Missing("x")); err == nil || err.Error() != `left reference value "x" is missing value` {
		t.Errorf("LogicalLeft missing: %v", err)
	}
	if _, err := LogicalRight(OpOr, String("x")); err == nil ||
		!strings.HasPrefix(err.Error(), "mismatched type to binary operator. got boolean OR string") {
		t.Errorf("LogicalRight string: %v", err)
	}
	if _, err := LogicalRight(OpAnd, Missing("y")); err == nil || err.Error() != `right reference value "y" is missing value` {
		t.Errorf("LogicalRight missing: %v", err)
	}
	if ok, err := LogicalLeft(OpAnd, Bool(true)); !ok || err != nil {
		t.Errorf("LogicalLeft true: %v %v", ok, err)
	}
}

func TestUnary(t *testing.T) {
	if v, err := Neg(Int(math.MinInt64)); err != nil || v != Int(math.MinInt64) {
		t.Errorf("Neg(MinInt64) = %v %v", v, err)
	}
	if v, err := Neg(Dur(time.Second)); err != nil || v != Dur(-time.Second) {
		t.Errorf("Neg(1s) = %v %v", v, err)
	}
	if _, err := Neg(String("x")); err == nil {
		t.Error("Neg(string) succeeded")
	}
	if _, err := Neg(Missing("x")); err == nil || err.Error() != `reference "x" is missing value` {
		t.Errorf("Neg(missing): %v", err)
	}
	if b, err := Not(Bool(false)); !b || err != nil {
		t.Errorf("Not(false) = %v %v", b, err)
	}
	if _, err := Not(Int(0)); err == nil || err.Error() != "TypeGuard: expression returned unexpected type int, expected boolean" {
		t.Errorf("Not(int): %v", err)
	}
}

func TestRef(t *testing.T) {
	r := &Row{
		Tags:   Tags{{"host", "a"}, {"x", "tag"}},
		Fields: Fields{{"v", Float(1)}, {"x", Int(2)}},
	}
	if v, err := r.Ref("v"); err != nil || v != Float(1) {
		t.Errorf("field: %v %v", v, err)
	}
	if v, err := r.Ref("host"); err != nil || v != String("a") {
		t.Errorf("tag: %v %v", v, err)
	}
	if v, err := r.Ref("nope"); err != nil || v.Kind != KindMissing || v.S != "nope" {
		t.Errorf("missing: %#v %v", v, err)
	}
	if _, err := r.Ref("x"); err == nil || err.Error() != `cannot have field and tags with same name "x"` {
		t.Errorf("both: %v", err)
	}
}

func TestEvalPredicate(t *testing.T) {
	l := func(v Value) *Lambda {
		return &Lambda{Func: func(*Row, *LambdaState) (Value, error) { return v, nil }}
	}
	if ok, err := EvalPredicate(l(Bool(true)), &Row{}, nil); !ok || err != nil {
		t.Errorf("true: %v %v", ok, err)
	}
	if _, err := EvalPredicate(l(Missing("f")), &Row{}, nil); err == nil || err.Error() != `reference "f" is missing value` {
		t.Errorf("missing: %v", err)
	}
	if _, err := EvalPredicate(l(Float(1)), &Row{}, nil); err == nil {
		t.Error("float predicate succeeded")
	}
}

// The comparison entries must stay cheap enough to inline-call on the
// hot path: no allocation.
func TestOpsDoNotAllocate(t *testing.T) {
	a, b := Float(1), Int(2)
	n := testing.AllocsPerRun(100, func() {
		_, _ = Lt(a, b)
		_, _ = Add(a, a)
		_, _ = Eq(String("x"), String("y"))
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// TestRegexLiteralForms checks that literal patterns matched with string
// functions agree with the regexp on every subject.
func TestRegexLiteralForms(t *testing.T) {
	patterns := map[string]literalMode{
		"^us-": prefixLiteral, "abc": containsLiteral, "total$": suffixLiteral, "^x$": equalsLiteral,
		"^$": equalsLiteral, "^": prefixLiteral, "$": suffixLiteral, "é": containsLiteral,
		"(?i)abc": notLiteral, "^a.c": notLiteral, "(?m)^a": notLiteral, "a|b": notLiteral,
		"\uFFFD": notLiteral, `\^a`: containsLiteral, "^(us)-": notLiteral, "": notLiteral,
	}
	subjects := []string{"", "us-east", "xus-", "abc", "ABC", "zabcz", "total", "subtotal", "x", "xx",
		"é", "e\u0301", "\xffabc", "\xc3", "a\nb", "^a", "\uFFFD", "\xff"}
	for p, mode := range patterns {
		r := MustCompileRegex(p)
		if r.mode != mode {
			t.Errorf("%q: mode %d, want %d", p, r.mode, mode)
		}
		for _, s := range subjects {
			if got, want := r.MatchString(s), r.Regexp.MatchString(s); got != want {
				t.Errorf("%q on %q: %v, regexp says %v", p, s, got, want)
			}
		}
	}
}

// TestRefHinted checks that reading through a hint gives what Ref gives
// whatever the hint holds, and that the hint ends where the reference is.
func TestRefHinted(t *testing.T) {
	r := &Row{
		Tags:   Tags{{"cpu", "cpu0"}, {"host", "a"}, {"x", "tag"}},
		Fields: Fields{{"idle", Float(1)}, {"user", Float(2)}, {"x", Int(2)}},
	}
	for _, tc := range []struct {
		name string
		at   uint8 // where the reference is afterwards
	}{{"idle", 0}, {"user", 1}, {"cpu", 0}, {"host", 1}, {"nope", 7}, {"x", 7}, {"", 7}} {
		want, wantErr := r.Ref(tc.name)
		for _, start := range []uint8{0, 1, 2, 7, 255} {
			at := start
			got, err := r.RefHinted(tc.name, &at)
			if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("%q from hint %d: %#v %v, Ref gives %#v %v", tc.name, start, got, err, want, wantErr)
			}
			if start == 7 && at != tc.at {
				t.Errorf("%q: hint %d, want %d", tc.name, at, tc.at)
			}
		}
	}
}

func TestNoTagNoField(t *testing.T) {
	tags := Tags{{"", "e"}, {"cpu", "c"}, {"usage_user", "u"}}
	fields := Fields{{"", Int(0)}, {"usage_idle", Float(1)}}
	for _, tc := range []struct {
		name           string
		noTag, noField bool
	}{{"usage_user", false, true}, {"usage_idle", true, false}, {"usage_iole", true, true},
		{"cpu", false, true}, {"cpx", true, true}, {"", false, false}, {"c", true, true}} {
		if got := NoTag(tags, tc.name); got != tc.noTag {
			t.Errorf("NoTag(%q) = %v", tc.name, got)
		}
		if got := NoField(fields, tc.name); got != tc.noField {
			t.Errorf("NoField(%q) = %v", tc.name, got)
		}
	}
}

// NoTag's short cut: a name after the last (sorted) key is none.
func TestNoTagAfterTheLastKey(t *testing.T) {
	tags := Tags{{"cpu", "c"}, {"datacenter", "d"}, {"host", "h"}, {"service", "s"}}
	for name, want := range map[string]bool{
		"usage_idle": true, "value": true, "service": false, "serv": true, "sf": true, "t": true,
		"host": false, "cpu": false, "datacenter": false, "a": true, "": true, "s": true, "zzz": true,
	} {
		if got := NoTag(tags, name); got != want {
			t.Errorf("NoTag(%q) = %v, want %v", name, got, want)
		}
	}
	if !NoTag(nil, "x") || !NoTag(Tags{}, "") {
		t.Error("no tags: NoTag must hold")
	}
}

// TestEvalPredicateForms checks that a Pred is used when set, and that
// PredicateLambda and ValuePredicate carry results and errors across.
func TestEvalPredicateForms(t *testing.T) {
	fail := errors.New("boom")
	pred := func(ok bool, err error) PredicateFunc {
		return func(*Row, *LambdaState) (bool, error) { return ok, err }
	}
	unused := func(*Row, *LambdaState) (Value, error) { panic("Func called") }
	if ok, err := EvalPredicate(&Lambda{Func: unused, Pred: pred(true, nil)}, &Row{}, &LambdaState{}); !ok || err != nil {
		t.Errorf("Pred: %v %v", ok, err)
	}
	if v, err := PredicateLambda(pred(true, nil))(&Row{}, &LambdaState{}); v != Bool(true) || err != nil {
		t.Errorf("PredicateLambda true: %v %v", v, err)
	}
	if v, err := PredicateLambda(pred(true, fail))(&Row{}, &LambdaState{}); v != (Value{}) || err != fail {
		t.Errorf("PredicateLambda error: %v %v", v, err)
	}
	for _, tc := range []struct {
		v    Value
		ok   bool
		want string
	}{{Bool(true), true, "<nil>"}, {Bool(false), false, "<nil>"},
		{Missing("f"), false, `reference "f" is missing value`},
		{Int(1), false, "TypeGuard: expression returned unexpected type int, expected boolean"}} {
		ok, err := ValuePredicate(tc.v)
		if ok != tc.ok || fmt.Sprint(err) != tc.want {
			t.Errorf("ValuePredicate(%v) = %v %v", tc.v, ok, err)
		}
	}
}

func TestRegexLiteral(t *testing.T) {
	for p, want := range map[string][2]string{
		"^us-": {"HasPrefix", "us-"}, "abc": {"Contains", "abc"}, "total$": {"HasSuffix", "total"},
		"^x$": {"==", "x"}, "(?i)abc": {"", ""}, "^": {"HasPrefix", ""},
	} {
		fn, lit := MustCompileRegex(p).Literal()
		if fn != want[0] || lit != want[1] {
			t.Errorf("%q: %q %q, want %q", p, fn, lit, want)
		}
	}
}
