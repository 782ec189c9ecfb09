package codegen

import (
	"strings"
	"testing"
)

// TestFromWhereBySeries: a from node decides per series when its where
// predicates read only what a series fixes.
func TestFromWhereBySeries(t *testing.T) {
	tests := []struct{ script, want string }{
		{`stream|from().measurement('cpu')`, `WhereBySeries: true`},
		{`stream|from().where(lambda: "host" == 'a' AND "dc" =~ /^us/)`, `WhereBySeries: true, WhereRefs: []string{"dc", "host"}`},
		{`stream|from().where(lambda: "host" == 'a').where(lambda: "cpu" != 'total')`, `WhereRefs: []string{"cpu", "host"}`},
		{`stream|from().where(lambda: count() > 2)`, ""},
		{`stream|from().where(lambda: hour("time") > 2)`, ""},
		{`stream|from().where(lambda: sigma("v") > 2.0)`, ""},
	}
	for _, tt := range tests {
		got := emitNode(t, tt.script, "from1")
		switch {
		case tt.want == "" && strings.Contains(got, "WhereBySeries"):
			t.Errorf("%s: want no verdicts:\n%s", tt.script, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("%s:\n%s\nlacks %s", tt.script, got, tt.want)
		}
	}
}
