package runtime

// LambdaFunc is a compiled lambda expression: generated Go code that reads
// the fields, tags and time of one row. It returns Kapacitor's error
// message when evaluation fails (a missing field, a type mismatch, …).
type LambdaFunc func(r *Row, st *LambdaState) (Value, error)

// LambdaState is the state of the stateful functions of one expression
// instance. All calls of the same function in one expression share one
// state (count() + count() is 3 on the first row), so one slot each.
type LambdaState struct {
	Count  int64
	Sigma  SigmaState
	Spread SpreadState
}

// SigmaState is the running mean and variance behind sigma().
type SigmaState struct {
	N    int64
	Mean float64
	M2   float64
}

// SpreadState is the running min and max behind spread().
type SpreadState struct {
	Init     bool
	Min, Max float64
}

// Lambda is a compiled lambda with what nodes need to know about it.
type Lambda struct {
	Func LambdaFunc
	// Stateful is set when Func uses its LambdaState; nodes then keep one
	// state per expression instance (per group, or shared; nodes.md).
	Stateful bool
	// Text is the expression as written, for log messages.
	Text string
}

// EvalPredicate evaluates a lambda that must yield a boolean (where,
// alert levels, stateDuration, …).
func EvalPredicate(l *Lambda, r *Row, st *LambdaState) (bool, error) {
	v, err := l.Func(r, st)
	if err != nil {
		return false, err
	}
	switch v.Kind {
	case KindBool:
		return v.I != 0, nil
	case KindMissing:
		// The whole predicate is a reference to an absent field or tag.
		return false, MissingError(v)
	}
	return false, typeGuard(v.Kind, KindBool)
}

// TypeError is a lambda evaluation error about value types.
type TypeError struct{ Msg string }

func (e *TypeError) Error() string { return e.Msg }
