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
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the send window reads each recipient's time zone, also where the OS has no zone files (Windows)

	"golang.org/x/term"

	"herald/campaign"
	"herald/campaign/cmdline"
	"herald/campaign/config"
	"herald/campaign/console"
	"herald/campaign/guards"
	"herald/campaign/human"
	"herald/providers"
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
	campaign.TuneRuntime()
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
	case "templates":
		return runTemplates(ctx, args, stdin, stdout, stderr)
	case "listen":
		return runListen(ctx, args, stdout, stderr)
	case "optouts":
		return runOptOuts(args, stdout, stderr)
	case "receipts":
		return runReceipts(args, stdout, stderr)
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
var commands = []string{"preview", "send", "sandbox", "export", "campaigns", "listen", "optouts", "receipts",
	"templates", "version", "help"}

// usage lists the commands; printUsage adds the flags they share.
const usage = `herald runs WhatsApp Business template campaigns from a terminal.

Usage:
  herald [flags]             the TUI (opens on sample.csv and the sandbox when no flags are given)
  herald preview [flags]     check and render every row, write the results CSV; never sends
  herald send [flags]        send without the TUI (asks for confirmation unless --yes)
  herald sandbox [flags]     serve the provider simulator on loopback
  herald export --campaign NAME [--out FILE]   the results CSV of a campaign, from the state store
  herald campaigns           past campaigns, their counts and what happened after the send
  herald listen [--addr 127.0.0.1:8080]
                             receive the providers' callbacks (delivery receipts, replies, opt-outs)
  herald optouts list|add NUMBER...|remove NUMBER...|import FILE|export FILE
  herald receipts import FILE --profile NAME
                             merge a delivery report downloaded from the provider's console
  herald templates list|status NAME|create FILE [--yes] --profile NAME
                             templates at the provider: create one for review, see its status
  herald version             the version
  herald help                this text
`

// printUsage prints the commands and the flags the TUI, preview and send share.
func printUsage(w io.Writer) {
	fs, _ := newCampaignFlags("", w)
	fmt.Fprint(w, usage+"\nFlags of the TUI, preview and send:\n")
	cmdline.PrintFlags(w, fs)
	fmt.Fprintln(w, "\nRun \"herald COMMAND -h\" for a command's flags. README.md documents every file format.")
}

// campaignFlags are the flags preview, send and the TUI share.
type campaignFlags struct {
	plan        campaign.Plan
	profile     string
	config      string
	rate        string
	freqCap     string
	followUp    string
	yes         bool
	configGiven bool
	// profileGiven is set when --profile was on the command line.
	profileGiven bool
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
	fs.StringVar(&f.plan.OutPath, "out", "", `results CSV (default "<campaign>.results.csv" beside the CSV)`)
	fs.StringVar(&f.plan.PhoneColumn, "phone-column", "", "the column holding the phone number (default: phone, mobile, msisdn, ...)")
	fs.StringVar(&f.plan.Region, "region", "", "default country (ISO 3166 alpha-2, e.g. GB) for numbers without a country code")
	fs.StringVar(&f.rate, "rate", "", `messages per second, or "unlimited" (default: the profile's, else 20)`)
	fs.IntVar(&f.plan.Concurrency, "concurrency", 0, "requests in flight at most (default: the profile's, else sized from rate and latency)")
	fs.BoolVar(&f.plan.RetryFailed, "retry-failed", false, "resend rows whose last outcome was a retryable failure")
	fs.BoolVar(&f.plan.ResendUnknown, "resend-unknown", false, "resend rows whose outcome is unknown")
	fs.BoolVar(&f.yes, "yes", false, "do not ask for confirmation")
	fs.StringVar(&f.plan.Listen.Addr, "listen", "", "also receive the providers' callbacks during the run on this address (as herald listen)")
	fs.StringVar(&f.plan.SendWindow, "send-window", "", "send only inside this window of each recipient's local time, HH:MM-HH:MM (e.g. 09:00-20:00; 21:00-08:00 crosses midnight)")
	fs.StringVar(&f.freqCap, "frequency-cap", "", `suppress numbers any other campaign in the store messaged within DUR (e.g. 72h; 0 turns the profile's frequency_cap off)`)
	fs.StringVar(&f.plan.PricesPath, "prices", "", "price table CSV (country, category, price, currency) for the cost estimate")
	fs.StringVar(&f.followUp, "followup", "", "follow up the people who replied to this campaign: they are the recipients (instead of --csv), usually with a session message as --template")
	return fs, f
}

