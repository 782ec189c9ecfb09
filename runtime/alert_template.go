package runtime

import (
	"bytes"
	"encoding/json"
	html "html/template"
	"strconv"
	"strings"
	text "text/template"
	"text/template/parse"
	"time"
)

// Default templates of an alert node (pipeline/alert.go).
const (
	DefaultAlertID      = "{{ .Name }}:{{ .Group }}"
	DefaultAlertMessage = "{{ .ID }} is {{ .Level }}"
	DefaultAlertDetails = "{{ json . }}"
)

// The template data, shaped as Kapacitor's so that templates, `{{ json . }}`
// and error messages see the same names: idInfo for the ID, messageInfo
// adds the event, detailsInfo adds the message.
type serverInfo struct {
	Hostname  string
	ClusterID string
	ServerID  string
}

type idInfo struct {
	Name       string
	TaskName   string
	Group      string // "nil" for the nil group
	Tags       map[string]string
	ServerInfo serverInfo
}

type messageInfo struct {
	idInfo
	ID       string
	Fields   map[string]any
	Level    string
	Time     time.Time
	Duration time.Duration
}

type detailsInfo struct {
	messageInfo
	Message string
}

// alertTemplates are the parsed id, message and details templates of a
// node. A template left at its default is rendered without text/template
// (same output, no reflection).
type alertTemplates struct {
	id, message    *text.Template // nil: the default
	idPlan         idPlan
	details        *html.Template
	defaultDetails bool
	server         serverInfo
	taskName       string
	buf            bytes.Buffer

	// The constant parts of the default details, as JSON and as they
	// are written inside the event JSON's "details" string.
	detailsLits, detailsLitsInEvent detailsLits
	scratch                         []byte
}

// detailsLits are the text of the default details between the values,
// with the task name and server identity filled in.
type detailsLits struct {
	name      string // {"Name":
	taskGroup string // ,"TaskName":"…","Group":
	tags      string // ,"Tags":
	serverID  string // ,"ServerInfo":{…},"ID":
	fields    string // ,"Fields":{
	level     string // },"Level":
	time      string // ,"Time":"
	duration  string // ","Duration":
	message   string // ,"Message":
	end       string // } and the encoder's newline
	null      string
}

func newDetailsLits(taskName string, s serverInfo) detailsLits {
	str := func(s string) string { return string(appendJSONString(nil, s)) }
	l := detailsLits{
		name:      `{"Name":`,
		taskGroup: `,"TaskName":` + str(taskName) + `,"Group":`,
		tags:      `,"Tags":`,
		serverID: `,"ServerInfo":{"Hostname":` + str(s.Hostname) + `,"ClusterID":` + str(s.ClusterID) +
			`,"ServerID":` + str(s.ServerID) + `},"ID":`,
		fields:   `,"Fields":{`,
		level:    `},"Level":`,
		time:     `,"Time":"`,
		duration: `","Duration":`,
		message:  `,"Message":`,
		end:      "}\n",
		null:     "null",
	}
	return l
}

// inEvent returns the literals as they are written inside the event
// JSON's "details" string.
func (l detailsLits) inEvent() detailsLits {
	esc := func(s string) string { return string(appendInJSONStringOfHTML(nil, []byte(s))) }
	return detailsLits{name: esc(l.name), taskGroup: esc(l.taskGroup), tags: esc(l.tags), serverID: esc(l.serverID),
		fields: esc(l.fields), level: esc(l.level), time: esc(l.time), duration: esc(l.duration),
		message: esc(l.message), end: esc(l.end), null: esc(l.null)}
}

