package codegen

// Emitters of the output nodes (runtime/nodes_out.go): httpPost,
// influxDBOut and kapacitorLoopback.

import (
	"sort"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

func init() {
	register("httpPost", emitHTTPPost)
	register("influxDBOut", emitInfluxDBOut)
	register("kapacitorLoopback", emitKapacitorLoopback)
}

func emitHTTPPost(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	// The URL is the constructor argument (or an explicit .URLs()).
	urls := valueStrings(n.Args)
	if p := n.Prop("URLs"); p != nil {
		urls = valueStrings(flattenLists(p.Args))
	}
	if len(urls) > 0 {
		c.set("URL", jen.Lit(urls[0]))
	}
	if e := appended(n, "endpoint"); len(e) > 0 {
		c.set("Endpoint", jen.Lit(e[0]))
	}
	if hs := keyedPairs(n.PropAll("header")); hs != nil {
		c.set("Headers", hs)
	}
	c.propString(n, "codeField", "CodeField", "")
	c.flag(n, "captureResponse", "CaptureResponse")
	c.propDuration(n, "timeout", "Timeout")
	c.quiet(n)
	return c.ctor(g, n, "NewHTTPPost", "HTTPPostConfig"), nil
}

func emitInfluxDBOut(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.propString(n, "cluster", "Cluster", "")
	c.propString(n, "database", "Database", "")
	c.propString(n, "retentionPolicy", "RetentionPolicy", "")
	c.propString(n, "measurement", "Measurement", "")
	c.propString(n, "writeConsistency", "WriteConsistency", "")
	c.propString(n, "precision", "Precision", "")
	c.propInt(n, "buffer", "Buffer")
	c.propDuration(n, "flushInterval", "FlushInterval")
	if tags := staticTags(n); tags != nil {
		c.set("Tags", tags)
	}
	c.flag(n, "create", "Create")
	c.quiet(n)
	return c.ctor(g, n, "NewInfluxDBOut", "InfluxDBOutConfig"), nil
}

func emitKapacitorLoopback(g *Gen, n *ir.Node) (jen.Code, error) {
	var c config
	c.propString(n, "database", "Database", "")
	c.propString(n, "retentionPolicy", "RetentionPolicy", "")
	c.propString(n, "measurement", "Measurement", "")
	if tags := staticTags(n); tags != nil {
		c.set("Tags", tags)
	}
	c.quiet(n)
	return c.ctor(g, n, "NewKapacitorLoopback", "KapacitorLoopbackConfig"), nil
}

// flattenLists expands list values into their items.
func flattenLists(vs []ir.Value) []ir.Value {
	var out []ir.Value
	for _, v := range vs {
		if v.Type == stdlib.List {
			out = append(out, flattenLists(v.List)...)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// keyedPairs is a [][2]string literal of a keyed property's settings
// (last setting of each key wins, in order of first setting); nil when
// never set.
func keyedPairs(sets []*ir.PropSet) jen.Code {
	keys := keyedOrder(sets)
	if len(keys) == 0 {
		return nil
	}
	items := make([]jen.Code, len(keys))
	for i, k := range keys {
		items[i] = jen.Values(jen.Lit(k), jen.Lit(lastKeyed(sets, k).Arg(1).Str))
	}
	return jen.Index().Index(jen.Lit(2)).String().Values(items...)
}

// staticTags is an rt.Tags literal of the .tag(key, value) settings,
// sorted by key as Tags must be; nil when never set.
func staticTags(n *ir.Node) jen.Code {
	sets := n.PropAll("tag")
	keys := keyedOrder(sets)
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	items := make([]jen.Code, len(keys))
	for i, k := range keys {
		items[i] = jen.Values(jen.Id("Key").Op(":").Lit(k), jen.Id("Value").Op(":").Lit(lastKeyed(sets, k).Arg(1).Str))
	}
	return rt("Tags").Values(items...)
}
