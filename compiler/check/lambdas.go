package check

import (
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// What a lambda argument must produce, by node kind and property ("" for
// the chaining method's own arguments). Kapacitor finds out at run time,
// point by point; the types are known statically as sets, so a lambda that
// cannot possibly produce the wanted type is an error now.
var lambdaResults = map[string]map[string]stdlib.Type{
	"where":         {"": stdlib.Bool},
	"stateDuration": {"": stdlib.Bool},
	"stateCount":    {"": stdlib.Bool},
	"combine":       {"": stdlib.Bool},
	"eval":          {"": stdlib.Scalar},
	"from":          {"where": stdlib.Bool},
	"alert": {
		"info": stdlib.Bool, "warn": stdlib.Bool, "crit": stdlib.Bool,
		"infoReset": stdlib.Bool, "warnReset": stdlib.Bool, "critReset": stdlib.Bool,
	},
	"k8sAutoscale":   {"replicas": stdlib.Int},
	"swarmAutoscale": {"replicas": stdlib.Int},
	"ec2Autoscale":   {"replicas": stdlib.Int},
}

// checkCtorLambdas checks the lambda arguments of a chaining method.
func (c *checker) checkCtorLambdas(n *ir.Node, args []ir.Value) {
	want, ok := lambdaResults[n.Kind.Name][""]
	if !ok {
		return
	}
	for _, a := range args {
		c.lambdaResult(a, want, n.Kind.Name+"()")
	}
}

// checkPropLambdas checks the lambda arguments of a property.
func (c *checker) checkPropLambdas(n *ir.Node, ps *ir.PropSet) {
	want, ok := lambdaResults[n.Kind.Name][ps.Prop.Name]
	if !ok {
		return
	}
	for _, a := range ps.Args {
		c.lambdaResult(a, want, "."+ps.Prop.Name+"()")
	}
}

// lambdaResult reports a lambda that can never produce a wanted type.
func (c *checker) lambdaResult(a ir.Value, want stdlib.Type, call string) {
	if a.Type != stdlib.Lambda || a.Lambda == nil || a.Lambda.Result == stdlib.None {
		return
	}
	got := a.Lambda.Result
	if got&want != 0 || got&stdlib.Missing != 0 && got&^stdlib.Missing == 0 {
		return
	}
	body := a.Lambda.Body
	if body == nil {
		return
	}
	switch want {
	case stdlib.Bool:
		c.diags.Errorf(body, CodeType, "the expression of %s must be a boolean predicate, but it yields %s", call, got)
	case stdlib.Scalar:
		c.diags.Errorf(body, CodeType, "the expression of %s yields %s; results must be int, float, string, bool or duration", call, got)
	default:
		c.diags.Errorf(body, CodeType, "the expression of %s must yield %s, but it yields %s", call, want, got)
	}
}
