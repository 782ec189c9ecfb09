package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// jsonVar is one entry of a vars object in Kapacitor's API shape
// (language.md §9.1): {"type": "duration", "value": "1m", "description": "…"}.
type jsonVar struct {
	Type        string          `json:"type"`
	Value       json.RawMessage `json:"value"`
	Description string          `json:"description"`
}

// VarsFromJSON converts a vars object in Kapacitor's JSON shape into values
// for Options.Vars. A lambda is parsed here and typed by Check in the scope
// of its declaration.
func VarsFromJSON(data []byte) (map[string]ir.Value, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("vars: %v", err)
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make(map[string]ir.Value, len(raw))
	for _, name := range names {
		var jv jsonVar
		if err := strictUnmarshal(raw[name], &jv); err != nil {
			return nil, fmt.Errorf("vars: %s: %v", name, err)
		}
		v, err := convertVar(jv)
		if err != nil {
			return nil, fmt.Errorf("vars: %s: %v", name, err)
		}
		out[name] = v
	}
	return out, nil
}

func strictUnmarshal(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

// convertVar converts one {"type", "value"} object.
func convertVar(jv jsonVar) (ir.Value, error) {
	t, ok := stdlib.TypeByDeclName[jv.Type]
	if !ok {
		return ir.Value{}, fmt.Errorf("invalid var type %q", jv.Type)
	}
	if t == stdlib.Star {
		return ir.Value{Type: stdlib.Star}, nil
	}
	if len(jv.Value) == 0 || string(jv.Value) == "null" {
		return ir.Value{}, fmt.Errorf("missing value for a %s var", jv.Type)
	}
	var x any
	if err := strictUnmarshal(jv.Value, &x); err != nil {
		return ir.Value{}, err
	}
	switch t {
	case stdlib.Bool:
		b, ok := x.(bool)
		if !ok {
			return ir.Value{}, wantJSON("a boolean", x)
		}
		return ir.Value{Type: t, Bool: b}, nil
	case stdlib.Int:
		n, ok := x.(json.Number)
		if !ok {
			return ir.Value{}, wantJSON("an integer", x)
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return ir.Value{}, fmt.Errorf("want an integer, got %s", n)
		}
		return ir.Value{Type: t, Int: i}, nil
	case stdlib.Float:
		n, ok := x.(json.Number)
		if !ok {
			return ir.Value{}, wantJSON("a number", x)
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return ir.Value{}, fmt.Errorf("want a number, got %s", n)
		}
		return ir.Value{Type: t, Float: f}, nil
	case stdlib.String:
		s, ok := x.(string)
		if !ok {
			return ir.Value{}, wantJSON("a string", x)
		}
		return ir.Value{Type: t, Str: s}, nil
	case stdlib.Duration:
		switch d := x.(type) {
		case string:
			dur, err := parseDuration(d)
			if err != nil {
				return ir.Value{}, err
			}
			return ir.Value{Type: t, Dur: dur}, nil
		case json.Number:
			i, err := strconv.ParseInt(string(d), 10, 64)
			if err != nil {
				return ir.Value{}, fmt.Errorf("want a duration such as \"10s\" or integer nanoseconds, got %s", d)
			}
			return ir.Value{Type: t, Dur: time.Duration(i)}, nil
		}
		return ir.Value{}, wantJSON(`a duration such as "10s"`, x)
	case stdlib.Regex:
		s, ok := x.(string)
		if !ok {
			return ir.Value{}, wantJSON("a regular expression string", x)
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return ir.Value{}, fmt.Errorf("error parsing regexp: %v", err)
		}
		return ir.Value{Type: t, Str: s, Regex: re}, nil
	case stdlib.Lambda:
		s, ok := x.(string)
		if !ok {
			return ir.Value{}, wantJSON("a lambda expression string", x)
		}
		body, diags := parseLambda(s)
		if diags.HasErrors() || body == nil {
			msgs := make([]string, 0, len(diags))
			for _, d := range diags.Errors() {
				msgs = append(msgs, d.Error())
			}
			return ir.Value{}, fmt.Errorf("invalid lambda %q: %s", s, strings.Join(msgs, "; "))
		}
		return ir.Value{Type: t, Lambda: &ir.Lambda{Body: body}}, nil
	case stdlib.List:
		var items []map[string]json.RawMessage
		if err := strictUnmarshal(jv.Value, &items); err != nil {
			return ir.Value{}, fmt.Errorf("want a list of {\"type\", \"value\"} objects: %v", err)
		}
		list := make([]ir.Value, 0, len(items))
		for i, it := range items {
			if _, ok := it["type"]; !ok {
				return ir.Value{}, fmt.Errorf("list item %d: expected list type key in object", i)
			}
			if _, ok := it["value"]; !ok {
				return ir.Value{}, fmt.Errorf("list item %d: expected list value key in object", i)
			}
			var item jsonVar
			if err := strictUnmarshal(mustJSON(it), &item); err != nil {
				return ir.Value{}, fmt.Errorf("list item %d: %v", i, err)
			}
			if item.Type != "string" && item.Type != "star" {
				return ir.Value{}, fmt.Errorf("list item %d: unsupported list item type %q; list items are strings or star", i, item.Type)
			}
			v, err := convertVar(item)
			if err != nil {
				return ir.Value{}, fmt.Errorf("list item %d: %v", i, err)
			}
			list = append(list, v)
		}
		return ir.Value{Type: t, List: list}, nil
	}
	return ir.Value{}, fmt.Errorf("unsupported var type %q", jv.Type)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func wantJSON(want string, got any) error {
	return fmt.Errorf("want %s, got %s", want, mustJSON(got))
}

// parseDuration parses TICKscript duration syntax: an integer and one unit
// of u (or µ), ms, s, m, h, d, w.
func parseDuration(s string) (time.Duration, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i == len(s) {
		return 0, fmt.Errorf("invalid duration %q: want an integer and a unit such as \"10s\"", s)
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: %v", s, err)
	}
	var unit time.Duration
	switch s[i:] {
	case "u", "µ":
		unit = time.Microsecond
	case "ms":
		unit = time.Millisecond
	case "s":
		unit = time.Second
	case "m":
		unit = time.Minute
	case "h":
		unit = time.Hour
	case "d":
		unit = 24 * time.Hour
	case "w":
		unit = 7 * 24 * time.Hour
	default:
		return 0, fmt.Errorf("invalid duration %q: unknown unit %q (want u, ms, s, m, h, d or w)", s, s[i:])
	}
	return time.Duration(n) * unit, nil
}
