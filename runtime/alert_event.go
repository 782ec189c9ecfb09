package runtime

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
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

	// defaultDetails, when set, are the templates of a node whose
	// details are the default: AppendJSON renders them from the event
	// straight into the JSON; Details is then empty (see
	// materializeDetails).
	defaultDetails *alertTemplates
}

// materializeDetails sets Details to the default details, for those who
// read the event rather than its JSON (handlers, queues).
func (e *AlertEvent) materializeDetails() {
	if at := e.defaultDetails; at != nil {
		e.Details, e.defaultDetails = htmlEscapeJSON(at.appendDefaultDetails(nil, e, false, nil)), nil
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
	return e.appendJSON(b, jsonLayout{})
}

// appendLaidOut appends the event as it appears in result.json, an
// element of the "alerts" array: json.MarshalIndent's layout at depth
// 2. WriteJSON then copies it as it is.
func (e *AlertEvent) appendLaidOut(b []byte) ([]byte, error) {
	return e.appendJSON(b, jsonLayout{indent: true, depth: resultAlertDepth})
}

func (e *AlertEvent) appendJSON(b []byte, l jsonLayout) ([]byte, error) {
	// The event time, written here, is mostly the time in the details
	// and the point's time too: formatted once.
	var tbuf [48]byte
	utc := appendJSONTime(tbuf[:0], e.Time)
	b = l.open(b, '{')
	b = l.key(b, `"id":`)
	b = appendJSONString(b, e.ID)
	b = l.comma(b)
	b = l.key(b, `"message":`)
	b = appendJSONString(b, e.Message)
	b = l.comma(b)
	b = l.key(b, `"details":`)
	if at := e.defaultDetails; at != nil {
		b = append(b, '"')
		b = at.appendDefaultDetails(b, e, true, utc)
		b = append(b, '"')
	} else {
		b = appendJSONString(b, e.Details)
	}
	b = l.comma(b)
	b = l.key(b, `"time":`)
	b = append(b, utc...)
	b = l.comma(b)
	b = l.key(b, `"duration":`)
	b = strconv.AppendInt(b, int64(e.Duration), 10)
	b = l.comma(b)
	b = l.key(b, `"level":`)
	b = append(b, '"')
	b = append(b, e.Level.String()...)
	b = append(b, '"')
	b = l.comma(b)
	b = l.key(b, `"data":`)
	b = l.open(b, '{')
	b = l.key(b, `"series":`)
	var err error
	if e.Batch == nil && e.Point == nil {
		b = append(b, "[]"...)
	} else {
		b = l.open(b, '[')
		if e.Batch != nil {
			b, err = appendBatchRowLaidOut(b, e.Batch, &l)
		} else {
			b, err = appendPointRowLaidOut(b, e.Point, &l, e.Time.UnixNano(), utc)
		}
		if err != nil {
			return nil, err
		}
		b = l.close(b, ']')
	}
	b = l.close(b, '}')
	b = l.comma(b)
	b = l.key(b, `"previousLevel":`)
	b = append(b, '"')
	b = append(b, e.PreviousLevel.String()...)
	b = append(b, '"')
	b = l.comma(b)
	b = l.key(b, `"recoverable":`)
	b = strconv.AppendBool(b, e.Recoverable)
	return l.close(b, '}'), nil
}

// jsonLayout writes the punctuation of a JSON value: compact (the zero
// value) or, with indent, as json.MarshalIndent(v, "", "  ") lays it out
// at nesting depth depth: every element of a non-empty object or array
// on its own line, a space after each key's colon. Empty objects and
// arrays ({} and []) are written by the callers.
type jsonLayout struct {
	indent bool
	depth  int
}

// indentation is a newline and the spaces of lines nested up to 32
// deep; events go down to depth 8 (the values of a row).
var indentation = "\n" + strings.Repeat("  ", 32)

func (l *jsonLayout) newline(b []byte) []byte {
	if n := 1 + 2*l.depth; n <= len(indentation) {
		return append(b, indentation[:n]...)
	}
	return appendJSONNewline(b, l.depth)
}

// open starts a non-empty object or array.
func (l *jsonLayout) open(b []byte, c byte) []byte {
	b = append(b, c)
	if l.indent {
		l.depth++
		b = l.newline(b)
	}
	return b
}

// close ends what open started.
func (l *jsonLayout) close(b []byte, c byte) []byte {
	if l.indent {
		l.depth--
		b = l.newline(b)
	}
	return append(b, c)
}

// comma separates two elements.
func (l *jsonLayout) comma(b []byte) []byte {
	b = append(b, ',')
	if l.indent {
		b = l.newline(b)
	}
	return b
}

// key writes an object key, given quoted with its colon.
func (l *jsonLayout) key(b []byte, k string) []byte {
	b = append(b, k...)
	if l.indent {
		b = append(b, ' ')
	}
	return b
}

// appendPointRow writes a point as models.Row: name, all tags, columns
// time + sorted fields, one row of values.
func appendPointRow(b []byte, p *Point) ([]byte, error) {
	return appendPointRowLaidOut(b, p, &jsonLayout{}, 0, nil)
}

// appendPointRowLaidOut is appendPointRow laid out by l; when the
// point's time is t, its JSON is tJSON if given.
func appendPointRowLaidOut(b []byte, p *Point, l *jsonLayout, t int64, tJSON []byte) ([]byte, error) {
	b = l.open(b, '{')
	b, head := appendRowHead(b, p.Name, p.Tags, l)
	if head {
		b = l.comma(b)
	}
	b = l.key(b, `"columns":`)
	b = l.open(b, '[')
	b = append(b, `"time"`...)
	for _, f := range p.Fields {
		b = l.comma(b)
		b = appendJSONString(b, f.Key)
	}
	b = l.close(b, ']')
	b = l.comma(b)
	b = l.key(b, `"values":`)
	b = l.open(b, '[')
	b = l.open(b, '[')
	if p.Time == t && tJSON != nil {
		b = append(b, tJSON...)
	} else {
		b = appendJSONTime(b, time.Unix(0, p.Time))
	}
	var err error
	for _, f := range p.Fields {
		b = l.comma(b)
		if b, err = appendJSONValue(b, f.Value); err != nil {
			return nil, err
		}
	}
	b = l.close(b, ']')
	b = l.close(b, ']')
	return l.close(b, '}'), nil
}

// appendBatchRow writes a batch as models.Row: name, group tags, columns
// time + the first point's fields and its tags that are not group tags
// (sorted), one row of values per point (null where absent).
func appendBatchRow(b []byte, bt *Batch) ([]byte, error) {
	return appendBatchRowLaidOut(b, bt, &jsonLayout{})
}

func appendBatchRowLaidOut(b []byte, bt *Batch, l *jsonLayout) ([]byte, error) {
	if len(bt.Points) == 0 && bt.Name == "" && len(bt.Tags) == 0 {
		return append(b, "{}"...), nil
	}
	b = l.open(b, '{')
	b, head := appendRowHead(b, bt.Name, bt.Tags, l)
	if len(bt.Points) == 0 {
		return l.close(b, '}'), nil
	}
	if head {
		b = l.comma(b)
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
	b = l.key(b, `"columns":`)
	b = l.open(b, '[')
	b = append(b, `"time"`...)
	for _, c := range cols {
		b = l.comma(b)
		b = appendJSONString(b, c)
	}
	b = l.close(b, ']')
	b = l.comma(b)
	b = l.key(b, `"values":`)
	b = l.open(b, '[')
	var err error
	for i := range bt.Points {
		p := &bt.Points[i]
		if i > 0 {
			b = l.comma(b)
		}
		b = l.open(b, '[')
		b = appendJSONTime(b, time.Unix(0, p.Time))
		for _, c := range cols {
			b = l.comma(b)
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
		b = l.close(b, ']')
	}
	b = l.close(b, ']')
	return l.close(b, '}'), nil
}

// appendRowHead writes the name and tags keys of a row (both omitted
// when empty) and reports whether it wrote any.
func appendRowHead(b []byte, name string, tags Tags, l *jsonLayout) ([]byte, bool) {
	wrote := false
	if name != "" {
		b = l.key(b, `"name":`)
		b = appendJSONString(b, name)
		wrote = true
	}
	if len(tags) > 0 {
		if wrote {
			b = l.comma(b)
		}
		b = l.key(b, `"tags":`)
		b = appendTagsObjectLaidOut(b, tags, l)
		wrote = true
	}
	return b, wrote
}

// appendTagsObject writes tags as a JSON object; Tags are sorted by key,
// which is the order encoding/json gives a map.
func appendTagsObject(b []byte, tags Tags) []byte {
	return appendTagsObjectLaidOut(b, tags, &jsonLayout{})
}

func appendTagsObjectLaidOut(b []byte, tags Tags, l *jsonLayout) []byte {
	if len(tags) == 0 {
		return append(b, "{}"...)
	}
	b = l.open(b, '{')
	for i, t := range tags {
		if i > 0 {
			b = l.comma(b)
		}
		b = appendJSONString(b, t.Key)
		b = l.key(b, ":")
		b = appendJSONString(b, t.Value)
	}
	return l.close(b, '}')
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
	b = appendInJSONStringOfHTML(b, s)
	return append(b, '"')
}

// appendInJSONStringOfHTML appends what appendJSONStringOfHTML writes
// between the quotes. It maps each rune on its own, so pieces of s can
// be escaped one at a time.
func appendInJSONStringOfHTML(b []byte, s []byte) []byte {
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
	return b
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
