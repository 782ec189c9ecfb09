package runtime

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// AlertLevel is the level of an alert event.
type AlertLevel uint8

// The alert levels, lowest first (spec/alerting.md §2).
const (
	LevelOK AlertLevel = iota
	LevelInfo
	LevelWarning
	LevelCritical
)

// String returns the level as Kapacitor writes it.
func (l AlertLevel) String() string {
	switch l {
	case LevelOK:
		return "OK"
	case LevelInfo:
		return "INFO"
	case LevelWarning:
		return "WARNING"
	case LevelCritical:
		return "CRITICAL"
	}
	return "unknown"
}

// AlertEvent is one event an alert node sends to its handlers: the
// rendered texts, the state and the data that triggered it.
type AlertEvent struct {
	ID            string
	Message       string
	Details       string
	Time          time.Time
	Duration      time.Duration
	Level         AlertLevel
	PreviousLevel AlertLevel
	Recoverable   bool

	// The data: a stream point (Point set) or a batch (Batch set).
	Point *Point
	Batch *Batch
	// Tags are the tags inhibition matches against and templates see:
	// all tags of a point, the group tags of a batch.
	Tags Tags
	// Fields are the fields templates see (a batch's highest-level point).
	Fields Fields
	Name   string
	Group  GroupID

	// detailsJSON, when set, are the default details before
	// html/template's escaping, which AppendJSON applies as it writes
	// them; Details is then empty (see materializeDetails).
	detailsJSON []byte
}

// materializeDetails sets Details from detailsJSON, for those who read
// the event rather than its JSON (handlers, queues).
func (e *AlertEvent) materializeDetails() {
	if e.detailsJSON != nil {
		e.Details, e.detailsJSON = htmlEscapeJSON(e.detailsJSON), nil
	}
}

// nilTags reports whether templates see no tags map at all: Kapacitor
// gives an ungrouped batch a nil map (`"Tags":null` in JSON), a stream
// point always a map.
func (e *AlertEvent) nilTags() bool { return e.Batch != nil && len(e.Tags) == 0 }

// errUnsupportedValue is what encoding/json reports for NaN and ±Inf;
// Kapacitor's handlers then drop the event.
var errUnsupportedValue = errors.New("json: unsupported value: NaN or Inf")

// AppendJSON appends the event as Kapacitor's alert.Data encodes it
// (keys id, message, details, time, duration, level, data,
// previousLevel, recoverable), without the encoder's trailing newline.
func (e *AlertEvent) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, e.ID)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, e.Message)
	b = append(b, `,"details":`...)
	if e.detailsJSON != nil {
		b = appendJSONStringOfHTML(b, e.detailsJSON)
	} else {
		b = appendJSONString(b, e.Details)
	}
	b = append(b, `,"time":`...)
	b = appendJSONTime(b, e.Time)
	b = append(b, `,"duration":`...)
	b = strconv.AppendInt(b, int64(e.Duration), 10)
	b = append(b, `,"level":"`...)
	b = append(b, e.Level.String()...)
	b = append(b, `","data":{"series":[`...)
	var err error
	if e.Batch != nil {
		b, err = appendBatchRow(b, e.Batch)
	} else if e.Point != nil {
		b, err = appendPointRow(b, e.Point)
	}
	if err != nil {
		return nil, err
	}
	b = append(b, `]},"previousLevel":"`...)
	b = append(b, e.PreviousLevel.String()...)
	b = append(b, `","recoverable":`...)
	b = strconv.AppendBool(b, e.Recoverable)
	return append(b, '}'), nil
}

// appendPointRow writes a point as models.Row: name, all tags, columns
// time + sorted fields, one row of values.
func appendPointRow(b []byte, p *Point) ([]byte, error) {
	b = append(b, '{')
	b = appendRowHead(b, p.Name, p.Tags)
	b = append(b, `"columns":["time"`...)
	for _, f := range p.Fields {
		b = append(b, ',')
		b = appendJSONString(b, f.Key)
	}
	b = append(b, `],"values":[[`...)
	b = appendJSONTime(b, time.Unix(0, p.Time))
	var err error
	for _, f := range p.Fields {
		b = append(b, ',')
		if b, err = appendJSONValue(b, f.Value); err != nil {
			return nil, err
		}
	}
	return append(b, "]]}"...), nil
}