// parse reads the flags, applies the sample defaults, loads the config file (which must exist only when --config
// is given) and resolves the profile and the rate. A command that never sends (preview, sends false) needs the
// profile's provider, to know what it can carry, but not its credentials: a profile whose secrets are not set
// is taken with a note. Errors are input errors; -h prints the usage on stdout and returns flag.ErrHelp.
func (f *campaignFlags) parse(fs *flag.FlagSet, args []string, sends bool, stdout io.Writer, about string) error {
	cmd := cmdline.Command{Flags: fs, About: about}
	if fs.Name() == "herald" {
		cmd.Help = printUsage
	}
	if err := cmd.Parse(args, stdout); err != nil {
		return err
	}
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "config":
			f.configGiven = true
		case "profile":
			f.profileGiven = true
		}
	})
	if err := f.followUpRepliers(fs); err != nil {
		return err
	}
	if f.plan.CSVPath == "" && f.plan.TemplatePath == "" {
		if fileExists(sampleCSV) && fileExists(sampleTemplate) {
			f.plan.CSVPath, f.plan.TemplatePath = sampleCSV, sampleTemplate
		}
	}
	if err := f.parseCap(); err != nil {
		return err
	}
	f.plan.ConfigPath = f.config
	cfg, err := loadConfig(f.config, f.configGiven, fs.Output())
	if err != nil {
		return err
	}
	f.cfg = cfg
	if !sends {
		p, unsendable, err := cfg.ProfileToPreview(f.profile)
		if err != nil {
			return campaign.InputError(err)
		}
		if unsendable != "" {
			fmt.Fprintf(fs.Output(), "note: previewing for profile %q; to send with it: %s\n", p.Name, unsendable)
		}
		f.plan.Profile = p
		return nil
	}
	p, err := checkedProfile(cfg, f.profile, fs.Output())
	if err != nil {
		return err
	}
	f.plan.Profile = p
	f.plan.Listen.Keywords = cfg.OptOutKeywords
	if f.plan.Listen.Addr != "" {
		f.plan.Listen.Profiles = listenProfiles(cfg, nil)
	}
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

// followUpRepliers, with --followup CAMPAIGN, writes the people who replied to the campaign as the recipients
// CSV (campaign.WriteFollowUp) and plans the follow-up on it: through the campaign's own profile unless
// --profile names another (whose 24-hour windows are its own), reading numbers as the campaign did.
func (f *campaignFlags) followUpRepliers(fs *flag.FlagSet) error {
	if f.followUp == "" {
		return nil
	}
	switch {
	case f.plan.CSVPath != "":
		return campaign.InputError(fmt.Errorf("--followup %s makes the recipients the people who replied to it: leave --csv out", f.followUp))
	case f.plan.TemplatePath == "" && fs.Name() != "herald":
		return campaign.InputError(fmt.Errorf("--followup %s needs --template FILE, the message to send them: a session message "+
			"(kind: session, see templates/price_list.yaml) or an approved template", f.followUp))
	}
	fu, err := campaign.WriteFollowUp(f.plan.StatePath, f.followUp)
	if err != nil {
		return err
	}
	f.plan = fu.Plan(f.plan)
	out := fs.Output()
	fmt.Fprintf(out, "Following up campaign %s: %s replied; the recipients are in %s\n", f.followUp,
		human.People(fu.Repliers), fu.CSVPath)
	switch {
	case !f.profileGiven:
		f.profile = fu.Of.Profile
	case f.profile != fu.Of.Profile:
		fmt.Fprintf(out, "note: campaign %s was sent through profile %s; a session message through %s reaches only "+
			"the people who wrote through %s in the last 24 hours\n", f.followUp, fu.Of.Profile, f.profile, f.profile)
	}
	return nil
}

// loadProfile loads the config file (which must exist when given) and resolves profile name, printing the
// warnings of both to w. Errors are input errors.
func loadProfile(name, path string, given bool, w io.Writer) (*config.Config, providers.Profile, error) {
	cfg, err := loadConfig(path, given, w)
	if err != nil {
		return nil, providers.Profile{}, err
	}
	p, err := checkedProfile(cfg, name, w)
	return cfg, p, err
}

// loadConfig reads the config file (it must exist when given) and prints its warnings on w.
func loadConfig(path string, given bool, w io.Writer) (*config.Config, error) {
	cfg, err := config.Load(path, given, os.Getenv)
	if err != nil {
		return nil, campaign.InputError(err)
	}
	for _, warning := range cfg.Warnings {
		fmt.Fprintln(w, warning)
	}
	return cfg, nil
}

// checkedProfile is the named profile, checked for sending, with its warnings printed on w.
func checkedProfile(cfg *config.Config, name string, w io.Writer) (providers.Profile, error) {
	p, err := cfg.Profile(name)
	if err != nil {
		return providers.Profile{}, campaign.InputError(err)
	}
	for _, warning := range p.Warnings() {
		fmt.Fprintln(w, "warning:", warning)
	}
	return p, nil
}

