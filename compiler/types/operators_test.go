package types

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/stdlib"
)

var binaryOps = []ast.Op{
	ast.OpAdd, ast.OpSub, ast.OpMul, ast.OpDiv, ast.OpMod,
	ast.OpEq, ast.OpNeq, ast.OpLt, ast.OpLte, ast.OpGt, ast.OpGte,
	ast.OpRegexEq, ast.OpRegexNeq, ast.OpAnd, ast.OpOr,
}

// singleTypes is every single type, the lambda-only ones included.
var singleTypes = []stdlib.Type{
	stdlib.Int, stdlib.Float, stdlib.String, stdlib.Bool, stdlib.Duration,
	stdlib.Time, stdlib.Regex, stdlib.Lambda, stdlib.List, stdlib.Star,
	stdlib.Node, stdlib.Missing, stdlib.TimeDim,
}

func opByText(t *testing.T, s string) ast.Op {
	for _, op := range binaryOps {
		if op.String() == s {
			return op
		}
	}
	t.Fatalf("unknown operator %q", s)
	return 0
}

func typeByName(t *testing.T, s string) stdlib.Type {
	for _, n := range kapacitorNames {
		if n.name == s {
			return n.t
		}
	}
	t.Fatalf("unknown type %q", s)
	return 0
}

type opKey struct {
	op   ast.Op
	l, r stdlib.Type
}

// loadOperatorTable reads testdata/operators.txt.
func loadOperatorTable(t *testing.T) map[opKey]stdlib.Type {
	f, err := os.Open("testdata/operators.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	table := map[opKey]stdlib.Type{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w := strings.Fields(line)
		if len(w) != 4 {
			t.Fatalf("bad line %q", line)
		}
		table[opKey{opByText(t, w[0]), typeByName(t, w[1]), typeByName(t, w[2])}] = typeByName(t, w[3])
	}
	if len(table) != 61 {
		t.Fatalf("operator table has %d combinations, want 61", len(table))
	}
	return table
}

// TestBinaryResultWholeTable checks every operator against every pair of
// single types: the listed combinations give their result, all others are
// rejected with the message Kapacitor would choose.
func TestBinaryResultWholeTable(t *testing.T) {
	table := loadOperatorTable(t)
	takesPart := map[opKey]bool{} // (op, type, 0): type occurs on either side
	for k := range table {
		takesPart[opKey{k.op, k.l, 0}] = true
		takesPart[opKey{k.op, k.r, 0}] = true
	}
	for _, op := range binaryOps {
		for _, l := range singleTypes {
			for _, r := range singleTypes {
				got, msg := BinaryResult(op, l, r)
				want, valid := table[opKey{op, l, r}]
				name := fmt.Sprintf("%s %v %s", TypeName(l), op, TypeName(r))
				if valid {
					if got != want || msg != "" {
						t.Errorf("%s = %v %q, want %v", name, got, msg, want)
					}
					continue
				}
				var wantMsg string
				switch {
				case l == stdlib.Missing:
					wantMsg = fmt.Sprintf("left operand of %v is always a missing value", op)
				case r == stdlib.Missing:
					wantMsg = fmt.Sprintf("right operand of %v is always a missing value", op)
				case takesPart[opKey{op, l, 0}]:
					wantMsg = fmt.Sprintf("mismatched type to binary operator. got %s %v %s. see bool(), int(), float(), string(), duration()", TypeName(l), op, TypeName(r))
				default:
					wantMsg = fmt.Sprintf("invalid %s operator %v for type %s", operatorKind(op), op, TypeName(l))
				}
				if got != 0 || msg != wantMsg {
					t.Errorf("%s = %v %q, want 0 %q", name, got, msg, wantMsg)
				}
			}
		}
	}
}