func parseAlertTemplates(t *Task, idSrc, msgSrc, detailsSrc string) (*alertTemplates, error) {
	at := &alertTemplates{
		server:   serverInfo{Hostname: t.Server.Hostname, ClusterID: t.Server.ClusterID, ServerID: t.Server.ServerID},
		taskName: t.ID,
	}
	var err error
	at.idPlan = idPlan{memo: true} // the default reads the name and group only
	if !isDefaultTemplate(idSrc, DefaultAlertID) {
		if at.id, err = text.New("id").Parse(idSrc); err != nil {
			return nil, err
		}
		at.idPlan = planID(at.id)
	}
	if !isDefaultTemplate(msgSrc, DefaultAlertMessage) {
		if at.message, err = text.New("message").Parse(msgSrc); err != nil {
			return nil, err
		}
	}
	at.details, err = html.New("details").Funcs(html.FuncMap{"json": templateJSON}).Parse(detailsSrc)
	if err != nil {
		return nil, err
	}
	at.defaultDetails = detailsSrc == DefaultAlertDetails
	if at.defaultDetails {
		at.detailsLits = newDetailsLits(at.taskName, at.server)
		at.detailsLitsInEvent = at.detailsLits.inEvent()
	}
	return at, nil
}

// templateJSON is the details template's `json` function: the value
// encoded by encoding/json with its trailing newline, marked as JS so
// that html/template escapes it for HTML text (quotes become &#34;).
// Encoding errors leave the output empty, as in Kapacitor.
func templateJSON(v any) html.JS {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	return html.JS(b.String())
}

// groupString is the template's .Group: the group ID, "nil" when ungrouped.
func groupString(g GroupID) string {
	if g == NilGroup {
		return "nil"
	}
	return string(g)
}

// templateTime is the time templates see: in the process's local zone,
// as Kapacitor's points are (spec/pitfalls.md 5).
func templateTime(t time.Time) time.Time { return t.Local() }

func (at *alertTemplates) idData(name string, group GroupID, tags Tags) idInfo {
	return idInfo{
		Name:       name,
		TaskName:   at.taskName,
		Group:      groupString(group),
		Tags:       tags.Map(),
		ServerInfo: at.server,
	}
}

// renderID renders the event ID of a point or batch.
func (at *alertTemplates) renderID(name string, group GroupID, tags Tags) (string, error) {
	if at.id == nil {
		return name + ":" + groupString(group), nil
	}
	at.buf.Reset()
	if err := at.id.Execute(&at.buf, at.idData(name, group, tags)); err != nil {
		return "", err
	}
	return at.buf.String(), nil
}

// renderMessageAndDetails renders the message, then the details, of an
// event whose ID, level, time and duration are set. The default details
// are left for AppendJSON to render straight into the event JSON (see
// appendDefaultDetails): e.Details stays empty until someone asks
// (materializeDetails).
func (at *alertTemplates) renderMessageAndDetails(e *AlertEvent) error {
	if at.message == nil && at.defaultDetails {
		// Nothing runs a template: no template data.
		e.Message = e.ID + " is " + e.Level.String()
		e.Details, e.defaultDetails = "", at
		return nil
	}
	mi := messageInfo{
		idInfo:   idInfo{Name: e.Name, TaskName: at.taskName, Group: groupString(e.Group), ServerInfo: at.server},
		ID:       e.ID,
		Level:    e.Level.String(),
		Time:     templateTime(e.Time),
		Duration: e.Duration,
	}
	// A template will run: it sees tags and fields as maps.
	if !e.nilTags() {
		mi.Tags = e.Tags.Map()
	}
	mi.Fields = make(map[string]any, len(e.Fields))
	for _, f := range e.Fields {
		mi.Fields[f.Key] = f.Value.Interface()
	}
	var msg string
	if at.message == nil {
		msg = e.ID + " is " + mi.Level
	} else {
		at.buf.Reset()
		if err := at.message.Execute(&at.buf, mi); err != nil {
			return err
		}
		msg = at.buf.String()
	}
	e.Message = msg
	if at.defaultDetails {
		e.Details, e.defaultDetails = "", at
		return nil
	}
	at.buf.Reset()
	if err := at.details.Execute(&at.buf, detailsInfo{messageInfo: mi, Message: msg}); err != nil {
		return err
	}
	e.Details, e.defaultDetails = at.buf.String(), nil
	return nil
}

