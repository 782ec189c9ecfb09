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
	detailsJSON    []byte // the default details of the last event
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
// are left as the JSON before html/template's escaping, in
// e.detailsJSON (valid until the next event), for AppendJSON to escape
// as it writes them: e.Details stays empty until someone asks
// (materializeDetails).
func (at *alertTemplates) renderMessageAndDetails(e *AlertEvent) error {
	mi := messageInfo{
		idInfo:   idInfo{Name: e.Name, TaskName: at.taskName, Group: groupString(e.Group), ServerInfo: at.server},
		ID:       e.ID,
		Level:    e.Level.String(),
		Time:     templateTime(e.Time),
		Duration: e.Duration,
	}
	if at.message != nil || !at.defaultDetails {
		// A template will run: it sees tags and fields as maps.
		if !e.nilTags() {
			mi.Tags = e.Tags.Map()
		}
		mi.Fields = make(map[string]any, len(e.Fields))
		for _, f := range e.Fields {
			mi.Fields[f.Key] = f.Value.Interface()
		}
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
		at.detailsJSON = appendDefaultDetails(at.detailsJSON[:0], &mi, msg, e.Tags, e.nilTags(), e.Fields)
		e.Details, e.detailsJSON = "", at.detailsJSON
		return nil
	}
	at.buf.Reset()
	if err := at.details.Execute(&at.buf, detailsInfo{messageInfo: mi, Message: msg}); err != nil {
		return err
	}
	e.Details, e.detailsJSON = at.buf.String(), nil
	return nil
}

// defaultDetails renders `{{ json . }}` without reflection: the JSON
// encoding/json gives detailsInfo (fields in declaration order, map keys
// sorted, trailing newline), then html/template's escaping of that text,
// which for JSON output only touches ", ' and + (the encoder already
// escaped <, > and &). An encoding error renders nothing, as the json
// function ignores it.
func defaultDetails(mi *messageInfo, msg string, tags Tags, nilTags bool, fields Fields) string {
	return htmlEscapeJSON(appendDefaultDetails(nil, mi, msg, tags, nilTags, fields))
}

// appendDefaultDetails appends the JSON of the default details before
// html/template's escaping; nothing on an encoding error.
func appendDefaultDetails(b []byte, mi *messageInfo, msg string, tags Tags, nilTags bool, fields Fields) []byte {
	start := len(b)
	b = append(b, `{"Name":`...)
	b = appendJSONString(b, mi.Name)
	b = append(b, `,"TaskName":`...)
	b = appendJSONString(b, mi.TaskName)
	b = append(b, `,"Group":`...)
	b = appendJSONString(b, mi.Group)
	b = append(b, `,"Tags":`...)
	if nilTags {
		b = append(b, "null"...)
	} else {
		b = appendTagsObject(b, tags)
	}
	b = append(b, `,"ServerInfo":{"Hostname":`...)
	b = appendJSONString(b, mi.ServerInfo.Hostname)
	b = append(b, `,"ClusterID":`...)
	b = appendJSONString(b, mi.ServerInfo.ClusterID)
	b = append(b, `,"ServerID":`...)
	b = appendJSONString(b, mi.ServerInfo.ServerID)
	b = append(b, `},"ID":`...)
	b = appendJSONString(b, mi.ID)
	b = append(b, `,"Fields":{`...)
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, f.Key)
		b = append(b, ':')
		v, err := appendJSONValue(b, f.Value)
		if err != nil {
			return b[:start]
		}
		b = v
	}
	b = append(b, `},"Level":`...)
	b = appendJSONString(b, mi.Level)
	if y := mi.Time.Year(); y < 0 || y > 9999 {
		return b[:start] // time.Time refuses to marshal such a year
	}
	b = append(b, `,"Time":"`...)
	b = mi.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","Duration":`...)
	b = strconv.AppendInt(b, int64(mi.Duration), 10)
	b = append(b, `,"Message":`...)
	b = appendJSONString(b, msg)
	return append(b, "}\n"...)
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
