package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/tickc/tickc/compiler/format"
)

var fmtCommand = &cli.Command{
	Name:      "fmt",
	Usage:     "print the scripts in the canonical layout (-w: rewrite them in place)",
	ArgsUsage: "FILE...",
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "w", Usage: "write the result back to the file instead of printing it"},
	},
	Action: func(c *cli.Context) error {
		if c.NArg() == 0 {
			return cli.Exit("fmt: no files given", 2)
		}
		failed := false
		for _, name := range c.Args().Slice() {
			src, err := os.ReadFile(name)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed = true
				continue
			}
			out, diags := format.Format(name, src)
			if diags.HasErrors() {
				diags.Errors().Print(os.Stderr, name, src)
				failed = true
				continue
			}
			if !c.Bool("w") {
				os.Stdout.Write(out)
				continue
			}
			if bytes.Equal(out, src) {
				continue
			}
			if err := writeFileKeepMode(name, out); err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed = true
			}
		}
		if failed {
			return cli.Exit("", 1)
		}
		return nil
	},
}

// writeFileKeepMode replaces name's content through a temporary file and a
// rename, so an interrupted write never leaves a half-written script.
func writeFileKeepMode(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dirOf(name), ".tickc-fmt-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

func dirOf(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[:i+1]
		}
	}
	return "."
}