// appendDefaultDetails renders `{{ json . }}` for an event without
// reflection: the JSON encoding/json gives detailsInfo (fields in
// declaration order, map keys sorted, trailing newline). With inEvent it
// writes that text as it appears inside the event JSON's "details"
// string, html/template's escaping (which for JSON output only touches
// ", ' and +, the encoder having escaped <, > and &) under encoding/json's
// own, without first building the JSON. An encoding error renders
// nothing, as the json function ignores it. utc, if given, is the JSON of
// the event time in UTC.
func (at *alertTemplates) appendDefaultDetails(b []byte, e *AlertEvent, inEvent bool, utc []byte) []byte {
	l := &at.detailsLits
	if inEvent {
		l = &at.detailsLitsInEvent
	}
	start := len(b)
	b = append(b, l.name...)
	b = at.appendDetailsString(b, e.Name, inEvent)
	b = append(b, l.taskGroup...)
	b = at.appendDetailsString(b, groupString(e.Group), inEvent)
	b = append(b, l.tags...)
	if e.nilTags() {
		b = append(b, l.null...)
	} else {
		b = append(b, '{')
		for i, t := range e.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = at.appendDetailsString(b, t.Key, inEvent)
			b = append(b, ':')
			b = at.appendDetailsString(b, t.Value, inEvent)
		}
		b = append(b, '}')
	}
	b = append(b, l.serverID...)
	b = at.appendDetailsString(b, e.ID, inEvent)
	b = append(b, l.fields...)
	for i, f := range e.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = at.appendDetailsString(b, f.Key, inEvent)
		b = append(b, ':')
		if f.Value.Kind == KindString {
			b = at.appendDetailsString(b, f.Value.S, inEvent)
			continue
		}
		vstart := len(b)
		v, err := appendJSONValue(b, f.Value)
		if err != nil {
			return b[:start]
		}
		b = at.escapeDetailsTail(v, vstart, inEvent)
	}
	b = append(b, l.level...)
	b = at.appendDetailsString(b, e.Level.String(), inEvent)
	tm := templateTime(e.Time)
	if y := tm.Year(); y < 0 || y > 9999 {
		return b[:start] // time.Time refuses to marshal such a year
	}
	b = append(b, l.time...)
	if _, offset := tm.Zone(); offset == 0 && utc != nil {
		// The same text: RFC 3339 writes a zero offset as Z.
		b = append(b, utc[1:len(utc)-1]...)
	} else {
		tstart := len(b)
		b = tm.AppendFormat(b, time.RFC3339Nano)
		b = at.escapeDetailsTail(b, tstart, inEvent)
	}
	b = append(b, l.duration...)
	b = strconv.AppendInt(b, int64(e.Duration), 10)
	b = append(b, l.message...)
	b = at.appendDetailsString(b, e.Message, inEvent)
	return append(b, l.end...)
}

// appendDetailsString writes a string of the default details.
func (at *alertTemplates) appendDetailsString(b []byte, s string, inEvent bool) []byte {
	if !inEvent {
		return appendJSONString(b, s)
	}
	if safePrefix(s, &htmlJSONSafe) == len(s) {
		// Neither encoder changes s: only its quotes are escaped.
		b = append(b, `\u0026#34;`...)
		b = append(b, s...)
		return append(b, `\u0026#34;`...)
	}
	start := len(b)
	return at.escapeDetailsTail(appendJSONString(b, s), start, true)
}

// escapeDetailsTail escapes b[start:], JSON text of the default details,
// as it is written inside the event JSON (with inEvent).
func (at *alertTemplates) escapeDetailsTail(b []byte, start int, inEvent bool) []byte {
	if !inEvent || safePrefix(b[start:], &htmlJSONSafe) == len(b)-start {
		return b
	}
	at.scratch = append(at.scratch[:0], b[start:]...)
	return appendInJSONStringOfHTML(b[:start], at.scratch)
}

