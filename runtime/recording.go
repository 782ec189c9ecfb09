package runtime

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"time"
)

// Recordings (spec/io.md §6, contracts/recordings.md): Kapacitor's
// stream recordings (.srpl: database, retention policy and one line of
// line protocol per point) and batch recordings (.brpl: one JSON object
// per batch). Both are read as plain text, or as Kapacitor writes them
// to its replay directory: a gzip-compressed .srpl, and a .brpl ZIP
// archive holding one batch stream per query node (entries "0", "1", …).

// RecordingError is a malformed recording: `file:line: reason`.
type RecordingError struct {
	File string
	Line int
	Msg  string
}

func (e *RecordingError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// StreamRecording reads the points of a .srpl recording: one at a time
// (Next, NextInto), or in parallel chunks (a replay's readChunks).
type StreamRecording struct {
	name      string
	precision string
	in        io.Reader // the recording's text (decompressed)
	closer    io.Closer
	records   recordReader
}

// recordReader reads the records of a recording (database, retention
// policy and a line of line protocol) from a lineReader.
type recordReader struct {
	name  string
	lines lineReader
	line  int // lines read so far (of the whole recording)
	lp    *LineParser
	// db and rp are the last database and retention policy read: points
	// in a row mostly share them, so their strings are reused.
	db, rp string
}

// OpenStreamRecording opens a .srpl file whose timestamps are in the
// given precision.
func OpenStreamRecording(path, precision string) (*StreamRecording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	sr, err := NewStreamRecording(f, path, precision)
	if err != nil {
		f.Close()
		return nil, err
	}
	sr.closer = f
	return sr, nil
}

// recordingBufferSize is how much of a recording is read at a time.
const recordingBufferSize = 256 << 10

// NewStreamRecording reads a .srpl recording from r (gzip-compressed or
// plain); name is used in error messages.
func NewStreamRecording(r io.Reader, name, precision string) (*StreamRecording, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var in io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &RecordingError{File: name, Msg: err.Error()}
		}
		in = zr
	}
	sr := &StreamRecording{name: name, precision: precision, in: in}
	sr.records = recordReader{name: name, lp: NewLineParser(precision), lines: lineReader{r: in, buf: make([]byte, recordingBufferSize)}}
	return sr, nil
}

// Close closes the underlying file, if the recording opened one.
func (sr *StreamRecording) Close() error {
	if sr.closer != nil {
		return sr.closer.Close()
	}
	return nil
}

// lineReader splits a stream into lines, handing out slices of its
// buffer (valid until the next call): no copy and no allocation per line.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int // the unread bytes are buf[start:end]
	err        error
}

// next returns the next line without its line break, a final line
// without one included, or io.EOF.
func (lr *lineReader) next() ([]byte, error) {
	scanned := 0 // bytes of buf[start:end] known to hold no newline
	for {
		if i := bytes.IndexByte(lr.buf[lr.start+scanned:lr.end], '\n'); i >= 0 {
			line := lr.buf[lr.start : lr.start+scanned+i]
			lr.start += scanned + i + 1
			return line, nil
		}
		scanned = lr.end - lr.start
		if lr.err != nil {
			if lr.start == lr.end || lr.err != io.EOF {
				return nil, lr.err
			}
			line := lr.buf[lr.start:lr.end]
			lr.start = lr.end
			return line, nil
		}
		// Make room: move the partial line to the front, or grow the
		// buffer for a line longer than it.
		if lr.start > 0 {
			n := copy(lr.buf, lr.buf[lr.start:lr.end])
			lr.start, lr.end = 0, n
		} else if lr.end == len(lr.buf) {
			lr.buf = append(lr.buf, make([]byte, len(lr.buf))...)
		}
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if err != nil {
			lr.err = err
		}
	}
}

// readLine returns the next line without its line break (a CR before
// the LF is dropped too, as bufio.Scanner does in Kapacitor).
func (rr *recordReader) readLine() ([]byte, error) {
	line, err := rr.lines.next()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, &RecordingError{File: rr.name, Line: rr.line + 1, Msg: err.Error()}
	}
	rr.line++
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// Next returns the next point, with its database and retention policy
// set and no grouping, or io.EOF after the last one.
func (sr *StreamRecording) Next() (*Point, error) {
	p := new(Point)
	if err := sr.NextInto(p); err != nil {
		return nil, err
	}
	return p, nil
}

