package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/campaign/status"
)

// SendOptions are what `herald send` needs beyond the plan.
type SendOptions struct {
	// Yes skips the confirmation; Interactive says stdin is a terminal (without it, Yes is required).
	Yes         bool
	Interactive bool
	Stdin       io.Reader
	// Signals delivers Ctrl-C: the first stops gracefully, the second exits at once through Exit.
	Signals <-chan os.Signal
	Exit    func(code int)
	// Engine tunes the run (tests shorten backoffs); Rate and Concurrency come from the plan.
	Engine engine.Options
	// ProgressEvery is the progress line's period (default 1 s).
	ProgressEvery time.Duration
}

// Send runs `herald send`: plan (or resume) the campaign, confirm, send with a progress line on stderr at most
// once a second, write the results CSV and print a summary on stdout. The exit code follows SPEC.md: 0 every
// ready row sent, 1 some rows failed/invalid/unknown, 2 input error (nothing sent), 3 stopped before the end.
func Send(plan campaign.Plan, o SendOptions, stdout, stderr io.Writer) int {
	in, err := campaign.Open(plan)
	if err != nil {
		return fail(err, stderr)
	}
	defer in.Close()
	if !o.Yes && !o.Interactive {
		return fail(campaign.InputError(fmt.Errorf("standard input is not a terminal, so herald cannot ask for confirmation: run herald preview first, then add --yes")), stderr)
	}
	var checked atomic.Int64
	fmt.Fprintf(stderr, "Checking %s ...\n", in.Plan.CSVPath)
	sess, err := campaign.Prepare(context.Background(), in, &checked)
	if err != nil {
		return fail(err, stderr)
	}
	defer sess.Close()
	for _, n := range sess.Notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	if sess.Recovered > 0 && !plan.ResendUnknown {
		fmt.Fprintln(stderr, "note: --resend-unknown sends the unknown rows again")
	}
	if sess.Resumed {
		fmt.Fprintf(stderr, "Resuming campaign %s:\n", sess.Info.Name)
	} else {
		fmt.Fprintf(stderr, "Campaign %s:\n", sess.Info.Name)
	}
	writeCounts(stderr, sess.Counts)
	ready := sess.ToSend()
	if ready == 0 {
		fmt.Fprintln(stdout, "Nothing left to send.")
		return finishRun(sess, nil, stdout, stderr)
	}
	if !o.Yes && !approved(in, stderr) {
		return campaign.ExitInput
	}
	writeOutlook(stderr, sess.Outlook, plan.Profile.Name)
	if !o.Yes && !confirm(o.Stdin, stderr, ready, in.Template.Name, plan) {
		fmt.Fprintln(stderr, "Not confirmed: nothing was sent.")
		return 2
	}
	eng, prov, err := sess.Start(campaign.RunOptions{StopOnPause: true, Engine: o.Engine})
	if err != nil {
		return fail(err, stderr)
	}
	defer prov.Close()
	printListening(stderr, sess.Listening)

	type result struct {
		snap engine.Snapshot
		err  error
	}
	done := make(chan result, 1)
	go func() {
		s, err := eng.Run(context.Background())
		done <- result{s, err}
	}()
	every := o.ProgressEvery
	if every <= 0 {
		every = time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	interrupts := 0
	var shown time.Time // the newest event printed so far
	for {
		select {
		case <-tick.C:
			s := eng.Snapshot()
			shown = printEvents(stderr, s.Events, shown)
			fmt.Fprintln(stderr, ProgressLine(s))
		case sig := <-o.Signals:
			interrupts++
			if interrupts == 1 {
				s := eng.Snapshot()
				fmt.Fprintf(stderr, "\nStopping: no new messages; waiting for %d in flight (Ctrl-C again to quit at once).\n", s.InFlight)
				eng.Stop("stopped by the user (" + signalName(sig) + ")")
				continue
			}
			fmt.Fprintln(stderr, "Quit at once: the state store is consistent; rows in flight will show as unknown. Run the same command to resume.")
			o.Exit(3)
			return 3
		case r := <-done:
			if r.err != nil {
				fmt.Fprintln(stderr, "herald:", r.err)
			}
			// The provider and the listener close before the results are written: the last callbacks count.
			if err := prov.Close(); err != nil {
				fmt.Fprintln(stderr, "herald:", err)
			}
			return finishRun(sess, &r.snap, stdout, stderr)
		}
	}
}

// printListening says where the run receives callbacks, and warns about URLs anyone could forge callbacks to.
func printListening(w io.Writer, l *campaign.RunListening) {
	if l == nil {
		return
	}
	for _, warning := range l.Warnings {
		fmt.Fprintln(w, warning)
	}
	if l.Sandbox {
		fmt.Fprintln(w, "The sandbox calls back (delivered, read, replies): the funnel fills in as the callbacks come.")
		return
	}
	names := make([]string, 0, len(l.URLs))
	for name := range l.URLs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "Receiving callbacks for %s at %s\n", name, l.URLs[name])
	}
}

// signalName is how a person knows a signal: Ctrl-C for an interrupt.
func signalName(sig os.Signal) string {
	if sig == os.Interrupt {
		return "Ctrl-C"
	}
	return sig.String()
}

