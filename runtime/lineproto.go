package runtime

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Line protocol ingest (spec/io.md §1.1): InfluxDB 1.x line protocol as
// the parser of InfluxDB 1.1 (the one Kapacitor 1.5.9 links) accepts and
// rejects it, with its error reasons, so that a bad line fails here for
// the same reason it fails in Kapacitor.
//
// The parser works in two passes over each line, as InfluxDB's does: a
// validating scan that finds the key, fields and timestamp sections and
// reports the first error, then an extraction pass that unescapes names
// and decodes values. Strings are interned (measurement names, tag keys
// and values, field keys and short string values repeat from point to
// point), and tags and fields are cut from slabs, so that a point costs
// about one allocation for its two slices' backing arrays.

// Time range of a point (InfluxDB's MinNanoTime and MaxNanoTime: the two
// lowest and the highest int64 are reserved).
const (
	minPointTime = math.MinInt64 + 2
	maxPointTime = math.MaxInt64 - 1
)

// maxKeyLength is the longest measurement-and-tags section InfluxDB accepts.
const maxKeyLength = 65535

// PrecisionMultiplier returns the nanoseconds per timestamp unit of a
// line-protocol precision: n, u, ms, s, m, h; any other value (us
// included) means nanoseconds, as in InfluxDB 1.x.
func PrecisionMultiplier(precision string) int64 {
	switch precision {
	case "u":
		return 1e3
	case "ms":
		return 1e6
	case "s":
		return 1e9
	case "m":
		return 60e9
	case "h":
		return 3600e9
	}
	return 1
}

// LineError is a line that could not be parsed. Error() is InfluxDB's
// message, `unable to parse '<line>': <reason>`; Line is the 1-based line
// number in the body or file (0 when unknown).
type LineError struct {
	Line   int
	Text   string
	Reason string
}

func (e *LineError) Error() string { return "unable to parse '" + e.Text + "': " + e.Reason }

// Reasons InfluxDB gives.
const (
	reasonMissingMeasurement = "missing measurement"
	reasonMissingFields      = "missing fields"
	reasonMissingTagKey      = "missing tag key"
	reasonMissingTagValue    = "missing tag value"
	reasonInvalidTagFormat   = "invalid tag format"
	reasonDuplicateTags      = "duplicate tags"
	reasonMissingFieldKey    = "missing field key"
	reasonMissingFieldValue  = "missing field value"
	reasonInvalidFieldFormat = "invalid field format"
	reasonUnbalancedQuotes   = "unbalanced quotes"
	reasonInvalidNumber      = "invalid number"
	reasonInvalidFloat       = "invalid float"
	reasonInvalidBoolean     = "invalid boolean"
	reasonBadTimestamp       = "bad timestamp"
	reasonInvalidPoint       = "point is invalid"
)

var reasonTimeRange = "time outside range " + strconv.FormatInt(minPointTime, 10) + " - " + strconv.FormatInt(maxPointTime, 10)

// LineParser parses line protocol into Points. It keeps an intern table
// and slabs between calls, so reuse one per input stream; it is not safe
// for concurrent use.
type LineParser struct {
	mult int64

	intern map[string]string
	keys   map[string]*parsedKey // decoded key sections by their bytes
	shared *seriesCache          // when set, the key cache behind keys

	tagSlab   []Tag
	fieldSlab []Field
	tagIdx    []int // start of each tag in the line (validation pass)
	scratch   []byte

	// fieldTmp is where a point's fields are decoded and sorted before
	// storeFields gives them their own memory.
	fieldTmp []Field
	// fieldBuf, when set, is where storeFields puts fields (appended, so
	// the owner can reuse the memory once nothing reads the points any
	// more); when nil fields are cut from fresh slabs.
	fieldBuf *[]Field
	// recent are the field keys last decoded, by position.
	recent []recentFieldKey
	// order is the key order of the decoded fields of the last point the
	// fast path parsed; orderOf is its number of fields when they all had
	// the recent keys (so the next such point has the same order), else -1.
	order   []int
	orderOf int

	// only, when not nil, are the only fields decoded: the others are
	// checked and left out of points (see SetFieldProjection).
	only []string
	// deferLeftOut keeps, in a point whose fields were left out, its
	// line's fields section (see DeferLeftOut).
	deferLeftOut bool

	// prevKey is the series of the last line parseFast parsed.
	prevKey *parsedKey

	// skipRejected and verdictRefs: see SetVerdictRefs.
	skipRejected bool
	verdictRefs  []string
}

// SetFieldProjection makes the parser decode only the named fields and
// leave the others out of the points, when the reader of the points uses
// no others; nil restores decoding all fields. Lines are checked as
// before: a bad value in a left-out field still fails the line.
func (lp *LineParser) SetFieldProjection(fields []string) {
	lp.only = nil
	if fields != nil {
		lp.only = append(make([]string, 0, len(fields)), fields...)
	}
	lp.recent, lp.orderOf = nil, -1
}

