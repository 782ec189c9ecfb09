package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
)

var dotCommand = &cli.Command{
	Name:      "dot",
	Usage:     "print the task's pipeline as a graphviz DOT graph, nodes named as Kapacitor names them",
	ArgsUsage: "FILE",
	Flags:     []cli.Flag{varsFlag},
	Action: func(c *cli.Context) error {
		if c.NArg() != 1 {
			return cli.Exit("dot: give exactly one file", 2)
		}
		opts, err := checkOptions(c)
		if err != nil {
			return err
		}
		name := c.Args().First()
		res, src, err := compileFile(name, opts)
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		if err := printErrors(name, src, res.Diags.Errors()); err != nil {
			return err
		}
		dot := res.Pipeline.Dot(taskName(name))
		if !strings.HasSuffix(dot, "\n") {
			dot += "\n"
		}
		os.Stdout.WriteString(dot)
		return nil
	},
}

// taskName is the task ID Kapacitor would use: the file name without its
// extension.
func taskName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}
