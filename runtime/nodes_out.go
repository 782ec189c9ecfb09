package runtime

// Output nodes that send data out of the task (nodes.md §8.2–§8.4,
// io.md §4): httpPost, influxDBOut and kapacitorLoopback. In capture
// mode (Task.Capture set) nothing leaves the process: httpPost and
// influxDBOut record what they would have sent.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	text "text/template"
	"time"
)

// ---- httpPost ---------------------------------------------------------------

// HTTPPostConfig configures an httpPost node. Exactly one of URL and
// Endpoint is set.
type HTTPPostConfig struct {
	// URL is the constructor argument, a text/template over the row
	// (.Name, .Tags, .Values).
	URL string
	// Endpoint names a configured [[httppost]] endpoint.
	Endpoint string
	// Headers are the .header() pairs, in order of first setting.
	Headers         [][2]string
	CodeField       string
	CaptureResponse bool
	Timeout         time.Duration
	Quiet           bool
}

// HTTPPostEndpoint is a configured [[httppost]] endpoint: where an
// httpPost node with .endpoint(name) posts outside capture mode.
type HTTPPostEndpoint struct {
	URL     string // a text/template, like the node's URL
	Headers map[string]string
}

// HTTPPostEndpoints are the configured endpoints by name; the server
// configuration fills it before tasks are built.
var HTTPPostEndpoints = map[string]HTTPPostEndpoint{}

// HTTPPostNode POSTs every point or batch as `{"series":[row]}` and
// forwards it, with the response status as CodeField when set.
type HTTPPostNode struct {
	Base
	cfg     HTTPPostConfig
	urlTmpl *text.Template // nil when the URL has no template action
	url     string
	headers [][2]string
	initErr error
	client  *http.Client
	body    []byte // reused request body
}

