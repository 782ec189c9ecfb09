package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	text "text/template"
	"time"
)

// AlertHandlerSpec is one handler of an alert node as written in the
// script: the handler method (`post`, `log`, `slack`, …), its arguments
// and the options set on the handler object, in script order.
type AlertHandlerSpec struct {
	Kind    string
	Args    []Value
	Options []AlertHandlerOption
}

// AlertHandlerOption is one option call on a handler (`.header('k', 'v')`).
type AlertHandlerOption struct {
	Name string
	Args []Value
}

// option returns the arguments of the last setting of an option.
func (s *AlertHandlerSpec) option(name string) ([]Value, bool) {
	for i := len(s.Options) - 1; i >= 0; i-- {
		if strings.EqualFold(s.Options[i].Name, name) {
			return s.Options[i].Args, true
		}
	}
	return nil, false
}

// stringOption returns a string option, or the ctor argument when the
// option was not set.
func (s *AlertHandlerSpec) stringOption(name string, ctorArg int) string {
	if args, ok := s.option(name); ok && len(args) > 0 {
		return args[0].S
	}
	if ctorArg >= 0 && ctorArg < len(s.Args) {
		return s.Args[ctorArg].S
	}
	return ""
}

// alertHandler delivers events outside capture mode.
type alertHandler interface {
	handle(ev *AlertEvent, body []byte)
	// readsEvent reports whether the handler reads more of the event
	// than its JSON body (the rendered details, say).
	readsEvent() bool
	// close waits until every accepted event was delivered.
	close()
}

// handlerQueueSize is Kapacitor's per-handler event buffer.
const handlerQueueSize = 5000

// newAlertHandlers builds the handlers of a node. Errors are those
// Kapacitor reports when creating the task.
func newAlertHandlers(n *AlertNode, specs []AlertHandlerSpec) ([]alertHandler, error) {
	var out []alertHandler
	for i := range specs {
		s := &specs[i]
		var d deliverer
		switch s.Kind {
		case "post":
			h, err := newPostHandler(s)
			if err != nil {
				return nil, err
			}
			d = h
		case "log":
			h, err := newLogHandler(s)
			if err != nil {
				return nil, fmt.Errorf("failed to create log alert handler: %w", err)
			}
			d = h
		case "tcp":
			d = &tcpHandler{addr: s.stringOption("address", 0)}
		case "exec":
			h := &execHandler{}
			for _, a := range s.Args {
				h.argv = append(h.argv, a.S)
			}
			if len(h.argv) == 0 {
				return nil, errors.New("exec handler: no program given")
			}
			d = h
		default:
			d = &unsupportedHandler{kind: s.Kind}
		}
		out = append(out, newQueuedHandler(n, s.Kind, d))
	}
	return out, nil
}

// deliverer sends one event; errors are logged by the queue.
type deliverer interface {
	deliver(ev *AlertEvent, body []byte) error
}

// batchDeliverer is a deliverer that can take the events waiting in its
// queue at once; err is logged once per event.
type batchDeliverer interface {
	deliverBatch(evs []queuedEvent) error
}

// maxDeliveryBatch bounds the events handed to deliverBatch at once.
const maxDeliveryBatch = 256

// queuedHandler delivers events in order on its own goroutine, so a slow
// service does not hold up the pipeline; when its buffer is full, events
// are dropped and logged, as in Kapacitor.
type queuedHandler struct {
	node *AlertNode
	kind string
	d    deliverer
	ch   chan queuedEvent
	wg   sync.WaitGroup
	once sync.Once
}

type queuedEvent struct {
	ev   AlertEvent
	body []byte
}

func newQueuedHandler(n *AlertNode, kind string, d deliverer) *queuedHandler {
	return &queuedHandler{node: n, kind: kind, d: d}
}

func (q *queuedHandler) start() {
	q.ch = make(chan queuedEvent, handlerQueueSize)
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		bd, batches := q.d.(batchDeliverer)
		var batch []queuedEvent
		for e := range q.ch {
			if !batches {
				if err := q.d.deliver(&e.ev, e.body); err != nil {
					q.node.LogError("%v", err)
				}
				continue
			}
			batch = append(batch[:0], e)
			batch = q.drain(batch)
			if err := bd.deliverBatch(batch); err != nil {
				for range batch {
					q.node.LogError("%v", err)
				}
			}
			clear(batch) // let the bodies go
		}
	}()
}

// drain appends the events already waiting, up to maxDeliveryBatch.
func (q *queuedHandler) drain(batch []queuedEvent) []queuedEvent {
	for len(batch) < maxDeliveryBatch {
		select {
		case e, ok := <-q.ch:
			if !ok {
				return batch
			}
			batch = append(batch, e)
		default:
			return batch
		}
	}
	return batch
}

func (q *queuedHandler) readsEvent() bool {
	h, ok := q.d.(*postHandler)
	return ok && h.urlTmpl != nil
}

func (q *queuedHandler) handle(ev *AlertEvent, body []byte) {
	q.once.Do(q.start)
	e := queuedEvent{ev: *ev, body: append([]byte(nil), body...)}
	// The data is not needed after the JSON is built; drop it so the
	// queue does not keep points alive.
	e.ev.Point, e.ev.Batch = nil, nil
	select {
	case q.ch <- e:
	default:
		q.node.LogError("failed to deliver event %q to handler %s: buffer full", ev.ID, q.kind)
	}
}

func (q *queuedHandler) close() {
	if q.ch == nil {
		return
	}
	close(q.ch)
	q.wg.Wait()
	q.ch = nil
	q.once = sync.Once{}
}

// withNewline returns the JSON line an encoder writes.
func withNewline(body []byte) []byte {
	return append(append(make([]byte, 0, len(body)+2), body...), '\n')
}

