package common

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"herald/campaign"
	"herald/campaign/guards"
	"herald/campaign/human"
)

// Fit cuts s to width cells, ending with … when it was longer. It is for cells of a table, names and paths,
// never for sentences: those wrap (lipgloss Width) or shorten by words (FitWords).
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// FitWords shortens a sentence to width cells at a word boundary, ending with …; a sentence that fits is
// returned as it is. The words kept keep their spacing and styles.
func FitWords(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	plain := ansi.Strip(s)
	keep := -1 // the cells of the longest run of whole words that fits with the …
	for i, r := range plain {
		if r != ' ' {
			continue
		}
		w := ansi.StringWidth(strings.TrimRight(plain[:i], " ,;:·-"))
		if w+1 > width {
			break
		}
		if w > 0 {
			keep = w
		}
	}
	if keep <= 0 {
		return Fit(s, width)
	}
	out := ansi.Truncate(s, keep, "") + "…"
	if plain != s { // the cut may fall inside a style: end it
		out += ansi.ResetStyle
	}
	return out
}

// WrapWords wraps text to width cells on at most maxLines lines; past them, the last line ends with … at a
// word boundary.
func WrapWords(text string, width, maxLines int) []string {
	lines := strings.Split(lipgloss.NewStyle().Width(width).Render(text), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	if len(lines) <= maxLines {
		return lines
	}
	rest := strings.Join(lines[maxLines-1:], " ")
	return append(lines[:maxLines-1], FitWords(rest, width))
}

// Part is one piece of a line that shortens to fit: Full when there is room, else Short (when it has one),
// else nothing.
type Part struct {
	Full, Short string
}

// JoinParts joins parts with sep within width cells: it takes the short form of parts from the last one
// back, then drops parts from the last one back, until the line fits; the first part is kept, cut by words
// at worst. No part is ever cut in the middle of a word.
func JoinParts(width int, sep string, parts ...Part) string {
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = p.Full
	}
	join := func() string {
		var kept []string
		for _, t := range texts {
			if t != "" {
				kept = append(kept, t)
			}
		}
		return strings.Join(kept, sep)
	}
	for i := len(parts) - 1; i >= 1 && ansi.StringWidth(join()) > width; i-- {
		if parts[i].Short != "" {
			texts[i] = parts[i].Short
		}
	}
	for i := len(parts) - 1; i >= 1 && ansi.StringWidth(join()) > width; i-- {
		texts[i] = ""
	}
	return FitWords(join(), width)
}

// CountsLine is rows per status on one line, in the order every screen uses: "sent 22 · invalid 3".
func CountsLine(counts map[string]int) string {
	var parts []string
	for _, c := range campaign.OrderedCounts(counts) {
		parts = append(parts, c.Status+" "+human.Thousands(c.Count))
	}
	if len(parts) == 0 {
		return "no rows"
	}
	return strings.Join(parts, " · ")
}

// CountsBlock is rows per status, one a line, the counts aligned: "sent            22".
func CountsBlock(counts map[string]int) string {
	var lines []string
	for _, c := range campaign.OrderedCounts(counts) {
		lines = append(lines, fmt.Sprintf("%-10s %8s", c.Status, human.Thousands(c.Count)))
	}
	return strings.Join(lines, "\n")
}

// FitPath cuts a path to width cells from the left, so its file name stays: …/templates/spring_sale.yaml.
func FitPath(path string, width int) string {
	if over := ansi.StringWidth(path) - width; over > 0 && width > 1 {
		return ansi.TruncateLeft(path, over+1, "…")
	}
	return path
}

// OneLine replaces line breaks with spaces, for cells and list lines.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// OrText is s, or alt when s is empty.
func OrText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// At is when t comes, for a row that waits, in the local time of the computer: "14:00" today, "tomorrow
// 09:00", else "Mon 7 Apr 09:00"; now is the time the screen goes by.
func At(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	y, m, d := now.Date()
	switch midnight := time.Date(y, m, d+1, 0, 0, 0, 0, time.Local); {
	case t.Before(midnight):
		return t.Format("15:04")
	case t.Before(midnight.AddDate(0, 0, 1)):
		return "tomorrow " + t.Format("15:04")
	}
	return t.Format("Mon 2 Jan 15:04")
}

// AtPhrase is At as words in a sentence: "at 14:00", "tomorrow at 09:00", "on Mon 7 Apr at 09:00".
func AtPhrase(t, now time.Time) string {
	at := At(t, now)
	day, clock, ok := strings.Cut(at, " ")
	switch {
	case !ok:
		return "at " + at
	case day == "tomorrow":
		return "tomorrow at " + clock
	}
	i := strings.LastIndex(at, " ")
	return "on " + at[:i] + " at " + at[i+1:]
}

// Amounts is an estimate's totals, one per currency: "0.74 USD", "0.74 USD + 1.20 EUR"; "unknown" when no row
// had a price.
func Amounts(e *guards.Estimate) string {
	var amounts []string
	for _, a := range e.Totals() {
		amounts = append(amounts, a.String())
	}
	return OrText(strings.Join(amounts, " + "), "unknown")
}
