package console

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"herald/campaign"
)

// Export runs `herald export`: the results CSV of a campaign, from the state store.
func Export(statePath, name, out string, stdout, stderr io.Writer) int {
	if name == "" {
		return fail(campaign.InputError(fmt.Errorf("pass --campaign NAME (herald campaigns lists them)")), stderr)
	}
	st, err := openExisting(statePath)
	if err != nil {
		return fail(err, stderr)
	}
	defer st.Close()
	info, ok, err := st.Campaign(name)
	if err != nil {
		return fail(err, stderr)
	}
	if !ok {
		return fail(campaign.InputError(fmt.Errorf("no campaign %q in %s: herald campaigns lists the campaigns there", name, statePath)), stderr)
	}
	if out == "" {
		out = campaign.DefaultResultsPath(info.CSVPath, info.Name)
	}
	if err := campaign.ExportResults(st, info, out); err != nil {
		return fail(err, stderr)
	}
	fmt.Fprintln(stdout, "Results CSV:", out)
	return 0
}

// Campaigns runs `herald campaigns`: past campaigns with their counts per status.
func Campaigns(statePath string, stdout, stderr io.Writer) int {
	st, err := openExisting(statePath)
	if err != nil {
		return fail(err, stderr)
	}
	defer st.Close()
	list, err := st.Campaigns()
	if err != nil {
		return fail(err, stderr)
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "No campaigns yet.")
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CAMPAIGN\tTEMPLATE\tPROFILE\tSTARTED\tSTATUS\tROWS")
	for _, c := range list {
		started := "-"
		if !c.Started.IsZero() {
			started = c.Started.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Template, c.Profile, started, c.Status, countsText(c.Counts))
	}
	tw.Flush()
	return 0
}

// countsText is "sent 10, failed 2" in a stable order.
func countsText(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}

// openExisting opens the state store only if it exists, so export and campaigns never create one.
func openExisting(path string) (*campaign.Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, campaign.InputError(fmt.Errorf("no state store at %s: no campaign has been sent with it yet (pass --state FILE if it is elsewhere)", path))
	}
	return campaign.OpenStore(path)
}