// NewHTTPPost returns an httpPost node.
func NewHTTPPost(t *Task, id int, name string, cfg HTTPPostConfig) *HTTPPostNode {
	n := &HTTPPostNode{cfg: cfg, url: cfg.URL, headers: cfg.Headers, client: &http.Client{}}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	if cfg.Endpoint != "" && (t == nil || t.Capture == nil) {
		e, ok := HTTPPostEndpoints[cfg.Endpoint]
		if !ok {
			n.initErr = fmt.Errorf("endpoint '%s' does not exist", cfg.Endpoint)
			return n
		}
		n.url = e.URL
		for _, k := range sortedKeys(e.Headers) {
			n.headers = append([][2]string{{k, e.Headers[k]}}, n.headers...)
		}
	}
	if strings.Contains(n.url, "{{") {
		tmpl, err := newPostTemplate(n.url)
		if err != nil {
			n.initErr = fmt.Errorf("error in url templating: failed to parse template: %w", err)
		}
		n.urlTmpl = tmpl
	}
	return n
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// newPostTemplate parses a URL or body template with the `json`
// function Kapacitor's httppost templates have.
func newPostTemplate(src string) (*text.Template, error) {
	return text.New("body").Funcs(text.FuncMap{"json": templateJSONText}).Parse(src)
}

// templateJSONText is encoding/json's Encode of v (with its newline).
func templateJSONText(v any) string {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	return b.String()
}

// InitError is the error that stops the task before it runs (a bad URL
// template, an unknown endpoint), nil when the node is valid.
func (n *HTTPPostNode) InitError() error { return n.Fatal(n.initErr) }

func (n *HTTPPostNode) Point(_ int, p *Point) error {
	if n.initErr != nil {
		return n.InitError()
	}
	code := n.post(p, nil)
	if n.cfg.CodeField != "" {
		c := *p
		c.Fields = p.Fields.Clone().Set(n.cfg.CodeField, Int(int64(code)))
		p = &c
	}
	return n.EmitPoint(p)
}

func (n *HTTPPostNode) Batch(_ int, b *Batch) error {
	if n.initErr != nil {
		return n.InitError()
	}
	code := n.post(nil, b)
	if n.cfg.CodeField != "" {
		b = b.ShallowCopy()
		for i := range b.Points {
			b.Points[i].Fields = b.Points[i].Fields.Clone().Set(n.cfg.CodeField, Int(int64(code)))
		}
	}
	return n.EmitBatch(b)
}

// post sends one row and returns the HTTP status, 0 when the request
// could not be made (the error is logged). In capture mode the request
// is recorded and answered 200.
func (n *HTTPPostNode) post(p *Point, b *Batch) int {
	body := append(n.body[:0], `{"series":[`...)
	var err error
	if p != nil {
		body, err = appendPointRow(body, p)
	} else {
		body, err = appendBatchRow(body, b)
	}
	if err != nil {
		n.LogError("failed to POST data: failed to marshal row data json: %v", err)
		return 0
	}
	body = append(body, "]}\n"...)
	n.body = body

	target := n.url
	if n.urlTmpl != nil {
		var u strings.Builder
		if err := n.urlTmpl.Execute(&u, newPostRow(p, b)); err != nil {
			n.LogError("failed to POST data: failed to execute url template: %v", err)
			return 0
		}
		target = u.String()
	}
	if c := captureOf(n.Task); c != nil {
		if n.cfg.Endpoint != "" {
			target = "endpoint:" + n.cfg.Endpoint
		}
		c.Post(n.ID, CapturedPost{URL: target, Body: append([]byte(nil), body[:len(body)-1]...)})
		return http.StatusOK
	}
	return n.send(target, body)
}

// send makes the real request.
func (n *HTTPPostNode) send(target string, body []byte) int {
	ctx := context.Background()
	if n.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, n.cfg.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		n.LogError("failed to POST data: failed to create POST request: %v", err)
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	for _, h := range n.headers {
		req.Header.Set(h[0], h[1])
	}
	resp, err := n.client.Do(req)
	if err != nil {
		n.LogError("failed to POST data: %v", err)
		return 0
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg := "unknown error, use .captureResponse() to capture the HTTP response"
		if n.cfg.CaptureResponse {
			if b, err := io.ReadAll(resp.Body); err == nil {
				msg = string(b)
			}
		}
		n.LogError("POST returned non 2xx status code: %s (code %d)", msg, resp.StatusCode)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// postRow is what URL templates see (Kapacitor's mappedRow): the row's
// name and tags, and each row of values keyed by column.
type postRow struct {
	Name   string
	Tags   map[string]string
	Values []map[string]any
}

func newPostRow(p *Point, b *Batch) *postRow {
	if p != nil {
		v := make(map[string]any, len(p.Fields)+1)
		v["time"] = time.Unix(0, p.Time).UTC()
		for _, f := range p.Fields {
			v[f.Key] = f.Value.Stored().Interface()
		}
		return &postRow{Name: p.Name, Tags: p.Tags.Map(), Values: []map[string]any{v}}
	}
	r := &postRow{Name: b.Name, Tags: b.Tags.Map(), Values: make([]map[string]any, len(b.Points))}
	var cols []string
	if len(b.Points) > 0 {
		first := &b.Points[0]
		for _, f := range first.Fields {
			cols = append(cols, f.Key)
		}
		for _, t := range first.Tags {
			if _, ok := b.Tags.Get(t.Key); !ok {
				cols = append(cols, t.Key)
			}
		}
	}
	for i := range b.Points {
		pt := &b.Points[i]
		v := make(map[string]any, len(cols)+1)
		v["time"] = time.Unix(0, pt.Time).UTC()
		for _, c := range cols {
			if f, ok := pt.Fields.Get(c); ok {
				v[c] = f.Stored().Interface()
			} else if s, ok := pt.Tags.Get(c); ok {
				v[c] = s
			} else {
				v[c] = nil
			}
		}
		r.Values[i] = v
	}
	return r
}

// captureOf returns the task's capture, nil outside capture mode.
func captureOf(t *Task) *Capture {
	if t == nil {
		return nil
	}
	return t.Capture
}

// ---- influxDBOut ------------------------------------------------------------

// InfluxDBOutConfig configures an influxDBOut node.
type InfluxDBOutConfig struct {
	Cluster          string
	Database         string
	RetentionPolicy  string
	Measurement      string
	WriteConsistency string
	Precision        string
	// Buffer is the number of points that triggers a write (1000 by
	// default); FlushInterval the longest a point waits (10s).
	Buffer        int
	FlushInterval time.Duration
	// Tags are the static .tag() pairs; they override the point's tags.
	Tags   Tags
	Create bool
	Quiet  bool
}

// InfluxDBCluster is an InfluxDB server influxDBOut writes to outside
// capture mode.
type InfluxDBCluster struct {
	URL                string // e.g. http://localhost:8086
	Username, Password string
}

// InfluxDBClusters are the configured InfluxDB servers by name ("" is
// the default); the server configuration fills it before tasks run.
var InfluxDBClusters = map[string]InfluxDBCluster{}

// InfluxDBOutNode writes every point (batch points one by one) to
// InfluxDB, buffered per database, retention policy, consistency and
// precision. It is terminal but forwards to its stats children.
type InfluxDBOutNode struct {
	Base
	cfg  InfluxDBOutConfig
	mult int64

	mu       sync.Mutex
	buffered map[influxWriteKey]*bytes.Buffer
	count    map[influxWriteKey]int
	started  bool
	created  bool
	stop     chan struct{}
	wg       sync.WaitGroup
	client   *http.Client
}

// influxWriteKey is one InfluxDB write request's parameters.
type influxWriteKey struct{ db, rp string }

// NewInfluxDBOut returns an influxDBOut node.
func NewInfluxDBOut(t *Task, id int, name string, cfg InfluxDBOutConfig) *InfluxDBOutNode {
	if cfg.Buffer <= 0 {
		cfg.Buffer = 1000
	}
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = 10 * time.Second
	}
	n := &InfluxDBOutNode{
		cfg:      cfg,
		mult:     PrecisionMultiplier(cfg.Precision),
		buffered: map[influxWriteKey]*bytes.Buffer{},
		count:    map[influxWriteKey]int{},
		client:   &http.Client{Timeout: 30 * time.Second},
	}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	return n
}

// InitError is the error that stops the task before it runs: no
// InfluxDB configured (never in capture mode).
func (n *InfluxDBOutNode) InitError() error {
	if captureOf(n.Task) != nil {
		return nil
	}
	if _, ok := InfluxDBClusters[n.cfg.Cluster]; !ok {
		if n.cfg.Cluster == "" {
			return n.Fatal(errors.New("no InfluxDB cluster configured cannot use the InfluxDBOutNode"))
		}
		return n.Fatal(fmt.Errorf("failed to get InfluxDB client: unknown InfluxDB cluster %q", n.cfg.Cluster))
	}
	return nil
}

func (n *InfluxDBOutNode) Point(_ int, p *Point) error {
	if err := n.InitError(); err != nil {
		return err
	}
	n.write(p.Database, p.RP, p.Name, &p.Row)
	return n.EmitPoint(p)
}

func (n *InfluxDBOutNode) Batch(_ int, b *Batch) error {
	if err := n.InitError(); err != nil {
		return err
	}
	for i := range b.Points {
		n.write("", "", b.Name, &b.Points[i])
	}
	return n.EmitBatch(b)
}

// Done writes what is still buffered.
func (n *InfluxDBOutNode) Done(int) error {
	if !n.AllParentsDone() {
		return nil
	}
	n.mu.Lock()
	if n.stop != nil {
		close(n.stop)
		n.stop = nil
	}
	n.mu.Unlock()
	n.wg.Wait()
	n.flushAll()
	return n.DoneChildren()
}

// write queues one point: the node's database, retention policy and
// measurement when set, else the data's; the point's tags overlaid with
// the static tags.
func (n *InfluxDBOutNode) write(db, rp, name string, r *Row) {
	if n.cfg.Database != "" {
		db = n.cfg.Database
	}
	if n.cfg.RetentionPolicy != "" {
		rp = n.cfg.RetentionPolicy
	}
	if n.cfg.Measurement != "" {
		name = n.cfg.Measurement
	}
	tags := r.Tags
	if len(n.cfg.Tags) > 0 {
		tags = r.Tags.Clone()
		for _, t := range n.cfg.Tags {
			tags = tags.Set(t.Key, t.Value)
		}
	}
	if c := captureOf(n.Task); c != nil {
		w, err := storedPoint(db, rp, name, tags, r.Fields, r.Time, n.mult)
		if err != nil {
			n.LogError("failed to write points to InfluxDB: %v", err)
			return
		}
		c.Write(w)
		return
	}
	n.enqueue(influxWriteKey{db, rp}, name, tags, r.Fields, r.Time)
}

// storedPoint is a point as InfluxDB stores it from Kapacitor's line
// protocol: time truncated to the precision, tags with empty values
// dropped. A point InfluxDB would reject (no measurement, no fields, a
// null or non-finite field) is an error.
func storedPoint(db, rp, name string, tags Tags, fields Fields, t, mult int64) (CapturedWrite, error) {
	if name == "" {
		return CapturedWrite{}, errors.New("unable to parse point: missing measurement")
	}
	if len(fields) == 0 {
		return CapturedWrite{}, fmt.Errorf("unable to parse point %q: missing fields", name)
	}
	fm := make(map[string]any, len(fields))
	for _, f := range fields {
		v := f.Value.Stored()
		switch v.Kind {
		case KindMissing:
			return CapturedWrite{}, fmt.Errorf("unable to parse point %q: missing field value for %q", name, f.Key)
		case KindFloat:
			if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
				return CapturedWrite{}, fmt.Errorf("unable to parse point %q: invalid number for %q", name, f.Key)
			}
		case KindTime:
			return CapturedWrite{}, fmt.Errorf("unable to parse point %q: invalid field value for %q", name, f.Key)
		}
		fm[f.Key] = v.Interface()
	}
	tm := make(map[string]string, len(tags))
	for _, tag := range tags {
		if tag.Value != "" {
			tm[tag.Key] = tag.Value
		}
	}
	ts := t / mult * mult
	return CapturedWrite{
		Database:        db,
		RetentionPolicy: rp,
		Measurement:     name,
		Tags:            tm,
		Fields:          fm,
		Time:            time.Unix(0, ts).UTC().Format(time.RFC3339Nano),
		SortTime:        ts,
	}, nil
}

// enqueue adds a line to its write request's buffer and writes the
// buffer once it holds Buffer points; a timer writes every buffer each
// FlushInterval.
func (n *InfluxDBOutNode) enqueue(k influxWriteKey, name string, tags Tags, fields Fields, t int64) {
	n.mu.Lock()
	if !n.started {
		n.started = true
		n.startFlusher()
	}
	buf, ok := n.buffered[k]
	if !ok {
		buf = new(bytes.Buffer)
		n.buffered[k] = buf
	}
	line := AppendLineProtocol(buf.AvailableBuffer(), name, tags, fields, t, n.mult)
	buf.Write(line)
	n.count[k]++
	var full []byte
	if n.count[k] >= n.cfg.Buffer {
		full = append([]byte(nil), buf.Bytes()...)
		buf.Reset()
		n.count[k] = 0
	}
	n.mu.Unlock()
	if full != nil {
		n.post(k, full)
	}
}

func (n *InfluxDBOutNode) startFlusher() {
	n.stop = make(chan struct{})
	stop := n.stop
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		tick := time.NewTicker(n.cfg.FlushInterval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				n.flushAll()
			case <-stop:
				return
			}
		}
	}()
}

