package check

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tickc/tickc/stdlib"
)

// The catalogue's lookups compare names by canonical form one by one;
// the checker looks names up for every call of a script, so it indexes
// each kind once.

type kindIndex struct {
	props map[nameKey]*stdlib.Property
	chain map[nameKey]bool
}

// nameKey is a name in canonical form (stdlib.CanonicalName) without the
// allocation: the first rune upper-cased, and the rest.
type nameKey struct {
	first rune
	rest  string
}

func keyOf(name string) nameKey {
	r, n := utf8.DecodeRuneInString(name)
	return nameKey{unicode.ToUpper(r), name[n:]}
}

var (
	indexMu sync.Mutex
	indexes = map[*stdlib.NodeKind]*kindIndex{}
	options = map[*stdlib.Handler]map[nameKey]*stdlib.Property{}
)

func indexOf(k *stdlib.NodeKind) *kindIndex {
	indexMu.Lock()
	defer indexMu.Unlock()
	if ix, ok := indexes[k]; ok {
		return ix
	}
	ix := &kindIndex{props: map[nameKey]*stdlib.Property{}, chain: map[nameKey]bool{}}
	for _, p := range k.Properties {
		c := keyOf(p.Name)
		if _, dup := ix.props[c]; !dup {
			ix.props[c] = p
		}
	}
	for _, m := range k.ChainingMethods() {
		ix.chain[keyOf(m)] = true
	}
	indexes[k] = ix
	return ix
}

// property finds a property of a kind, Kapacitor's way.
func property(k *stdlib.NodeKind, name string) *stdlib.Property {
	return indexOf(k).props[keyOf(name)]
}

// canChain reports whether |name() is a chaining method of the kind.
func canChain(k *stdlib.NodeKind, name string) bool {
	return indexOf(k).chain[keyOf(name)]
}

// option finds a handler option, Kapacitor's way.
func option(h *stdlib.Handler, name string) *stdlib.Property {
	indexMu.Lock()
	defer indexMu.Unlock()
	m, ok := options[h]
	if !ok {
		m = map[nameKey]*stdlib.Property{}
		for _, o := range h.Options {
			c := keyOf(o.Name)
			if _, dup := m[c]; !dup {
				m[c] = o
			}
		}
		options[h] = m
	}
	return m[keyOf(name)]
}
