// Command herald runs WhatsApp Business template campaigns from a terminal: preview every message, rehearse on
// the built-in sandbox, then send at the provider's allowed rate with a durable record of who got what.
//
// main.go parses the command line and wires the pieces: the TUI lives in ui/, the headless commands in
// campaign/console, everything else in campaign/ and providers/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the send window reads each recipient's time zone, also where the OS has no zone files (Windows)

	"golang.org/x/term"

	"herald/campaign"
	"herald/campaign/config"
	"herald/campaign/console"
	"herald/ui"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Sample files a first run opens when no --csv and --template are given.
const (
	sampleCSV      = "sample.csv"
	sampleTemplate = "templates/spring_sale.yaml"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// herald's live heap is small (the duplicate-number set is most of it); collecting at 40% growth instead
		// of 100% keeps a million-row preview or send under 100 MB at a few percent more CPU.
		debug.SetGCPercent(40)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns its exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "":
		return runTUI(ctx, args, stderr)
	case "preview":
		return runPreview(ctx, args, stdout, stderr)
	case "send":
		stop() // send handles its own signals: the first Ctrl-C stops gracefully, the second at once
		return runSend(args, stdin, stdout, stderr)
	case "sandbox":
		return runSandbox(ctx, args, stdout, stderr)
	case "export":
		return runExport(args, stdout, stderr)
	case "campaigns":
		return runCampaigns(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "herald", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "herald: unknown command %q\n\n%s", cmd, usage)
	return 2
}

const usage = `Usage:
  herald [flags]             the TUI (opens on sample.csv and the sandbox when no flags are given)
  herald preview [flags]     check and render every row, write the results CSV; never sends
  herald send [flags]        send without the TUI (asks for confirmation unless --yes)
  herald sandbox [flags]     serve the provider simulator on loopback
  herald export --campaign NAME [--out FILE]
  herald campaigns           past campaigns and their counts
  herald version
Run "herald COMMAND -h" for a command's flags. README.md documents every file format.
`

// campaignFlags are the flags preview, send and the TUI share.
type campaignFlags struct {
	plan        campaign.Plan
	profile     string
	config      string
	rate        string
	freqCap     string
	yes         bool
	configGiven bool
	// profileGiven is set when --profile was on the command line.
	profileGiven bool
	// cfg is the loaded config file (set when the profile was resolved).
	cfg *config.Config
}

func newCampaignFlags(name string, stderr io.Writer) (*flag.FlagSet, *campaignFlags) {
	fs := flag.NewFlagSet("herald "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &campaignFlags{}
	fs.StringVar(&f.plan.CSVPath, "csv", "", "recipients CSV")
	fs.StringVar(&f.plan.TemplatePath, "template", "", "template file (YAML)")
	fs.StringVar(&f.profile, "profile", config.SandboxProfile, "provider profile from the config file")
	fs.StringVar(&f.config, "config", config.DefaultPath(), "config file")
	fs.StringVar(&f.plan.Campaign, "campaign", "", `campaign identity for resume (default "<csv stem>-<template name>")`)
	fs.StringVar(&f.plan.StatePath, "state", campaign.DefaultStatePath(), "state store")
	fs.StringVar(&f.plan.OutPath, "out", "", `results CSV (default "<csv stem>.<campaign>.results.csv" beside the CSV)`)
	fs.StringVar(&f.plan.PhoneColumn, "phone-column", "", "the column holding the phone number (default: phone, mobile, msisdn, ...)")
	fs.StringVar(&f.plan.Region, "region", "", "default country (ISO 3166 alpha-2, e.g. GB) for numbers without a country code")
	fs.StringVar(&f.rate, "rate", "", `messages per second, or "unlimited" (default: the profile's, else 20)`)
	fs.IntVar(&f.plan.Concurrency, "concurrency", 0, "requests in flight at most (default: the profile's, else sized from rate and latency)")
	fs.BoolVar(&f.plan.RetryFailed, "retry-failed", false, "resend rows whose last outcome was a retryable failure")
	fs.BoolVar(&f.plan.ResendUnknown, "resend-unknown", false, "resend rows whose outcome is unknown")
	fs.BoolVar(&f.yes, "yes", false, "do not ask for confirmation")
	fs.StringVar(&f.plan.SendWindow, "send-window", "", "send only inside this window of each recipient's local time, HH:MM-HH:MM (e.g. 09:00-20:00; 21:00-08:00 crosses midnight)")
	fs.StringVar(&f.freqCap, "frequency-cap", "", `suppress numbers any other campaign in the store messaged within DUR (e.g. 72h; 0 turns the profile's frequency_cap off)`)
	fs.StringVar(&f.plan.PricesPath, "prices", "", "price table CSV (country, category, price, currency) for the cost estimate")
	return fs, f
}

// parse reads the flags, applies the sample defaults and, when needProfile, resolves the profile and the rate.
// Errors are input errors.
func (f *campaignFlags) parse(fs *flag.FlagSet, args []string, needProfile bool) error {
	if err := fs.Parse(args); err != nil {
		return campaign.InputError(err)
	}
	if fs.NArg() > 0 {
		return campaign.InputError(fmt.Errorf("unexpected argument %q: flags start with --", fs.Arg(0)))
	}
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "config":
			f.configGiven = true
		case "profile":
			f.profileGiven = true
		}
	})
	if f.plan.CSVPath == "" && f.plan.TemplatePath == "" {
		if fileExists(sampleCSV) && fileExists(sampleTemplate) {
			f.plan.CSVPath, f.plan.TemplatePath = sampleCSV, sampleTemplate
		}
	}
	if err := f.parseCap(); err != nil {
		return err
	}
	if !needProfile {
		return f.profileGuards() // a preview never sends: it needs no account, only the profile's guards
	}
	cfg, err := config.Load(f.config, f.configGiven, os.Getenv)
	if err != nil {
		return campaign.InputError(err)
	}
	f.cfg = cfg
	for _, w := range cfg.Warnings {
		fmt.Fprintln(fs.Output(), w)
	}
	p, err := cfg.Profile(f.profile)
	if err != nil {
		return campaign.InputError(err)
	}
	f.plan.Profile = p
	if f.plan.Concurrency < 0 || f.plan.Concurrency > 512 {
		return campaign.InputError(fmt.Errorf("--concurrency %d: give the most requests in flight, 1 to 512 (or leave it out to size it from the rate)", f.plan.Concurrency))
	}
	switch r := strings.TrimSpace(f.rate); {
	case r == "":
	case strings.EqualFold(r, "unlimited"):
		f.plan.Rate = math.Inf(1)
	default:
		v, err := strconv.ParseFloat(r, 64)
		if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return campaign.InputError(fmt.Errorf("--rate %q: give messages per second as a positive number (e.g. 80) or \"unlimited\"", f.rate))
		}
		f.plan.Rate = v
	}
	return nil
}

