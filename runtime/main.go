package runtime

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"
)

// Main is the command line of a task binary. Subcommands:
//
//	replay   run the task over recordings and write result.json
//	         (the engine contract of conformance/FORMAT.md)
//
// A `serve` subcommand (the HTTP API of one task) is to come.
//
// For profiling, TICKC_CPUPROFILE=file writes a CPU profile of the run and
// TICKC_MEMPROFILE=file a heap profile (allocations) at its end,
// TICKC_TRACE=file an execution trace (go tool trace: where cores idle);
// TICKC_PARSERS=n sets the number of goroutines parsing a stream
// recording (default: one per core but one, at least one).
func Main(spec TaskSpec) {
	stop := startProfiles(os.Stderr)
	code := Run(spec, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// startProfiles starts the profiles the environment asks for and returns
// the function that writes them out.
func startProfiles(stderr io.Writer) (stop func()) {
	cpuPath, memPath := os.Getenv("TICKC_CPUPROFILE"), os.Getenv("TICKC_MEMPROFILE")
	var cpu *os.File
	if cpuPath != "" {
		f, err := os.Create(cpuPath)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "TICKC_CPUPROFILE: %v\n", err)
		} else {
			cpu = f
		}
	}
	if memPath != "" {
		goruntime.MemProfileRate = 64 << 10
	}
	var tr *os.File
	if path := os.Getenv("TICKC_TRACE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "TICKC_TRACE: %v\n", err)
		} else {
			tr = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if tr != nil {
			trace.Stop()
			tr.Close()
		}
		if memPath != "" {
			f, err := os.Create(memPath)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(stderr, "TICKC_MEMPROFILE: %v\n", err)
			}
		}
	}
}

// Replay GC: a replay is a batch job whose garbage is mostly short-lived
// points, so it trades memory for CPU. No collection runs until the heap
// first reaches replayHeapFree (most replays end before: a collection
// would find little to free), then the collector runs when the heap has
// grown to five times what survived the last collection, instead of
// twice. GOGC or GOMEMLIMIT in the environment take precedence.
const (
	replayHeapFree  = 64 << 20
	replayGCPercent = 400
)

func replayGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(replayHeapFree)
	// The finalizer of an object nothing references runs after the first
	// collection: from then on, GOGC 400 and no limit.
	goruntime.SetFinalizer(new(gcSentinel), func(*gcSentinel) {
		debug.SetGCPercent(replayGCPercent)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

// gcSentinel is too large for the tiny allocator, whose objects may never
// be finalized.
type gcSentinel [32]byte

// Exit codes of Run.
const (
	ExitOK    = 0 // done; for replay: result.json written (also when the task failed)
	ExitError = 1 // the input could not be used (unreadable or malformed recording, …)
	ExitUsage = 2 // bad command line
)

// Run runs the command line args (without the program name) and returns
// the exit code.
func Run(spec TaskSpec, args []string, stdout, stderr io.Writer) int {
	prog := spec.Name
	if prog == "" {
		prog = "task"
	}
	if len(args) == 0 {
		usage(stderr, prog)
		return ExitUsage
	}
	switch args[0] {
	case "replay":
		return runReplay(spec, prog, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		usage(stdout, prog)
		return ExitOK
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n", prog, args[0])
	usage(stderr, prog)
	return ExitUsage
}

func usage(w io.Writer, prog string) {
	fmt.Fprintf(w, `usage: %[1]s <command> [flags]

commands:
  replay   run the task over recordings and write the result as JSON
           (%[1]s replay -h for its flags)
`, prog)
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func runReplay(spec TaskSpec, prog string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(prog+" replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		dbrps, recordings stringList
		precision         = fs.String("precision", "n", "unit of the timestamps in .srpl recordings: n, u, ms, s, m or h")
		clockZero         = fs.String("clock-zero", "", "RFC 3339 time the first record of each recording is moved to (default: times are kept)")
		duration          = fs.String("duration", "", "deliver only records up to clock-zero + duration (default: all)")
		vars              = fs.String("vars", "", "template vars file (ignored: vars are compiled into the binary)")
		capture           = fs.Bool("capture", false, "record alerts, httpPost requests and influxDBOut writes in the result instead of sending them")
		out               = fs.String("out", "", "file to write the result JSON to (default: standard output)")
	)
	fs.Var(&dbrps, "dbrp", "database.retention_policy the task reads (repeatable; default: the script's dbrp statements)")
	fs.Var(&recordings, "recording", "recording file, .srpl or .brpl (repeatable; in order)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s replay [flags]\n\nflags:\n", prog)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	_ = vars
	// A script path may follow the flags (tickc passes its argument
	// list through); the task is compiled in, so it is not read.
	if fs.NArg() > 1 || (fs.NArg() == 1 && !strings.HasSuffix(fs.Arg(0), ".tick")) {
		fmt.Fprintf(stderr, "%s replay: unexpected arguments %q\n", prog, fs.Args())
		fs.Usage()
		return ExitUsage
	}

	opts := ReplayOptions{Recordings: recordings, Precision: *precision}
	if *clockZero != "" {
		t, err := time.Parse(time.RFC3339Nano, *clockZero)
		if err != nil {
			fmt.Fprintf(stderr, "%s replay: --clock-zero: %v\n", prog, err)
			return ExitUsage
		}
		opts.ClockZero = t.UTC()
	}
	if *duration != "" {
		d, err := time.ParseDuration(*duration)
		if err != nil || d < 0 {
			fmt.Fprintf(stderr, "%s replay: --duration: invalid duration %q\n", prog, *duration)
			return ExitUsage
		}
		opts.Duration, opts.Bounded = d, true
	}
	taskDbrps := spec.Dbrps
	if len(dbrps) > 0 {
		taskDbrps = nil
		for _, s := range dbrps {
			db, rp, ok := strings.Cut(s, ".")
			if !ok || db == "" {
				fmt.Fprintf(stderr, "%s replay: --dbrp %q: want DATABASE.RETENTION_POLICY\n", prog, s)
				return ExitUsage
			}
			taskDbrps = append(taskDbrps, DBRP{DB: db, RP: rp})
		}
	}

	replayGC()
	t := NewTask(spec.Name, spec.Type, taskDbrps)
	t.Log = stderr
	if *capture {
		t.Capture = NewCapture()
	}
	if spec.Build != nil {
		spec.Build(t)
	}
	res, err := Replay(t, opts)
	if err != nil {
		fmt.Fprintf(stderr, "%s replay: %v\n", prog, err)
		return ExitError
	}

	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintf(stderr, "%s replay: %v\n", prog, err)
			return ExitError
		}
		w = f
	}
	bw := bufio.NewWriter(w)
	err = res.WriteJSON(bw)
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s replay: writing the result: %v\n", prog, err)
		return ExitError
	}
	return ExitOK
}
