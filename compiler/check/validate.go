package check

import (
	"fmt"
	"html/template"
	"net/url"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/influxdata/influxql"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// validate runs the end-of-definition and task-start checks Kapacitor runs
// (per-node validate(), the checks node constructors make when the task
// starts, and `task does nothing`), each at the place it is about. Nodes
// that had an error in one of their calls are skipped: their checks would
// mostly repeat it.
func (c *checker) validate(prog *ast.Program) {
	if c.noTaskType != nil {
		if !c.diags.HasErrors() {
			c.diags.Errorf(startOf(prog), CodeTaskType, "invalid task type: the script reads neither stream nor batch")
		}
		return
	}
	if len(c.pipe.Sources) == 1 && len(c.pipe.Nodes) <= 1 && !c.diags.HasErrors() {
		at := c.sourceRoot
		if at == nil {
			at = startOf(prog)
		}
		c.diags.Errorf(at, CodeNothing, "task does nothing: nothing is chained to %s", c.pipe.Sources[0].Name)
	}
	for _, n := range c.pipe.Nodes {
		if n.Implicit || c.tainted[n] {
			continue
		}
		c.constraints(n)
		if f := nodeChecks[n.Kind.Name]; f != nil {
			f(c, n)
		}
	}
}

// startOf is the start of the program, for errors about the whole script.
func startOf(prog *ast.Program) ast.Node {
	p := prog.Pos()
	if !p.IsValid() {
		p = ast.Pos{Line: 1, Col: 1}
	}
	return span{p, p}
}

// ---------------------------------------------------------------------------
// Catalogue constraints

// constraints checks the kind's rules over set properties, reporting every
// broken one (once per message).
func (c *checker) constraints(n *ir.Node) {
	seen := map[string]bool{}
	for _, k := range n.Kind.Constraints {
		if seen[k.Msg] {
			continue
		}
		if at := c.brokenConstraint(n, k); at != nil {
			c.diags.Errorf(at, CodeValidate, "%s: %s", n.Name, strings.TrimSuffix(k.Msg, "."))
			seen[k.Msg] = true
		}
	}
}

// brokenConstraint returns where a broken rule is reported, nil if it holds.
// A property counts as set when it has a non-zero value; a placeholder
// (template var without a value) counts as set for the rules that require
// a property and as unset for the rules that forbid one. A rule that wants
// a property is reported at a zero value given to it, if any, else at the
// node; a rule that forbids one at the setting that comes last.
func (c *checker) brokenConstraint(n *ir.Node, k stdlib.Constraint) ast.Node {
	switch k.Kind {
	case stdlib.RequireAll:
		for _, p := range k.Props {
			if s, at := propState(n, p); s == unset {
				return orNode(at, n)
			}
		}
	case stdlib.RequireOneOf:
		var zeroAt ast.Node
		for _, p := range k.Props {
			s, at := propState(n, p)
			if s != unset {
				return nil
			}
			if zeroAt == nil {
				zeroAt = at
			}
		}
		return orNode(zeroAt, n)
	case stdlib.AtMostOneOf:
		var last ast.Node
		count := 0
		for _, p := range k.Props {
			if s, at := propState(n, p); s == set {
				count++
				if last == nil || last.Pos().Offset < at.Pos().Offset {
					last = at
				}
			}
		}
		if count > 1 {
			return last
		}
	case stdlib.Requires:
		if len(k.Props) == 0 {
			return nil
		}
		s, at := propState(n, k.Props[0])
		if s != set {
			return nil
		}
		for _, p := range k.Props[1:] {
			if s, zeroAt := propState(n, p); s == unset {
				if zeroAt != nil {
					return zeroAt
				}
				return at
			}
		}
	}
	return nil
}

func orNode(at ast.Node, n *ir.Node) ast.Node {
	if at != nil {
		return at
	}
	return nodeAt(n)
}

type setState int

const (
	unset setState = iota
	set
	unknown // a placeholder value
)

// propState says whether a property is set. where is the setting's name
// when it is set, and its zero argument when it was given a zero value;
// nil when it was never mentioned.
func propState(n *ir.Node, name string) (st setState, where ast.Node) {
	if ps := n.Prop(name); ps != nil {
		if len(ps.Prop.Params) == 0 {
			return set, propAt(ps)
		}
		return argsState(ps.Args, propAt(ps))
	}
	// A constructor argument may initialise the property.
	for i, p := range n.Kind.Params {
		if p.Sets == "" || !ir.SameName(p.Sets, name) {
			continue
		}
		args := n.Args[min(i, len(n.Args)):]
		if !n.Kind.Variadic || i < len(n.Kind.Params)-1 {
			args = args[:min(1, len(args))]
		}
		if len(args) == 0 {
			return unset, nil
		}
		return argsState(args, nodeAt(n))
	}
	return unset, nil
}

// argsState is the state of a setting with these arguments.
func argsState(args []ir.Value, name ast.Node) (setState, ast.Node) {
	st := unset
	var zero ast.Node
	for _, a := range args {
		switch {
		case a.Placeholder:
			st = max(st, unknown)
		case nonZero(a):
			return set, name
		case zero == nil:
			zero = argAt(a, name)
		}
	}
	if zero == nil {
		zero = name
	}
	return st, zero
}

// nonZero reports whether a value differs from its type's zero value.
func nonZero(v ir.Value) bool {
	switch v.Type {
	case stdlib.None:
		return true // invalid: its error was reported, do not add another
	case stdlib.Int:
		return v.Int != 0
	case stdlib.Float:
		return v.Float != 0
	case stdlib.String:
		return v.Str != ""
	case stdlib.Bool:
		return v.Bool
	case stdlib.Duration:
		return v.Dur != 0
	case stdlib.Lambda:
		return v.Lambda != nil
	case stdlib.List:
		return len(v.List) > 0
	}
	return true
}

// nodeAt is where a node is reported: the method that created it.
func nodeAt(n *ir.Node) ast.Node {
	if n.Call != nil && n.Call.Name != nil {
		return n.Call.Name
	}
	return span{n.Pos, n.Pos}
}

// propAt is where a property setting is reported: its name.
func propAt(ps *ir.PropSet) ast.Node {
	if ps.Call != nil && ps.Call.Name != nil {
		return ps.Call.Name
	}
	return span{ps.Pos, ps.Pos}
}

// argAt is where an argument is reported, falling back to the call.
func argAt(v ir.Value, fallback ast.Node) ast.Node {
	if v.Expr != nil {
		return v.Expr
	}
	return fallback
}

// ---------------------------------------------------------------------------
// Per-node checks (nodes.md; pipeline/*.go validate(); node constructors)

var nodeChecks map[string]func(*checker, *ir.Node)

func init() {
	nodeChecks = map[string]func(*checker, *ir.Node){
		"from":              (*checker).checkFrom,
		"query":             (*checker).checkQuery,
		"eval":              (*checker).checkEval,
		"groupBy":           (*checker).checkGroupBy,
		"window":            (*checker).checkWindow,
		"shift":             (*checker).checkShift,
		"sample":            (*checker).checkSample,
		"stats":             (*checker).checkStats,
		"join":              (*checker).checkJoin,
		"combine":           (*checker).checkCombine,
		"flatten":           (*checker).checkFlatten,
		"httpPost":          (*checker).checkHTTPPost,
		"alert":             (*checker).checkAlert,
		"kapacitorLoopback": (*checker).checkLoopback,
		"k8sAutoscale":      (*checker).checkAutoscale,
		"swarmAutoscale":    (*checker).checkAutoscale,
		"ec2Autoscale":      (*checker).checkAutoscale,
		"sideload":          (*checker).checkSideload,
		"barrier":           (*checker).checkBarrier,
	}
}

func (c *checker) errorf(at ast.Node, n *ir.Node, format string, args ...any) {
	c.diags.Errorf(at, CodeValidate, "%s: %s", n.Name, fmt.Sprintf(format, args...))
}

// dimensions checks group-by dimensions: non-empty tag names or a single *.
func (c *checker) dimensions(n *ir.Node, dims []ir.Value, exclude *ir.PropSet, allowTime bool) {
	var star ast.Node
	timeDims := 0
	for _, d := range dims {
		switch d.Type {
		case stdlib.String:
			if d.Str == "" && !d.Placeholder {
				c.errorf(argAt(d, nodeAt(n)), n, "dimensions cannot be the empty string")
			}
		case stdlib.Star:
			star = argAt(d, nodeAt(n))
		case stdlib.TimeDim, stdlib.Duration:
			if allowTime {
				timeDims++
				if timeDims == 2 {
					c.errorf(argAt(d, nodeAt(n)), n, "groupBy cannot have more than one time dimension")
				}
			}
		}
	}
	if star != nil && len(dims) > 1 {
		c.errorf(star, n, "cannot group by both '*' and named dimensions")
	}
	if star == nil && exclude != nil && len(dims) > 0 {
		c.errorf(propAt(exclude), n, "exclude requires '*'")
	}
}

func (c *checker) checkFrom(n *ir.Node) {
	if ps := n.Prop("groupBy"); ps != nil {
		c.dimensions(n, ps.Args, nil, false)
	}
	c.nonNegative(n, "truncate")
	c.nonNegative(n, "round")
}

func (c *checker) checkGroupBy(n *ir.Node) {
	ex := n.Prop("exclude")
	c.dimensions(n, n.Args, ex, false)
	if ex != nil && len(n.Args) == 0 {
		c.errorf(propAt(ex), n, "exclude requires '*'")
	}
}

func (c *checker) checkQuery(n *ir.Node) {
	if ps := n.Prop("groupBy"); ps != nil {
		c.dimensions(n, ps.Args, nil, true)
	}
	c.nonNegative(n, "every")
	c.nonNegative(n, "period")
	if ps := n.Prop("fill"); ps != nil {
		c.fillOption(n, ps, "null", "none", "previous", "linear")
	}
	if ps := n.Prop("cron"); ps != nil {
		if v := ps.Arg(0); v.Type == stdlib.String && v.Str != "" {
			if f := len(strings.Fields(v.Str)); f < 5 || f > 7 {
				c.errorf(argAt(v, propAt(ps)), n, "invalid cron expression %q: want 5 to 7 fields, got %d", v.Str, f)
			}
		}
	}
	if q := arg(n, 0); q.Type == stdlib.String && !q.Placeholder {
		at := argAt(q, nodeAt(n))
		parsed, err := influxql.ParseQuery(q.Str)
		switch {
		case err != nil:
			c.errorf(at, n, "failed to parse InfluxQL query: %v", err)
		case len(parsed.Statements) != 1:
			c.errorf(at, n, "query must be a single select statement, got %d statements", len(parsed.Statements))
		default:
			if _, ok := parsed.Statements[0].(*influxql.SelectStatement); !ok {
				c.errorf(at, n, "query is not a select statement: %s", parsed.Statements[0])
			}
		}
	}
}

// fillOption checks a fill value: one of the names, or a number.
func (c *checker) fillOption(n *ir.Node, ps *ir.PropSet, names ...string) {
	v := ps.Arg(0)
	if v.Type != stdlib.String || v.Placeholder {
		return
	}
	for _, s := range names {
		if v.Str == s {
			return
		}
	}
	c.errorf(argAt(v, propAt(ps)), n, "unexpected fill option %s; want %s or a number", v.Str, quoteList(names))
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

func arg(n *ir.Node, i int) ir.Value {
	if i < len(n.Args) {
		return n.Args[i]
	}
	return ir.Value{}
}

// nonNegative checks that a duration property is not negative.
func (c *checker) nonNegative(n *ir.Node, prop string) {
	ps := n.Prop(prop)
	if ps == nil {
		return
	}
	if v := ps.Arg(0); v.Type == stdlib.Duration && v.Dur < 0 {
		c.errorf(argAt(v, propAt(ps)), n, "%s must not be negative, got %s", prop, formatDuration(v.Dur))
	}
}

func (c *checker) checkEval(n *ir.Node) {
	as := n.Prop("as")
	asCount := 0
	var asNames []ir.Value
	if as != nil {
		asNames = as.Args
		asCount = len(as.Args)
	}
	if asCount != len(n.Args) {
		at := nodeAt(n)
		if as != nil {
			at = propAt(as)
		}
		c.errorf(at, n, "must specify same number of expressions and .as() names: got %d as names, and %d expressions", asCount, len(n.Args))
	}
	if tags := n.Prop("tags"); tags != nil {
		for _, t := range tags.Args {
			if t.Type != stdlib.String || t.Placeholder {
				continue
			}
			found := false
			for _, a := range asNames {
				if a.Str == t.Str {
					found = true
				}
			}
			if !found {
				c.errorf(argAt(t, propAt(tags)), n, "invalid tag name %q, name is not present in .as() names", t.Str)
			}
		}
	}
}

func (c *checker) checkWindow(n *ir.Node) {
	c.nonNegative(n, "period")
	c.nonNegative(n, "every")
	for _, p := range []string{"periodCount", "everyCount"} {
		if ps := n.Prop(p); ps != nil {
			if v := ps.Arg(0); v.Type == stdlib.Int && v.Int < 0 {
				c.errorf(argAt(v, propAt(ps)), n, "%s must not be negative, got %d", p, v.Int)
			}
		}
	}
}

func (c *checker) checkShift(n *ir.Node) {
	if v := arg(n, 0); v.Type == stdlib.Duration && !v.Placeholder && v.Dur == 0 {
		c.errorf(argAt(v, nodeAt(n)), n, "invalid shift value: must be non zero duration")
	}
}

func (c *checker) checkSample(n *ir.Node) {
	v := arg(n, 0)
	if v.Placeholder {
		return
	}
	if (v.Type == stdlib.Int && v.Int <= 0) || (v.Type == stdlib.Duration && v.Dur <= 0) {
		c.errorf(argAt(v, nodeAt(n)), n, "invalid sample rate: must be positive integer or duration")
	}
}

func (c *checker) checkStats(n *ir.Node) {
	if v := arg(n, 0); v.Type == stdlib.Duration && !v.Placeholder && v.Dur <= 0 {
		c.errorf(argAt(v, nodeAt(n)), n, "stats node must have positive interval")
	}
}

// prefixes checks the .as() names of join and combine.
func (c *checker) prefixes(n *ir.Node, want int, what string) {
	as := n.Prop("as")
	if as == nil {
		return // the catalogue constraint reports it
	}
	if len(as.Args) != want {
		c.errorf(propAt(as), n, "number of prefixes specified by %s.as() must match the number of %s: got %s for %d", n.Kind.Name, what, plural(len(as.Args), "name"), want)
	}
	delim := "."
	if d := n.Prop("delimiter"); d != nil && d.Arg(0).Type == stdlib.String {
		delim = d.Arg(0).Str
	}
	seen := map[string]bool{}
	for _, a := range as.Args {
		if a.Type != stdlib.String || a.Placeholder {
			continue
		}
		at := argAt(a, propAt(as))
		switch {
		case a.Str == "":
			c.errorf(at, n, "must provide a prefix name for the %s node, see .as() property method", n.Kind.Name)
		case delim != "" && strings.Contains(a.Str, delim):
			c.errorf(at, n, "cannot use name %s as field prefix, it contains the delimiter %q", a.Str, delim)
		case seen[a.Str]:
			c.errorf(at, n, "cannot use the same prefix name %q twice, see .as() property method", a.Str)
		}
		seen[a.Str] = true
	}
}

func (c *checker) checkJoin(n *ir.Node) {
	c.prefixes(n, len(n.Args)+1, "joined streams")
	if ps := n.Prop("fill"); ps != nil {
		c.fillOption(n, ps, "none", "null")
	}
	c.nonNegative(n, "tolerance")
}

func (c *checker) checkCombine(n *ir.Node) {
	c.prefixes(n, len(n.Args), "combine expressions")
	c.nonNegative(n, "tolerance")
	if ps := n.Prop("max"); ps != nil {
		if v := ps.Arg(0); v.Type == stdlib.Int && v.Int <= 0 && !v.Placeholder {
			c.errorf(argAt(v, propAt(ps)), n, "max must be greater than zero, got %d", v.Int)
		}
	}
}

func (c *checker) checkFlatten(n *ir.Node) {
	c.nonNegative(n, "tolerance")
}

func (c *checker) checkBarrier(n *ir.Node) {
	c.nonNegative(n, "idle")
	c.nonNegative(n, "period")
}

func (c *checker) checkHTTPPost(n *ir.Node) {
	if eps := n.PropAll("endpoint"); len(eps) > 1 {
		c.errorf(propAt(eps[1]), n, "httpPost expects 0 or 1 endpoints, got %d", len(eps))
	}
	for _, h := range n.PropAll("header") {
		c.noAuthenticateHeader(n, h)
	}
}

func (c *checker) noAuthenticateHeader(n *ir.Node, h *ir.PropSet) {
	if k := h.Arg(0); k.Type == stdlib.String && strings.EqualFold(k.Str, "authenticate") {
		c.errorf(argAt(k, propAt(h)), n, "cannot set 'authenticate' header")
	}
}

func (c *checker) checkLoopback(n *ir.Node) {
	db, rp := n.Prop("database").Arg(0), n.Prop("retentionPolicy").Arg(0)
	if db.Type != stdlib.String || rp.Type != stdlib.String {
		return
	}
	for _, d := range c.pipe.Dbrps {
		if d.DB == db.Str && d.RP == rp.Str {
			c.errorf(nodeAt(n), n, "loop detected on dbrp: %q.%q (the task reads it)", d.DB, d.RP)
		}
	}
}

func (c *checker) checkAutoscale(n *ir.Node) {
	if ps := n.Prop("min"); ps != nil {
		if v := ps.Arg(0); v.Type == stdlib.Int && !v.Placeholder && v.Int < 1 {
			c.errorf(argAt(v, propAt(ps)), n, "min must be >= 1, got %d", v.Int)
		}
	}
	if n.Kind.Name == "k8sAutoscale" {
		if ps := n.Prop("kind"); ps != nil {
			if v := ps.Arg(0); v.Type == stdlib.String && !v.Placeholder {
				switch v.Str {
				case "deployments", "replicasets", "replicationcontrollers":
				default:
					c.errorf(argAt(v, propAt(ps)), n, "invalid Kind, must be 'deployments', 'replicasets' or 'replicationcontrollers', got %s", v.Str)
				}
			}
		}
	}
}

func (c *checker) checkSideload(n *ir.Node) {
	ps := n.Prop("source")
	if ps == nil {
		return
	}
	v := ps.Arg(0)
	if v.Type != stdlib.String || v.Placeholder || v.Str == "" {
		return
	}
	at := argAt(v, propAt(ps))
	u, err := url.Parse(v.Str)
	switch {
	case err != nil:
		c.errorf(at, n, "invalid sideload source: %v", err)
	case u.Scheme == "":
		// the name of a configured [[httppost]] endpoint
	case u.Scheme != "file" && u.Scheme != "http" && u.Scheme != "https":
		c.errorf(at, n, "unsupported source scheme %q, must be 'file', 'http', or 'https'", u.Scheme)
	case u.Scheme == "file" && !filepath.IsAbs(u.Path):
		c.errorf(at, n, "sideload source path must be absolute: %q is not absolute", u.Path)
	}
}

// checkAlert checks templates, flapping thresholds and handler options.
func (c *checker) checkAlert(n *ir.Node) {
	for _, name := range []string{"id", "message"} {
		for _, ps := range n.PropAll(name) {
			if v := ps.Arg(0); v.Type == stdlib.String {
				t, err := texttemplate.New(name).Parse(v.Str)
				if err != nil {
					c.errorf(argAt(v, propAt(ps)), n, "%v", err)
					continue
				}
				c.checkTemplateFields(n, ps, v, t.Tree, name)
			}
		}
	}
	for _, ps := range n.PropAll("details") {
		if v := ps.Arg(0); v.Type == stdlib.String {
			t, err := template.New("details").Funcs(template.FuncMap{"json": func(any) template.JS { return "" }}).Parse(v.Str)
			if err != nil {
				c.errorf(argAt(v, propAt(ps)), n, "%v", err)
				continue
			}
			c.checkTemplateFields(n, ps, v, t.Tree, "details")
		}
	}
	if ps := n.Prop("flapping"); ps != nil {
		for _, v := range ps.Args {
			if v.Type == stdlib.Float && (v.Float < 0 || v.Float > 1) {
				c.errorf(argAt(v, propAt(ps)), n, "alert flap thresholds are percentages and should be between 0 and 1, got %g", v.Float)
			}
		}
		low, high := ps.Arg(0), ps.Arg(1)
		if low.Type == stdlib.Float && high.Type == stdlib.Float && low.Float > high.Float {
			c.errorf(argAt(low, propAt(ps)), n, "flapping low threshold %g is above the high threshold %g", low.Float, high.Float)
		}
	}
	for _, h := range n.Handlers {
		c.checkHandler(n, h)
	}
}

// checkTemplateFields reports a template naming a field its data lacks.
func (c *checker) checkTemplateFields(n *ir.Node, ps *ir.PropSet, v ir.Value, tree *parse.Tree, kind string) {
	if field := unknownTemplateField(tree, kind); field != "" {
		article := "a"
		if kind == "id" {
			article = "an"
		}
		c.errorf(argAt(v, propAt(ps)), n, "the %s template uses %s, which does not exist; %s %s template can use %s",
			kind, field, article, kind, fieldList(templateFields[kind]))
	}
}

func (c *checker) checkHandler(n *ir.Node, h *ir.HandlerSet) {
	if h.Handler == nil {
		return
	}
	at := span{h.Pos, h.Pos}
	var atNode ast.Node = at
	if h.Call != nil && h.Call.Name != nil {
		atNode = h.Call.Name
	}
	switch h.Handler.Name {
	case "post":
		for _, o := range h.OptionAll("header") {
			c.noAuthenticateHeader(n, o)
		}
	case "log":
		if v := handlerArg(h, 0); v.Type == stdlib.String && !v.Placeholder && !filepath.IsAbs(v.Str) {
			c.errorf(argAt(v, atNode), n, "log path must be absolute: %s is not absolute", v.Str)
		}
		if o := h.Option("mode"); o != nil {
			if v := o.Arg(0); v.Type == stdlib.Int && !v.Placeholder && v.Int&0o200 == 0 {
				c.errorf(argAt(v, propAt(o)), n, "invalid file mode %o, must be user writable", v.Int)
			}
		}
	case "snmpTrap":
		if v := handlerArg(h, 0); v.Type == stdlib.String && !v.Placeholder && v.Str == "" {
			c.errorf(argAt(v, atNode), n, "invalid SNMP trap: you must supply a trap Oid")
		}
		for _, o := range h.OptionAll("data") {
			if v := o.Arg(1); v.Type == stdlib.String && !v.Placeholder {
				switch v.Str {
				case "c", "i", "n", "s", "t":
				default:
					c.errorf(argAt(v, propAt(o)), n, "invalid SNMP trap: unsupported data type %q for data entry %q", v.Str, o.Arg(0).Str)
				}
			}
		}
	case "mqtt":
		if o := h.Option("qos"); o != nil {
			if v := o.Arg(0); v.Type == stdlib.Int && (v.Int < 0 || v.Int > 2) {
				c.errorf(argAt(v, propAt(o)), n, "invalid MQTT QoS %d, must be 0, 1 or 2", v.Int)
			}
		}
	}
}

func handlerArg(h *ir.HandlerSet, i int) ir.Value {
	if i < len(h.Args) {
		return h.Args[i]
	}
	return ir.Value{}
}
