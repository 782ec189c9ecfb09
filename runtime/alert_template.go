package runtime

import (
	"bytes"
	"encoding/json"
	html "html/template"
	"strings"
	text "text/template"
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
	details        *html.Template
	defaultDetails bool
	server         serverInfo
	taskName       string
	buf            bytes.Buffer
}

func parseAlertTemplates(t *Task, idSrc, msgSrc, detailsSrc string) (*alertTemplates, error) {
	at := &alertTemplates{
		server:   serverInfo{Hostname: t.Server.Hostname, ClusterID: t.Server.ClusterID, ServerID: t.Server.ServerID},
		taskName: t.ID,
	}
	var err error
	if !isDefaultTemplate(idSrc, DefaultAlertID) {
		if at.id, err = text.New("id").Parse(idSrc); err != nil {
			return nil, err
		}
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
// event whose ID, level, time and duration are set.
func (at *alertTemplates) renderMessageAndDetails(e *AlertEvent) (string, string, error) {
	fields := make(map[string]any, len(e.Fields))
	for _, f := range e.Fields {
		fields[f.Key] = f.Value.Interface()
	}
	mi := messageInfo{
		idInfo:   at.idData(e.Name, e.Group, e.Tags),
		ID:       e.ID,
		Fields:   fields,
		Level:    e.Level.String(),
		Time:     templateTime(e.Time),
		Duration: e.Duration,
	}
	var msg string
	if at.message == nil {
		msg = e.ID + " is " + mi.Level
	} else {
		at.buf.Reset()
		if err := at.message.Execute(&at.buf, mi); err != nil {
			return "", "", err
		}
		msg = at.buf.String()
	}
	at.buf.Reset()
	if err := at.details.Execute(&at.buf, detailsInfo{messageInfo: mi, Message: msg}); err != nil {
		return "", "", err
	}
	return msg, at.buf.String(), nil
}

// isDefaultTemplate reports whether src is the default template, written
// with or without the spaces inside the braces (`{{.Name}}:{{.Group}}`
// takes the fast path too).
func isDefaultTemplate(src, def string) bool {
	return src == def || src == strings.NewReplacer("{{ ", "{{", " }}", "}}").Replace(def)
}