// DeferLeftOut makes a point whose fields the projection left out keep
// its line's fields section (Point.deferred), for an alert node that
// outputs them all when it sends an event: the lines must stay in memory
// as long as the points are read.
func (lp *LineParser) DeferLeftOut(on bool) { lp.deferLeftOut = on }

// SetVerdictRefs makes the parser skip decoding the fields of series the
// task's from node rejects (parsedKey.verdict); refs are the names its
// predicates read: a point with a field of one of those names is given no
// verdict cell, so the node decides it on its own.
func (lp *LineParser) SetVerdictRefs(refs []string) {
	lp.skipRejected, lp.verdictRefs = true, refs
	lp.recent, lp.orderOf = nil, -1
}

// wanted reports whether field k is decoded.
func (lp *LineParser) wanted(k string) bool {
	if lp.only == nil {
		return true
	}
	for _, f := range lp.only {
		if f == k {
			return true
		}
	}
	return false
}

// internLimit bounds the intern table; past it new strings are simply
// allocated.
const internLimit = 1 << 16

// internMaxLen is the longest string worth interning.
const internMaxLen = 64

const slabSize = 512

// NewLineParser returns a parser for timestamps in the given precision.
func NewLineParser(precision string) *LineParser {
	return &LineParser{mult: PrecisionMultiplier(precision), intern: make(map[string]string), orderOf: -1}
}

// str returns b as a string, interned when short.
func (lp *LineParser) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := lp.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(lp.intern) < internLimit {
		lp.intern[s] = s
	}
	return s
}

func (lp *LineParser) tags(n int) Tags {
	if n == 0 {
		return nil
	}
	if n > len(lp.tagSlab) {
		if n > slabSize/4 {
			return make(Tags, n)
		}
		lp.tagSlab = make([]Tag, slabSize)
	}
	t := lp.tagSlab[:n:n]
	lp.tagSlab = lp.tagSlab[n:]
	return t
}

func (lp *LineParser) fields(n int) Fields {
	if n > len(lp.fieldSlab) {
		if n > slabSize/4 {
			return make(Fields, n)
		}
		lp.fieldSlab = make([]Field, slabSize)
	}
	f := lp.fieldSlab[:n:n]
	lp.fieldSlab = lp.fieldSlab[n:]
	return f
}

// storeFields copies decoded fields into memory of their own: appended
// to fieldBuf when the caller recycles field memory, else cut from a slab.
func (lp *LineParser) storeFields(fs []Field) Fields {
	if len(fs) == 0 {
		return Fields{} // all fields dropped: empty, not nil
	}
	if lp.fieldBuf != nil {
		start := len(*lp.fieldBuf)
		*lp.fieldBuf = append(*lp.fieldBuf, fs...)
		return (*lp.fieldBuf)[start:len(*lp.fieldBuf):len(*lp.fieldBuf)]
	}
	f := lp.fields(len(fs))
	copy(f, fs)
	return f
}

// ParseLine parses one line (without its line break) into p: name, tags,
// fields and time; p's database, retention policy and grouping are left
// alone. Blank lines and comments (`#`) hold no point: ok is false. A
// point without a timestamp gets defaultTime unchanged (the caller
// truncates "now" to the precision). A bad line returns a *LineError
// with Line 0. Points of the same series share their Tags slice: like
// all data handed to nodes it is read-only.
func (lp *LineParser) ParseLine(line []byte, defaultTime int64, p *Point) (ok bool, err error) {
	if lp.parseFast(line, defaultTime, p) {
		return true, nil
	}
	start := skipBlanks(line, 0)
	if start >= len(line) || line[start] == '#' {
		return false, nil
	}
	line = line[start:]
	if reason := lp.parse(line, defaultTime, p); reason != "" {
		return false, &LineError{Text: string(line), Reason: reason}
	}
	return true, nil
}

// ParseBody parses a body of newline-separated lines (a newline inside a
// quoted string value does not end a line) and calls emit for each point
// in order. Lines that fail are returned as errors with their line
// numbers; the other lines are still emitted (the caller decides whether
// a bad line rejects the whole body). An error from emit stops parsing
// and is returned as the second result.
func (lp *LineParser) ParseBody(body []byte, defaultTime int64, emit func(*Point) error) ([]*LineError, error) {
	var bad []*LineError
	lineNo := 1
	for pos := 0; pos < len(body); {
		end := scanLineEnd(body, pos)
		block := body[pos:end]
		first := lineNo
		lineNo += bytes.Count(block, []byte{'\n'}) + 1
		pos = end + 1
		p := new(Point)
		ok, err := lp.ParseLine(block, defaultTime, p)
		if err != nil {
			le := err.(*LineError)
			le.Line = first
			bad = append(bad, le)
			continue
		}
		if ok {
			if err := emit(p); err != nil {
				return bad, err
			}
		}
	}
	return bad, nil
}

