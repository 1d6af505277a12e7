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
	"slices"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/term"

	"herald/campaign"
	"herald/campaign/config"
	"herald/campaign/console"
	"herald/campaign/human"
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
		return runTUI(ctx, args, stdout, stderr)
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
	case "help":
		printUsage(stdout)
		return 0
	}
	hint := `herald help lists the commands`
	if near, ok := human.Closest(cmd, commands); ok {
		hint = fmt.Sprintf("did you mean herald %s? (%s)", near, hint)
	}
	fmt.Fprintf(stderr, "herald: unknown command %q: %s\n", cmd, hint)
	return 2
}

// commands are herald's subcommands, for suggestions when one is mistyped.
var commands = []string{"preview", "send", "sandbox", "export", "campaigns", "version", "help"}

// usage lists the commands; printUsage adds the flags they share.
const usage = `herald runs WhatsApp Business template campaigns from a terminal.

Usage:
  herald [flags]             the TUI (opens on sample.csv and the sandbox when no flags are given)
  herald preview [flags]     check and render every row, write the results CSV; never sends
  herald send [flags]        send without the TUI (asks for confirmation unless --yes)
  herald sandbox [flags]     serve the provider simulator on loopback
  herald export --campaign NAME [--out FILE]   the results CSV of a campaign, from the state store
  herald campaigns           past campaigns and their counts
  herald version             the version
  herald help                this text
`

// printUsage prints the commands and the flags the TUI, preview and send share.
func printUsage(w io.Writer) {
	fs, _ := newCampaignFlags("", w)
	fmt.Fprint(w, usage+"\nFlags of the TUI, preview and send:\n")
	printFlags(w, fs)
	fmt.Fprintln(w, "\nRun \"herald COMMAND -h\" for a command's flags. README.md documents every file format.")
}

// printFlags lists a command's flags as --name VALUE  what it is (default).
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if v, ok := flagValueNames[f.Name]; ok {
			kind = v
		}
		if kind != "" {
			name += " " + strings.ToUpper(kind)
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "0s" && f.DefValue != "false" {
			text += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  %-26s %s\n", name, text)
	})
}

// flagValueNames name the value a flag takes in the usage, where its type alone would not say it.
var flagValueNames = map[string]string{"csv": "FILE", "template": "FILE", "config": "FILE", "state": "FILE",
	"out": "FILE", "log": "FILE", "profile": "NAME", "campaign": "NAME", "phone-column": "NAME", "region": "CC",
	"rate": "N", "concurrency": "N", "addr": "HOST:PORT", "reject-prefix": "PREFIXES"}

// parseFlags parses a command's flags. -h prints the command's usage on stdout (flag.ErrHelp is returned, exit
// 0); a mistyped flag is an input error naming the closest flag, instead of the whole usage.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer, about string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(out)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		if fs.Name() == "herald" {
			printUsage(stdout)
			return err
		}
		fmt.Fprintf(stdout, "Usage: %s [flags]\n  %s\n\nFlags:\n", fs.Name(), about)
		printFlags(stdout, fs)
		return err
	}
	if err == nil {
		if fs.NArg() > 0 {
			return campaign.InputError(fmt.Errorf("unexpected argument %q: flags start with -- (%s -h lists them)", fs.Arg(0), fs.Name()))
		}
		return nil
	}
	if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		hint := fs.Name() + " -h lists them"
		if near, ok := human.Closest(name, names); ok {
			hint = fmt.Sprintf("did you mean --%s? (%s)", near, hint)
		}
		return campaign.InputError(fmt.Errorf("%s has no flag --%s: %s", fs.Name(), name, hint))
	}
	if name, ok := strings.CutPrefix(err.Error(), "flag needs an argument: -"); ok {
		return campaign.InputError(fmt.Errorf("--%s needs a value (%s -h lists the flags)", name, fs.Name()))
	}
	return campaign.InputError(fmt.Errorf("%w (%s -h lists the flags)", err, fs.Name()))
}

// campaignFlags are the flags preview, send and the TUI share.
type campaignFlags struct {
	plan        campaign.Plan
	profile     string
	config      string
	rate        string
	yes         bool
	configGiven bool
	// cfg is the loaded config file (set when the profile was resolved).
	cfg *config.Config
}

func newCampaignFlags(name string, stderr io.Writer) (*flag.FlagSet, *campaignFlags) {
	fs := flag.NewFlagSet(strings.TrimSpace("herald "+name), flag.ContinueOnError)
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
	return fs, f
}

// parse reads the flags, applies the sample defaults and, when needProfile, resolves the profile and the rate.
// Without needProfile (a preview never sends: it needs no account) a profile named with --profile must still
// exist. Errors are input errors; -h prints the usage on stdout and returns flag.ErrHelp.
func (f *campaignFlags) parse(fs *flag.FlagSet, args []string, needProfile bool, stdout io.Writer, about string) error {
	if err := parseFlags(fs, args, stdout, about); err != nil {
		return err
	}
	profileGiven := false
	fs.Visit(func(fl *flag.Flag) {
		f.configGiven = f.configGiven || fl.Name == "config"
		profileGiven = profileGiven || fl.Name == "profile"
	})
	if f.plan.CSVPath == "" && f.plan.TemplatePath == "" {
		if fileExists(sampleCSV) && fileExists(sampleTemplate) {
			f.plan.CSVPath, f.plan.TemplatePath = sampleCSV, sampleTemplate
		}
	}
	if !needProfile && !profileGiven {
		return nil
	}
	cfg, err := config.Load(f.config, f.configGiven, os.Getenv)
	if err != nil {
		return campaign.InputError(err)
	}
	if !needProfile {
		if !slices.Contains(cfg.Names(), f.profile) {
			_, err := cfg.Profile(f.profile) // the unknown-profile error, naming the profiles there are
			return campaign.InputError(err)
		}
		return nil
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

func runTUI(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, f := newCampaignFlags("", stderr)
	if err := f.parse(fs, args, true, stdout, ""); err != nil {
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
	if err := f.parse(fs, args, false, stdout, "check and render every row, write the results CSV; never sends"); err != nil {
		return exitFor(err, stderr)
	}
	return console.Preview(ctx, f.plan, stdout, stderr)
}

func runSend(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, f := newCampaignFlags("send", stderr)
	if err := f.parse(fs, args, true, stdout, "send without the TUI (asks for confirmation unless --yes)"); err != nil {
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
	if err := parseFlags(fs, args, stdout, "serve the provider simulator on loopback"); err != nil {
		return exitFor(err, stderr)
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
	if err := parseFlags(fs, args, stdout, "write the results CSV of a campaign from the state store"); err != nil {
		return exitFor(err, stderr)
	}
	return console.Export(state, name, out, stdout, stderr)
}

func runCampaigns(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald campaigns", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var state string
	fs.StringVar(&state, "state", campaign.DefaultStatePath(), "state store")
	if err := parseFlags(fs, args, stdout, "list past campaigns with their rows per status"); err != nil {
		return exitFor(err, stderr)
	}
	return console.Campaigns(state, stdout, stderr)
}
