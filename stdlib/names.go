package stdlib

// Name lists for "did you mean" hints and completion.

// PropertyNames returns the names of the kind's properties (handler
// methods included, internal plumbing excluded), in catalogue order.
func (k *NodeKind) PropertyNames() []string { return propertyNames(k.Properties) }

// OptionNames returns the names of the handler's own options (internal
// plumbing excluded), in catalogue order.
func (h *Handler) OptionNames() []string { return propertyNames(h.Options) }

func propertyNames(ps []*Property) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if !p.Internal {
			out = append(out, p.Name)
		}
	}
	return out
}

// NodeNames returns the names of every node kind that TICKscript can
// create with a chaining method (not the stream and batch vars, not
// implicit kinds), sorted.
func NodeNames() []string {
	var out []string
	for _, k := range Nodes() {
		if k.Implicit || k == streamNode || k == batchNode {
			continue
		}
		out = append(out, k.Name)
	}
	return out
}
