package runtime

// LambdaFunc is a compiled lambda expression: generated Go code that reads
// the fields, tags and time of one row. It returns Kapacitor's error
// message when evaluation fails (a missing field, a type mismatch, …).
// st is never nil: compiled code keeps its reference hints there, so
// each expression instance needs a state of its own (one shared by
// several lambdas still works, only slower).
type LambdaFunc func(r *Row, st *LambdaState) (Value, error)

// PredicateFunc is a compiled lambda whose result is a boolean whenever it
// does not fail: EvalPredicate calls it without boxing the result.
type PredicateFunc func(r *Row, st *LambdaState) (bool, error)

// LambdaState is the state of one expression instance: its stateful
// functions and where its references were found last time. All calls of
// the same function in one expression share one state (count() + count()
// is 3 on the first row), so one slot each.
type LambdaState struct {
	Count  int64
	Sigma  SigmaState
	Spread SpreadState
	// RefAt[k] is where compiled code found its k-th reference last time:
	// an index into Fields or Tags, checked before it is trusted. The
	// fields and tags of a series are nearly always the same from point
	// to point, so one string comparison usually finds the reference.
	RefAt [RefHints]uint8
	// NoRefIsTag is set by a caller that has checked, for this call, that
	// no reference of the lambda names a tag of the row (an eval node
	// checks the names its expressions read for a clash first): compiled
	// code then skips that check of its own.
	NoRefIsTag bool
}

// RefHints is the number of references of one lambda that get a slot in
// LambdaState.RefAt; the others are searched for every time.
const RefHints = 8

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
	// Pred, when set, computes the same as Func for a lambda whose result
	// is always a boolean; EvalPredicate uses it.
	Pred PredicateFunc
	// Stateful is set when Func calls stateful functions; nodes then keep one
	// state per expression instance (per group, or shared; nodes.md).
	Stateful bool
	// Text is the expression as written, for log messages.
	Text string
}

// EvalPredicate evaluates a lambda that must yield a boolean (where,
// alert levels, stateDuration, …).
func EvalPredicate(l *Lambda, r *Row, st *LambdaState) (bool, error) {
	if l.Pred != nil {
		return l.Pred(r, st)
	}
	return evalValuePredicate(l.Func, r, st)
}

func evalValuePredicate(f LambdaFunc, r *Row, st *LambdaState) (bool, error) {
	v, err := f(r, st)
	if err != nil {
		return false, err
	}
	return ValuePredicate(v)
}

// ValuePredicate is the boolean a predicate's result stands for.
func ValuePredicate(v Value) (bool, error) {
	switch v.Kind {
	case KindBool:
		return v.I != 0, nil
	case KindMissing:
		// The whole predicate is a reference to an absent field or tag.
		return false, MissingError(v)
	}
	return false, typeGuard(v.Kind, KindBool)
}

// PredicateLambda is the LambdaFunc of a predicate, for nodes that want
// the result as a Value.
func PredicateLambda(p PredicateFunc) LambdaFunc {
	return func(r *Row, st *LambdaState) (Value, error) {
		ok, err := p(r, st)
		if err != nil {
			return Value{}, err
		}
		return Bool(ok), nil
	}
}

// TypeError is a lambda evaluation error about value types.
type TypeError struct{ Msg string }

func (e *TypeError) Error() string { return e.Msg }
