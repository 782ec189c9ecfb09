package stdlib

import "sort"

// The catalogue. The data lives in nodes.go, handlers.go and funcs.go.
var (
	nodeIndex = map[string]*NodeKind{}
	funcIndex = map[string]*Func{}
)

func init() {
	for _, k := range allNodes {
		nodeIndex[CanonicalName(k.Name)] = k
	}
	for _, f := range allFuncs {
		funcIndex[f.Name] = f
	}
}

// LookupNode returns the node kind created by chaining method name
// (or the source kinds "stream" and "batch"), nil if none.
func LookupNode(name string) *NodeKind { return nodeIndex[CanonicalName(name)] }

// LookupFunc returns the lambda function of that exact name, nil if none.
// Function names are case-sensitive.
func LookupFunc(name string) *Func { return funcIndex[name] }

// Nodes returns every node kind, sorted by name.
func Nodes() []*NodeKind {
	out := append([]*NodeKind(nil), allNodes...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Funcs returns every lambda function, sorted by name.
func Funcs() []*Func {
	out := append([]*Func(nil), allFuncs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
