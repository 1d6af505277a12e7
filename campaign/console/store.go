package console

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"herald/campaign"
)

// Export runs `herald export`: the results CSV of a campaign, from the state store.
func Export(statePath, name, out string, stdout, stderr io.Writer) int {
	path, err := campaign.Export(statePath, name, out)
	if err != nil {
		return fail(err, stderr)
	}
	fmt.Fprintln(stdout, "Results CSV:", path)
	return 0
}

// Campaigns runs `herald campaigns`: past campaigns with their counts per status.
func Campaigns(statePath string, stdout, stderr io.Writer) int {
	list, err := campaign.Campaigns(statePath)
	if err != nil {
		return fail(err, stderr)
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "No campaigns yet.")
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CAMPAIGN\tTEMPLATE\tPROFILE\tSTARTED\tSTATUS\tROWS\tAFTER THE SEND")
	for _, c := range list {
		started := "-"
		if !c.Started.IsZero() {
			started = c.Started.Local().Format("2006-01-02 15:04")
		}
		after := "-"
		if campaign.FunnelHeard(c.Funnel) {
			after = campaign.FunnelText(c.Funnel)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Template, c.Profile, started, c.Status,
			countsText(c.Counts), after)
	}
	tw.Flush()
	return 0
}

// countsText is "sent 10, failed 2" in the order every screen uses.
func countsText(counts map[string]int) string {
	var parts []string
	for _, c := range campaign.OrderedCounts(counts) {
		parts = append(parts, fmt.Sprintf("%s %d", c.Status, c.Count))
	}
	return strings.Join(parts, ", ")
}
