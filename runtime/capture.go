package runtime

import (
	"bytes"
	"encoding/json"
	"sync"
)

// Capture records, in replay --capture mode, everything a task would have
// sent out: alert events, httpPost requests and influxDBOut writes. The
// replay driver turns it into result.json (conformance/FORMAT.md).
type Capture struct {
	mu sync.Mutex
	// alerts are by alert node ID, in emission order, laid out as in
	// result.json (resultAlertDepth), which spares WriteJSON a pass.
	alerts      map[int][]json.RawMessage
	posts       map[int][]CapturedPost // by httpPost node ID
	influxWrite []CapturedWrite
}

// CapturedPost is one request an httpPost node made.
type CapturedPost struct {
	URL  string          `json:"url"`
	Body json.RawMessage `json:"body"`
}

// CapturedWrite is one point an influxDBOut node wrote, as InfluxDB
// would store it.
type CapturedWrite struct {
	Database        string            `json:"database"`
	RetentionPolicy string            `json:"retentionPolicy"`
	Measurement     string            `json:"measurement"`
	Tags            map[string]string `json:"tags"`
	Fields          map[string]any    `json:"fields"`
	Time            string            `json:"time"`
	SortTime        int64             `json:"-"`
}

// NewCapture returns an empty capture.
func NewCapture() *Capture {
	return &Capture{alerts: map[int][]json.RawMessage{}, posts: map[int][]CapturedPost{}}
}

// Alert records the event JSON an alert node sent.
func (c *Capture) Alert(nodeID int, event json.RawMessage) {
	var b bytes.Buffer
	ind := jsonIndenter{w: &b, depth: resultAlertDepth}
	ind.raw(event)
	_ = ind.flush()
	c.alertLaidOut(nodeID, b.Bytes())
}

// alertLaidOut records an event already laid out as in result.json.
func (c *Capture) alertLaidOut(nodeID int, event []byte) {
	c.mu.Lock()
	c.alerts[nodeID] = append(c.alerts[nodeID], event)
	c.mu.Unlock()
}

// Post records an httpPost request.
func (c *Capture) Post(nodeID int, p CapturedPost) {
	c.mu.Lock()
	c.posts[nodeID] = append(c.posts[nodeID], p)
	c.mu.Unlock()
}

// Write records an influxDBOut point.
func (c *Capture) Write(w CapturedWrite) {
	c.mu.Lock()
	c.influxWrite = append(c.influxWrite, w)
	c.mu.Unlock()
}
