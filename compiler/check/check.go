// Package check evaluates a parsed TICKscript into the pipeline IR, the way
// Kapacitor 1.5.9 evaluates a script when a task is defined and started:
// statements run in order in one flat scope, chaining methods create nodes,
// property methods configure them, and at the end every node is validated.
//
// Unlike Kapacitor it does not stop at the first problem: every error of a
// script is reported, each at the most precise place (the method name, the
// argument, the operator), and a failed expression evaluates to an invalid
// value that silences the errors that would only follow from it. Lints
// (unused vars, dangling nodes, windows with gaps) are reported as warnings.
package check

import (
	"fmt"
	"sort"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// Options configure a check.
type Options struct {
	// Vars supplies values for template vars (`var x float`) and may
	// override declared vars, with a value of exactly the var's type.
	// A template var without a value gets its type's zero value, as when
	// Kapacitor defines a template, so the script can still be checked.
	Vars map[string]ir.Value
}

// Diagnostic codes of the checker.
const (
	CodeTaskType   = "task-type"
	CodeUndefined  = "undefined"
	CodeRedefined  = "redefined"
	CodeVarType    = "var-type"
	CodeMethod     = "method"     // unknown method or wrong operator
	CodeArgs       = "args"       // argument count
	CodeType       = "type"       // argument or value type
	CodeEdge       = "edge"       // stream/batch mismatch
	CodeUDF        = "udf"        // @udf() is not supported
	CodeValidate   = "validate"   // per-node validation
	CodeNothing    = "nothing"    // task does nothing
	CodeUnusedVar  = "unused-var" // lint
	CodeDangling   = "dangling-node"
	CodeWindowGaps = "window-every"
)

// Check evaluates prog into a pipeline. The pipeline is returned even when
// there are errors, as far as it could be built, for the language server.
func Check(prog *ast.Program, opts Options) (*ir.Pipeline, diag.List) {
	c := &checker{
		opts:     opts,
		pipe:     &ir.Pipeline{},
		scope:    map[string]*binding{},
		poisoned: map[string]bool{},
		declared: map[string]ast.Pos{},
		tainted:  map[*ir.Node]bool{},
	}
	if prog == nil {
		return c.pipe, nil
	}
	c.collectDeclarations(prog)
	c.inferTaskType(prog)
	for _, s := range prog.Stmts {
		c.stmt(s)
	}
	c.validate(prog)
	c.lint()
	c.diags.Sort()
	return c.pipe, c.diags
}

// checker is the state of one check.
type checker struct {
	opts  Options
	pipe  *ir.Pipeline
	diags diag.List

	scope map[string]*binding
	// poisoned names failed to be declared; their uses stay quiet.
	poisoned map[string]bool
	// declared maps every name a var statement declares to the first
	// declaration, to tell "used before declared" from "undefined".
	declared map[string]ast.Pos
	// tainted nodes had an error in one of their calls; their end-of-script
	// validation would only repeat it.
	tainted map[*ir.Node]bool
	// wantString is set while an argument that may be a string, or a list
	// item, is evaluated: a bare name there is often a string missing its
	// quotes.
	wantString bool
	// sourceRoot is the first use of stream or batch as a chain root.
	sourceRoot ast.Node
	// nextID is the next node ID; like Kapacitor, every parent link of a
	// node consumes one.
	nextID int
	// deferredTaskType holds the "invalid task type" error of a script
	// with no source at all, reported only when nothing else went wrong.
	noTaskType ast.Node
}

// binding is a name in scope.
type binding struct {
	value ir.Value
	v     *ir.Var // nil for the predefined names
}

// ---------------------------------------------------------------------------
// Scope (also the types.Env of lambda checking and constant folding)

// Var returns the value of a name in scope and marks its var used.
func (c *checker) Var(name string) (ir.Value, bool) {
	if c.poisoned[name] {
		return ir.Value{}, true // unknown after an error: stay quiet
	}
	b, ok := c.scope[name]
	if !ok {
		return ir.Value{}, false
	}
	if b.v != nil {
		b.v.Used = true
	}
	return b.value, true
}

// Names lists the names in scope, sorted.
func (c *checker) Names() []string {
	names := make([]string, 0, len(c.scope))
	for n := range c.scope {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// define binds a name, reporting a redefinition at the name.
func (c *checker) define(name *ast.Ident, value ir.Value, v *ir.Var) bool {
	if _, ok := c.scope[name.Name]; ok {
		c.diags.Errorf(name, CodeRedefined, "attempted to redefine %s, vars are immutable", name.Name)
		c.poisoned[name.Name] = true
		return false
	}
	c.scope[name.Name] = &binding{value: value, v: v}
	return true
}

// collectDeclarations notes where every var is declared.
func (c *checker) collectDeclarations(prog *ast.Program) {
	for _, s := range prog.Stmts {
		var id *ast.Ident
		switch s := s.(type) {
		case *ast.VarDecl:
			id = s.Name
		case *ast.TypeDecl:
			id = s.Name
		}
		if id != nil {
			if _, ok := c.declared[id.Name]; !ok {
				c.declared[id.Name] = id.Pos()
			}
		}
	}
}

// DeclaredLater reports where a name that is not in scope yet is declared
// further down the script (types.Env implementations may offer it).
func (c *checker) DeclaredLater(name string) (ast.Pos, bool) {
	if _, ok := c.scope[name]; ok {
		return ast.Pos{}, false
	}
	p, ok := c.declared[name]
	return p, ok
}

// ---------------------------------------------------------------------------
// Task type (language.md §6.5)

func (c *checker) inferTaskType(prog *ast.Program) {
	var streamRoot, batchRoot ast.Node
	for _, s := range prog.Stmts {
		var x ast.Expr
		switch s := s.(type) {
		case *ast.VarDecl:
			x = s.Value
		case *ast.ExprStmt:
			x = s.X
		}
		if x == nil {
			continue
		}
		id, ok := ast.ChainRoot(x).(*ast.Ident)
		if !ok {
			continue
		}
		switch id.Name {
		case "stream":
			if streamRoot == nil {
				streamRoot = id
			}
		case "batch":
			if batchRoot == nil {
				batchRoot = id
			}
		}
	}
	c.sourceRoot = streamRoot
	if batchRoot != nil && (streamRoot == nil || batchRoot.Pos().Offset < streamRoot.Pos().Offset) {
		c.sourceRoot = batchRoot
	}
	switch {
	case streamRoot != nil && batchRoot != nil:
		// Report at whichever comes second and define both sources, so
		// that the rest of the script is still checked.
		second, first := batchRoot, streamRoot
		if streamRoot.Pos().Offset > batchRoot.Pos().Offset {
			second, first = streamRoot, batchRoot
		}
		c.diags.Errorf(second, CodeTaskType, "invalid task type: the script reads both stream and batch (%s at %s); a task is either a stream or a batch task",
			first.(*ast.Ident).Name, first.Pos())
		c.addSource("stream", stdlib.Stream)
		c.addSource("batch", stdlib.Batch)
	case streamRoot != nil:
		c.pipe.Type = stdlib.Stream
		c.addSource("stream", stdlib.Stream)
	case batchRoot != nil:
		c.pipe.Type = stdlib.Batch
		c.addSource("batch", stdlib.Batch)
	default:
		c.noTaskType = prog
	}
	c.scope["time"] = &binding{value: ir.Value{Type: stdlib.None, Str: "time"}}
}

// addSource creates the stream or batch node and binds its name.
func (c *checker) addSource(name string, edge stdlib.Edge) {
	n := c.newNode(kindOrStub(name), nil, ast.Pos{})
	n.Wants, n.Provides = stdlib.NoEdge, edge
	c.pipe.Sources = append(c.pipe.Sources, n)
	c.scope[name] = &binding{value: nodeValue(n, nil)}
}

// ---------------------------------------------------------------------------
// Statements

func (c *checker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.DbrpStmt:
		c.dbrp(s)
	case *ast.TypeDecl:
		c.typeDecl(s)
	case *ast.VarDecl:
		c.varDecl(s)
	case *ast.ExprStmt:
		c.exprStmt(s)
	}
}

func (c *checker) dbrp(s *ast.DbrpStmt) {
	if s.DB == nil || s.RP == nil {
		return // a syntax error was reported
	}
	for _, d := range c.pipe.Dbrps {
		if d.DB == s.DB.Name && d.RP == s.RP.Name {
			c.diags.Warnf(s, "duplicate-dbrp", "dbrp %q.%q is declared twice (first at %s)", d.DB, d.RP, d.Pos)
			return
		}
	}
	c.pipe.Dbrps = append(c.pipe.Dbrps, ir.Dbrp{DB: s.DB.Name, RP: s.RP.Name, Pos: s.Pos()})
}

func (c *checker) typeDecl(s *ast.TypeDecl) {
	if s.Name == nil || s.Type == nil {
		return
	}
	t, ok := stdlib.TypeByDeclName[s.Type.Name]
	if !ok {
		c.diags.Errorf(s.Type, CodeVarType, "invalid var type %q; a template var is one of int, float, bool, string, regex, duration, lambda, list or star%s",
			s.Type.Name, didYouMean(s.Type.Name, declTypeNames()))
	}
	v := &ir.Var{Name: s.Name.Name, Pos: s.Name.Pos(), Doc: s.Doc, Type: t, Template: true}
	v.Default = ir.Value{Type: t, Placeholder: true}
	v.Value = zeroValue(t)
	if sup, ok := c.opts.Vars[v.Name]; ok && t != stdlib.None {
		if sup.Type != t {
			c.diags.Errorf(s.Name, CodeVarType, "invalid type supplied for %s, got %s exp %s", v.Name, typeName(sup.Type), typeName(t))
		} else {
			v.Value = c.suppliedValue(s.Name, sup)
			v.Supplied = true
		}
	}
	if c.define(s.Name, v.Value, v) {
		c.pipe.Vars = append(c.pipe.Vars, v)
	}
}

func (c *checker) varDecl(s *ast.VarDecl) {
	if s.Name == nil || s.Value == nil {
		return
	}
	value := c.expr(s.Value)
	v := &ir.Var{Name: s.Name.Name, Pos: s.Name.Pos(), Doc: s.Doc, Type: value.Type, Value: value, Default: value}
	if sup, ok := c.opts.Vars[v.Name]; ok && value.Type != stdlib.None {
		if sup.Type != value.Type {
			c.diags.Errorf(s.Name, CodeVarType, "invalid type supplied for %s, got %s exp %s", v.Name, typeName(sup.Type), typeName(value.Type))
		} else {
			v.Value = c.suppliedValue(s.Name, sup)
			v.Supplied = true
		}
	}
	if c.define(s.Name, v.Value, v) {
		c.pipe.Vars = append(c.pipe.Vars, v)
	}
}

// suppliedValue prepares a value from Options.Vars: a lambda given as text
// is typed here, in the scope of its declaration; its errors are reported
// at the declared name, since its text is not part of the script.
func (c *checker) suppliedValue(name *ast.Ident, v ir.Value) ir.Value {
	if v.Type == stdlib.Lambda && v.Lambda != nil && v.Lambda.Types == nil && v.Lambda.Body != nil {
		var diags diag.List
		v.Lambda = checkLambda(v.Lambda.Body, c, &diags)
		for _, d := range diags {
			d.Msg = fmt.Sprintf("in the lambda supplied for %s (at %s of its text): %s", name.Name, d.Pos, d.Msg)
			d.Pos, d.End = name.Pos(), name.End()
			c.diags.Add(d)
		}
	}
	return v
}

func (c *checker) exprStmt(s *ast.ExprStmt) {
	v := c.expr(s.X)
	_ = v // the value of a statement is discarded
}

// ---------------------------------------------------------------------------
// Small helpers

func nodeValue(n *ir.Node, h *ir.HandlerSet) ir.Value {
	return ir.Value{Type: stdlib.Node, Node: n, Handler: h}
}

// kindOrStub returns the catalogue kind, or a bare kind with that name
// when the catalogue lacks it (keeps the checker total).
func kindOrStub(name string) *stdlib.NodeKind {
	if k := stdlib.LookupNode(name); k != nil {
		return k
	}
	return &stdlib.NodeKind{Name: name, Desc: name, Wants: stdlib.SameAsParent, Provides: stdlib.SameAsParent}
}

func declTypeNames() []string {
	out := make([]string, 0, len(stdlib.TypeByDeclName))
	for n := range stdlib.TypeByDeclName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// zeroValue is the stand-in value of a template var without a value.
func zeroValue(t stdlib.Type) ir.Value {
	return ir.Value{Type: t, Placeholder: true}
}
