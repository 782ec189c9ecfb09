package runtime

import (
	"sort"
	"strings"
	"sync/atomic"
)

// Tag is one tag of a point.
type Tag struct{ Key, Value string }

// Tags are a point's tags, sorted by key.
type Tags []Tag

// Get returns the value of tag key.
func (t Tags) Get(key string) (string, bool) {
	for i := range t {
		if t[i].Key == key {
			return t[i].Value, true
		}
	}
	return "", false
}

// Set returns tags with key set to value, keeping the order; it may
// modify t in place, so callers own t.
func (t Tags) Set(key, value string) Tags {
	i := sort.Search(len(t), func(i int) bool { return t[i].Key >= key })
	if i < len(t) && t[i].Key == key {
		t[i].Value = value
		return t
	}
	t = append(t, Tag{})
	copy(t[i+1:], t[i:])
	t[i] = Tag{key, value}
	return t
}

// Delete returns tags without key; it may modify t in place.
func (t Tags) Delete(key string) Tags {
	for i := range t {
		if t[i].Key == key {
			return append(t[:i], t[i+1:]...)
		}
	}
	return t
}

// Clone returns a copy the caller may change.
func (t Tags) Clone() Tags {
	if t == nil {
		return nil
	}
	return append(make(Tags, 0, len(t)+1), t...)
}

// Map returns the tags as a map (for templates and JSON).
func (t Tags) Map() map[string]string {
	m := make(map[string]string, len(t))
	for _, tag := range t {
		m[tag.Key] = tag.Value
	}
	return m
}

// Field is one field of a point.
type Field struct {
	Key   string
	Value Value
}

// Fields are a point's fields, sorted by key.
type Fields []Field

// Get returns the value of field key.
func (f Fields) Get(key string) (Value, bool) {
	for i := range f {
		if f[i].Key == key {
			return f[i].Value, true
		}
	}
	return Value{}, false
}

// Set returns fields with key set to v, keeping the order; it may modify
// f in place, so callers own f.
func (f Fields) Set(key string, v Value) Fields {
	i := sort.Search(len(f), func(i int) bool { return f[i].Key >= key })
	if i < len(f) && f[i].Key == key {
		f[i].Value = v
		return f
	}
	f = append(f, Field{})
	copy(f[i+1:], f[i:])
	f[i] = Field{key, v}
	return f
}

// Delete returns fields without key; it may modify f in place.
func (f Fields) Delete(key string) Fields {
	for i := range f {
		if f[i].Key == key {
			return append(f[:i], f[i+1:]...)
		}
	}
	return f
}

// Clone returns a copy the caller may change.
func (f Fields) Clone() Fields {
	if f == nil {
		return nil
	}
	return append(make(Fields, 0, len(f)+1), f...)
}

// Row is what a lambda sees: one stream point or one point of a batch.
type Row struct {
	Time   int64 // Unix nanoseconds, UTC
	Tags   Tags
	Fields Fields
}

// Dimensions say how data is grouped: by these tag names (sorted) and,
// when ByName, by measurement name too.
type Dimensions struct {
	ByName   bool
	TagNames []string
}

// GroupID identifies a group. The nil group is "".
type GroupID string

// NilGroup is the group of ungrouped data.
const NilGroup GroupID = ""

// ComputeGroupID is Kapacitor's group ID: the name (when grouping by
// name), a newline, then tag=value pairs in dimension order; a missing
// tag renders as `tag=`.
func ComputeGroupID(name string, tags Tags, dims Dimensions) GroupID {
	if len(dims.TagNames) == 0 {
		if dims.ByName {
			return GroupID(name)
		}
		return NilGroup
	}
	var b strings.Builder
	if dims.ByName {
		b.WriteString(name)
		b.WriteByte('\n')
	}
	for i, d := range dims.TagNames {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(d)
		b.WriteByte('=')
		v, _ := tags.Get(d)
		b.WriteString(v)
	}
	return GroupID(b.String())
}

// GroupTags returns only the dimension tags of tags (a missing one as "").
func GroupTags(tags Tags, dims Dimensions) Tags {
	if len(dims.TagNames) == 0 {
		return nil
	}
	out := make(Tags, 0, len(dims.TagNames))
	for _, d := range dims.TagNames {
		v, _ := tags.Get(d)
		out = append(out, Tag{d, v})
	}
	return out
}

// Point is a stream message.
type Point struct {
	Row
	Name     string
	Database string
	RP       string
	Dims     Dimensions
	Group    GroupID
	// Series and GroupNum let nodes find per-series and per-group state
	// by index instead of by hashing: Series is the number the line
	// parser gave the point's name and tags, GroupNum the task's number of
	// Group (Task.groupNumber); 0 when unknown. They are hints: a user
	// checks one against the Tags or the Group it stands for, so a node
	// that changes those without clearing them costs a slower lookup,
	// never a wrong one.
	Series   uint32
	GroupNum uint32
	// verdict is the verdict cell of the line parser's series of a point
	// fresh from a parser set up for verdicts (LineParser.SetVerdictRefs)
	// that has no field named as the from node's predicates read; nil
	// otherwise. The from node keeps its verdict on the series there
	// (FromNode.matches).
	verdict *seriesVerdict
	// deferred is the fields section of the point's line when the line
	// parser left fields out that an alert node below reads only to send
	// an event (LineParser.DeferLeftOut, FromConfig.DeferFields): Fields
	// hold the others, as nodes on the way changed them, and win over the
	// section's (AlertNode.withAllFields). It lives as long as the line's
	// memory: only nodes that hand points on during the call carry it,
	// from nodes that do not defer clear it, and only alert nodes that a
	// deferring from node reaches through such nodes read it
	// (AlertConfig.DeferredFields).
	deferred []byte
}

// seriesVerdict holds the verdict of the task's only from node on a
// series: verdictUnknown, verdictPass or verdictReject. The node sets it,
// the parsers read it (to skip decoding the fields of rejected series).
type seriesVerdict struct{ v atomic.Uint32 }

// Series verdicts.
const (
	verdictUnknown uint32 = iota
	verdictPass
	verdictReject
)

// indexFor returns s extended, when needed, to hold index i: tables
// indexed by series or group number grow by doubling, as numbers come
// mostly in order.
func indexFor[T any](s []T, i int) []T {
	if i < len(s) {
		return s
	}
	if i < cap(s) {
		return s[:i+1]
	}
	t := make([]T, i+1, max(2*cap(s), i+1, 64))
	copy(t, s)
	return t
}

// Clone returns a copy whose tags and fields the caller may change.
func (p *Point) Clone() *Point {
	q := *p
	q.Tags = p.Tags.Clone()
	q.Fields = p.Fields.Clone()
	return &q
}

// Regroup sets the dimensions and recomputes the group ID.
func (p *Point) Regroup(dims Dimensions) {
	p.Dims = dims
	p.Group = ComputeGroupID(p.Name, p.Tags, dims)
}

// Batch is a batch message: a begin (name, group, tmax), its points, an end.
type Batch struct {
	Name   string
	TMax   int64 // Unix nanoseconds
	Group  GroupID
	Tags   Tags // the group tags only
	Dims   Dimensions
	Points []Row
}

// ShallowCopy returns a copy with its own Points slice (rows are shared;
// clone a row's Tags/Fields before changing them).
func (b *Batch) ShallowCopy() *Batch {
	c := *b
	c.Points = append([]Row(nil), b.Points...)
	return &c
}