// NextInto reads the next point into p (overwriting all of it), or
// returns io.EOF after the last one. Its fields are cut from the
// parser's slabs.
func (sr *StreamRecording) NextInto(p *Point) error { return sr.records.next(p) }

// next reads the next record into p, or returns io.EOF after the last
// one. Its fields are cut from the parser's slabs, or appended to the
// parser's field buffer when one is set (see LineParser.fieldBuf).
func (rr *recordReader) next(p *Point) error {
	if rr.skipSameDBRP() {
		return rr.nextLine(p)
	}
	db, err := rr.readLine()
	if err != nil {
		return err
	}
	if string(db) != rr.db {
		rr.db = string(db)
	}
	rp, err := rr.readLine()
	if err == io.EOF {
		return &RecordingError{File: rr.name, Line: rr.line, Msg: "invalid replay file format, expected another line"}
	} else if err != nil {
		return err
	}
	if string(rp) != rr.rp {
		rr.rp = string(rp)
	}
	return rr.nextLine(p)
}

// skipSameDBRP skips the database and retention policy lines of the next
// record when they are those of the previous one, as they mostly are,
// without looking for their ends; it reports whether it did.
func (rr *recordReader) skipSameDBRP() bool {
	lr := &rr.lines
	b, db, rp := lr.buf[lr.start:lr.end], rr.db, rr.rp
	n := len(db) + 1 + len(rp) + 1
	if db == "" || len(b) < n || b[len(db)] != '\n' || b[n-1] != '\n' ||
		string(b[:len(db)]) != db || string(b[len(db)+1:n-1]) != rp {
		return false
	}
	lr.start += n
	rr.line += 2
	return true
}

// nextLine reads the line protocol line of a record into p.
func (rr *recordReader) nextLine(p *Point) error {
	line, err := rr.readLine()
	if err == io.EOF {
		return &RecordingError{File: rr.name, Line: rr.line, Msg: "invalid replay file format, expected another line"}
	} else if err != nil {
		return err
	}
	*p = Point{Database: rr.db, RP: rr.rp}
	ok, err := rr.lp.ParseLine(line, math.MinInt64, p)
	if err != nil {
		return &RecordingError{File: rr.name, Line: rr.line, Msg: err.Error()}
	}
	if !ok {
		return &RecordingError{File: rr.name, Line: rr.line, Msg: "expected a line of line protocol, got a blank line or a comment"}
	}
	if p.Time == math.MinInt64 {
		// Kapacitor would give it the zero time (year 1), which no
		// replay can use.
		return &RecordingError{File: rr.name, Line: rr.line, Msg: "point has no timestamp"}
	}
	return nil
}

// RecordedBatch is one batch of a batch recording, as recorded: its
// times are not rebased yet and TMax may be absent (the zero time) or
// later than its points.
type RecordedBatch struct {
	Batch *Batch // Batch.TMax is unset; see TMax
	TMax  time.Time
	Line  int // where the batch starts in the recording
}

// BatchRecording is the batches one query node receives.
type BatchRecording struct {
	Source  string // file name, with the ZIP entry name for archives
	Batches []RecordedBatch
}

// ReadBatchRecordings reads a .brpl file: one recording, or for a ZIP
// archive one per entry in entry order.
func ReadBatchRecordings(path string) ([]*BatchRecording, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rec, err := ParseBatchRecording(data, path)
		if err != nil {
			return nil, err
		}
		return []*BatchRecording{rec}, nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &RecordingError{File: path, Msg: err.Error()}
	}
	files := append([]*zip.File(nil), zr.File...)
	// Entries are named by index; order them numerically.
	sort.SliceStable(files, func(i, j int) bool {
		a, errA := strconv.Atoi(files[i].Name)
		b, errB := strconv.Atoi(files[j].Name)
		if errA != nil || errB != nil {
			return errA == nil && errB != nil
		}
		return a < b
	})
	var recs []*BatchRecording
	for _, f := range files {
		name := path + "[" + f.Name + "]"
		rc, err := f.Open()
		if err != nil {
			return nil, &RecordingError{File: name, Msg: err.Error()}
		}
		entry, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, &RecordingError{File: name, Msg: err.Error()}
		}
		rec, err := ParseBatchRecording(entry, name)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// brplBatch is the JSON of one recorded batch. A "group" key is ignored:
