// Package console is herald without the TUI: the preview, send, sandbox, export and campaigns commands, writing
// plain text for people and scripts. It drives campaign/ directly; no tea.Program is ever started.
package console

import (
	"context"
	"fmt"
	"io"

	"herald/campaign"
	"herald/campaign/human"
	"herald/campaign/status"
)

// sampleCount is how many rendered messages a preview prints.
const sampleCount = 3

// Preview runs `herald preview`: checks every row, writes the results CSV, prints a summary and the first
// rendered messages. It returns the exit code: 0 when every row is ready, 1 when some are not, 2 on input errors.
func Preview(ctx context.Context, plan campaign.Plan, stdout, stderr io.Writer) int {
	in, err := campaign.Open(plan)
	if err != nil {
		return fail(err, stderr)
	}
	defer in.Close()
	res, err := campaign.Preview(ctx, in, sampleCount, nil)
	if err != nil {
		return fail(err, stderr)
	}
	sum := res.Summary
	what := fmt.Sprintf("template %s (%s)", in.Template.Name, in.Template.Language)
	if in.Template.IsSession() {
		what = fmt.Sprintf("session message %s (%s)", in.Template.Name, in.Template.SessionKind())
	}
	fmt.Fprintf(stdout, "Checked %s: %s with %s\n\n", in.Plan.CSVPath, human.Plural(sum.Rows, "row"), what)
	writeCounts(stdout, sum.Counts)
	if len(sum.Problems) > 0 {
		fmt.Fprintln(stdout, "\nMost common problems:")
		for i, p := range sum.Problems {
			if i == 5 {
				fmt.Fprintf(stdout, "  ... and %d more kinds: see the results CSV\n", len(sum.Problems)-5)
				break
			}
			fmt.Fprintf(stdout, "  %-18s %6d  e.g. %s\n", p.Code, p.Count, p.Reason)
		}
	}
	for i, s := range res.Samples {
		note := ""
		if s.Status == status.Skipped {
			note = " (skipped: it goes only if they write before its turn)"
		}
		fmt.Fprintf(stdout, "\n--- row %d, to +%s%s ---\n%s", s.Num, s.Number, note, campaign.RenderText(s.Rendered))
		if i == len(res.Samples)-1 {
			fmt.Fprintln(stdout, "---")
		}
	}
	if line := res.Schedule.String(); res.Schedule.Waiting() > 0 {
		if res.ScheduledBy != "" {
			line += "; send hands the later rows to " + res.ScheduledBy + " at once, and it sends each when its time comes"
		}
		fmt.Fprintf(stdout, "\nWhen: %s\n", line)
	}
	if res.Cost != nil {
		fmt.Fprintf(stdout, "\n%s\n", res.Cost)
	}
	fmt.Fprintf(stdout, "\nResults CSV: %s\n", res.OutPath)
	if n := sum.Counts[status.Ready] + sum.Counts[status.Deferred]; n > 0 {
		profile := in.Plan.Profile.Name
		if profile == "" {
			profile = "NAME"
		}
		recipients := "--csv " + in.Plan.CSVPath
		if in.Plan.FollowUp != "" {
			recipients = "--followup " + in.Plan.FollowUp
		}
		fmt.Fprintf(stdout, "To send the %s: herald send %s --template %s --profile %s (or herald, the TUI)\n",
			human.Plural(n, "row"), recipients, in.Plan.TemplatePath, profile)
	}
	if sum.Counts[status.Invalid] > 0 {
		return 1
	}
	return 0
}

// writeCounts prints rows per status, one a line, in the order every screen uses.
func writeCounts(w io.Writer, counts map[string]int) {
	for _, c := range campaign.OrderedCounts(counts) {
		fmt.Fprintf(w, "  %-10s %8d\n", c.Status, c.Count)
	}
}

// fail prints err and returns its exit code: 2 for input errors, 1 otherwise.
func fail(err error, stderr io.Writer) int {
	fmt.Fprintln(stderr, "herald:", err)
	return max(campaign.ExitFor(err), campaign.ExitPartial)
}
