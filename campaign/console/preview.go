// Package console is herald without the TUI: the preview, send, sandbox, export and campaigns commands, writing
// plain text for people and scripts. It drives campaign/ directly; no tea.Program is ever started.
package console

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"herald/campaign"
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
	fmt.Fprintf(stdout, "Checked %s: %s with template %s (%s)\n\n", in.Plan.CSVPath, plural(sum.Rows, "row"),
		in.Template.Name, in.Template.Language)
	WriteCounts(stdout, sum.Counts)
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
		fmt.Fprintf(stdout, "\n--- row %d, to +%s ---\n%s", s.Num, s.Number, RenderText(s.Rendered))
		if i == len(res.Samples)-1 {
			fmt.Fprintln(stdout, "---")
		}
	}
	fmt.Fprintf(stdout, "\nResults CSV: %s\n", res.OutPath)
	if n := sum.Counts[campaign.StatusReady]; n > 0 {
		fmt.Fprintf(stdout, "To send the %s: herald send --csv %s --template %s --profile NAME (or herald, the TUI)\n",
			plural(n, "ready row"), in.Plan.CSVPath, in.Plan.TemplatePath)
	}
	if sum.Counts[campaign.StatusInvalid] > 0 {
		return 1
	}
	return 0
}

// statusOrder is the order counts are printed in.
var statusOrder = []string{campaign.StatusReady, campaign.StatusSent, campaign.StatusPending, campaign.StatusFailed,
	campaign.StatusUnknown, campaign.StatusInvalid, campaign.StatusDuplicate, campaign.StatusSkipped,
	campaign.StatusInFlight}

// WriteCounts prints rows per status, the known statuses in a fixed order, any other after them.
func WriteCounts(w io.Writer, counts map[string]int) {
	seen := map[string]bool{}
	for _, st := range statusOrder {
		seen[st] = true
		if n := counts[st]; n > 0 {
			fmt.Fprintf(w, "  %-10s %8d\n", st, n)
		}
	}
	var rest []string
	for st := range counts {
		if !seen[st] && counts[st] > 0 {
			rest = append(rest, st)
		}
	}
	sort.Strings(rest)
	for _, st := range rest {
		fmt.Fprintf(w, "  %-10s %8d\n", st, counts[st])
	}
}

// RenderText is a rendered message as plain text: header, body, footer and buttons, as the recipient reads it.
func RenderText(r campaign.Rendered) string {
	var b strings.Builder
	switch h := r.Header; h.Kind {
	case "":
	case "text":
		fmt.Fprintf(&b, "*%s*\n", h.Text)
	case "location":
		fmt.Fprintf(&b, "[location: %s, %s (%s, %s)]\n", h.Name, h.Address, h.Latitude, h.Longitude)
	case "document":
		fmt.Fprintf(&b, "[document %s: %s]\n", h.Filename, h.Text)
	default:
		fmt.Fprintf(&b, "[%s: %s]\n", h.Kind, h.Text)
	}
	b.WriteString(r.Body)
	b.WriteString("\n")
	if r.Footer != "" {
		fmt.Fprintf(&b, "_%s_\n", r.Footer)
	}
	for _, btn := range r.Buttons {
		if btn.URL != "" {
			fmt.Fprintf(&b, "[ %s ] -> %s\n", btn.Text, btn.URL)
		} else {
			fmt.Fprintf(&b, "[ %s ]\n", btn.Text)
		}
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// fail prints err and returns its exit code: 2 for input errors, 1 otherwise.
func fail(err error, stderr io.Writer) int {
	fmt.Fprintln(stderr, "herald:", err)
	if campaign.IsInputError(err) {
		return 2
	}
	return 1
}