// scanLineEnd returns the index of the newline that ends the line
// starting at i (len(buf) at the end). Like InfluxDB it skips escaped
// bytes and, once past the first space, tracks quoted field values so a
// newline inside a string does not end the line.
func scanLineEnd(buf []byte, i int) int {
	quoted, inFields := false, false
	equals, commas := 0, 0
	for i < len(buf) {
		c := buf[i]
		if c == '\\' {
			i += 2
			continue
		}
		if c == ' ' {
			inFields = true
		}
		if inFields {
			switch {
			case !quoted && c == '=':
				equals++
				i++
				continue
			case !quoted && c == ',':
				commas++
				i++
				continue
			case c == '"' && equals > commas:
				quoted = !quoted
				i++
				continue
			}
		}
		if c == '\n' && !quoted {
			return i
		}
		i++
	}
	return len(buf)
}

// skipBlanks skips spaces, tabs and NUL bytes.
func skipBlanks(buf []byte, i int) int {
	for i < len(buf) && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == 0) {
		i++
	}
	return i
}

// parse parses a line that starts with a non-blank byte. It returns the
// failure reason, "" on success.
func (lp *LineParser) parse(buf []byte, defaultTime int64, p *Point) string {
	// The key section (measurement and tags); duplicate tags are found
	// when they are decoded, before the fields are looked at.
	nameEnd, keyEnd, ntags, reason := lp.scanKey(buf)
	if reason != "" {
		return reason
	}
	key, reason := lp.seriesKey(buf, nameEnd, keyEnd, ntags)
	if reason != "" {
		return reason
	}
	if keyEnd > maxKeyLength {
		return "max key length exceeded: " + strconv.Itoa(keyEnd) + " > " + strconv.Itoa(maxKeyLength)
	}
	fieldsStart, fieldsEnd, reason := scanFieldsSection(buf, keyEnd)
	if reason != "" {
		return reason
	}
	if fieldsEnd == fieldsStart {
		return reasonMissingFields
	}
	ts, pos, reason := scanTimestamp(buf, fieldsEnd)
	if reason != "" {
		return reason
	}
	t := defaultTime
	if len(ts) > 0 {
		n, err := strconv.ParseInt(bytesString(ts), 10, 64)
		if err != nil {
			return err.Error()
		}
		var ok bool
		if t, ok = scaleTime(n, lp.mult); !ok {
			return reasonTimeRange
		}
		for ; pos < len(buf); pos++ {
			if buf[pos] != ' ' {
				return reasonInvalidPoint
			}
		}
	}

	// Decode the fields.
	fields, leftOut, reason := lp.extractFields(buf[fieldsStart:fieldsEnd])
	if reason != "" {
		return reason
	}
	p.Name = key.name
	p.Tags = key.tags
	p.Series = key.num
	p.verdict = nil // the general path leaves the from node to decide
	p.Fields = fields
	p.deferred = nil
	if leftOut && lp.deferLeftOut {
		p.deferred = buf[fieldsStart:fieldsEnd]
	}
	p.Time = t
	return ""
}

// scaleTime converts a timestamp in precision units to nanoseconds,
// failing outside InfluxDB's time range.
func scaleTime(n, mult int64) (int64, bool) {
	t := n
	if mult != 1 && n != 0 {
		if n == minPointTime {
			return 0, false
		}
		t = n * mult
		if t/mult != n {
			return 0, false
		}
	}
	if t < minPointTime || t > maxPointTime {
		return 0, false
	}
	return t, true
}

// scanKey validates the measurement and tags. It returns where the
// measurement ends (at the comma before the tags or the space before the
// fields), where the key section ends, and the number of tags.
func (lp *LineParser) scanKey(buf []byte) (nameEnd, keyEnd, ntags int, reason string) {
	if len(buf) == 0 || buf[0] == ',' {
		return 0, 0, 0, reasonMissingMeasurement
	}
	i := 0
	for {
		i++
		if i >= len(buf) {
			return 0, 0, 0, reasonMissingFields
		}
		if buf[i-1] == '\\' {
			continue // escaped byte
		}
		if buf[i] == ',' || buf[i] == ' ' {
			break
		}
	}
	nameEnd = i
	if buf[i] == ' ' {
		return nameEnd, i, 0, ""
	}
	// Tags: key=value pairs separated by commas, up to a space.
	lp.tagIdx = lp.tagIdx[:0]
	i++
	for {
		lp.tagIdx = append(lp.tagIdx, i)
		// Tag key: non-empty, up to an unescaped '='.
		if i >= len(buf) || buf[i] == ' ' || buf[i] == ',' || buf[i] == '=' {
			return 0, 0, 0, reasonMissingTagKey
		}
		for {
			i++
			if i >= len(buf) || ((buf[i] == ' ' || buf[i] == ',') && buf[i-1] != '\\') {
				return 0, 0, 0, reasonMissingTagValue
			}
			if buf[i] == '=' && buf[i-1] != '\\' {
				i++
				break
			}
		}
		// Tag value: non-empty, up to an unescaped ',' or ' '.
		if i >= len(buf) || buf[i] == ',' || buf[i] == ' ' {
			return 0, 0, 0, reasonMissingTagValue
		}
		next := false
		for {
			i++
			if i >= len(buf) {
				return 0, 0, 0, reasonMissingFields
			}
			if buf[i] == '=' && buf[i-1] != '\\' {
				return 0, 0, 0, reasonInvalidTagFormat
			}
			if buf[i] == ',' && buf[i-1] != '\\' {
				i++
				next = true
				break
			}
			if buf[i] == ' ' && buf[i-1] != '\\' {
				break
			}
		}
		if !next {
			return nameEnd, i, len(lp.tagIdx), ""
		}
	}
}

