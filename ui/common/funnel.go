package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"herald/campaign"
)

// FunnelLine is what the callbacks said after the send, on one line of width cells after prefix (or
// shortPrefix, or nothing, when short of room): every step with its count and share when they fit, else
// without the steps at zero, else with the shares alone, else the last steps give way. withSent starts it with
// the messages sent. No step is ever cut.
func FunnelLine(prefix, shortPrefix string, f campaign.Funnel, width int, withSent bool) string {
	steps := campaign.FunnelSteps(f)
	if !withSent {
		steps = steps[1:]
	}
	var full, nonzero, short []string
	for _, s := range steps {
		full = append(full, s.String())
		if s.Count > 0 || s.Name == "sent" || s.Name == "delivered" {
			nonzero = append(nonzero, s.String())
			short = append(short, s.Short())
		}
	}
	for _, try := range []struct {
		prefix string
		steps  []string
	}{{prefix, full}, {prefix, nonzero}, {shortPrefix, nonzero}, {shortPrefix, short}, {"", short}} {
		if line := try.prefix + strings.Join(try.steps, " · "); ansi.StringWidth(line) <= width {
			return line
		}
	}
	parts := make([]Part, len(short))
	for i, s := range short {
		parts[i] = Part{Full: s}
	}
	return JoinParts(width, " · ", parts...)
}

// FunnelLines is the funnel (sent first) on as many lines of width cells as it takes, each step whole on one
// line.
func FunnelLines(f campaign.Funnel, width int) string {
	var steps []string
	for _, s := range campaign.FunnelSteps(f) {
		steps = append(steps, s.String())
	}
	return strings.Join(WrapParts(steps, " · ", width), "\n")
}

// WrapParts joins parts with sep into lines of at most width cells, breaking only between parts, where a line
// ends with the separator's mark (" ·") to say that the next line goes on; a part longer than width has a line of
// its own.
func WrapParts(parts []string, sep string, width int) []string {
	mark := strings.TrimRight(sep, " ")
	var lines []string
	line := ""
	for i, p := range parts {
		last := i == len(parts)-1
		switch {
		case line == "":
			line = p
		case ansi.StringWidth(line+sep+p) <= width && (last || ansi.StringWidth(line+sep+p+mark) <= width):
			line += sep + p
		default:
			lines = append(lines, line+mark)
			line = p
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
