package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"herald/campaign"
)

// TestFunnelLineFitsWithoutCuttingAStep: at every width the line fits, and each step shows whole (its count
// and share, or its share alone), never cut; the counts come first, the steps at zero give way before the
// others.
func TestFunnelLineFitsWithoutCuttingAStep(t *testing.T) {
	f := campaign.Funnel{Sent: 13002, Delivered: 12544, Read: 8213, Replied: 412, FailedLater: 96}
	whole := map[string]bool{}
	for _, s := range campaign.FunnelSteps(f) {
		whole[s.String()], whole[s.Short()] = true, true
	}
	for width := 24; width <= 200; width++ {
		line := FunnelLine("After the send: ", "After: ", f, width, false)
		if ansi.StringWidth(line) > width {
			t.Fatalf("width %d: %q is %d wide", width, line, ansi.StringWidth(line))
		}
		steps := strings.TrimPrefix(strings.TrimPrefix(line, "After the send: "), "After: ")
		for _, step := range strings.Split(steps, " · ") {
			if !whole[step] {
				t.Fatalf("width %d: step %q of %q is cut", width, step, line)
			}
		}
	}
	for width, want := range map[int]string{
		200: "After the send: delivered 12,544 (96%) · read 8,213 (63%) · replied 412 (3.2%) · opted out 0 (0%) · failed later 96 (0.7%)",
		110: "After the send: delivered 12,544 (96%) · read 8,213 (63%) · replied 412 (3.2%) · failed later 96 (0.7%)",
		78:  "After: delivered 96% · read 63% · replied 3.2% · failed later 0.7%",
		40:  "delivered 96% · read 63% · replied 3.2%",
	} {
		if got := FunnelLine("After the send: ", "After: ", f, width, false); got != want {
			t.Errorf("width %d:\n got %q\nwant %q", width, got, want)
		}
	}
}

// TestFunnelLinesBreakBetweenSteps: on a narrow summary the funnel wraps between steps, each step whole.
func TestFunnelLinesBreakBetweenSteps(t *testing.T) {
	f := campaign.Funnel{Sent: 200, Delivered: 194, Read: 115, Replied: 2, OptedOut: 2, FailedLater: 6}
	want := "sent 200 · delivered 194 (97%) · read 115 (57%) ·\nreplied 2 (1.0%) · opted out 2 (1.0%) ·\nfailed later 6 (3.0%)"
	if got := FunnelLines(f, 50); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
