// Command tickc compiles Kapacitor TICKscripts: it checks them, formats
// them, draws their pipelines and (later) builds them into task binaries.
// This file only wires the subcommands to the compiler packages.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

func main() {
	app := &cli.App{
		Name:  "tickc",
		Usage: "a compiler toolchain for Kapacitor TICKscripts",
		Commands: []*cli.Command{
			checkCommand,
			fmtCommand,
			dotCommand,
			buildCommand,
			replayCommand,
		},
		// Errors are printed by the commands themselves; exitError carries
		// only the status.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	if err := app.Run(os.Args); err != nil {
		if e, ok := err.(cli.ExitCoder); ok {
			if msg := e.Error(); msg != "" {
				fmt.Fprintln(os.Stderr, "tickc:", msg)
			}
			os.Exit(e.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "tickc:", err)
		os.Exit(2)
	}
}