// scanFieldsSection validates the fields section that starts after the
// key (InfluxDB's scanFields) and returns its bounds.
func scanFieldsSection(buf []byte, i int) (start, end int, reason string) {
	start = skipBlanks(buf, i)
	i = start
	quoted := false
	equals, commas := 0, 0
	for i < len(buf) {
		c := buf[i]
		if c == '\\' && i+1 < len(buf) {
			i += 2
			continue
		}
		// Quotes only matter in value position.
		if c == '"' && equals > commas {
			quoted = !quoted
			i++
			continue
		}
		if c == '=' && !quoted {
			equals++
			if (buf[i-1] == ' ' || buf[i-1] == ',') && buf[i-2] != '\\' {
				return 0, 0, reasonMissingFieldKey
			}
			if i+1 >= len(buf) || buf[i+1] == ',' || buf[i+1] == ' ' {
				return 0, 0, reasonMissingFieldValue
			}
			v := buf[i+1]
			if isNumberByte(v) || v == '-' || v == 'N' || v == 'n' {
				var r string
				if i, r = scanNumber(buf, i+1); r != "" {
					return 0, 0, r
				}
				continue
			}
			if v != '"' {
				var r string
				if i, r = scanBoolean(buf, i+1); r != "" {
					return 0, 0, r
				}
				continue
			}
		}
		if c == ',' && !quoted {
			commas++
		}
		if c == ' ' && !quoted {
			break
		}
		i++
	}
	if quoted {
		return 0, 0, reasonUnbalancedQuotes
	}
	if equals == 0 || commas != equals-1 {
		return 0, 0, reasonInvalidFieldFormat
	}
	return start, i, ""
}

func isNumberByte(b byte) bool { return (b >= '0' && b <= '9') || b == '.' }

// scanNumber validates a number field value starting at i and returns
// where it ends (InfluxDB's scanNumber).
func scanNumber(buf []byte, i int) (int, string) {
	start := i
	isInt, decimal, scientific := false, false, false
	if i < len(buf) && buf[i] == '-' {
		i++
		if i == len(buf) {
			return i, reasonInvalidNumber
		}
	}
	for i < len(buf) {
		c := buf[i]
		if c == ',' || c == ' ' {
			break
		}
		if c == 'i' && i > start && !isInt {
			isInt = true
			i++
			continue
		}
		if c == '.' {
			if decimal {
				return i, reasonInvalidNumber
			}
			decimal = true
		}
		if i > start && (c == 'e' || c == 'E') {
			scientific = true
			i++
			continue
		}
		if (c == '+' || c == '-') && (buf[i-1] == 'e' || buf[i-1] == 'E') {
			i++
			continue
		}
		if i+2 < len(buf) && (c == 'N' || c == 'n') {
			return i, reasonInvalidNumber // NaN
		}
		if !isNumberByte(c) {
			return i, reasonInvalidNumber
		}
		i++
	}
	if isInt && (decimal || scientific) {
		return i, reasonInvalidNumber
	}
	digits := i - start
	if isInt {
		digits--
	}
	if decimal {
		digits--
	}
	if buf[start] == '-' {
		digits--
	}
	if digits == 0 {
		return i, reasonInvalidNumber
	}
	if isInt {
		if buf[i-1] != 'i' {
			return i, reasonInvalidNumber
		}
		if num := buf[start : i-1]; len(num) >= 19 {
			if _, err := strconv.ParseInt(bytesString(num), 10, 64); err != nil {
				return i, "unable to parse integer " + string(num) + ": " + err.Error()
			}
		}
	} else if num := buf[start:i]; scientific || len(num) >= 25 {
		if _, err := strconv.ParseFloat(bytesString(num), 64); err != nil {
			return i, reasonInvalidFloat
		}
	}
	return i, ""
}

// scanBoolean validates a boolean field value starting at i.
func scanBoolean(buf []byte, i int) (int, string) {
	start := i
	if i < len(buf) && buf[i] != 't' && buf[i] != 'f' && buf[i] != 'T' && buf[i] != 'F' {
		return i, reasonInvalidBoolean
	}
	i++
	for i < len(buf) && buf[i] != ',' && buf[i] != ' ' {
		i++
	}
	if i-start == 1 {
		return i, ""
	}
	switch string(buf[start:i]) {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return i, ""
	}
	return i, reasonInvalidBoolean
}

