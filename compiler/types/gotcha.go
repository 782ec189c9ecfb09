package types

import (
	"strings"
	"unicode"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
)

// DoubleQuoteGotcha reports, as warnings (code "double-quote"), equality
// comparisons whose left side is a tag-like reference and whose right side
// is a double-quoted reference that looks like a literal value, where a
// single-quoted string was almost surely meant: `"host" == "server1"`
// compares two fields and is false (or fails) for every point.
func DoubleQuoteGotcha(body ast.Expr, diags *diag.List) {
	if body == nil {
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || (b.Op != ast.OpEq && b.Op != ast.OpNeq) {
			return true
		}
		l, lok := unparen(b.X).(*ast.Reference)
		r, rok := unparen(b.Y).(*ast.Reference)
		if lok && rok && l.Name != TimeRef && r.Name != TimeRef && l.Name != r.Name &&
			looksLikeValue(l.Name, r.Name) {
			diags.Warnf(r, CodeDoubleQuote,
				"%s is a field or tag reference, not a string: %s %v %s compares two fields; did you mean '%s'?",
				r.Raw, l.Raw, b.Op, r.Raw, strings.ReplaceAll(r.Name, "'", `\'`))
		}
		return true
	})
}

// commonTags are tag and field names whose values are usually compared
// with strings.
var commonTags = toSet(
	"host", "hostname", "server", "node", "pod", "cpu", "region", "dc",
	"datacenter", "env", "environment", "service", "app", "application",
	"status", "state", "result", "device", "path", "url", "name", "type",
	"role", "cluster", "instance", "job", "interface", "container_name",
	"namespace", "level", "zone", "team", "method", "protocol", "os", "version",
	"source", "target", "user",
)

// valueWords are words that are far more often a value than a field name.
var valueWords = toSet(
	"ok", "success", "successful", "failure", "failed", "fail", "error", "up",
	"down", "on", "off", "true", "false", "yes", "no", "active", "inactive",
	"running", "stopped", "enabled", "disabled", "critical", "warning", "warn",
	"info", "pass", "passed", "none", "null", "unknown", "healthy", "unhealthy",
	"open", "closed", "pending", "get", "post", "put", "delete", "prod",
	"production", "staging", "dev", "test", "localhost",
)

func toSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// looksLikeValue guesses whether the right reference of `"left" == "right"`
// is really a value. It is when the left side is a well-known tag, the
// right side a word typical of values (`"result" != "success"`), or when
// the right side has a trait of values that the left side, a real name,
// lacks: characters unusual in field names (`cpu-total`, `web 01`,
// `10.0.0.1`), or a leading or trailing digit (`server1`, `2xx`). Comparing
// the two sides keeps `"value1" == "value2"` quiet.
func looksLikeValue(left, right string) bool {
	if commonTags[strings.ToLower(left)] || valueWords[strings.ToLower(right)] || right == "" {
		return true
	}
	return valueTraits(right)&^valueTraits(left) != 0
}

const (
	oddChars = 1 << iota
	digitEdge
)

func valueTraits(s string) int {
	t := 0
	if strings.ContainsAny(s, " -.:/@*") {
		t |= oddChars
	}
	if s != "" && (unicode.IsDigit(rune(s[0])) || unicode.IsDigit(rune(s[len(s)-1]))) {
		t |= digitEdge
	}
	return t
}