// flushAll writes every non-empty buffer.
func (n *InfluxDBOutNode) flushAll() {
	n.mu.Lock()
	type pending struct {
		k    influxWriteKey
		body []byte
	}
	var out []pending
	for k, buf := range n.buffered {
		if buf.Len() > 0 {
			out = append(out, pending{k, append([]byte(nil), buf.Bytes()...)})
			buf.Reset()
			n.count[k] = 0
		}
	}
	n.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].k.db != out[j].k.db {
			return out[i].k.db < out[j].k.db
		}
		return out[i].k.rp < out[j].k.rp
	})
	for _, p := range out {
		n.post(p.k, p.body)
	}
}

// post sends one /write request; errors are logged.
func (n *InfluxDBOutNode) post(k influxWriteKey, body []byte) {
	cl, ok := InfluxDBClusters[n.cfg.Cluster]
	if !ok {
		n.LogError("failed to write points to InfluxDB: no InfluxDB cluster configured")
		return
	}
	if n.cfg.Create && !n.created {
		n.created = true
		n.createDatabase(cl)
	}
	q := url.Values{}
	q.Set("db", k.db)
	if k.rp != "" {
		q.Set("rp", k.rp)
	}
	if n.cfg.Precision != "" {
		q.Set("precision", n.cfg.Precision)
	}
	if n.cfg.WriteConsistency != "" {
		q.Set("consistency", n.cfg.WriteConsistency)
	}
	if err := n.request(cl, "/write?"+q.Encode(), body); err != nil {
		n.LogError("failed to write points to InfluxDB: %v", err)
	}
}

