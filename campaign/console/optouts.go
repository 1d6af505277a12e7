package console

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"herald/campaign"
	"herald/campaign/human"
)

// OptOutsOptions are the arguments of `herald optouts`.
type OptOutsOptions struct {
	// Verb is list, add, remove, import or export; Args its arguments (numbers, or the file).
	Verb string
	Args []string
	// StatePath is the state store; Region the default country for numbers written without one; Note is kept
	// with numbers added by hand.
	StatePath, Region, Note string
}

// OptOuts runs `herald optouts list|add|remove|import|export`.
func OptOuts(o OptOutsOptions, stdout, stderr io.Writer) int {
	switch o.Verb {
	case "list":
		return listOptOuts(o.StatePath, stdout, stderr)
	case "add", "remove":
		change, done := campaign.AddOptOuts, "added"
		if o.Verb == "remove" {
			change, done = func(state string, numbers []string, region, _ string) (int, error) {
				return campaign.RemoveOptOuts(state, numbers, region)
			}, "removed"
		}
		n, err := change(o.StatePath, o.Args, o.Region, o.Note)
		if err != nil {
			return fail(err, stderr)
		}
		fmt.Fprintf(stdout, "%s %s (%d given)\n", human.Plural(n, "number"), done, len(o.Args))
		return 0
	case "import", "export":
		if len(o.Args) != 1 {
			return fail(campaign.InputError(fmt.Errorf("herald optouts %s takes one file: herald optouts %s FILE.csv", o.Verb, o.Verb)), stderr)
		}
		if o.Verb == "export" {
			n, err := campaign.ExportOptOuts(o.StatePath, o.Args[0])
			if err != nil {
				return fail(err, stderr)
			}
			fmt.Fprintf(stdout, "%s written to %s\n", human.Plural(n, "number"), o.Args[0])
			return 0
		}
		added, total, err := campaign.ImportOptOuts(o.Args[0], o.StatePath, o.Region)
		if err != nil {
			return fail(err, stderr)
		}
		fmt.Fprintf(stdout, "%s added from %s", human.Plural(added, "number"), o.Args[0])
		if added < total {
			fmt.Fprintf(stdout, " (%d in the file; the others were on the list already)", total)
		}
		fmt.Fprintln(stdout)
		return 0
	}
	return fail(campaign.InputError(fmt.Errorf("herald optouts %q: use list, add NUMBER..., remove NUMBER..., import FILE or export FILE", o.Verb)), stderr)
}

// listOptOuts prints the opt-out list as a table.
func listOptOuts(statePath string, stdout, stderr io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	n := 0
	err := campaign.EachOptOut(statePath, func(o campaign.OptOut) error {
		if n == 0 {
			fmt.Fprintln(tw, "NUMBER\tADDED\tSOURCE\tNOTE")
		}
		n++
		_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.Number, o.Added.Local().Format(time.DateTime), o.Source, printable(o.Note))
		return err
	})
	if err != nil {
		return fail(err, stderr)
	}
	tw.Flush()
	if n == 0 {
		fmt.Fprintln(stdout, "The opt-out list is empty.")
		return 0
	}
	fmt.Fprintf(stdout, "%s on the opt-out list.\n", human.Plural(n, "number"))
	return 0
}

// printable is text from outside (a reply) made safe to print on a terminal: control characters (escape
// sequences, tabs, line breaks) become spaces.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
