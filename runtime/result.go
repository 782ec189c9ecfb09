package runtime

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
)

// Result is what a replay produced, in the shape of the conformance
// suite's expected.json (conformance/FORMAT.md): the httpOut bodies, the
// captured alert events, httpPost requests and influxDBOut writes, and
// the task error.
type Result struct {
	// HTTPOut holds the body each httpOut endpoint serves.
	HTTPOut map[string]json.RawMessage `json:"httpOut"`
	// Alerts are the alert events, grouped by alert node in node ID
	// (script) order, in emission order within a node.
	Alerts []json.RawMessage `json:"alerts"`
	// HTTPPost are the httpPost requests, grouped likewise.
	HTTPPost []CapturedPost `json:"httpPost"`
	// InfluxDBOut are the stored points, sorted by database, retention
	// policy, measurement, time and tags.
	InfluxDBOut []CapturedWrite `json:"influxdbOut"`
	// Error is the first fatal error ("<node>: <message>"), "" if none.
	Error string `json:"error"`
}

// Result collects what the task has produced so far.
func (t *Task) Result() *Result {
	r := &Result{
		HTTPOut:     map[string]json.RawMessage{},
		Alerts:      []json.RawMessage{},
		HTTPPost:    []CapturedPost{},
		InfluxDBOut: []CapturedWrite{},
	}
	for _, n := range t.Nodes {
		if h, ok := n.(*HTTPOutNode); ok {
			r.HTTPOut[h.Endpoint()] = h.Body()
		}
	}
	if c := t.Capture; c != nil {
		c.mu.Lock()
		for _, id := range sortedIDs(c.alerts) {
			r.Alerts = append(r.Alerts, c.alerts[id]...)
		}
		for _, id := range sortedIDs(c.posts) {
			r.HTTPPost = append(r.HTTPPost, c.posts[id]...)
		}
		r.InfluxDBOut = append(r.InfluxDBOut, c.influxWrite...)
		c.mu.Unlock()
	}
	sortWrites(r.InfluxDBOut)
	if err := t.Err(); err != nil {
		r.Error = err.Error()
	}
	return r
}

func sortedIDs[V any](m map[int]V) []int {
	ids := make([]int, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

// sortWrites orders stored points as FORMAT.md says: database, retention
// policy, measurement, time, then tags (compared as sorted key=value
// lists).
func sortWrites(ws []CapturedWrite) {
	tagKey := func(m map[string]string) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b bytes.Buffer
		for _, k := range keys {
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(m[k])
			b.WriteByte(0)
		}
		return b.String()
	}
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := &ws[i], &ws[j]
		switch {
		case a.Database != b.Database:
			return a.Database < b.Database
		case a.RetentionPolicy != b.RetentionPolicy:
			return a.RetentionPolicy < b.RetentionPolicy
		case a.Measurement != b.Measurement:
			return a.Measurement < b.Measurement
		case a.SortTime != b.SortTime:
			return a.SortTime < b.SortTime
		}
		return tagKey(a.Tags) < tagKey(b.Tags)
	})
}

// WriteJSON writes the result as indented JSON with a final newline.
func (r *Result) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
