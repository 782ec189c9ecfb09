package check

import (
	"strings"
	"text/template/parse"
)

// Fields an alert template may name at its top level, by template
// (alerting.md §7). Kapacitor renders the id before the level is known,
// so the id sees fewer fields; naming another one stops the task on the
// first point ("can't evaluate field Host in type kapacitor.idInfo").
var templateFields = map[string][]string{
	"id":      {"Name", "TaskName", "Group", "Tags", "ServerInfo"},
	"message": {"Name", "TaskName", "Group", "Tags", "ServerInfo", "ID", "Fields", "Level", "Time", "Duration"},
	"details": {"Name", "TaskName", "Group", "Tags", "ServerInfo", "ID", "Fields", "Level", "Time", "Duration", "Message"},
}

var serverInfoFields = []string{"Hostname", "ClusterID", "ServerID"}

// unknownTemplateField returns the first field chain of the template's
// top-level data that does not exist (".Host", ".ServerInfo.Name"), or "".
// Inside range and with the dot is something else, so those bodies are
// not judged.
func unknownTemplateField(tree *parse.Tree, kind string) string {
	if tree == nil || tree.Root == nil {
		return ""
	}
	var bad string
	var visit func(n parse.Node)
	check := func(idents []string) {
		if bad != "" || len(idents) == 0 {
			return
		}
		if !contains(templateFields[kind], idents[0]) {
			bad = "." + idents[0]
			return
		}
		if idents[0] == "ServerInfo" && len(idents) > 1 && !contains(serverInfoFields, idents[1]) {
			bad = ".ServerInfo." + idents[1]
		}
	}
	visitPipe := func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, cmd := range p.Cmds {
			for _, arg := range cmd.Args {
				visit(arg)
			}
		}
	}
	visit = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				visit(c)
			}
		case *parse.ActionNode:
			visitPipe(n.Pipe)
		case *parse.FieldNode:
			check(n.Ident)
		case *parse.ChainNode:
			visit(n.Node)
		case *parse.PipeNode:
			visitPipe(n)
		case *parse.IfNode:
			visitPipe(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.RangeNode:
			visitPipe(n.Pipe) // the body sees the elements, not the event
		case *parse.WithNode:
			visitPipe(n.Pipe)
		}
	}
	visit(tree.Root)
	return bad
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fieldList formats names as ".A, .B and .C".
func fieldList(names []string) string {
	dotted := make([]string, len(names))
	for i, n := range names {
		dotted[i] = "." + n
	}
	if len(dotted) < 2 {
		return strings.Join(dotted, "")
	}
	return strings.Join(dotted[:len(dotted)-1], ", ") + " and " + dotted[len(dotted)-1]
}
