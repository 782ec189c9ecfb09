package types

import (
	"testing"

	"github.com/tickc/tickc/compiler/diag"
)

func TestDoubleQuoteGotcha(t *testing.T) {
	for _, tc := range []struct {
		body string
		want string // the one warning, or "" for none
	}{
		{`"host" == "server1"`, `1:11: warning: "server1" is a field or tag reference, not a string: "host" == "server1" compares two fields; did you mean 'server1'?`},
		{`"cpu" == "cpu-total"`, `1:10: warning: "cpu-total" is a field or tag reference, not a string: "cpu" == "cpu-total" compares two fields; did you mean 'cpu-total'?`},
		{`"dc" != "eu"`, `1:9: warning: "eu" is a field or tag reference, not a string: "dc" != "eu" compares two fields; did you mean 'eu'?`},
		{`"status" == "ok"`, `1:13: warning: "ok" is a field or tag reference, not a string: "status" == "ok" compares two fields; did you mean 'ok'?`},
		{`"x" > 1 AND ("region" == "us-west")`, `1:26: warning: "us-west" is a field or tag reference, not a string: "region" == "us-west" compares two fields; did you mean 'us-west'?`},
		{`"addr" == "10.0.0.1"`, `1:11: warning: "10.0.0.1" is a field or tag reference, not a string: "addr" == "10.0.0.1" compares two fields; did you mean '10.0.0.1'?`},
		{`"owner" == "o'brien-x"`, `1:12: warning: "o'brien-x" is a field or tag reference, not a string: "owner" == "o'brien-x" compares two fields; did you mean 'o\'brien-x'?`},
		{`"result" != "success"`, `1:13: warning: "success" is a field or tag reference, not a string: "result" != "success" compares two fields; did you mean 'success'?`},
		{`"mode" == "OFF"`, `1:11: warning: "OFF" is a field or tag reference, not a string: "mode" == "OFF" compares two fields; did you mean 'OFF'?`},
		// Two real fields: quiet.
		{`"used" == "limit"`, ""},
		{`"value1" == "value2"`, ""},
		{`"rx-bytes" == "tx-bytes"`, ""},
		{`"used" < "limit"`, ""},
		{`"host" == "host"`, ""},
		{`"time" == "x1"`, ""},
		{`"host" == 'server1'`, ""},
		{`"host" =~ /server1/`, ""},
	} {
		var d diag.List
		DoubleQuoteGotcha(mustParse(t, tc.body), &d)
		got := ""
		if len(d) > 1 {
			t.Errorf("%s: %d warnings: %v", tc.body, len(d), d)
			continue
		}
		if len(d) == 1 {
			got = d[0].Error()
			if d[0].Code != "double-quote" || d[0].Severity != diag.Warning {
				t.Errorf("%s: code %q severity %v", tc.body, d[0].Code, d[0].Severity)
			}
		}
		if got != tc.want {
			t.Errorf("%s\n got: %s\nwant: %s", tc.body, got, tc.want)
		}
	}
	var d diag.List
	DoubleQuoteGotcha(nil, &d)
	if len(d) != 0 {
		t.Errorf("nil body: %v", d)
	}
}
