package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

func init() {
	// deadman() is expanded by the checker into stats|derivative|alert;
	// its alert node has kind "alert" and comes through here too.
	register("alert", emitAlert)
}

// emitAlert emits rt.NewAlert(t, id, name, rt.AlertConfig{…}): the
// templates and history always (an empty template is a setting too), the
// rest when the script set it.
func emitAlert(g *Gen, n *ir.Node) (jen.Code, error) {
	// Fields by name: a later setting replaces an earlier one (jen.Dict
	// keys are statements, so it cannot tell two "ID" keys apart).
	cfg := map[string]jen.Code{
		"ID":      rt("DefaultAlertID"),
		"Message": rt("DefaultAlertMessage"),
		"Details": rt("DefaultAlertDetails"),
		"History": rt("DefaultAlertHistory"),
	}
	var inhibitors []jen.Code
	setString := func(field string, v ir.Value) { cfg[field] = jen.Lit(v.Str) }
	setLambda := func(field string, v ir.Value) error {
		if v.Lambda == nil {
			return fmt.Errorf("%s: expected a lambda", field)
		}
		code, err := g.Lambda(v.Lambda)
		if err != nil {
			return err
		}
		cfg[field] = code
		return nil
	}
	for _, p := range n.Props {
		a := p.Arg
		var err error
		switch p.Prop.Name {
		case "id":
			setString("ID", a(0))
		case "message":
			setString("Message", a(0))
		case "details":
			setString("Details", a(0))
		case "category":
			setString("Category", a(0))
		case "topic":
			setString("Topic", a(0))
		case "levelTag":
			setString("LevelTag", a(0))
		case "levelField":
			setString("LevelField", a(0))
		case "messageField":
			setString("MessageField", a(0))
		case "durationField":
			setString("DurationField", a(0))
		case "idTag":
			setString("IDTag", a(0))
		case "idField":
			setString("IDField", a(0))
		case "info":
			err = setLambda("Info", a(0))
		case "warn":
			err = setLambda("Warn", a(0))
		case "crit":
			err = setLambda("Crit", a(0))
		case "infoReset":
			err = setLambda("InfoReset", a(0))
		case "warnReset":
			err = setLambda("WarnReset", a(0))
		case "critReset":
			err = setLambda("CritReset", a(0))
		case "history":
			cfg["History"] = jen.Lit(int(a(0).Int))
		case "flapping":
			cfg["Flapping"] = jen.True()
			cfg["FlapLow"] = jen.Lit(a(0).Float)
			cfg["FlapHigh"] = jen.Lit(a(1).Float)
		case "flapLow":
			cfg["FlapLow"] = jen.Lit(a(0).Float)
		case "flapHigh":
			cfg["FlapHigh"] = jen.Lit(a(0).Float)
		case "stateChangesOnly":
			cfg["StateChangesOnly"] = jen.True()
			if len(p.Args) > 0 {
				cfg["StateChangesOnlyDuration"] = alertDuration(a(0))
			}
		case "stateChangesOnlyDuration":
			cfg["StateChangesOnlyDuration"] = alertDuration(a(0))
		case "noRecoveries":
			cfg["NoRecoveries"] = jen.True()
		case "all":
			cfg["All"] = jen.True()
		case "quiet":
			cfg["Quiet"] = jen.True()
		case "inhibit":
			tags := alertFlatten(p.Args[1:])
			inhibitors = append(inhibitors, jen.Values(jen.Dict{
				jen.Id("Category"):  jen.Lit(a(0).Str),
				jen.Id("EqualTags"): Strings(tags),
			}))
		default:
			return nil, fmt.Errorf("alert property %q is not supported by tickc build yet", p.Prop.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(inhibitors) > 0 {
		cfg["Inhibitors"] = jen.Index().Add(rt("AlertInhibitor")).Values(inhibitors...)
	}
	if len(n.Handlers) > 0 {
		hs := make([]jen.Code, 0, len(n.Handlers))
		for _, h := range n.Handlers {
			code, err := emitAlertHandler(h)
			if err != nil {
				return nil, err
			}
			hs = append(hs, code)
		}
		cfg["Handlers"] = jen.Index().Add(rt("AlertHandlerSpec")).Values(hs...)
	}
	if readsDeferredFields(n) {
		cfg["DeferredFields"] = jen.True()
	}
	var c config
	for _, k := range alertConfigOrder {
		if v, ok := cfg[k]; ok {
			c.set(k, v)
		}
	}
	if len(c.keys) != len(cfg) {
		return nil, fmt.Errorf("alert emitter: a config field is missing from alertConfigOrder")
	}
	return c.ctor(g, n, "NewAlert", "AlertConfig"), nil
}

// alertConfigOrder is the order generated code lists the fields in:
// templates, levels, the state machine, inhibition, output options,
// handlers.
var alertConfigOrder = []string{
	"ID", "Message", "Details",
	"Info", "InfoReset", "Warn", "WarnReset", "Crit", "CritReset",
	"History", "Flapping", "FlapLow", "FlapHigh", "StateChangesOnly", "StateChangesOnlyDuration",
	"NoRecoveries", "All",
	"Category", "Topic", "Inhibitors",
	"LevelTag", "LevelField", "MessageField", "DurationField", "IDTag", "IDField",
	"Handlers", "Quiet", "DeferredFields",
}

// emitAlertHandler emits one rt.AlertHandlerSpec: the handler method, its
// arguments and its options in script order.
func emitAlertHandler(h *ir.HandlerSet) (jen.Code, error) {
	fields := []jen.Code{jen.Id("Kind").Op(":").Lit(h.Handler.Name)}
	if len(h.Args) > 0 {
		args, err := alertValues(alertFlatten(h.Args))
		if err != nil {
			return nil, fmt.Errorf(".%s(): %w", h.Handler.Name, err)
		}
		fields = append(fields, jen.Id("Args").Op(":").Add(args))
	}
	if len(h.Options) > 0 {
		opts := make([]jen.Code, 0, len(h.Options))
		for _, o := range h.Options {
			of := []jen.Code{jen.Id("Name").Op(":").Lit(o.Prop.Name)}
			if len(o.Args) > 0 {
				args, err := alertValues(alertFlatten(o.Args))
				if err != nil {
					return nil, fmt.Errorf(".%s().%s(): %w", h.Handler.Name, o.Prop.Name, err)
				}
				of = append(of, jen.Id("Args").Op(":").Add(args))
			}
			opts = append(opts, jen.Values(of...))
		}
		fields = append(fields, jen.Id("Options").Op(":").Index().Add(rt("AlertHandlerOption")).Values(opts...))
	}
	return jen.Values(fields...), nil
}

// alertFlatten expands list values (a list var passed to a variadic
// method) into their items.
func alertFlatten(vs []ir.Value) []ir.Value {
	var out []ir.Value
	for _, v := range vs {
		if v.Type == stdlib.List {
			out = append(out, alertFlatten(v.List)...)
			continue
		}
		out = append(out, v)
	}
	return out
}

// alertValues emits a []rt.Value literal of scalar script values.
func alertValues(vs []ir.Value) (jen.Code, error) {
	items := make([]jen.Code, 0, len(vs))
	for _, v := range vs {
		var c jen.Code
		switch v.Type {
		case stdlib.String:
			c = rt("String").Call(jen.Lit(v.Str))
		case stdlib.Int:
			c = rt("Int").Call(jen.Lit(int(v.Int)))
		case stdlib.Float:
			c = rt("Float").Call(jen.Lit(v.Float))
		case stdlib.Bool:
			c = rt("Bool").Call(jen.Lit(v.Bool))
		case stdlib.Duration:
			c = rt("Dur").Call(alertDuration(v))
		default:
			return nil, fmt.Errorf("a %s value cannot be a handler argument", v.Type)
		}
		items = append(items, c)
	}
	return jen.Index().Add(rt("Value")).Values(items...), nil
}

// alertDuration is a time.Duration literal.
func alertDuration(v ir.Value) jen.Code { return durationCode(v.Dur) }
