package console

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"herald/campaign"
	"herald/campaign/receipts"
	"herald/providers"
	"herald/providers/sandbox"
)

// SandboxOptions are the flags of `herald sandbox`.
type SandboxOptions struct {
	Addr string
	// RejectPrefixes is a comma-separated list of number prefixes to answer as invalid numbers.
	RejectPrefixes string
	// LogPath, when set, receives the request log as JSON lines.
	LogPath string
	// CallbackBase, when set, is a herald listener's base URL (http://127.0.0.1:8080): the sandbox calls back
	// to <base>/webhooks/sandbox-<dialect>, as the printed profiles are named, with Callbacks' knobs.
	CallbackBase string
	Callbacks    providers.SandboxCallbacks
	// Forged is the share of messages that also get a forged callback (the listener must refuse it).
	Forged  float64
	Options sandbox.Options
}

// Sandbox runs `herald sandbox`: serves the simulator until ctx is done, after printing the base_url and a
// profile for each dialect.
func Sandbox(ctx context.Context, o SandboxOptions, stdout, stderr io.Writer) int {
	opts := o.Options
	for _, p := range strings.Split(o.RejectPrefixes, ",") {
		if p = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p), "+")); p != "" {
			opts.RejectPrefixes = append(opts.RejectPrefixes, p)
		}
	}
	if o.LogPath != "" {
		f, err := os.OpenFile(o.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fail(campaign.InputError(fmt.Errorf("--log %s: %w", o.LogPath, err)), stderr)
		}
		defer f.Close()
		opts.LogTo = f
	}
	if base := strings.TrimRight(o.CallbackBase, "/"); base != "" {
		opts.Callbacks = sandbox.CallbackOptions{Knobs: o.Callbacks, Forged: o.Forged, Targets: map[string]sandbox.CallbackTarget{}}
		for d, acct := range sandbox.Credentials() {
			opts.Callbacks.Targets[d] = sandbox.CallbackTarget{URL: base + receipts.Path + "sandbox-" + d,
				Secret: acct.WebhookSecret, Token: acct.WebhookToken}
		}
	}
	srv := sandbox.New(opts)
	base, err := srv.Start(o.Addr)
	if err != nil {
		return fail(campaign.InputError(err), stderr)
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "herald sandbox serving every provider dialect at\n  base_url: %s\n\n", base)
	fmt.Fprintln(stdout, "Profiles that send to it (add them under profiles: in your config file):")
	for _, d := range sandbox.Dialects() {
		fmt.Fprint(stdout, ProfileYAML("sandbox-"+d, srv.Profile(d, base)))
	}
	fmt.Fprintf(stdout, "\nTemplates: herald templates create FILE --profile sandbox-itniotech creates one; it is PENDING for %s,\nthen APPROVED (REJECTED when its name starts with %s). Sends on it are refused until then.\n",
		opts.TemplateReview, sandbox.RejectedTemplatePrefix)
	if opts.Callbacks.Targets != nil {
		fmt.Fprintf(stdout, "\nIt calls back to %s/webhooks/sandbox-<dialect>: run herald listen --addr with that "+
			"host and port and these profiles in its config.\n", strings.TrimRight(o.CallbackBase, "/"))
	}
	fmt.Fprintln(stdout, "\nCtrl-C stops it.")
	<-ctx.Done()
	return 0
}

// ProfileYAML prints a sandbox profile as config-file YAML. The sandbox's credentials are public test values,
// so they are printed as they are.
func ProfileYAML(name string, p providers.Profile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %s:\n    provider: %s\n    base_url: %s\n", name, p.Provider, p.BaseURL)
	fields := []struct{ key, val string }{
		{"app_id", p.AppID}, {"api_key", p.APIKey.Reveal()}, {"api_secret", p.APISecret.Reveal()},
		{"business_phone", p.BusinessPhone}, {"app_key", p.AppKey.Reveal()}, {"app_secret", p.AppSecret.Reveal()},
		{"dev_key", p.DevKey.Reveal()}, {"dev_secret", p.DevSecret.Reveal()}, {"from", p.From},
		{"token", p.Token.Reveal()}, {"waba_id", p.WabaID}, {"send_number", p.SendNumber},
		{"access_token", p.AccessToken.Reveal()}, {"phone_number_id", p.PhoneNumberID}, {"api_version", p.APIVersion},
		{"webhook_secret", p.WebhookSecret.Reveal()}, {"webhook_token", p.WebhookToken.Reveal()},
	}
	for _, f := range fields {
		if f.val != "" {
			fmt.Fprintf(&b, "    %s: %q\n", f.key, f.val)
		}
	}
	return b.String()
}