// scanTimestamp finds the optional timestamp after the fields and returns
// it with the position after it.
func scanTimestamp(buf []byte, i int) ([]byte, int, string) {
	start := skipBlanks(buf, i)
	i = start
	for i < len(buf) {
		c := buf[i]
		if c == '\n' || c == ' ' {
			break
		}
		if i == start && c == '-' {
			i++
			continue
		}
		if c < '0' || c > '9' {
			return nil, i, reasonBadTimestamp
		}
		i++
	}
	return buf[start:i], i, ""
}

// unescapeName unescapes a measurement name: `\,` `\ ` `\=` `\"` lose
// their backslash.
func (lp *LineParser) unescapeName(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return lp.str(b)
	}
	out := lp.scratch[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			switch b[i+1] {
			case ',', ' ', '=', '"':
				out = append(out, b[i+1])
				i++
				continue
			}
		}
		out = append(out, b[i])
	}
	lp.scratch = out
	return lp.str(out)
}

// unescapeTag unescapes a tag key or value: `\,` `\ ` `\=`.
func (lp *LineParser) unescapeTag(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return lp.str(b)
	}
	out := lp.scratch[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			switch b[i+1] {
			case ',', ' ', '=':
				out = append(out, b[i+1])
				i++
				continue
			}
		}
		out = append(out, b[i])
	}
	lp.scratch = out
	return lp.str(out)
}

// recentFieldKey is a field key of the last line at its position, with
// whether the parser decodes it (SetFieldProjection) and whether a from
// node's predicates read it (SetVerdictRefs).
type recentFieldKey struct {
	key           string
	wanted, isRef bool
}

// parsedKey is a decoded key section: the measurement and the sorted
// tags, and the key section's text it is cached under.
type parsedKey struct {
	name string
	tags Tags
	key  string
	num  uint32 // the series number (Point.Series), 0 when uncached
	// next is the series of the line that last followed one of this
	// series (in whichever parser): a guess for the next line.
	next atomic.Pointer[parsedKey]
	// verdict is the task's only from node's verdict on the series;
	// parsers skip decoding the fields of a rejected series.
	verdict seriesVerdict
}

// keyCacheLimit bounds the key cache (one entry per series).
const keyCacheLimit = 1 << 17

// seriesCache is a key cache shared by the parsers that read one input
// in parallel, so that a series is decoded once and its points share
// their Tags whichever parser read them. Each parser keeps a private
// copy of the entries it used (lookups take no lock); only a key section
// new to the parser takes the lock.
type seriesCache struct {
	mu   sync.Mutex
	keys map[string]*parsedKey
}

// seriesNumber numbers a key section new to the cache it is about to
// enter (1, 2, …): keys holds the cached ones.
func seriesNumber(keys map[string]*parsedKey) uint32 { return uint32(len(keys) + 1) }

// seriesKey decodes the key section buf[:keyEnd], from the cache when
// the same bytes were decoded before: points of one series share their
// name and tags (read-only, like all data handed to nodes).
func (lp *LineParser) seriesKey(buf []byte, nameEnd, keyEnd, ntags int) (*parsedKey, string) {
	if k, ok := lp.keys[string(buf[:keyEnd])]; ok {
		return k, ""
	}
	// The lock is held for map operations only: with many new series the
	// parsers would otherwise queue on it (and sleep) while one decodes.
	sc := lp.shared
	if sc != nil {
		sc.mu.Lock()
		k, ok := sc.keys[string(buf[:keyEnd])]
		sc.mu.Unlock()
		if ok {
			lp.remember(k)
			return k, ""
		}
	}
	tags, reason := lp.extractTags(buf, nameEnd, keyEnd, ntags)
	if reason != "" {
		return nil, reason
	}
	k := &parsedKey{name: lp.unescapeName(buf[:nameEnd]), tags: tags, key: string(buf[:keyEnd])}
	if sc != nil {
		sc.mu.Lock()
		if first, ok := sc.keys[k.key]; ok {
			k = first // another parser decoded it meanwhile: one series, one entry
		} else if len(sc.keys) < keyCacheLimit {
			if sc.keys == nil {
				sc.keys = make(map[string]*parsedKey)
			}
			k.num = seriesNumber(sc.keys)
			sc.keys[k.key] = k
		}
		sc.mu.Unlock()
	} else if len(lp.keys) < keyCacheLimit {
		k.num = seriesNumber(lp.keys)
	}
	lp.remember(k)
	return k, ""
}

// remember puts a decoded key section in the parser's own cache.
func (lp *LineParser) remember(k *parsedKey) {
	if lp.keys == nil {
		lp.keys = make(map[string]*parsedKey)
	}
	if len(lp.keys) < keyCacheLimit {
		lp.keys[k.key] = k
	}
}