// the group is computed from the tags.
type brplBatch struct {
	Name   string            `json:"name"`
	TMax   time.Time         `json:"tmax"`
	Tags   map[string]string `json:"tags"`
	ByName bool              `json:"byname"`
	Points []struct {
		Time   time.Time         `json:"time"`
		Fields map[string]any    `json:"fields"`
		Tags   map[string]string `json:"tags"`
	} `json:"points"`
}

// ParseBatchRecording parses the JSON batches of one recording. Batches
// without points are dropped; every JSON number becomes a float; a point
// without tags takes the batch's tags; a batch is grouped by all its
// tags, and by its name when byname is set.
func ParseBatchRecording(data []byte, name string) (*BatchRecording, error) {
	rec := &BatchRecording{Source: name}
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := newLineIndex(data)
	for {
		start := skipJSONSpace(data, int(dec.InputOffset()))
		var raw brplBatch
		err := dec.Decode(&raw)
		if err == io.EOF {
			return rec, nil
		}
		line := lines.lineOf(start)
		if err != nil {
			off := jsonErrorOffset(err, start)
			if errors.Is(err, io.ErrUnexpectedEOF) {
				off = len(data) - 1
			}
			return nil, &RecordingError{File: name, Line: lines.lineOf(off), Msg: jsonErrorText(err)}
		}
		if len(raw.Points) == 0 {
			continue
		}
		b, err := recordedBatch(&raw)
		if err != nil {
			return nil, &RecordingError{File: name, Line: line, Msg: err.Error()}
		}
		rec.Batches = append(rec.Batches, RecordedBatch{Batch: b, TMax: raw.TMax, Line: line})
	}
}

func recordedBatch(raw *brplBatch) (*Batch, error) {
	tags := tagsFromMap(raw.Tags)
	dims := Dimensions{ByName: raw.ByName}
	for _, t := range tags {
		dims.TagNames = append(dims.TagNames, t.Key)
	}
	b := &Batch{
		Name:   raw.Name,
		Tags:   tags,
		Dims:   dims,
		Group:  ComputeGroupID(raw.Name, tags, dims),
		Points: make([]Row, len(raw.Points)),
	}
	for i, p := range raw.Points {
		if p.Time.IsZero() {
			return nil, fmt.Errorf("point %d has no time", i+1)
		}
		if p.Time.Before(time.Unix(0, minPointTime)) || p.Time.After(time.Unix(0, maxPointTime)) {
			return nil, fmt.Errorf("point %d: time %s is outside the range of nanosecond timestamps", i+1, p.Time.Format(time.RFC3339Nano))
		}
		row := Row{Time: p.Time.UnixNano(), Tags: tags}
		if len(p.Tags) > 0 {
			row.Tags = tagsFromMap(p.Tags)
		}
		for k, v := range p.Fields {
			var fv Value
			switch v := v.(type) {
			case float64:
				fv = Float(v)
			case string:
				fv = String(v)
			case bool:
				fv = Bool(v)
			case nil:
				continue
			default:
				return nil, fmt.Errorf("point %d: field %q: unsupported value %v", i+1, k, v)
			}
			row.Fields = append(row.Fields, Field{Key: k, Value: fv})
		}
		sort.Slice(row.Fields, func(a, b int) bool { return row.Fields[a].Key < row.Fields[b].Key })
		b.Points[i] = row
	}
	return b, nil
}

// tagsFromMap returns m as sorted Tags (nil when empty).
func tagsFromMap(m map[string]string) Tags {
	if len(m) == 0 {
		return nil
	}
	t := make(Tags, 0, len(m))
	for k, v := range m {
		t = append(t, Tag{Key: k, Value: v})
	}
	sort.Slice(t, func(i, j int) bool { return t[i].Key < t[j].Key })
	return t
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // offsets of line starts

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (idx lineIndex) lineOf(off int) int {
	return sort.Search(len(idx), func(i int) bool { return idx[i] > off })
}

func skipJSONSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// jsonErrorOffset returns where in the data a decoding error is.
func jsonErrorOffset(err error, start int) int {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return int(se.Offset) - 1
	case errors.As(err, &te):
		return int(te.Offset) - 1
	}
	return start
}

func jsonErrorText(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of JSON input"
	}
	return "invalid batch: " + err.Error()
}