// TestBinaryResultMessages pins the exact wording of a sample, as
// Kapacitor prints it (language.md §4.2, tick/stateful tests).
func TestBinaryResultMessages(t *testing.T) {
	for _, tc := range []struct {
		op   ast.Op
		l, r stdlib.Type
		want string
	}{
		{ast.OpAdd, stdlib.Float, stdlib.Int, "mismatched type to binary operator. got float + int. see bool(), int(), float(), string(), duration()"},
		{ast.OpAdd, stdlib.Int, stdlib.Float, "mismatched type to binary operator. got int + float. see bool(), int(), float(), string(), duration()"},
		{ast.OpSub, stdlib.String, stdlib.String, "invalid math operator - for type string"},
		{ast.OpLt, stdlib.Bool, stdlib.Bool, "invalid comparison operator < for type boolean"},
		{ast.OpMod, stdlib.Duration, stdlib.Int, "invalid math operator % for type duration"},
		{ast.OpAnd, stdlib.Int, stdlib.Int, "invalid logical operator AND for type int"},
		{ast.OpOr, stdlib.Bool, stdlib.Int, "mismatched type to binary operator. got boolean OR int. see bool(), int(), float(), string(), duration()"},
		{ast.OpAdd, stdlib.Time, stdlib.Duration, "invalid math operator + for type time"},
		{ast.OpGt, stdlib.Time, stdlib.Time, "invalid comparison operator > for type time"},
		{ast.OpRegexEq, stdlib.String, stdlib.String, "mismatched type to binary operator. got string =~ string. see bool(), int(), float(), string(), duration()"},
		{ast.OpRegexEq, stdlib.Int, stdlib.Regex, "invalid comparison operator =~ for type int"},
		// Kapacitor looks only at the left type to choose "invalid":
		// int takes part in + so 1 + TRUE is "mismatched".
		{ast.OpAdd, stdlib.Int, stdlib.Bool, "mismatched type to binary operator. got int + boolean. see bool(), int(), float(), string(), duration()"},
		{ast.OpAdd, stdlib.Bool, stdlib.Int, "invalid math operator + for type boolean"},
		{ast.OpMul, stdlib.Lambda, stdlib.Int, "invalid math operator * for type lambda"},
		{ast.OpEq, stdlib.Regex, stdlib.Regex, "invalid comparison operator == for type regex"},
		{ast.OpRegexEq, stdlib.Regex, stdlib.String, "mismatched type to binary operator. got regex =~ string. see bool(), int(), float(), string(), duration()"},
		// Sets: the left types that take part are named.
		{ast.OpAnd, RefType, stdlib.Int, "mismatched type to binary operator. got boolean AND int. see bool(), int(), float(), string(), duration()"},
		{ast.OpAdd, RefType, stdlib.Time, "mismatched type to binary operator. got int, float or string + time. see bool(), int(), float(), string(), duration()"},
		{ast.OpSub, stdlib.String | stdlib.Bool, stdlib.Int, "invalid math operator - for type string or boolean"},
		{ast.OpRegexEq, RefType, stdlib.String, "mismatched type to binary operator. got string =~ string. see bool(), int(), float(), string(), duration()"},
	} {
		got, msg := BinaryResult(tc.op, tc.l, tc.r)
		if got != 0 || msg != tc.want {
			t.Errorf("%s %v %s = %v %q\nwant 0 %q", TypeName(tc.l), tc.op, TypeName(tc.r), got, msg, tc.want)
		}
	}
}

