package campaign

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"herald/campaign/status"
	"herald/campaign/template"
)

// statusOrder is the order rows per status are listed in, everywhere.
var statusOrder = []string{status.Ready, status.Sent, status.Pending, status.Deferred, status.Failed,
	status.Unknown, status.Invalid, status.Duplicate, status.Suppressed, status.Skipped, status.InFlight}

// StatusCount is how many rows have one status.
type StatusCount struct {
	Status string
	Count  int
}

// OrderedCounts lists rows per status, the known statuses in a fixed order, any other after them by name;
// statuses with no rows are left out.
func OrderedCounts(counts map[string]int) []StatusCount {
	seen := map[string]bool{}
	var out []StatusCount
	for _, st := range statusOrder {
		seen[st] = true
		if n := counts[st]; n > 0 {
			out = append(out, StatusCount{st, n})
		}
	}
	var rest []string
	for st, n := range counts {
		if !seen[st] && n > 0 {
			rest = append(rest, st)
		}
	}
	sort.Strings(rest)
	for _, st := range rest {
		out = append(out, StatusCount{st, counts[st]})
	}
	return out
}

// RenderText is a rendered message as plain text: header, body, footer and buttons (or a list message's list),
// as the recipient reads it, with the link of a URL button and the payload a quick reply sends back when it is
// tapped. A session message shows the same way: a text message as its body, a media message as its media and
// caption, a location as its header.
func RenderText(r template.Rendered) string {
	var b strings.Builder
	switch h := r.Header; h.Kind {
	case "":
	case "text":
		fmt.Fprintf(&b, "*%s*\n", h.Text)
	case "location":
		place := strings.Join(nonEmpty(h.Name, h.Address), ", ")
		if place != "" {
			place += " "
		}
		fmt.Fprintf(&b, "[location: %s(%s, %s)]\n", place, h.Latitude, h.Longitude)
	case "document":
		fmt.Fprintf(&b, "[document %s: %s]\n", h.Filename, h.Text)
	default:
		fmt.Fprintf(&b, "[%s: %s]\n", h.Kind, h.Text)
	}
	if r.Body != "" {
		b.WriteString(r.Body)
		b.WriteString("\n")
	}
	if r.Footer != "" {
		fmt.Fprintf(&b, "_%s_\n", r.Footer)
	}
	for _, btn := range r.Buttons {
		switch {
		case btn.URL != "":
			fmt.Fprintf(&b, "[ %s ] -> %s\n", btn.Text, btn.URL)
		case btn.Payload != "":
			fmt.Fprintf(&b, "[ %s ] (payload %s)\n", btn.Text, btn.Payload)
		default:
			fmt.Fprintf(&b, "[ %s ]\n", btn.Text)
		}
	}
	if l := r.List; l != nil {
		fmt.Fprintf(&b, "[ %s ] opens the list:\n", l.Button)
		for _, s := range l.Sections {
			if s.Title != "" {
				fmt.Fprintf(&b, "  %s\n", s.Title)
			}
			for _, row := range s.Rows {
				if row.Description != "" {
					fmt.Fprintf(&b, "  - %s: %s\n", row.Title, row.Description)
				} else {
					fmt.Fprintf(&b, "  - %s\n", row.Title)
				}
			}
		}
	}
	return b.String()
}

// nonEmpty returns the strings of ss that are not empty.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Estimate is how long sending n messages takes at rate r; 0 when the rate is unlimited.
func Estimate(n int, r float64) time.Duration {
	if r <= 0 || math.IsInf(r, 1) {
		return 0
	}
	return time.Duration(float64(n) / r * float64(time.Second))
}