// extractTags decodes the tags validated by scanKey, sorted by key.
func (lp *LineParser) extractTags(buf []byte, nameEnd, keyEnd, n int) (Tags, string) {
	if n == 0 {
		return nil, ""
	}
	tags := lp.tags(n)
	i := nameEnd + 1
	k := 0
	for i < keyEnd && k < n {
		// key up to an unescaped '=', value up to an unescaped ','.
		ks := i
		for i < keyEnd && !(buf[i] == '=' && buf[i-1] != '\\') {
			i++
		}
		key := buf[ks:i]
		i++
		vs := i
		for i < keyEnd && !(buf[i] == ',' && buf[i-1] != '\\') {
			i++
		}
		val := buf[vs:i]
		i++
		tags[k] = Tag{Key: lp.unescapeTag(key), Value: lp.unescapeTag(val)}
		k++
	}
	tags = tags[:k]
	// Insertion sort: tags are few and usually sorted already.
	for a := 1; a < len(tags); a++ {
		for b := a; b > 0 && tags[b].Key < tags[b-1].Key; b-- {
			tags[b], tags[b-1] = tags[b-1], tags[b]
		}
	}
	for a := 1; a < len(tags); a++ {
		if tags[a].Key == tags[a-1].Key {
			return nil, reasonDuplicateTags
		}
	}
	return tags, ""
}

// extractFields decodes a validated fields section: sorted by key, a
// repeated key keeps its last value, empty keys are dropped; leftOut
// reports a field the projection left out.
func (lp *LineParser) extractFields(sec []byte) (f Fields, leftOut bool, reason string) {
	fields := lp.fieldTmp[:0]
	pos := 0 // of the key among the fields with a key and a value
	for i := 0; i < len(sec); {
		ks := i
		for i < len(sec) && !(sec[i] == '=' && (i == 0 || sec[i-1] != '\\')) {
			i++
		}
		key := sec[ks:i]
		i++
		vs := i
		quoted := false
		for i < len(sec) {
			c := sec[i]
			if c == '\\' && i+1 < len(sec) && (sec[i+1] == '"' || sec[i+1] == '\\') {
				i += 2
				continue
			}
			if c == '"' {
				quoted = !quoted
				i++
				continue
			}
			if c == ',' && !quoted {
				break
			}
			i++
		}
		val := sec[vs:min(i, len(sec))]
		i++
		if len(val) == 0 || len(key) == 0 {
			continue
		}
		v, reason := lp.fieldValue(val)
		if reason != "" {
			return nil, false, reason
		}
		k := lp.fieldKey(key, pos)
		pos++
		if lp.only != nil && !lp.wanted(k) {
			leftOut = true
			continue // decoded only to report a bad value
		}
		fields = append(fields, Field{Key: k, Value: v})
	}
	// Stable insertion sort, then keep the last of equal keys.
	for a := 1; a < len(fields); a++ {
		for b := a; b > 0 && fields[b].Key < fields[b-1].Key; b-- {
			fields[b], fields[b-1] = fields[b-1], fields[b]
		}
	}
	out := fields[:0]
	for a := 0; a < len(fields); a++ {
		if a+1 < len(fields) && fields[a+1].Key == fields[a].Key {
			continue
		}
		out = append(out, fields[a])
	}
	lp.fieldTmp = fields[:0]
	return lp.storeFields(out), leftOut, ""
}

// deferredFields returns all the fields of p, whose line's fields
// section the parser kept (DeferLeftOut): the section's, decoded by lp
// (set up without a projection), with p's own over them.
func (lp *LineParser) deferredFields(p *Point) Fields {
	all, ok := lp.decimalFields(p.deferred)
	if !ok {
		var reason string
		if all, _, reason = lp.extractFields(p.deferred); reason != "" {
			// Not after the parser accepted the line; keep what p has.
			return p.Fields
		}
	}
	for _, f := range p.Fields {
		all = all.Set(f.Key, f.Value)
	}
	return all
}

// decimalFields decodes a fields section of plain keys and decimal
// numbers, the shape parseFast accepts, as extractFields would; ok is
// false for any other section.
func (lp *LineParser) decimalFields(sec []byte) (Fields, bool) {
	fs := lp.fieldTmp[:0]
	for i, j := 0, 0; i < len(sec); j++ {
		ks := i
		for i < len(sec) && sec[i] != '=' {
			if c := sec[i]; c == '\\' || c == '"' || c == ',' {
				return nil, false
			}
			i++
		}
		if i == ks || i == len(sec) {
			return nil, false
		}
		v, n := decimalFieldValue(sec[i+1:])
		if n == 0 {
			return nil, false
		}
		fs = append(fs, Field{Key: lp.fieldKey(sec[ks:i], j), Value: v})
		i += 1 + n
		if i < len(sec) {
			if sec[i] != ',' || i+1 == len(sec) {
				return nil, false
			}
			i++
		}
	}
	lp.order = sortedFieldOrder(lp.order[:0], fs)
	lp.orderOf = -1
	lp.fieldTmp = fs[:0]
	return lp.storeFieldsInOrder(fs, lp.order), true
}

// fieldKey returns the j-th field key of a point: the string the last
// point with a j-th field had when the bytes are the same (points of a
// measurement mostly have the same fields), else the interned key. Keys
// unescape `\,` `\ ` `\=` `\"`.
func (lp *LineParser) fieldKey(b []byte, j int) string {
	if j < len(lp.recent) && lp.recent[j].key == string(b) {
		return lp.recent[j].key
	}
	k := lp.unescapeName(b)
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '"') < 0 {
		for len(lp.recent) <= j {
			lp.recent = append(lp.recent, recentFieldKey{})
		}
		lp.recent[j] = recentFieldKey{key: k, wanted: lp.wanted(k), isRef: slices.Contains(lp.verdictRefs, k)}
		lp.orderOf = -1
	}
	return k
}

