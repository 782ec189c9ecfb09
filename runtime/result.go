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

	// alertsLaidOut says that the Alerts are laid out as in the output
	// (resultAlertDepth), as a capture keeps them: WriteJSON copies them.
	alertsLaidOut bool
}

// resultAlertDepth is the nesting depth of an alert event in result.json
// ({"alerts": [event, …]}).
const resultAlertDepth = 2

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
		r.alertsLaidOut = true
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

// WriteJSON writes the result as indented JSON with a final newline,
// byte for byte what json.MarshalIndent(r, "", "  ") gives, but streamed:
// the alert events (often most of the output) are indented straight
// from their captured JSON into w, with no whole-document buffers and
// without encoding/json's validating scanner.
func (r *Result) WriteJSON(w io.Writer) error {
	ind := jsonIndenter{w: w, out: make([]byte, 0, 64<<10)}
	ind.compact(`{"httpOut":`)
	if r.HTTPOut == nil {
		ind.compact("null")
	} else {
		keys := make([]string, 0, len(r.HTTPOut))
		for k := range r.HTTPOut {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		ind.compact("{")
		for i, k := range keys {
			if i > 0 {
				ind.compact(",")
			}
			if err := ind.marshal(k); err != nil {
				return err
			}
			ind.compact(":")
			ind.raw(r.HTTPOut[k])
		}
		ind.compact("}")
	}
	ind.compact(`,"alerts":`)
	if r.Alerts == nil {
		ind.compact("null")
	} else if r.alertsLaidOut {
		ind.laidOutArray(r.Alerts)
	} else {
		ind.compact("[")
		for i, a := range r.Alerts {
			if i > 0 {
				ind.compact(",")
			}
			ind.raw(a)
		}
		ind.compact("]")
	}
	ind.compact(`,"httpPost":`)
	if err := ind.marshal(r.HTTPPost); err != nil {
		return err
	}
	ind.compact(`,"influxdbOut":`)
	if err := ind.marshal(r.InfluxDBOut); err != nil {
		return err
	}
	ind.compact(`,"error":`)
	if err := ind.marshal(r.Error); err != nil {
		return err
	}
	ind.compact("}")
	ind.out = append(ind.out, '\n')
	return ind.flush()
}

// jsonIndenter re-formats a stream of JSON text the way json.MarshalIndent
// does with no prefix and a two-space indent: whitespace between tokens
// is dropped (json.Compact), `<`, `>`, `&`, U+2028 and U+2029 in strings
// are escaped (Marshal's HTML-safe output of a json.RawMessage), and
// tokens are laid out one per line (json.Indent, empty {} and [] kept
// on one line). Its input is trusted to be valid JSON: the captured
// events and encoding/json's own output.
type jsonIndenter struct {
	w   io.Writer
	out []byte
	err error

	depth      int
	needIndent bool // after { or [: indent unless the next token closes it
	inString   bool
	escaped    bool // the previous byte in a string was a backslash
}

// marshal appends v as json.Marshal encodes it.
func (ind *jsonIndenter) marshal(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ind.write(b)
	return nil
}

// raw appends a captured JSON value (null when empty, as Marshal
// renders an empty json.RawMessage).
func (ind *jsonIndenter) raw(b json.RawMessage) {
	if len(b) == 0 {
		ind.compact("null")
		return
	}
	ind.write(b)
}

// laidOutArray appends an array whose elements are laid out already,
// at the depth below the indenter's.
func (ind *jsonIndenter) laidOutArray(elems []json.RawMessage) {
	if len(elems) == 0 {
		ind.compact("[]")
		return
	}
	ind.out = append(ind.out, '[')
	for i, e := range elems {
		if i > 0 {
			ind.out = append(ind.out, ',')
		}
		ind.out = appendJSONNewline(ind.out, ind.depth+1)
		if len(e) >= indenterFlushSize {
			ind.flush()
			if ind.err == nil {
				_, ind.err = ind.w.Write(e)
			}
			continue
		}
		ind.out = append(ind.out, e...)
		if len(ind.out) >= indenterFlushSize {
			ind.flush()
		}
	}
	ind.out = appendJSONNewline(ind.out, ind.depth)
	ind.out = append(ind.out, ']')
}

func (ind *jsonIndenter) compact(s string) { ind.write([]byte(s)) }

const jsonHex = "0123456789abcdef"

func (ind *jsonIndenter) write(src []byte) {
	out := ind.out
	for i := 0; i < len(src); i++ {
		c := src[i]
		if ind.inString {
			if !ind.escaped {
				// Copy the run of plain string bytes at once.
				j := i
				for j < len(src) && !jsonStringSpecial[src[j]] {
					j++
				}
				out = append(out, src[i:j]...)
				if i = j; i == len(src) {
					break
				}
				c = src[i]
			}
			switch {
			case ind.escaped:
				ind.escaped = false
			case c == '\\':
				ind.escaped = true
			case c == '"':
				ind.inString = false
			case c == '<' || c == '>' || c == '&':
				out = append(out, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
				continue
			case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
				out = append(out, '\\', 'u', '2', '0', '2', jsonHex[src[i+2]&0xF])
				i += 2
				continue
			}
			out = append(out, c)
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if ind.needIndent && c != '}' && c != ']' {
			ind.needIndent = false
			ind.depth++
			out = appendJSONNewline(out, ind.depth)
		}
		switch c {
		case '"':
			ind.inString = true
			out = append(out, c)
		case '{', '[':
			ind.needIndent = true
			out = append(out, c)
		case ',':
			out = append(out, c)
			out = appendJSONNewline(out, ind.depth)
		case ':':
			out = append(out, c, ' ')
		case '}', ']':
			if ind.needIndent {
				ind.needIndent = false
			} else {
				ind.depth--
				out = appendJSONNewline(out, ind.depth)
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
		if len(out) >= indenterFlushSize {
			ind.out = out
			ind.flush()
			out = ind.out
		}
	}
	ind.out = out
}

// indenterFlushSize is how much output the indenter gathers per write.
const indenterFlushSize = 32 << 10

// jsonStringSpecial are the bytes a string run stops at.
var jsonStringSpecial = [256]bool{'"': true, '\\': true, '<': true, '>': true, '&': true, 0xE2: true}

func appendJSONNewline(b []byte, depth int) []byte {
	b = append(b, '\n')
	for range depth {
		b = append(b, ' ', ' ')
	}
	return b
}

// flush writes out what is buffered and returns the first write error.
func (ind *jsonIndenter) flush() error {
	if ind.err == nil && len(ind.out) > 0 {
		_, ind.err = ind.w.Write(ind.out)
	}
	ind.out = ind.out[:0]
	return ind.err
}