// printEvents prints the events newer than shown (slow-downs, pauses, warnings), oldest first, and returns the
// time of the newest.
func printEvents(w io.Writer, newestFirst []engine.Event, shown time.Time) time.Time {
	for i := len(newestFirst) - 1; i >= 0; i-- {
		if e := newestFirst[i]; e.At.After(shown) {
			fmt.Fprintf(w, "%s: %s %s\n", e.At.Local().Format("15:04:05"), e.Kind, e.Detail)
			shown = e.At
		}
	}
	return shown
}

// writeOutlook prints what the guards say before the confirmation: the messaging limit (a warning when rows
// wait for it), when the rows go, and the estimated cost.
func writeOutlook(w io.Writer, o campaign.Outlook, profile string) {
	if line, warn := o.LimitLine(profile); line != "" {
		label := "messaging limit:"
		if warn {
			label = "warning: messaging limit:"
		}
		fmt.Fprintln(w, label, line)
	}
	if line := o.ScheduleLine(); line != "" {
		fmt.Fprintln(w, "When:", line)
	}
	if o.FrequencyCap > 0 {
		fmt.Fprintf(w, "Frequency cap: numbers another campaign messaged within %s are suppressed\n", o.FrequencyCap)
	}
	if o.Cost != nil {
		fmt.Fprintln(w, o.Cost)
	}
}

// confirm asks the user to type the number of messages (or "send").
func confirm(stdin io.Reader, w io.Writer, ready int, template string, plan campaign.Plan) bool {
	fmt.Fprintf(w, "\nSend %d messages with %s via %s at %s, about %s?\nType %d (or send) to confirm: ",
		ready, template, plan.Profile.Name, human.Rate(plan.SendRate()), human.Duration(campaign.Estimate(ready, plan.SendRate())), ready)
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	line = strings.TrimSpace(line)
	return line == strconv.Itoa(ready) || strings.EqualFold(line, "send")
}

// finishRun writes the results CSV, prints the summary and returns the exit code.
func finishRun(sess *campaign.Session, snap *engine.Snapshot, stdout, stderr io.Writer) int {
	if err := sess.WriteResults(); err != nil {
		fmt.Fprintln(stderr, "herald:", err)
	}
	tally, err := sess.Tally()
	if err != nil {
		fmt.Fprintln(stderr, "herald:", err)
		return 1
	}
	counts := tally.Rows
	if snap != nil {
		fmt.Fprintf(stdout, "Campaign %s %s after %s", sess.Info.Name, snap.State, human.Duration(snap.Elapsed))
		if snap.Elapsed > 0 && snap.Sent > 0 {
			fmt.Fprintf(stdout, " (%.1f msgs/s)", float64(snap.Sent)/snap.Elapsed.Seconds())
		}
		fmt.Fprintln(stdout)
		if snap.Reason != "" {
			fmt.Fprintln(stdout, "Reason:", snap.Reason)
		}
		fmt.Fprintf(stdout, "This run: %d sent, %d failed, %d unknown, %d retries\n", snap.Sent, snap.Failed, snap.Unknown, snap.Retries)
		if snap.Scheduled > 0 {
			fmt.Fprintf(stdout, "%d of the sent rows are scheduled: the provider sends each when its send window "+
				"opens (result_error says when)\n", snap.Scheduled)
		}
	}
	fmt.Fprintln(stdout, "All rows:")
	writeCounts(stdout, counts)
	if note := tally.EarlierNote(); note != "" {
		fmt.Fprintln(stdout, "Note:", note)
	}
	if f, ok := sess.LiveFunnel(); ok && campaign.FunnelHeard(f) {
		fmt.Fprintln(stdout, "After the send:", campaign.FunnelText(f))
		if f.Replied > 0 {
			fmt.Fprintf(stdout, "%s replied: herald send --followup %s --template FILE sends them a message "+
				"(a session message such as templates/price_list.yaml, within 24 hours of their reply)\n",
				human.People(f.Replied), sess.Info.Name)
		}
	}
	if cost, err := sess.SentCost(); err != nil {
		fmt.Fprintln(stderr, "herald:", err)
	} else if cost != nil {
		fmt.Fprintln(stdout, cost)
	}
	fmt.Fprintln(stdout, "Results CSV:", sess.Input.Plan.OutPath)
	code := campaign.ExitCode(counts, snap != nil && snap.State == status.Stopped)
	if code == campaign.ExitStopped {
		fmt.Fprintln(stdout, "Stopped before the end: run the same command again to resume.")
	}
	return code
}

// ProgressLine is one line of progress for a terminal or a log.
func ProgressLine(s engine.Snapshot) string {
	pct := 0.0
	if s.Total > 0 {
		pct = 100 * float64(s.Done()) / float64(s.Total)
	}
	line := fmt.Sprintf("%s %d/%d (%.0f%%) sent %d failed %d unknown %d in flight %d rate %.1f/s",
		s.State, s.Done(), s.Total, pct, s.Sent, s.Failed, s.Unknown, s.InFlight, s.Rate)
	if s.TargetRate < s.ConfiguredRate {
		line += fmt.Sprintf(" (slowed to %.1f/s)", s.TargetRate)
	}
	if s.ETA > 0 {
		line += " ETA " + human.Duration(s.ETA)
	}
	if w := campaign.WaitingText(s); w != "" {
		line += " - " + w
	}
	if b := campaign.BatchText(s); b != "" {
		line += " - " + b
	}
	if s.Reason != "" {
		line += " - " + s.Reason
	}
	return line
}