// isTerminal reports whether stdin is a terminal, where herald may ask for confirmation.
func isTerminal(stdin io.Reader) bool {
	file, ok := stdin.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// parseCap reads --frequency-cap: a Go duration (72h, 90m); 0 turns the profile's cap off.
func (f *campaignFlags) parseCap() error {
	s := strings.TrimSpace(f.freqCap)
	if s == "" {
		return nil
	}
	d, err := guards.ParseFrequencyCap(s)
	if err != nil {
		return campaign.InputError(err)
	}
	f.plan.FrequencyCap = d
	if d == 0 {
		f.plan.FrequencyCap = -1
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
	interactive := isTerminal(stdin)
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
	fs.DurationVar(&o.Options.TemplateReview, "template-review", 10*time.Second, "how long a template created through the sandbox stays PENDING before it is APPROVED (names starting with rejected_ are REJECTED)")
	fs.BoolVar(&o.Options.StrictTemplates, "strict-templates", false, "refuse sends on templates the sandbox did not create (by default they count as approved)")
	fs.StringVar(&o.CallbackBase, "callbacks", "", "call back to a herald listener at this base URL (http://127.0.0.1:8080) after accepting a message")
	fs.DurationVar(&o.Callbacks.Delay, "callback-delay", 200*time.Millisecond, "wait before a message's first callback")
	fs.DurationVar(&o.Callbacks.Jitter, "callback-jitter", 800*time.Millisecond, "random extra wait per callback, 0..jitter")
	fs.Float64Var(&o.Callbacks.Read, "read", 0.6, "share of delivered messages that are read")
	fs.Float64Var(&o.Callbacks.Failed, "fail-later", 0.03, "share of accepted messages that fail later (131049)")
	fs.Float64Var(&o.Callbacks.Stop, "stop", 0.02, "share of delivered messages answered STOP")
	fs.Float64Var(&o.Callbacks.Reply, "reply", 0.2, "share of delivered messages answered with a question (the people a follow-up reaches)")
	fs.Float64Var(&o.Callbacks.Duplicates, "duplicates", 0.05, "share of callbacks posted twice")
	fs.BoolVar(&o.Callbacks.Shuffle, "shuffle", false, "post callbacks in random order (read before delivered, ...)")
	fs.Float64Var(&o.Forged, "forged", 0, "share of messages that also get a forged callback (bad signature)")
	if err := (cmdline.Command{Flags: fs, About: "serve the provider simulator on loopback"}).Parse(args, stdout); err != nil {
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
	if err := (cmdline.Command{Flags: fs, About: "write the results CSV of a campaign from the state store"}).Parse(args, stdout); err != nil {
		return exitFor(err, stderr)
	}
	return console.Export(state, name, out, stdout, stderr)
}

func runCampaigns(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald campaigns", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var state string
	fs.StringVar(&state, "state", campaign.DefaultStatePath(), "state store")
	if err := (cmdline.Command{Flags: fs, About: "list past campaigns with their rows per status"}).Parse(args, stdout); err != nil {
		return exitFor(err, stderr)
	}
	return console.Campaigns(state, stdout, stderr)
}

func runTemplates(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald templates", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o console.TemplatesOptions
	var profile, cfgPath string
	fs.StringVar(&profile, "profile", config.SandboxProfile, "provider profile from the config file")
	fs.StringVar(&cfgPath, "config", config.DefaultPath(), "config file")
	fs.StringVar(&o.Language, "language", "", "status: the template's language (default: every language it has)")
	fs.StringVar(&o.CSVPath, "csv", "", "create: a recipients CSV whose first ready row gives the examples the template file's example: leaves out")
	fs.StringVar(&o.PhoneColumn, "phone-column", "", "create: the CSV's phone column (default: phone, mobile, msisdn, ...)")
	fs.StringVar(&o.Region, "region", "", "create: default country for the CSV's numbers without a country code")
	fs.BoolVar(&o.Yes, "yes", false, "create: submit without asking")
	words, err := cmdline.Command{Flags: fs, About: "templates at the provider: list, status NAME, create FILE"}.Words(args, stdout)
	if err != nil {
		return exitFor(err, stderr)
	}
	want := map[string]int{"list": 0, "status": 1, "create": 1}
	if len(words) == 0 {
		return exitFor(campaign.InputError(errors.New("herald templates: say list, status NAME or create FILE, with --profile NAME")), stderr)
	}
	n, ok := want[words[0]]
	switch {
	case !ok:
		return exitFor(campaign.InputError(fmt.Errorf("herald templates %s: say list, status NAME or create FILE", words[0])), stderr)
	case len(words)-1 != n && n == 0:
		return exitFor(campaign.InputError(fmt.Errorf("herald templates list takes no argument, but got %q", words[1])), stderr)
	case len(words)-1 != n:
		what := map[string]string{"status": "the template's name", "create": "the template file"}[words[0]]
		return exitFor(campaign.InputError(fmt.Errorf("herald templates %s takes one argument, %s (got %d)", words[0], what, len(words)-1)), stderr)
	}
	o.Action = words[0]
	if n == 1 {
		o.Arg = words[1]
	}
	given := false
	fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "config" })
	_, p, err := loadProfile(profile, cfgPath, given, stderr)
	if err != nil {
		return exitFor(err, stderr)
	}
	o.Profile, o.Interactive, o.Stdin = p, isTerminal(stdin), stdin
	return console.Templates(ctx, o, stdout, stderr)
}

// listenProfiles are the config's profiles a listener serves: every one that resolves, except the sandbox
// ones (the in-process sandbox calls its own run back). A profile that does not resolve is reported to skipped
// when it is not nil.
func listenProfiles(cfg *config.Config, skipped io.Writer) []providers.Profile {
	var out []providers.Profile
	for _, name := range cfg.Names() {
		p, err := cfg.Profile(name)
		switch {
		case err != nil:
			if skipped != nil {
				fmt.Fprintf(skipped, "profile %s is not served: %v\n", name, err)
			}
		case p.Provider != "sandbox":
			out = append(out, p)
		}
	}
	return out
}

// storeFlags adds --state and --config to fs.
func storeFlags(fs *flag.FlagSet) (state, cfg *string) {
	return fs.String("state", campaign.DefaultStatePath(), "state store"),
		fs.String("config", config.DefaultPath(), "config file")
}

// loadConfigOf reads the config file a command's --config names (it must exist when given).
func loadConfigOf(fs *flag.FlagSet, path string) (*config.Config, error) {
	given := false
	fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "config" })
	return loadConfig(path, given, fs.Output())
}

