package console

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"herald/campaign"
	"herald/campaign/human"
	"herald/campaign/receipts"
	"herald/providers"
)

// ListenOptions are what `herald listen` needs.
type ListenOptions struct {
	// StatePath is the state store the callbacks are recorded in.
	StatePath string
	Listening campaign.Listening
	// ReportEvery is the period of the counts line on stderr (default 10 s); a line is printed only when the
	// counts changed.
	ReportEvery time.Duration
}

// Listen runs `herald listen`: receive the providers' callbacks until ctx is done (Ctrl-C), printing one URL
// per profile, then the counts.
func Listen(ctx context.Context, o ListenOptions, stdout, stderr io.Writer) int {
	r, err := campaign.Listen(o.StatePath, o.Listening)
	if err != nil {
		return fail(err, stderr)
	}
	fmt.Fprintf(stdout, "herald listening at %s, recording into %s\n", r.Base, o.StatePath)
	fmt.Fprintln(stdout, "Callback URLs (register https://<public host>/webhooks/<profile> at each provider):")
	for _, p := range o.Listening.Profiles {
		fmt.Fprintf(stdout, "  %-20s %s%s\n", p.Name, r.URL(p.Name), protection(p))
	}
	for _, w := range r.Warnings() {
		fmt.Fprintln(stderr, w)
	}
	fmt.Fprintln(stdout, "To reach it from the internet, run a tunnel in another terminal, for example:\n"+
		"  cloudflared tunnel --url "+r.Base+"\n  ngrok http "+strings.TrimPrefix(r.Base, "http://")+
		"\nCtrl-C stops listening.")
	every := o.ReportEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	var shown receipts.Stats
	for done := false; !done; {
		select {
		case <-tick.C:
			if s := r.Stats(); s != shown {
				fmt.Fprintln(stderr, statsLine(s))
				shown = s
			}
		case <-ctx.Done():
			done = true
		}
	}
	err = r.Close()
	fmt.Fprintln(stdout, "Stopped listening:", statsLine(r.Stats()))
	if err != nil {
		fmt.Fprintln(stderr, "herald:", err)
		return 1
	}
	return 0
}

// protection says how a profile's callbacks are checked, for the URL list.
func protection(p providers.Profile) string {
	switch {
	case p.WebhookSecret != "" && p.WebhookToken != "":
		return "?token=<webhook_token>  (signed, token)"
	case p.WebhookToken != "":
		return "?token=<webhook_token>  (token)"
	case p.WebhookSecret != "":
		return "  (signed)"
	}
	return "  (UNPROTECTED)"
}

// statsLine is the listener's counts on one line.
func statsLine(s receipts.Stats) string {
	return fmt.Sprintf("%d callbacks recorded (%d events, %d about unknown messages, %d opt-outs); refused: %d "+
		"forged, %d too large, %d malformed", s.Accepted, s.Events, s.Unknown, s.OptedOut, s.Refused, s.TooLarge,
		s.Malformed)
}

// ImportReceipts runs `herald receipts import FILE --profile NAME`.
func ImportReceipts(statePath string, profile providers.Profile, path string, stdout, stderr io.Writer) int {
	res, err := campaign.ImportReceipts(statePath, profile, path)
	if err != nil {
		return fail(err, stderr)
	}
	fmt.Fprintf(stdout, "%s: %s, %s merged (%d about messages no campaign has), %d with a status herald does "+
		"not track\n", path, human.Plural(res.Rows, "row"), human.Plural(res.Events, "delivery event"), res.Unknown,
		res.Skipped)
	return 0
}
