package stdlib

// The alert node's own properties and its 24 handlers (spec/alerting.md
// §3 and §9). A handler method (`.slack()`) appends a handler and
// evaluates to a handler object: its Options, plus every alert property and
// handler method, with the options shadowing alert properties of the same
// name (after `.mqtt('t')`, `.topic('x')` is the MQTT topic).

// alertProperties returns the alert node's properties, handlers included.
// A fresh list per call, so alert and deadman do not share pointers.
func alertProperties() []*Property {
	own := []*Property{
		field("id", String, "'{{ .Name }}:{{ .Group }}'", "Template of the event ID."),
		field("message", String, "'{{ .ID }} is {{ .Level }}'", "Template of the event message."),
		field("details", String, "'{{ json . }}'", "HTML template of the event details."),
		field("info", Lambda, "", "Condition for the INFO level."),
		field("warn", Lambda, "", "Condition for the WARNING level."),
		field("crit", Lambda, "", "Condition for the CRITICAL level."),
		field("infoReset", Lambda, "", "Condition that must hold to leave INFO for a lower level."),
		field("warnReset", Lambda, "", "Condition that must hold to leave WARNING for a lower level."),
		field("critReset", Lambda, "", "Condition that must hold to leave CRITICAL for a lower level."),
		field("category", String, "''", "Category of the events, matched by other alerts' inhibit."),
		field("topic", String, "''", "Also publish the events to this named topic."),
		field("history", Int, "21", "Number of past levels kept per group for flap detection (at least 2)."),
		method("flapping", Replaces, "Suppress events while the group flaps; thresholds are fractions between 0 and 1.",
			p("low", Float), p("high", Float)),
		field("flapLow", Float, "0.0", "Low flapping threshold (flapping still needs .flapping())."),
		field("flapHigh", Float, "0.0", "High flapping threshold (flapping still needs .flapping())."),
		optional("stateChangesOnly", Replaces, "Send events only on level changes, or again after the optional interval.",
			p("maxInterval", Duration)),
		field("stateChangesOnlyDuration", Duration, "0s", "Resend an unchanged level after this long (with stateChangesOnly)."),
		flag("noRecoveries", "Never send OK events."),
		flag("all", "Batch data: the level is the lowest level over all points of the batch."),
		variadic("inhibit", Appends, "While this alert is not OK, suppress events of the category whose given tags are equal.",
			p("category", String), p("equalTags", String)),
		field("levelTag", String, "''", "Add the level as a tag of this name to the forwarded data."),
		field("levelField", String, "''", "Add the level as a field of this name to the forwarded data."),
		field("messageField", String, "''", "Add the message as a field of this name to the forwarded data."),
		field("durationField", String, "''", "Add the alert duration (int nanoseconds) as a field of this name."),
		field("idTag", String, "''", "Add the ID as a tag of this name to the forwarded data."),
		field("idField", String, "''", "Add the ID as a field of this name to the forwarded data."),
		quiet(),
	}
	return append(own, handlerProperties()...)
}

// handlerProperties returns one Method property per handler; its Params
// are the handler method's own (constructor) parameters.
func handlerProperties() []*Property {
	out := make([]*Property, 0, len(allHandlers))
	for _, h := range allHandlers {
		out = append(out, &Property{
			Name:     h.handler.Name,
			Kind:     Method,
			Params:   h.ctor,
			Variadic: h.variadic,
			Optional: h.optional,
			Repeat:   Appends,
			Doc:      h.handler.Doc,
			Handler:  h.handler,
		})
	}
	return out
}

// handlerSpec is a handler with the signature of the method that adds it.
type handlerSpec struct {
	handler  *Handler
	ctor     []Param
	variadic bool
	optional bool
}

// Handlers returns every alert handler kind, in catalogue order.
func Handlers() []*Handler {
	out := make([]*Handler, len(allHandlers))
	for i, h := range allHandlers {
		out[i] = h.handler
	}
	return out
}

// LookupHandler finds a handler by its method name, Kapacitor's way.
func LookupHandler(name string) *Handler {
	c := CanonicalName(name)
	for _, h := range allHandlers {
		if CanonicalName(h.handler.Name) == c {
			return h.handler
		}
	}
	return nil
}

// HandlerNames returns the handler method names, in catalogue order.
func HandlerNames() []string {
	out := make([]string, len(allHandlers))
	for i, h := range allHandlers {
		out[i] = h.handler.Name
	}
	return out
}

