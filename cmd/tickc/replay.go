package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/taskbuild"
)

// replayOptions are the flags of the engine contract (conformance
// FORMAT.md) plus the script.
type replayOptions struct {
	Dbrps      []string
	Recordings []string
	Precision  string
	ClockZero  string
	Duration   string
	Vars       string // vars.json, compiled into the binary
	Capture    bool
	Out        string // result.json; stdout when empty
	Script     string
}

// binaryArgs are the arguments of the task binary's own replay command:
// the same flags, without --vars (already compiled in) and the script.
func (o *replayOptions) binaryArgs() []string {
	args := []string{"replay"}
	for _, d := range o.Dbrps {
		args = append(args, "--dbrp", d)
	}
	for _, r := range o.Recordings {
		args = append(args, "--recording", r)
	}
	for _, f := range []struct{ name, value string }{
		{"--precision", o.Precision},
		{"--clock-zero", o.ClockZero},
		{"--duration", o.Duration},
	} {
		if f.value != "" {
			args = append(args, f.name, f.value)
		}
	}
	if o.Capture {
		args = append(args, "--capture")
	}
	if o.Out != "" {
		args = append(args, "--out", o.Out)
	}
	return args
}

// repeated is a flag that may be given many times; unlike urfave's
// slice flags it does not split values at commas (file names may hold
// them).
type repeated struct{ values []string }

func (r *repeated) Set(v string) error { r.values = append(r.values, v); return nil }
func (r *repeated) String() string     { return strings.Join(r.values, " ") }

var replayCommand = &cli.Command{
	Name:  "replay",
	Usage: "build the task and replay recordings through it, capturing what it outputs (the conformance engine contract)",
	Description: "tickc replay --dbrp DB.RP … --recording FILE … --precision s --clock-zero T --duration D\n" +
		"    [--vars vars.json] --capture --out result.json task.tick\n\n" +
		"The task is built like `tickc build` (cached by content) and its binary's replay command\n" +
		"runs with the same flags. A script that does not compile still gives a result.json, with\n" +
		"`error` set, and exit status 0.",
	ArgsUsage: "FILE",
	Flags: []cli.Flag{
		&cli.GenericFlag{Name: "dbrp", Value: &repeated{}, Usage: "a `DB.RP` the task reads (repeatable)"},
		&cli.GenericFlag{Name: "recording", Value: &repeated{}, Usage: "an input recording `FILE`, .srpl or .brpl (repeatable, in query order)"},
		&cli.StringFlag{Name: "precision", Usage: "`UNIT` of the stream recording's timestamps: s, ms, u, ns, m, h"},
		&cli.StringFlag{Name: "clock-zero", Usage: "RFC 3339 `TIME` the first record is rebased to"},
		&cli.StringFlag{Name: "duration", Usage: "replay input up to clock-zero + `DURATION`"},
		varsFlag,
		&cli.BoolFlag{Name: "capture", Usage: "record what outputs and alert handlers would send instead of sending it"},
		&cli.StringFlag{Name: "out", Usage: "write the result JSON to `FILE` (default: stdout)"},
	},
	Action: func(c *cli.Context) error {
		if c.NArg() != 1 {
			return cli.Exit("replay: give exactly one script, after the flags", 2)
		}
		o := &replayOptions{
			Dbrps:      c.Generic("dbrp").(*repeated).values,
			Recordings: c.Generic("recording").(*repeated).values,
			Precision:  c.String("precision"),
			ClockZero:  c.String("clock-zero"),
			Duration:   c.String("duration"),
			Vars:       c.String("vars"),
			Capture:    c.Bool("capture"),
			Out:        c.String("out"),
			Script:     c.Args().First(),
		}
		code, err := runReplay(builderContext(c), o, &taskbuild.Builder{}, os.Stdout, os.Stderr)
		if err != nil {
			return cli.Exit("replay: "+err.Error(), 1)
		}
		if code != 0 {
			return cli.Exit("", code)
		}
		return nil
	},
}

// runReplay builds the task and runs its binary's replay command, which
// writes the result. A task that cannot be created (a script or vars the
// front end rejects) gets a result with only `error` set, written here.
// It returns the binary's exit status; err is tickc's own failure
// (unreadable script, code generation, go build).
func runReplay(ctx context.Context, o *replayOptions, b *taskbuild.Builder, stdout, stderr io.Writer) (int, error) {
	src, err := os.ReadFile(o.Script)
	if err != nil {
		return 0, err
	}
	var opts check.Options
	if o.Vars != "" {
		data, err := os.ReadFile(o.Vars)
		if err != nil {
			return 0, err
		}
		if opts.Vars, err = check.VarsFromJSON(data); err != nil {
			return 0, writeTaskError(o, stdout, fmt.Sprintf("%s: %v", o.Vars, err))
		}
	}
	task, err := taskbuild.Generate(o.Script, src, opts)
	var ce *taskbuild.CompileError
	switch {
	case errors.As(err, &ce):
		ce.Diags.Errors().Print(stderr, o.Script, src)
		return 0, writeTaskError(o, stdout, ce.Error())
	case err != nil:
		return 0, err
	}
	bin, err := b.Build(ctx, task.Source, taskbuild.Target{})
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, bin.Path, o.binaryArgs()...)
	cmd.Stdin = os.Stdin
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.Exited() {
		return ee.ExitCode(), nil
	}
	return 0, err
}

// taskErrorResult is result.json for a task that could not be created:
// every key present (FORMAT.md), nothing captured.
type taskErrorResult struct {
	HTTPOut     map[string]any `json:"httpOut"`
	Alerts      []any          `json:"alerts"`
	HTTPPost    []any          `json:"httpPost"`
	InfluxDBOut []any          `json:"influxdbOut"`
	Error       string         `json:"error"`
}

func writeTaskError(o *replayOptions, stdout io.Writer, msg string) error {
	res := taskErrorResult{HTTPOut: map[string]any{}, Alerts: []any{}, HTTPPost: []any{}, InfluxDBOut: []any{}, Error: msg}
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if o.Out == "" {
		_, err = stdout.Write(data)
		return err
	}
	return os.WriteFile(o.Out, data, 0o644)
}
