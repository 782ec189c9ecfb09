package taskbuild

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tickc/tickc/codegen"
	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/compiler/diag"
)

// Task is a script compiled into the Go source of its binary.
type Task struct {
	Name   string    // task ID: the file name without its extension
	Source []byte    // the generated main package
	Diags  diag.List // warnings of the front end (no errors)
}

// CompileError is a script the front end rejects; Diags holds every
// diagnostic (errors and warnings), sorted.
type CompileError struct {
	File  string
	Diags diag.List
}

func (e *CompileError) Error() string {
	errs := e.Diags.Errors()
	if len(errs) == 0 {
		return e.File + ": the script could not be checked"
	}
	msg := fmt.Sprintf("%s:%s", e.File, errs[0].Error())
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	return msg
}

// TaskName is the task ID Kapacitor gives a script file: its base name
// without the extension.
func TaskName(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Generate compiles a script (src, read from file) with opts and returns
// the generated main package. A script with errors gives a *CompileError;
// a script the code generator cannot handle yet gives its error.
func Generate(file string, src []byte, opts check.Options) (*Task, error) {
	res := compiler.Compile(file, src, opts)
	if !res.OK() {
		return nil, &CompileError{File: file, Diags: res.Diags}
	}
	name := TaskName(file)
	out, err := codegen.Generate(res.Pipeline, codegen.Options{TaskName: name})
	if err != nil {
		return nil, fmt.Errorf("%s: generating Go code: %w", file, err)
	}
	return &Task{Name: name, Source: out, Diags: res.Diags}, nil
}