// htmlEscapeJSON applies html/template's text escaping to encoder output.
func htmlEscapeJSON(b []byte) string {
	n := 0
	for _, c := range b {
		if c == '"' || c == '\'' || c == '+' {
			n++
		}
	}
	if n == 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b)+4*n)
	for _, c := range b {
		switch c {
		case '"':
			out = append(out, "&#34;"...)
		case '\'':
			out = append(out, "&#39;"...)
		case '+':
			out = append(out, "&#43;"...)
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// isDefaultTemplate reports whether src is the default template, written
// with or without the spaces inside the braces (`{{.Name}}:{{.Group}}`
// takes the fast path too).
func isDefaultTemplate(src, def string) bool {
	return src == def || src == strings.NewReplacer("{{ ", "{{", " }}", "}}").Replace(def)
}

// idPlan says whether an ID template reads nothing but the name, task,
// group, server identity and literal tag keys (`index .Tags "host"`).
// Such an ID only changes when one of those does, so a group can keep
// its last ID and skip executing the template.
type idPlan struct {
	memo    bool
	tagKeys []string
}

func planID(t *text.Template) idPlan {
	if t.Tree == nil || t.Tree.Root == nil {
		return idPlan{}
	}
	plan := idPlan{memo: true}
	for _, node := range t.Tree.Root.Nodes {
		switch x := node.(type) {
		case *parse.TextNode, *parse.CommentNode:
		case *parse.ActionNode:
			if !plan.action(x.Pipe) {
				return idPlan{}
			}
		default:
			return idPlan{}
		}
	}
	return plan
}

// action accepts `.Name`, `.TaskName`, `.Group`, `.ServerInfo.X` and
// `index .Tags "key"`, alone in their action.
func (p *idPlan) action(pipe *parse.PipeNode) bool {
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) != 1 {
		return false
	}
	args := pipe.Cmds[0].Args
	if len(args) == 1 {
		f, ok := args[0].(*parse.FieldNode)
		if !ok {
			return false
		}
		switch {
		case len(f.Ident) == 1 && (f.Ident[0] == "Name" || f.Ident[0] == "TaskName" || f.Ident[0] == "Group"):
			return true
		case len(f.Ident) == 2 && f.Ident[0] == "ServerInfo":
			return f.Ident[1] == "Hostname" || f.Ident[1] == "ClusterID" || f.Ident[1] == "ServerID"
		}
		return false
	}
	if len(args) != 3 {
		return false
	}
	fn, ok1 := args[0].(*parse.IdentifierNode)
	tags, ok2 := args[1].(*parse.FieldNode)
	key, ok3 := args[2].(*parse.StringNode)
	if !ok1 || !ok2 || !ok3 || fn.Ident != "index" || len(tags.Ident) != 1 || tags.Ident[0] != "Tags" {
		return false
	}
	p.tagKeys = append(p.tagKeys, key.Text)
	return true
}

// appendDefaultID appends the default ID, name:group.
func appendDefaultID(b []byte, name string, gid GroupID) []byte {
	b = append(b, name...)
	b = append(b, ':')
	return append(b, groupString(gid)...)
}

// idMemo is the last ID a custom template rendered for a group and what
// the template read to render it.
type idMemo struct {
	id      string
	valid   bool // id holds while name and tagVals are unchanged
	name    string
	tagVals []string
}

// cachedID returns the group's last ID when the template allows it and
// the name and the tags it reads are unchanged.
func (at *alertTemplates) cachedID(g *alertGroup, name string, tags Tags) (string, bool) {
	if g.extra == nil || !g.extra.memo.valid || g.extra.memo.name != name {
		return "", false
	}
	m := &g.extra.memo
	for i, k := range at.idPlan.tagKeys {
		v, ok := tags.Get(k)
		if !ok || v != m.tagVals[i] {
			// A missing key: render it for real.
			return "", false
		}
	}
	return m.id, true
}

// rememberID stores an ID a custom template rendered in the group, with
// what the template read to render it.
func (at *alertTemplates) rememberID(g *alertGroup, name string, tags Tags, id string) {
	m := &g.extraState().memo
	m.id, m.valid = id, false
	if !at.idPlan.memo {
		return
	}
	m.valid, m.name = true, name
	m.tagVals = m.tagVals[:0]
	for _, k := range at.idPlan.tagKeys {
		v, ok := tags.Get(k)
		if !ok {
			m.valid = false
			return
		}
		m.tagVals = append(m.tagVals, v)
	}
}