// TestBinaryResultSets checks that a set gives the union over every
// combination the table allows, ignoring Missing.
func TestBinaryResultSets(t *testing.T) {
	I, F, S, B, D := stdlib.Int, stdlib.Float, stdlib.String, stdlib.Bool, stdlib.Duration
	for _, tc := range []struct {
		op   ast.Op
		l, r stdlib.Type
		want stdlib.Type
	}{
		{ast.OpAdd, RefType, I, I},
		{ast.OpAdd, RefType, F, F},
		{ast.OpAdd, RefType, S, S},
		{ast.OpAdd, RefType, RefType, I | F | S},
		{ast.OpMul, RefType, D, D},
		{ast.OpMul, D, RefType, D},
		{ast.OpDiv, D, RefType, D},
		{ast.OpDiv, D, D | I, I | D},
		{ast.OpSub, RefType, RefType, I | F},
		{ast.OpMod, RefType, RefType, I},
		{ast.OpGt, RefType, I, B},
		{ast.OpEq, RefType, B, B},
		{ast.OpAnd, RefType, RefType, B},
		{ast.OpRegexEq, RefType, stdlib.Regex, B},
		{ast.OpAdd, I | stdlib.Missing, I, I},
		{ast.OpAdd, I | F, I | F, I | F},
		// 0 is unknown after an earlier error: no result, no message.
		{ast.OpAdd, 0, I, 0},
		{ast.OpAdd, I, 0, 0},
	} {
		got, msg := BinaryResult(tc.op, tc.l, tc.r)
		if got != tc.want || msg != "" {
			t.Errorf("%s %v %s = %v %q, want %v", altName(tc.l), tc.op, altName(tc.r), altName(got), msg, altName(tc.want))
		}
	}
}

func TestUnaryResult(t *testing.T) {
	I, F, S, B, D := stdlib.Int, stdlib.Float, stdlib.String, stdlib.Bool, stdlib.Duration
	for _, tc := range []struct {
		op      ast.Op
		x, want stdlib.Type
		msg     string
	}{
		{ast.OpNeg, I, I, ""},
		{ast.OpNeg, F, F, ""},
		{ast.OpNeg, D, D, ""},
		{ast.OpNeg, RefType, I | F, ""},
		{ast.OpNeg, S, 0, "invalid unary operator - for type string"},
		{ast.OpNeg, B, 0, "invalid unary operator - for type boolean"},
		{ast.OpNeg, stdlib.Time, 0, "invalid unary operator - for type time"},
		{ast.OpNeg, stdlib.Regex, 0, "invalid unary operator - for type regex"},
		{ast.OpNeg, S | B | stdlib.Missing, 0, "invalid unary operator - for type string or boolean"},
		{ast.OpNot, B, B, ""},
		{ast.OpNot, RefType, B, ""},
		{ast.OpNot, I, 0, "invalid unary operator ! for type int"},
		{ast.OpNot, F | D, 0, "invalid unary operator ! for type float or duration"},
		{ast.OpNot, stdlib.Missing, 0, "operand of ! is always a missing value"},
		{ast.OpNot, 0, 0, ""},
	} {
		got, msg := UnaryResult(tc.op, tc.x)
		if got != tc.want || msg != tc.msg {
			t.Errorf("%v %s = %v %q, want %v %q", tc.op, altName(tc.x), altName(got), msg, altName(tc.want), tc.msg)
		}
	}
	// Every single type: only the listed ones are accepted.
	for _, x := range singleTypes {
		neg, _ := UnaryResult(ast.OpNeg, x)
		if wantNeg := x & (I | F | D); neg != wantNeg {
			t.Errorf("-%s = %s, want %s", TypeName(x), TypeName(neg), TypeName(wantNeg))
		}
		not, _ := UnaryResult(ast.OpNot, x)
		if wantNot := x & B; not != wantNot {
			t.Errorf("!%s = %s, want %s", TypeName(x), TypeName(not), TypeName(wantNot))
		}
	}
}

func TestIsBoolish(t *testing.T) {
	for _, tc := range []struct {
		t    stdlib.Type
		want bool
	}{
		{stdlib.Bool, true}, {RefType, true}, {0, true},
		{stdlib.Int, false}, {stdlib.Float | stdlib.String, false}, {stdlib.Time, false},
	} {
		if got := IsBoolish(tc.t); got != tc.want {
			t.Errorf("IsBoolish(%s) = %v", altName(tc.t), got)
		}
	}
}