// fieldValue decodes one field value by its first byte: a quote starts a
// string, a digit, sign, dot or NaN/Inf letter a number (integer with a
// trailing i), anything else a boolean.
func (lp *LineParser) fieldValue(v []byte) (Value, string) {
	switch c := v[0]; {
	case c == '"':
		return String(lp.unescapeString(v[1 : len(v)-1])), ""
	case bytes.IndexByte([]byte("0123456789-.nNiI"), c) >= 0:
		if v[len(v)-1] == 'i' {
			if n, ok := parseIntFast(v[:len(v)-1]); ok {
				return Int(n), ""
			}
			n, err := strconv.ParseInt(bytesString(v[:len(v)-1]), 10, 64)
			if err != nil {
				return Value{}, reasonInvalidNumber
			}
			return Int(n), ""
		}
		if f, ok := parseFloatFast(v); ok {
			return Float(f), ""
		}
		f, err := strconv.ParseFloat(bytesString(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return Value{}, reasonInvalidNumber
		}
		return Float(f), ""
	default:
		b, err := strconv.ParseBool(bytesString(v))
		if err != nil {
			return Value{}, reasonInvalidBoolean
		}
		return Bool(b), ""
	}
}

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloatFast parses the common `[-]digits[.digits]` with at most 15
// digits: the digits as an integer are exact in a float64, and dividing
// by an exact power of ten rounds once, so the result is the one
// strconv.ParseFloat gives. Anything else reports !ok.
func parseFloatFast(b []byte) (float64, bool) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	var m uint64
	digits, frac := 0, -1
	for ; i < len(b); i++ {
		c := b[i]
		if c == '.' {
			if frac >= 0 {
				return 0, false
			}
			frac = 0
			continue
		}
		if c < '0' || c > '9' || digits == 15 {
			return 0, false
		}
		m = m*10 + uint64(c-'0')
		digits++
		if frac >= 0 {
			frac++
		}
	}
	if digits == 0 {
		return 0, false
	}
	f := float64(m)
	if frac > 0 {
		f /= exactPow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

// parseIntFast parses `[-]digits` with at most 18 digits (no overflow).
func parseIntFast(b []byte) (int64, bool) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	if i == len(b) || len(b)-i > 18 {
		return 0, false
	}
	var n int64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// unescapeString unescapes `\\` and `\"` in a string field value.
func (lp *LineParser) unescapeString(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return lp.str(b)
	}
	out := lp.scratch[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) && (b[i+1] == '\\' || b[i+1] == '"') {
			out = append(out, b[i+1])
			i++
			continue
		}
		out = append(out, b[i])
	}
	lp.scratch = out
	return lp.str(out)
}

// bytesString views b as a string for a call that does not keep it.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// ---- the fast path ----------------------------------------------------------

