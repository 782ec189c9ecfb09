package stdlib

var allFuncs = []*Func{}