// createDatabase runs .create()'s CREATE DATABASE; errors are logged.
func (n *InfluxDBOutNode) createDatabase(cl InfluxDBCluster) {
	stmt := "CREATE DATABASE " + quoteIdent(n.cfg.Database)
	if n.cfg.RetentionPolicy != "" {
		stmt += " WITH NAME " + quoteIdent(n.cfg.RetentionPolicy)
	}
	q := url.Values{}
	q.Set("q", stmt)
	if err := n.request(cl, "/query?"+q.Encode(), nil); err != nil {
		n.LogError("failed to create database: %v", err)
	}
}

func (n *InfluxDBOutNode) request(cl InfluxDBCluster, path string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, strings.TrimRight(cl.URL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if cl.Username != "" {
		req.SetBasicAuth(cl.Username, cl.Password)
	}
	resp, err := n.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// quoteIdent quotes an InfluxQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// AppendLineProtocol appends one line of InfluxDB line protocol (with
// its newline) as Kapacitor's InfluxDB client writes it: escaped
// measurement and tags (empty tag values left out), fields sorted (they
// are), floats in shortest non-exponent form, ints with `i`, the time
// divided by the precision multiplier.
func AppendLineProtocol(b []byte, name string, tags Tags, fields Fields, t, mult int64) []byte {
	b = appendEscaped(b, name, ", ")
	for _, tag := range tags {
		if tag.Value == "" {
			continue
		}
		b = append(b, ',')
		b = appendEscaped(b, tag.Key, ",= ")
		b = append(b, '=')
		b = appendEscaped(b, tag.Value, ",= ")
	}
	b = append(b, ' ')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEscaped(b, f.Key, ",= ")
		b = append(b, '=')
		v := f.Value.Stored()
		switch v.Kind {
		case KindFloat:
			b = strconv.AppendFloat(b, v.F, 'f', -1, 64)
		case KindInt:
			b = strconv.AppendInt(b, v.I, 10)
			b = append(b, 'i')
		case KindString:
			b = append(b, '"')
			b = appendEscaped(b, v.S, `"\`)
			b = append(b, '"')
		case KindBool:
			b = strconv.AppendBool(b, v.I != 0)
		}
	}
	if mult <= 0 {
		mult = 1
	}
	b = append(b, ' ')
	b = strconv.AppendInt(b, t/mult, 10)
	return append(b, '\n')
}

// appendEscaped appends s with a backslash before every byte in special.
func appendEscaped(b []byte, s, special string) []byte {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(special, s[i]) >= 0 {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return b
}

// ---- kapacitorLoopback ------------------------------------------------------

// KapacitorLoopbackConfig configures a kapacitorLoopback node.
type KapacitorLoopbackConfig struct {
	Database        string
	RetentionPolicy string
	Measurement     string
	Tags            Tags
	Quiet           bool
}

// LoopbackWrite receives the points kapacitorLoopback nodes write back
// into the stream input (set by the server that hosts the task). Points
// are dropped while it is nil. A task never receives its own loopback
// points: their database and retention policy are not the task's.
var LoopbackWrite func(p *Point) error

// KapacitorLoopbackNode writes every point (batch points one by one)
// back into the stream input under its database and retention policy.
// In capture mode nothing is written: the points would only reach other
// tasks, and a replay runs one task.
type KapacitorLoopbackNode struct {
	Base
	cfg     KapacitorLoopbackConfig
	initErr error
}

// NewKapacitorLoopback returns a kapacitorLoopback node.
func NewKapacitorLoopback(t *Task, id int, name string, cfg KapacitorLoopbackConfig) *KapacitorLoopbackNode {
	n := &KapacitorLoopbackNode{cfg: cfg}
	n.Init(t, id, name, n)
	n.Quiet = cfg.Quiet
	if t != nil {
		for _, d := range t.Dbrps {
			if d.DB == cfg.Database && d.RP == cfg.RetentionPolicy {
				n.initErr = fmt.Errorf("loop detected on dbrp: %q.%q", d.DB, d.RP)
			}
		}
	}
	return n
}

// InitError is the error that stops the task before it runs (writing to
// one of the task's own dbrps), nil when the node is valid.
func (n *KapacitorLoopbackNode) InitError() error { return n.Fatal(n.initErr) }

func (n *KapacitorLoopbackNode) Point(_ int, p *Point) error {
	if n.initErr != nil {
		return n.InitError()
	}
	q := p.Clone()
	if n.cfg.Database != "" {
		q.Database = n.cfg.Database
	}
	if n.cfg.RetentionPolicy != "" {
		q.RP = n.cfg.RetentionPolicy
	}
	if n.cfg.Measurement != "" {
		q.Name = n.cfg.Measurement
	}
	for _, t := range n.cfg.Tags {
		q.Tags = q.Tags.Set(t.Key, t.Value)
	}
	q.Regroup(p.Dims)
	n.loop(q)
	return n.EmitPoint(p)
}

// Batch writes each batch point under the batch's name (the measurement
// override does not apply to batches, as in Kapacitor).
func (n *KapacitorLoopbackNode) Batch(_ int, b *Batch) error {
	if n.initErr != nil {
		return n.InitError()
	}
	for i := range b.Points {
		r := &b.Points[i]
		tags := r.Tags
		if len(n.cfg.Tags) > 0 {
			tags = r.Tags.Clone()
			for _, t := range n.cfg.Tags {
				tags = tags.Set(t.Key, t.Value)
			}
		}
		n.loop(&Point{
			Row:      Row{Time: r.Time, Tags: tags, Fields: r.Fields},
			Name:     b.Name,
			Database: n.cfg.Database,
			RP:       n.cfg.RetentionPolicy,
		})
	}
	return n.EmitBatch(b)
}

func (n *KapacitorLoopbackNode) loop(p *Point) {
	if captureOf(n.Task) != nil || LoopbackWrite == nil {
		return
	}
	if err := LoopbackWrite(p); err != nil {
		n.LogError("failed to write point over loopback: %v", err)
	}
}