// appendBatchRow writes a batch as models.Row: name, group tags, columns
// time + the first point's fields and its tags that are not group tags
// (sorted), one row of values per point (null where absent).
func appendBatchRow(b []byte, bt *Batch) ([]byte, error) {
	b = append(b, '{')
	b = appendRowHead(b, bt.Name, bt.Tags)
	if len(bt.Points) == 0 {
		if b[len(b)-1] == ',' {
			b = b[:len(b)-1]
		}
		return append(b, '}'), nil
	}
	first := &bt.Points[0]
	cols := make([]string, 0, len(first.Fields)+len(first.Tags))
	for _, f := range first.Fields {
		cols = append(cols, f.Key)
	}
	for _, t := range first.Tags {
		if _, ok := bt.Tags.Get(t.Key); !ok {
			cols = append(cols, t.Key)
		}
	}
	sort.Strings(cols)
	b = append(b, `"columns":["time"`...)
	for _, c := range cols {
		b = append(b, ',')
		b = appendJSONString(b, c)
	}
	b = append(b, `],"values":[`...)
	var err error
	for i := range bt.Points {
		p := &bt.Points[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONTime(b, time.Unix(0, p.Time))
		for _, c := range cols {
			b = append(b, ',')
			if v, ok := p.Fields.Get(c); ok {
				if b, err = appendJSONValue(b, v); err != nil {
					return nil, err
				}
			} else if s, ok := p.Tags.Get(c); ok {
				b = appendJSONString(b, s)
			} else {
				b = append(b, "null"...)
			}
		}
		b = append(b, ']')
	}
	return append(b, "]}"...), nil
}

// appendRowHead writes the name and tags keys of a row (both omitted
// when empty), each followed by a comma.
func appendRowHead(b []byte, name string, tags Tags) []byte {
	if name != "" {
		b = append(b, `"name":`...)
		b = appendJSONString(b, name)
		b = append(b, ',')
	}
	if len(tags) > 0 {
		b = append(b, `"tags":`...)
		b = appendTagsObject(b, tags)
		b = append(b, ',')
	}
	return b
}

// appendTagsObject writes tags as a JSON object; Tags are sorted by key,
// which is the order encoding/json gives a map.
func appendTagsObject(b []byte, tags Tags) []byte {
	b = append(b, '{')
	for i, t := range tags {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, t.Key)
		b = append(b, ':')
		b = appendJSONString(b, t.Value)
	}
	return append(b, '}')
}

// appendJSONValue writes a field value as encoding/json writes the Go
// value Kapacitor holds (float64, int64, string, bool).
func appendJSONValue(b []byte, v Value) ([]byte, error) {
	switch v.Kind {
	case KindFloat:
		return appendJSONFloat(b, v.F)
	case KindInt, KindDuration:
		return strconv.AppendInt(b, v.I, 10), nil
	case KindString:
		return appendJSONString(b, v.S), nil
	case KindBool:
		return strconv.AppendBool(b, v.I != 0), nil
	case KindTime:
		return appendJSONTime(b, time.Unix(0, v.I)), nil
	}
	return append(b, "null"...), nil
}

// appendJSONFloat formats f as encoding/json does: shortest form,
// exponent only below 1e-6 or from 1e21 on, `e-7` not `e-07`.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errUnsupportedValue
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONTime writes a time as time.Time's MarshalJSON does, in UTC:
// RFC 3339 with nanoseconds, trailing zeros dropped.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the bytes encoding/json copies as they are: ASCII but
// control characters, ", \\, <, > and &. Bytes from 0x80 on are false:
// they start a rune the string encoders decode.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// htmlJSONSafe marks the bytes that neither html/template's escaping of
// JSON text nor encoding/json changes.
var htmlJSONSafe = func() (t [256]bool) {
	t = jsonSafe
	t['\''], t['+'] = false, false
	return t
}()

// appendJSONEscapedASCII appends how encoding/json writes an ASCII byte
// that is not jsonSafe.
func appendJSONEscapedASCII(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// appendJSONStringOfHTML appends appendJSONString(htmlEscapeJSON(s))
// in one pass: the quote, apostrophe and plus become &#34; &#39; &#43;,
// whose & encoding/json writes as \u0026.
func appendJSONStringOfHTML(b []byte, s []byte) []byte {
	b = append(b, '"')
	for len(s) > 0 {
		i := safePrefix(s, &htmlJSONSafe)
		b = append(b, s[:i]...)
		if i == len(s) {
			break
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(s[i:])
			if (r != utf8.RuneError || size != 1) && r != '\u2028' && r != '\u2029' {
				b = append(b, s[i:i+size]...)
			} else {
				b = appendJSONEscapedRune(b, r)
			}
			s = s[i+size:]
			continue
		}
		switch c {
		case '"':
			b = append(b, `\u0026#34;`...)
		case '\'':
			b = append(b, `\u0026#39;`...)
		case '+':
			b = append(b, `\u0026#43;`...)
		default:
			b = appendJSONEscapedASCII(b, c)
		}
		s = s[i+1:]
	}
	return append(b, '"')
}

// safePrefix is the length of the longest prefix of s whose bytes are
// all marked safe.
func safePrefix[S string | []byte](s S, safe *[256]bool) int {
	for i := 0; i < len(s); i++ {
		if !safe[s[i]] {
			return i
		}
	}
	return len(s)
}

// appendJSONEscapedRune appends how encoding/json writes an invalid byte
// (r is RuneError) or U+2028/U+2029.
func appendJSONEscapedRune(b []byte, r rune) []byte {
	if r == utf8.RuneError {
		return append(b, `\ufffd`...)
	}
	return append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
}

// appendJSONString quotes s as encoding/json does with HTML escaping on:
// <, > and & as \u003c \u003e \u0026, U+2028/U+2029 escaped, control
// characters as \n \r \t \b \f or \u00XX, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for len(s) > 0 {
		i := safePrefix(s, &jsonSafe)
		b = append(b, s[:i]...)
		if i == len(s) {
			break
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r != utf8.RuneError || size != 1) && r != '\u2028' && r != '\u2029' {
				b = append(b, s[i:i+size]...)
			} else {
				b = appendJSONEscapedRune(b, r)
			}
			s = s[i+size:]
			continue
		}
		b = appendJSONEscapedASCII(b, c)
		s = s[i+1:]
	}
	return append(b, '"')
}
