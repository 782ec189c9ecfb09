package stdlib

// StandardChaining is the chaining set of every node except the sources
// and terminal nodes (nodes.md §0.6).
var StandardChaining = []string{}

var allNodes = []*NodeKind{}