func runListen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to receive callbacks on (a tunnel exposes it)")
	state, cfgPath := storeFlags(fs)
	if _, err := (cmdline.Command{Flags: fs, About: "receive the providers' callbacks until Ctrl-C"}).Words(args, stdout); err != nil {
		return exitFor(err, stderr)
	}
	cfg, err := loadConfigOf(fs, *cfgPath)
	if err != nil {
		return exitFor(err, stderr)
	}
	l := campaign.Listening{Addr: *addr, Profiles: listenProfiles(cfg, stderr), Keywords: cfg.OptOutKeywords}
	return console.Listen(ctx, console.ListenOptions{StatePath: *state, Listening: l}, stdout, stderr)
}

func runOptOuts(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald optouts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := console.OptOutsOptions{}
	fs.StringVar(&o.Region, "region", "", "default country (ISO 3166 alpha-2) for numbers written without a country code")
	fs.StringVar(&o.Note, "note", "", "a note kept with the numbers added")
	state, _ := storeFlags(fs)
	rest, err := cmdline.Command{Flags: fs, About: "the opt-out list: list, add NUMBER..., remove NUMBER..., import FILE, export FILE"}.Words(args, stdout)
	if err != nil {
		return exitFor(err, stderr)
	}
	if len(rest) == 0 {
		return exitFor(campaign.InputError(fmt.Errorf("herald optouts needs a verb: list, add NUMBER..., remove NUMBER..., import FILE or export FILE")), stderr)
	}
	o.Verb, o.Args, o.StatePath = rest[0], rest[1:], *state
	return console.OptOuts(o, stdout, stderr)
}

func runReceipts(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald receipts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profile := fs.String("profile", "", "the profile whose messages the report is about")
	state, cfgPath := storeFlags(fs)
	rest, err := cmdline.Command{Flags: fs, About: "merge a delivery report: import FILE --profile NAME"}.Words(args, stdout)
	if err != nil {
		return exitFor(err, stderr)
	}
	if len(rest) != 2 || rest[0] != "import" {
		return exitFor(campaign.InputError(fmt.Errorf("usage: herald receipts import FILE --profile NAME")), stderr)
	}
	if *profile == "" {
		return exitFor(campaign.InputError(fmt.Errorf("herald receipts import %s: pass --profile NAME, the profile the campaign was sent with", rest[1])), stderr)
	}
	cfg, err := loadConfigOf(fs, *cfgPath)
	if err != nil {
		return exitFor(err, stderr)
	}
	p, err := cfg.Profile(*profile)
	if err != nil {
		return exitFor(campaign.InputError(err), stderr)
	}
	return console.ImportReceipts(*state, p, rest[1], stdout, stderr)
}