// ---- log ----

type logHandler struct {
	path string
	mode os.FileMode
	buf  []byte // the lines of a batch
}

func newLogHandler(s *AlertHandlerSpec) (*logHandler, error) {
	h := &logHandler{path: s.stringOption("filePath", 0), mode: 0600}
	if args, ok := s.option("mode"); ok && len(args) > 0 && args[0].I != 0 {
		h.mode = os.FileMode(args[0].I)
	}
	if h.mode.Perm()&0200 == 0 {
		return nil, fmt.Errorf("invalid file mode %v, must be user writable", h.mode)
	}
	if !filepath.IsAbs(h.path) {
		return nil, fmt.Errorf("log path must be absolute: %s is not absolute", h.path)
	}
	return h, nil
}

func (h *logHandler) deliver(ev *AlertEvent, body []byte) error {
	return h.deliverBatch([]queuedEvent{{ev: *ev, body: body}})
}

// deliverBatch appends the JSON lines of the events waiting together in
// one write. Kapacitor opens the file for each event; opening it for each
// batch keeps its behaviour (a moved or deleted log is created anew) with
// one open and one write per burst of events.
func (h *logHandler) deliverBatch(evs []queuedEvent) error {
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, h.mode)
	if err != nil {
		return fmt.Errorf("failed to open file for alert logging: %w", err)
	}
	defer f.Close()
	h.buf = h.buf[:0]
	for i := range evs {
		h.buf = append(append(h.buf, evs[i].body...), '\n')
	}
	_, err = f.Write(h.buf)
	return err
}

// ---- post ----

type postHandler struct {
	url      string
	urlTmpl  *text.Template
	endpoint string
	headers  [][2]string
	timeout  time.Duration
	capture  bool
	client   *http.Client
}

func newPostHandler(s *AlertHandlerSpec) (*postHandler, error) {
	h := &postHandler{url: s.stringOption("URL", 0), endpoint: s.stringOption("endpoint", -1), client: &http.Client{}}
	if h.url == "" && h.endpoint == "" {
		return nil, errors.New("Either URL or endpoint must be non-empty")
	}
	for _, o := range s.Options {
		switch strings.ToLower(o.Name) {
		case "header":
			if len(o.Args) == 2 {
				if strings.EqualFold(o.Args[0].S, "Authenticate") {
					return nil, errors.New("invalid post: cannot set 'authenticate' header")
				}
				h.headers = append(h.headers, [2]string{o.Args[0].S, o.Args[1].S})
			}
		case "timeout":
			if len(o.Args) == 1 {
				h.timeout = time.Duration(o.Args[0].I)
			}
		case "captureresponse":
			h.capture = true
		}
	}
	if strings.Contains(h.url, "{{") {
		t, err := text.New("url").Parse(h.url)
		if err != nil {
			return nil, err
		}
		h.urlTmpl = t
	}
	return h, nil
}

// postURLData is what a templated post URL sees (Kapacitor's alert.Data
// without the series).
type postURLData struct {
	ID, Message, Details string
	Time                 time.Time
	Duration             time.Duration
	Level                string
	PreviousLevel        string
	Recoverable          bool
}

func (h *postHandler) deliver(ev *AlertEvent, body []byte) error {
	url := h.url
	if url == "" {
		return fmt.Errorf("endpoint %q is not configured (tickc has no [[httppost]] configuration)", h.endpoint)
	}
	if h.urlTmpl != nil {
		var b bytes.Buffer
		err := h.urlTmpl.Execute(&b, postURLData{ID: ev.ID, Message: ev.Message, Details: ev.Details,
			Time: ev.Time, Duration: ev.Duration, Level: ev.Level.String(),
			PreviousLevel: ev.PreviousLevel.String(), Recoverable: ev.Recoverable})
		if err != nil {
			return err
		}
		url = b.String()
	}
	ctx := context.Background()
	if h.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(withNewline(body)))
	if err != nil {
		return fmt.Errorf("failed to create HTTP request: %w", err)
	}
	for _, kv := range h.headers {
		req.Header.Set(kv[0], kv[1])
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("failed to POST alert data: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg := "unknown error, use .captureResponse() to capture the HTTP response"
		if h.capture {
			b, _ := io.ReadAll(resp.Body)
			msg = string(b)
		}
		return fmt.Errorf("POST returned non 2xx status code %d: %s", resp.StatusCode, msg)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

// ---- tcp ----

type tcpHandler struct{ addr string }

// deliver opens a connection per event and writes the JSON line plus one
// more newline, as Kapacitor does.
func (h *tcpHandler) deliver(_ *AlertEvent, body []byte) error {
	conn, err := net.Dial("tcp", h.addr)
	if err != nil {
		return fmt.Errorf("tcp handler failed to connect to %s: %w", h.addr, err)
	}
	defer conn.Close()
	_, err = conn.Write(append(withNewline(body), '\n'))
	return err
}

// ---- exec ----

type execHandler struct{ argv []string }

// deliver runs the program with the event JSON line on stdin; the
// arguments are not templates.
func (h *execHandler) deliver(_ *AlertEvent, body []byte) error {
	cmd := exec.Command(h.argv[0], h.argv[1:]...)
	cmd.Stdin = bytes.NewReader(withNewline(body))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("exec command failed: %w (output: %s)", err, out)
	}
	return nil
}

// ---- everything else ----

// unsupportedHandler stands for a service handler tickc cannot deliver
// to yet; it says so once.
type unsupportedHandler struct {
	kind string
	told bool
}

func (h *unsupportedHandler) deliver(*AlertEvent, []byte) error {
	if h.told {
		return nil
	}
	h.told = true
	return fmt.Errorf("the %s handler is not supported yet; its events are not sent", h.kind)
}