// parseCap reads --frequency-cap: a Go duration (72h, 90m); 0 turns the profile's cap off.
func (f *campaignFlags) parseCap() error {
	s := strings.TrimSpace(f.freqCap)
	if s == "" {
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return campaign.InputError(fmt.Errorf("--frequency-cap %q: give a duration such as 72h (three days) or 36h; 0 turns the profile's frequency_cap off", f.freqCap))
	}
	f.plan.FrequencyCap = d
	if d == 0 {
		f.plan.FrequencyCap = -1
	}
	return nil
}

// profileGuards gives a preview the profile's messaging_limit and frequency_cap, without checking its
// credentials (a preview sends nothing). A config that cannot be read stops the preview only when --config or
// --profile named it.
func (f *campaignFlags) profileGuards() error {
	cfg, err := config.Load(f.config, f.configGiven, os.Getenv)
	if err != nil {
		if f.configGiven || f.profileGiven {
			return campaign.InputError(err)
		}
		return nil
	}
	p, ok := cfg.Lookup(f.profile)
	if !ok && f.profileGiven {
		_, err := cfg.Profile(f.profile) // its error names the profiles there
		return campaign.InputError(err)
	}
	f.plan.Profile = p
	return nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// exitFor prints err, if any, and returns its exit code.
func exitFor(err error, stderr io.Writer) int {
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stderr, "herald:", err)
	}
	return campaign.ExitFor(err)
}

func runTUI(ctx context.Context, args []string, stderr io.Writer) int {
	fs, f := newCampaignFlags("", stderr)
	if err := f.parse(fs, args, true); err != nil {
		return exitFor(err, stderr)
	}
	if !term.IsTerminal(int(os.Stdin.Fd())) || !term.IsTerminal(int(os.Stdout.Fd())) {
		fmt.Fprintln(stderr, "herald: the TUI needs a terminal; use herald preview or herald send --yes in scripts")
		return 2
	}
	return ui.Run(ctx, ui.Config{Plan: f.plan, Config: f.cfg})
}

func runPreview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, f := newCampaignFlags("preview", stderr)
	if err := f.parse(fs, args, false); err != nil {
		return exitFor(err, stderr)
	}
	return console.Preview(ctx, f.plan, stdout, stderr)
}

func runSend(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, f := newCampaignFlags("send", stderr)
	if err := f.parse(fs, args, true); err != nil {
		return exitFor(err, stderr)
	}
	interactive := false
	if file, ok := stdin.(*os.File); ok {
		interactive = term.IsTerminal(int(file.Fd()))
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	return console.Send(f.plan, console.SendOptions{Yes: f.yes, Interactive: interactive, Stdin: stdin,
		Signals: sigs, Exit: os.Exit}, stdout, stderr)
}

func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o console.SandboxOptions
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8089", "address to serve on (loopback)")
	fs.DurationVar(&o.Options.Latency, "latency", 0, "added to every answer (e.g. 50ms)")
	fs.DurationVar(&o.Options.Jitter, "jitter", 0, "random extra latency, 0..jitter")
	fs.Float64Var(&o.Options.ErrorRate, "error-rate", 0, "share of answers that are transient errors (0..1)")
	fs.Float64Var(&o.Options.RateLimit, "rate-limit", 0, "accepted requests per second; over it: the provider's rate-limit answer with Retry-After (0: none)")
	fs.StringVar(&o.RejectPrefixes, "reject-prefix", "", "comma-separated number prefixes answered as invalid numbers")
	fs.StringVar(&o.LogPath, "log", "", "write the request log (JSON lines) to this file")
	if err := fs.Parse(args); err != nil {
		return exitFor(campaign.InputError(err), stderr)
	}
	return console.Sandbox(ctx, o, stdout, stderr)
}

func runExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var name, out, state string
	fs.StringVar(&name, "campaign", "", "campaign name (see herald campaigns)")
	fs.StringVar(&out, "out", "", "results CSV to write (default: the campaign's usual results path)")
	fs.StringVar(&state, "state", campaign.DefaultStatePath(), "state store")
	if err := fs.Parse(args); err != nil {
		return exitFor(campaign.InputError(err), stderr)
	}
	return console.Export(state, name, out, stdout, stderr)
}

func runCampaigns(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald campaigns", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var state string
	fs.StringVar(&state, "state", campaign.DefaultStatePath(), "state store")
	if err := fs.Parse(args); err != nil {
		return exitFor(campaign.InputError(err), stderr)
	}
	return console.Campaigns(state, stdout, stderr)
}
