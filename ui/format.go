package ui

import (
	"fmt"
	"herald/campaign"
	"herald/campaign/human"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fit cuts s to width cells, ending with … when it was longer.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// countsLine is rows per status on one line, in the order every screen uses: "sent 22 · invalid 3".
func countsLine(counts map[string]int) string {
	var parts []string
	for _, c := range campaign.OrderedCounts(counts) {
		parts = append(parts, c.Status+" "+human.Thousands(c.Count))
	}
	if len(parts) == 0 {
		return "no rows"
	}
	return strings.Join(parts, " · ")
}

// countsBlock is rows per status, one a line, the counts aligned: "sent            22".
func countsBlock(counts map[string]int) string {
	var lines []string
	for _, c := range campaign.OrderedCounts(counts) {
		lines = append(lines, fmt.Sprintf("%-10s %8d", c.Status, c.Count))
	}
	return strings.Join(lines, "\n")
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
