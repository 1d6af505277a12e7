package dashboard

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"herald/campaign/engine"
	"herald/ui/common"
)

// TestSparklineShowsThePaceAgainstTheRate: a full block is the configured rate, paused seconds are dots, and
// a long history is folded into the room there is.
func TestSparklineShowsThePaceAgainstTheRate(t *testing.T) {
	st := common.New().Styles
	s := engine.Snapshot{ConfiguredRate: 20, History: []engine.RatePoint{{Sent: 20, Target: 20}, {Sent: 10, Target: 20},
		{Sent: 0, Target: 20, Paused: true}, {Sent: 0, Target: 20}}}
	if got, want := sparkline(s, 60, st), "pace █▅·▁ last 4s · █ = 20/s"; got != want {
		t.Errorf("sparkline = %q, want %q", got, want)
	}
	s.History = make([]engine.RatePoint, 300)
	for i := range s.History {
		s.History[i] = engine.RatePoint{Sent: 20, Target: 20}
	}
	got := sparkline(s, 60, st)
	if w := lipgloss.Width(got); w > 60 || !strings.Contains(got, "last 5m00s") {
		t.Errorf("300 seconds in 60 columns: %q (%d wide)", got, w)
	}
	if got := sparkline(engine.Snapshot{ConfiguredRate: 20}, 60, st); got != "pace …" {
		t.Errorf("no history yet: %q", got)
	}
}
