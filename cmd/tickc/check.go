package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/compiler/diag"
)

var varsFlag = &cli.StringFlag{
	Name:  "vars",
	Usage: "template var values, a JSON `FILE` in Kapacitor's vars shape",
}

var checkCommand = &cli.Command{
	Name:      "check",
	Usage:     "report every error and warning of the scripts, exit 1 on any error",
	ArgsUsage: "FILE...",
	Flags:     []cli.Flag{varsFlag},
	Action: func(c *cli.Context) error {
		if c.NArg() == 0 {
			return cli.Exit("check: no files given", 2)
		}
		opts, err := checkOptions(c)
		if err != nil {
			return err
		}
		failed := false
		for _, name := range c.Args().Slice() {
			res, src, err := compileFile(name, opts)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed = true
				continue
			}
			res.Diags.Print(os.Stderr, name, src)
			if res.Diags.HasErrors() {
				failed = true
			}
		}
		if failed {
			return cli.Exit("", 1)
		}
		return nil
	},
}

// checkOptions reads --vars when given.
func checkOptions(c *cli.Context) (check.Options, error) {
	var opts check.Options
	if path := c.String("vars"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return opts, cli.Exit(err.Error(), 2)
		}
		vars, err := check.VarsFromJSON(data)
		if err != nil {
			return opts, cli.Exit(fmt.Sprintf("%s: %v", path, err), 2)
		}
		opts.Vars = vars
	}
	return opts, nil
}

// compileFile reads and compiles one script.
func compileFile(name string, opts check.Options) (*compiler.Result, []byte, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	return compiler.Compile(name, src, opts), src, nil
}

// printErrors prints diagnostics and turns errors into exit status 1.
func printErrors(name string, src []byte, diags diag.List) error {
	diags.Print(os.Stderr, name, src)
	if diags.HasErrors() {
		return cli.Exit("", 1)
	}
	return nil
}
