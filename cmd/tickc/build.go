package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/taskbuild"
)

var buildCommand = &cli.Command{
	Name:  "build",
	Usage: "compile a script into a static task binary (needs a Go toolchain; builds are cached)",
	Description: "The binary runs the task: `BINARY replay …` takes the flags of `tickc replay`.\n" +
		"Template vars (--vars) are compiled in. Binaries are cached under $TICKC_CACHE\n" +
		"(default: tickc/ in the user cache folder), so rebuilding an unchanged script is instant.",
	ArgsUsage: "FILE | --warm",
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "o", Usage: "write the binary to `PATH` (default: the task name, in the current folder)"},
		varsFlag,
		&cli.StringFlag{Name: "emit", Usage: "also write the generated Go package (main.go, go.mod) into `DIR`"},
		&cli.StringFlag{Name: "os", Usage: "target operating system (`GOOS`, default: this one)"},
		&cli.StringFlag{Name: "arch", Usage: "target architecture (`GOARCH`, default: this one)"},
		&cli.BoolFlag{Name: "v", Usage: "say whether the binary came from the cache, and how long the build took"},
		&cli.BoolFlag{Name: "warm", Usage: "build no task: compile the runtime into the Go build cache, so that first task builds are fast (CI runs this before the conformance suite)"},
	},
	Action: func(c *cli.Context) error {
		if c.Bool("warm") {
			return warmBuild(c)
		}
		if c.NArg() != 1 {
			return cli.Exit("build: give exactly one file", 2)
		}
		start := time.Now()
		name := c.Args().First()
		opts, err := checkOptions(c)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		task, err := generateTask(name, src, opts, true)
		if err != nil {
			return err
		}
		b := &taskbuild.Builder{}
		if dir := c.String("emit"); dir != "" {
			if err := b.Emit(dir, task.Source); err != nil {
				return cli.Exit(fmt.Sprintf("build: --emit: %v", err), 1)
			}
		}
		target := taskbuild.Target{GOOS: c.String("os"), GOARCH: c.String("arch")}
		bin, err := b.Build(builderContext(c), task.Source, target)
		if err != nil {
			return buildFailure(err)
		}
		out := c.String("o")
		if out == "" {
			out = task.Name
			if target.GOOS == "windows" {
				out += ".exe"
			}
		}
		if err := taskbuild.Install(bin, out); err != nil {
			return cli.Exit(err.Error(), 1)
		}
		if c.Bool("v") {
			how := "built"
			if bin.Cached {
				how = "from the cache"
			}
			fmt.Fprintf(os.Stderr, "%s: %s (%s) in %v\n", out, how, bin.Key[:12], time.Since(start).Round(time.Millisecond))
		}
		return nil
	},
}

// warmBuild is `tickc build --warm`.
func warmBuild(c *cli.Context) error {
	if c.NArg() != 0 {
		return cli.Exit("build: --warm takes no file", 2)
	}
	start := time.Now()
	target := taskbuild.Target{GOOS: c.String("os"), GOARCH: c.String("arch")}
	bin, err := (&taskbuild.Builder{}).Warm(builderContext(c), target)
	if err != nil {
		return buildFailure(err)
	}
	if c.Bool("v") {
		how := "compiled"
		if bin.Cached {
			how = "already compiled"
		}
		fmt.Fprintf(os.Stderr, "runtime %s in %v\n", how, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// generateTask compiles and generates a task, printing the diagnostics of
// a script with errors like `tickc check` (with warnings when
// showWarnings) and turning them into exit status 1.
func generateTask(name string, src []byte, opts check.Options, showWarnings bool) (*taskbuild.Task, error) {
	task, err := taskbuild.Generate(name, src, opts)
	var ce *taskbuild.CompileError
	switch {
	case errors.As(err, &ce):
		return nil, printErrors(name, src, ce.Diags)
	case err != nil:
		return nil, cli.Exit(err.Error(), 1)
	}
	if showWarnings {
		task.Diags.Print(os.Stderr, name, src)
	}
	return task, nil
}

// buildFailure turns a builder error into the command's exit.
func buildFailure(err error) error {
	var be *taskbuild.BuildError
	if errors.As(err, &be) {
		return cli.Exit("build: the generated Go code does not compile; this is a bug in tickc, please report it.\n"+be.Error(), 1)
	}
	return cli.Exit("build: "+err.Error(), 1)
}

// builderContext is the command's context, never nil.
func builderContext(c *cli.Context) context.Context {
	if c.Context != nil {
		return c.Context
	}
	return context.Background()
}