// parseFast parses the common shape of a line in one pass: a key section
// without backslashes (decoded once per series and cached), fields with
// plain keys and decimal number values (`[-]digits[.digits]`, or
// `[-]digits i`), and an optional timestamp after a single space. It
// reports false for any other line, having changed nothing but the key
// cache (as parse would): parse then handles the line, with InfluxDB's
// error if it is bad.
// Every line it accepts, parse would accept with the same result.
func (lp *LineParser) parseFast(buf []byte, defaultTime int64, p *Point) bool {
	sp := bytes.IndexByte(buf, ' ')
	if sp <= 0 || sp > maxKeyLength {
		return false
	}
	// Series mostly come in the same order, batch after batch: first try
	// the one that followed the previous line's series last time.
	var series *parsedKey
	if prev := lp.prevKey; prev != nil {
		if next := prev.next.Load(); next != nil && next.key == string(buf[:sp]) {
			series = next
		}
	}
	if series == nil {
		var ok bool
		if series, ok = lp.keys[string(buf[:sp])]; !ok {
			// A cached key section is a whole one, so when buf[:sp] is
			// one, the space at sp ends it here too: only other keys
			// need the check for escapes.
			if bytes.IndexByte(buf[:sp], '\\') >= 0 {
				return false
			}
			// A series new to this parser: decode its key as parse
			// would (the shared cache may know it), then go on here.
			nameEnd, keyEnd, ntags, reason := lp.scanKey(buf)
			if reason != "" || keyEnd != sp {
				return false
			}
			if series, reason = lp.seriesKey(buf, nameEnd, keyEnd, ntags); reason != "" {
				return false
			}
		}
		if lp.prevKey != nil {
			lp.prevKey.next.Store(series)
		}
	}
	skip := lp.skipRejected && series.verdict.v.Load() == verdictReject
	hasRef := false // a field is named as one of verdictRefs
	fs := lp.fieldTmp[:0]
	i := sp + 1
	if i < len(buf) && (buf[i] == '\t' || buf[i] == 0) {
		return false // more blanks before the fields
	}
	recent := 0 // fields whose key is the recent one of their position
	total := 0  // fields in the line
	leftOut := false
	for {
		var key string
		var want bool
		var isRef bool
		if j := total; j < len(lp.recent) && hasKeyAt(buf, i, lp.recent[j].key) {
			r := &lp.recent[j]
			key, want, isRef = r.key, r.wanted, r.isRef
			i += len(key)
			recent++
		} else {
			ks := i
			for i < len(buf) && buf[i] != '=' {
				if c := buf[i]; c == ',' || c == ' ' || c == '\\' || c == '"' {
					return false
				}
				i++
			}
			if i == ks || i == len(buf) {
				return false
			}
			key = lp.fieldKey(buf[ks:i], j)
			want = lp.wanted(key)
			isRef = slices.Contains(lp.verdictRefs, key)
		}
		total++
		if isRef {
			if skip {
				return false // the verdict assumed no such field
			}
			hasRef = true
		}
		if skip {
			want = false
		}
		var n int
		if want {
			if len(fs) == cap(fs) {
				fs = slices.Grow(fs, 1)
			}
			fs = fs[:len(fs)+1]
			f := &fs[len(fs)-1]
			if f.Value, n = decimalFieldValue(buf[i+1:]); n == 0 {
				return false
			}
			f.Key = key
		} else {
			if n = decimalFieldLen(buf[i+1:]); n == 0 {
				return false
			}
			leftOut = true
		}
		i += 1 + n
		if i == len(buf) || buf[i] == ' ' {
			break
		}
		i++ // the comma
	}
	fieldsEnd := i
	t := defaultTime
	if i < len(buf) {
		n, ok := parseTimestampFast(buf[i+1:])
		if !ok {
			return false
		}
		if t, ok = scaleTime(n, lp.mult); !ok {
			return false
		}
	}
	p.Name = series.name
	p.Tags = series.tags
	p.Series = series.num
	p.verdict = nil
	if lp.skipRejected && !hasRef {
		p.verdict = &series.verdict
	}
	lp.prevKey = series
	p.Time = t
	p.deferred = nil
	if skip {
		p.Fields = Fields{} // nothing reads them: the point is dropped
		return true
	}
	if leftOut && lp.deferLeftOut {
		p.deferred = buf[sp+1 : fieldsEnd]
	}
	// The fields sorted by key, a repeated key keeping its last value:
	// the order of the last point whose keys were the same recent ones.
	if recent != total || total != lp.orderOf {
		lp.order = sortedFieldOrder(lp.order[:0], fs)
		lp.orderOf = -1
		if recent == total {
			lp.orderOf = total
		}
	}
	lp.fieldTmp = fs[:0]
	p.Fields = lp.storeFieldsInOrder(fs, lp.order)
	return true
}

// hasKeyAt reports whether buf holds key followed by '=' at i.
func hasKeyAt(buf []byte, i int, key string) bool {
	end := i + len(key)
	return end < len(buf) && buf[end] == '=' && string(buf[i:end]) == key
}

// sortedFieldOrder appends the indexes of fs in key order, leaving out
// all but the last of equal keys (stable insertion sort: fields are few).
func sortedFieldOrder(order []int, fs []Field) []int {
	for k := range fs {
		order = append(order, k)
	}
	for a := 1; a < len(order); a++ {
		for b := a; b > 0 && fs[order[b]].Key < fs[order[b-1]].Key; b-- {
			order[b], order[b-1] = order[b-1], order[b]
		}
	}
	out := order[:0]
	for a := range order {
		if a+1 < len(order) && fs[order[a+1]].Key == fs[order[a]].Key {
			continue
		}
		out = append(out, order[a])
	}
	return out
}

// storeFieldsInOrder is storeFields of fs[order[0]], fs[order[1]], ….
func (lp *LineParser) storeFieldsInOrder(fs []Field, order []int) Fields {
	var out Fields
	if lp.fieldBuf != nil {
		buf := slices.Grow(*lp.fieldBuf, len(order))
		start := len(buf)
		buf = buf[:start+len(order)]
		*lp.fieldBuf = buf
		out = buf[start:len(buf):len(buf)]
	} else {
		out = lp.fields(len(order))
	}
	for k, idx := range order {
		out[k] = fs[idx]
	}
	return out
}

// parseTimestampFast parses the whole of b as `[-]digits` (at most 19
// digits) into an int64, reporting false for anything else or an
// overflow.
func parseTimestampFast(b []byte) (int64, bool) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	if i == len(b) || len(b)-i > 19 {
		return 0, false
	}
	var n uint64 // at most 19 digits: no overflow
	for ; len(b)-i >= 8; i += 8 {
		v := binary.LittleEndian.Uint64(b[i:])
		if nonDigitMask(v) != 0 {
			return 0, false
		}
		n = n*1e8 + parseEightDigits(v)
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return int64(-n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}
