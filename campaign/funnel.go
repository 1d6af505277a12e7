package campaign

import (
	"fmt"
	"strings"

	"herald/campaign/human"
	"herald/campaign/store"
)

// Funnel is what became of a campaign's messages after the provider accepted them: sent, delivered, read,
// replied, opted out, failed later.
type Funnel = store.Funnel

// FunnelStep is one step of the funnel with its share of the messages sent.
type FunnelStep struct {
	// Name is the step as every screen shows it: sent, delivered, read, replied, opted out, failed later.
	Name  string
	Count int
	// Share is Count over Sent (0 when nothing was sent); 1 for sent itself.
	Share float64
}

// FunnelHeard reports whether any callback said anything about the messages sent: the funnel is worth
// showing.
func FunnelHeard(f Funnel) bool {
	return f.Sent > 0 && f.Delivered+f.Read+f.Replied+f.OptedOut+f.FailedLater > 0
}

// FunnelSteps lists the funnel's steps in the order every screen shows them.
func FunnelSteps(f Funnel) []FunnelStep {
	steps := []FunnelStep{{"sent", f.Sent, 0}, {"delivered", f.Delivered, 0}, {"read", f.Read, 0},
		{"replied", f.Replied, 0}, {"opted out", f.OptedOut, 0}, {"failed later", f.FailedLater, 0}}
	for i := range steps {
		if f.Sent > 0 {
			steps[i].Share = float64(steps[i].Count) / float64(f.Sent)
		}
	}
	return steps
}

// FunnelText is the funnel on one line: "sent 2,000 · delivered 1,900 (95%) · read 1,200 (60%) · ...".
func FunnelText(f Funnel) string {
	var parts []string
	for _, s := range FunnelSteps(f) {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, " · ")
}

// String is the step with its count and share of sent: "delivered 1,900 (95%)"; "sent 2,000" for sent.
func (s FunnelStep) String() string {
	if s.Name == "sent" {
		return fmt.Sprintf("%s %s", s.Name, human.Thousands(s.Count))
	}
	return fmt.Sprintf("%s %s (%s)", s.Name, human.Thousands(s.Count), percent(s.Share))
}

// Short is the step with its share alone, for narrow screens: "delivered 95%"; "sent 2,000" for sent.
func (s FunnelStep) Short() string {
	if s.Name == "sent" {
		return s.String()
	}
	return s.Name + " " + percent(s.Share)
}

// percent is a share as a whole percentage, with one decimal below 10%.
func percent(share float64) string {
	p := share * 100
	if p > 0 && p < 10 {
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", p)
}

// Funnel reads the session's funnel from the store, and keeps it for LiveFunnel.
func (s *Session) Funnel() (Funnel, error) {
	f, err := s.Store.Funnel(s.Info.ID)
	if err != nil {
		return f, err
	}
	s.live.set(f)
	return f, nil
}

// LiveFunnel is the funnel as last read (kept fresh while the run listens for callbacks), without reading the
// store: for a screen's tick. ok is false until it has been read once.
func (s *Session) LiveFunnel() (f Funnel, ok bool) { return s.live.get() }
