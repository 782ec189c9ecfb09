package stdlib

// Small constructors that keep the catalogue data in nodes.go and
// handlers.go readable. They only build values; nothing here is exported.

// p is a parameter.
func p(name string, t Type) Param { return Param{Name: name, Type: t} }

// ctor is a constructor parameter that initialises the property `sets`.
func ctor(name string, t Type, sets string) Param { return Param{Name: name, Type: t, Sets: sets} }

// field is a property set directly: one argument of exactly type t; a
// second call replaces the value.
func field(name string, t Type, def, doc string) *Property {
	return &Property{Name: name, Kind: Field, Params: []Param{p(name, t)}, Repeat: Replaces, Default: def, Doc: doc}
}

// internal is exported plumbing: settable in Kapacitor, rejected by tickc.
func internal(name string, t Type, doc string) *Property {
	f := field(name, t, "", doc)
	f.Internal = true
	return f
}

// flag is a property method without arguments that switches something on.
func flag(name, doc string) *Property {
	return &Property{Name: name, Kind: Method, Repeat: Flag, Doc: doc}
}

// method is a property method with a fixed parameter list.
func method(name string, rep Repeat, doc string, params ...Param) *Property {
	return &Property{Name: name, Kind: Method, Params: params, Repeat: rep, Doc: doc}
}

// variadic is a property method whose last parameter repeats.
func variadic(name string, rep Repeat, doc string, params ...Param) *Property {
	m := method(name, rep, doc, params...)
	m.Variadic = true
	return m
}

// optional is a property method whose last parameter may be omitted
// (declared variadic by Kapacitor, only the first value is used).
func optional(name string, rep Repeat, doc string, params ...Param) *Property {
	m := variadic(name, rep, doc, params...)
	m.Optional = true
	return m
}

// withDefault sets the documented default of a method property.
func withDefault(prop *Property, def string) *Property {
	prop.Default = def
	return prop
}

// props joins property lists; shared lists (quiet, InfluxQL, alert) are
// appended to each kind that has them.
func props(lists ...[]*Property) []*Property {
	var out []*Property
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
