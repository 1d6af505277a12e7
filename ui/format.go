package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"herald/campaign/console"
)

// thousands writes n with comma thousands separators: 1,234,567.
func thousands[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// plural is "1 row" or "3 rows", with thousands separators.
func plural[T ~int | ~int64](n T, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return thousands(n) + " " + word + "s"
}

// fit cuts s to width cells, ending with … when it was longer.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// countsLine is rows per status on one line, in console.WriteCounts' order: "sent 22 · invalid 3".
func countsLine(counts map[string]int) string {
	var b strings.Builder
	console.WriteCounts(&b, counts)
	var parts []string
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			if n, err := strconv.Atoi(f[1]); err == nil {
				parts = append(parts, f[0]+" "+thousands(n))
			}
		}
	}
	if len(parts) == 0 {
		return "no rows"
	}
	return strings.Join(parts, " · ")
}

// fitPath cuts a path to width cells from the left, so its file name stays: …/templates/spring_sale.yaml.
func fitPath(path string, width int) string {
	if over := ansi.StringWidth(path) - width; over > 0 && width > 1 {
		return ansi.TruncateLeft(path, over+1, "…")
	}
	return path
}

// oneLine replaces line breaks with spaces, for cells and list lines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