var allHandlers = []handlerSpec{
	{handler: &Handler{
		Name: "post", ConfigName: "httppost",
		Doc: "POST the event JSON to a URL or a configured [[httppost]] endpoint.",
		Options: []*Property{
			field("URL", String, "", "URL to post to; normally the method argument."),
			field("endpoint", String, "''", "Name of a configured [[httppost]] endpoint."),
			method("header", Keyed, "Add an HTTP header to each request ('Authenticate' is refused).", p("key", String), p("value", String)),
			flag("captureResponse", "Log the response body of failed requests."),
			field("timeout", Duration, "0s", "Request timeout; 0 means none."),
			flag("skipSSLVerification", "Skip TLS certificate verification (ignored by Kapacitor 1.5.9)."),
		},
	}, ctor: []Param{ctor("url", String, "URL")}, variadic: true, optional: true},

	{handler: &Handler{
		Name: "tcp",
		Doc:  "Send the event JSON over a new TCP connection per event.",
		Options: []*Property{
			field("address", String, "", "host:port to connect to; normally the method argument."),
		},
	}, ctor: []Param{ctor("address", String, "address")}},

	{handler: &Handler{
		Name: "email", ConfigName: "smtp",
		Doc: "Send an HTML e-mail with the message as subject and the details as body.",
		Options: []*Property{
			variadic("to", Appends, "Add recipients; without any, the configured ones are used.", p("addresses", String)),
		},
	}, ctor: []Param{ctor("to", String, "to")}, variadic: true},

	{handler: &Handler{
		Name: "exec",
		Doc:  "Run a program with the event JSON on its standard input.",
		Options: []*Property{
			internal("command", List, "Program and arguments, from the method arguments."),
		},
	}, ctor: []Param{ctor("executable", String, "command"), p("args", String)}, variadic: true},

	{handler: &Handler{
		Name: "log",
		Doc:  "Append the event JSON as a line to a file.",
		Options: []*Property{
			field("filePath", String, "", "Absolute path of the file; normally the method argument."),
			field("mode", Int, "0600", "File permissions when the file is created (write it in octal, e.g. 0644)."),
		},
	}, ctor: []Param{ctor("path", String, "filePath")}},

	{handler: &Handler{
		Name: "victorOps", ConfigName: "victorops",
		Doc: "Send the event to VictorOps.",
		Options: []*Property{
			field("routingKey", String, "''", "Routing key; empty uses the configured one."),
		},
	}},

	{handler: &Handler{
		Name: "pagerDuty", ConfigName: "pagerduty",
		Doc: "Trigger or resolve a PagerDuty (Events API v1) incident.",
		Options: []*Property{
			field("serviceKey", String, "''", "Service key; empty uses the configured one."),
		},
	}},

	{handler: &Handler{
		Name: "pagerDuty2", ConfigName: "pagerduty2",
		Doc: "Trigger or resolve a PagerDuty (Events API v2) alert.",
		Options: []*Property{
			field("routingKey", String, "''", "Routing key; empty uses the configured one."),
			method("serviceKey", Replaces, "Alias that sets the routing key.", p("serviceKey", String)),
			optional("link", Appends, "Add a link (href may be a template) with optional text.", p("href", String), p("text", String)),
		},
	}},

	{handler: &Handler{
		Name: "pushover", ConfigName: "pushover",
		Doc: "Send a Pushover notification with a priority derived from the level.",
		Options: []*Property{
			field("userKey", String, "''", "User key; empty uses the configured one."),
			field("device", String, "''", "Device to notify; empty notifies all."),
			field("title", String, "''", "Message title."),
			field("URL", String, "''", "Supplementary URL shown with the message."),
			field("URLTitle", String, "''", "Title of the supplementary URL."),
			field("sound", String, "''", "Notification sound."),
		},
	}},

	{handler: &Handler{
		Name: "sensu", ConfigName: "sensu",
		Doc: "Send a check result to Sensu.",
		Options: []*Property{
			field("source", String, "''", "Source of the check result."),
			variadic("handlers", Replaces, "Sensu handlers to use.", p("names", String)),
			method("metadata", Keyed, "Add a metadata entry to the check result.", p("key", String), p("value", scalarValue)),
		},
	}},

	{handler: &Handler{
		Name: "slack", ConfigName: "slack",
		Doc: "Post the message to a Slack channel.",
		Options: []*Property{
			field("workspace", String, "''", "Configured workspace; empty uses the default."),
			field("channel", String, "''", "Channel; empty uses the configured one."),
			field("username", String, "''", "Posting user name."),
			field("iconEmoji", String, "''", "Emoji used as the avatar."),
		},
	}},

	{handler: &Handler{
		Name: "discord", ConfigName: "discord",
		Doc: "Post the event to a Discord webhook as an embed.",
		Options: []*Property{
			field("workspace", String, "''", "Configured workspace; empty uses the default."),
			field("username", String, "''", "Posting user name."),
			field("avatarURL", String, "''", "URL of the avatar image."),
			field("embedTitle", String, "''", "Title of the embed."),
		},
	}},

	{handler: &Handler{
		Name: "bigPanda", ConfigName: "bigpanda",
		Doc: "Send the alert to BigPanda.",
		Options: []*Property{
			field("appKey", String, "''", "Application key; empty uses the configured one."),
			field("primaryProperty", String, "''", "Primary property used for incident correlation."),
			field("secondaryProperty", String, "''", "Secondary property used for incident correlation."),
		},
	}},

	{handler: &Handler{
		Name: "telegram", ConfigName: "telegram",
		Doc: "Send the message to a Telegram chat.",
		Options: []*Property{
			field("chatId", String, "''", "Chat ID; empty uses the configured one."),
			field("parseMode", String, "''", "Message parse mode: Markdown or HTML."),
			flag("disableWebPagePreview", "Disable link previews."),
			flag("disableNotification", "Send the message silently."),
		},
	}},

	{handler: &Handler{
		Name: "hipChat", ConfigName: "hipchat",
		Doc: "Send a HipChat room notification coloured by level.",
		Options: []*Property{
			field("room", String, "''", "Room; empty uses the configured one."),
			field("token", String, "''", "Access token; empty uses the configured one."),
		},
	}},

	{handler: &Handler{
		Name: "alerta", ConfigName: "alerta",
		Doc: "Send the alert to Alerta.",
		Options: []*Property{
			field("token", String, "''", "Authentication token; empty uses the configured one."),
			field("resource", String, "'{{ .Name }}'", "Template of the Alerta resource."),
			field("event", String, "'{{ .ID }}'", "Template of the Alerta event."),
			field("environment", String, "''", "Template of the Alerta environment."),
			field("group", String, "'{{ .Group }}'", "Template of the Alerta group."),
			field("value", String, "''", "Template of the Alerta value."),
			field("origin", String, "''", "Origin of the alert."),
			variadic("services", Replaces, "Affected services.", p("names", String)),
			variadic("correlated", Replaces, "Correlated events.", p("names", String)),
			field("timeout", Duration, "24h", "Alert timeout in Alerta."),
		},
	}},

	{handler: &Handler{
		Name: "opsGenie", ConfigName: "opsgenie",
		Doc: "Create or close an OpsGenie (API v1) alert.",
		Options: []*Property{
			variadic("teams", Replaces, "Teams to alert; empty uses the configured ones.", p("names", String)),
			variadic("recipients", Replaces, "Recipients to alert; empty uses the configured ones.", p("names", String)),
		},
	}},

	{handler: &Handler{
		Name: "opsGenie2", ConfigName: "opsgenie2",
		Doc: "Create or close an OpsGenie (API v2) alert.",
		Options: []*Property{
			variadic("teams", Replaces, "Teams to alert; empty uses the configured ones.", p("names", String)),
			variadic("recipients", Replaces, "Recipients to alert; empty uses the configured ones.", p("names", String)),
			method("recoveryAction", Replaces, "Action on recovery; empty uses the configured one.", p("action", String)),
			flag("details", "Send the details (ignored by Kapacitor 1.5.9); shadows the alert's details."),
		},
	}},

	{handler: &Handler{
		Name: "talk", ConfigName: "talk",
		Doc: "Post the event to a Talk webhook.",
	}},

	{handler: &Handler{
		Name: "mqtt", ConfigName: "mqtt",
		Doc: "Publish the message to an MQTT topic.",
		Options: []*Property{
			field("topic", String, "", "Topic template; normally the method argument. Shadows the alert's topic."),
			field("brokerName", String, "''", "Configured broker; empty uses the default."),
			field("qos", Int, "0", "Quality of service: 0, 1 or 2."),
			field("retained", Bool, "FALSE", "Ask the broker to retain the message."),
		},
	}, ctor: []Param{ctor("topic", String, "topic")}},

	{handler: &Handler{
		Name: "snmpTrap", ConfigName: "snmptrap",
		Doc: "Send an SNMP trap.",
		Options: []*Property{
			field("trapOid", String, "", "OID of the trap (required); normally the method argument."),
			method("data", Appends, "Add a varbind; type is c, i, n, s or t and value is a template.",
				p("oid", String), p("type", String), p("value", String)),
		},
	}, ctor: []Param{ctor("trapOid", String, "trapOid")}},

	{handler: &Handler{
		Name: "kafka", ConfigName: "kafka",
		Doc: "Write the event to a Kafka topic, keyed by ID.",
		Options: []*Property{
			field("cluster", String, "''", "Configured Kafka cluster."),
			field("kafkaTopic", String, "''", "Kafka topic to write to."),
			field("template", String, "''", "Template text of the message; empty writes the event JSON."),
		},
	}},

	{handler: &Handler{
		Name: "teams", ConfigName: "teams",
		Doc: "Post a card to a Microsoft Teams channel.",
		Options: []*Property{
			field("channelURL", String, "''", "Incoming webhook URL; empty uses the configured one."),
		},
	}},

	{handler: &Handler{
		Name: "serviceNow", ConfigName: "servicenow",
		Doc: "Send an event to ServiceNow.",
		Options: []*Property{
			field("URL", String, "''", "Events API URL; empty uses the configured one."),
			field("username", String, "''", "User name (ignored by Kapacitor 1.5.9; the configured one is used)."),
			field("password", String, "''", "Password (ignored by Kapacitor 1.5.9; the configured one is used)."),
			field("source", String, "''", "Event source."),
			field("node", String, "''", "Node (host) of the event."),
			field("type", String, "''", "Event type."),
			field("resource", String, "''", "Affected resource."),
			field("metricName", String, "''", "Metric name."),
			field("messageKey", String, "''", "Message key used for de-duplication."),
			method("additionalInfo", Keyed, "Add an entry to the additional information.", p("key", String), p("value", scalarValue)),
		},
	}},
}
