package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/campaign/status"
)

// Requests the summary makes of the root.
type (
	// retryRequestMsg asks to prepare the campaign again with the retryable failures put back in the queue.
	retryRequestMsg struct{}
	// newCampaignMsg asks for the setup, to start another campaign.
	newCampaignMsg struct{}
)

// summaryPane closes a run: what happened in it, the rows per status in the store, the results CSV, and what
// can be done next (send the rest again, start another campaign, quit).
type summaryPane struct {
	common
	campaign, outPath string
	// snap is the run's last snapshot; nil when there was nothing to send.
	snap   *engine.Snapshot
	counts map[string]int
	// notes are the session's notes: rows recovered as unknown, rows put back in the queue.
	notes []string
	// cost is the estimated cost of the messages sent ("" without --prices).
	cost string
	err  error
}

// newSummaryPane returns an empty summary; set fills it.
func newSummaryPane(c common) *summaryPane { return &summaryPane{common: c} }

// set shows the outcome of the session's run (snap nil when nothing was left to send) and the estimated cost
// of the messages sent ("" for none).
func (p *summaryPane) set(sess *campaign.Session, snap *engine.Snapshot, counts map[string]int, cost string, err error) {
	*p = summaryPane{common: p.common, campaign: sess.Info.Name, outPath: sess.Input.Plan.OutPath, snap: snap,
		counts: counts, notes: sess.Notes, cost: cost, err: err}
}

// exitCode is the campaign's exit code as SPEC.md defines it for send.
func (p *summaryPane) exitCode() int {
	return campaign.ExitCode(p.counts, p.snap != nil && p.snap.State == status.Stopped)
}

// Init implements tea.Model.
func (p *summaryPane) Init() tea.Cmd { return nil }

// SetSize implements component.
func (p *summaryPane) SetSize(width, height int) { p.setSize(width, height) }

// Update implements tea.Model.
func (p *summaryPane) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	switch {
	case key.Matches(km, p.keys.Retry) && p.canRetry():
		return p, emit(retryRequestMsg{})
	case key.Matches(km, p.keys.NewCampaign):
		return p, emit(newCampaignMsg{})
	}
	return p, nil
}

// View implements tea.Model.
func (p *summaryPane) View() string {
	st := p.styles
	lines := []string{paragraph(p.common, st.Heading, p.headline())}
	if s := p.snap; s != nil {
		if s.Reason != "" {
			lines = append(lines, paragraph(p.common, st.Muted, "Reason: "+s.Reason))
		}
		lines = append(lines, "", formRow(p.common, "This run", fmt.Sprintf("sent %s · failed %s · unknown %s · retries %s",
			human.Thousands(s.Sent), human.Thousands(s.Failed), human.Thousands(s.Unknown), human.Thousands(s.Retries))))
	}
	lines = append(lines, "", formRow(p.common, "All rows", countsBlock(p.counts)), "",
		formRow(p.common, "Results CSV", p.outPath))
	if p.cost != "" {
		lines = append(lines, formRow(p.common, "Cost", p.cost))
	}
	for _, n := range p.notes {
		lines = append(lines, formRow(p.common, "Note", st.Warn.Render(n)))
	}
	if p.err != nil {
		lines = append(lines, formRow(p.common, "Problem", st.Error.Render(p.err.Error())))
	}
	if next := p.nextSteps(); next != "" {
		lines = append(lines, "", paragraph(p.common, st.Muted, next))
	} else {
		done := "Every ready row was sent."
		switch n := p.counts[status.Invalid]; {
		case n == 1:
			done += " The invalid row was not: the results CSV says why and how to fix it."
		case n > 1:
			done += fmt.Sprintf(" The %s invalid rows were not: the results CSV says why and how to fix them.", human.Thousands(n))
		}
		lines = append(lines, "", paragraph(p.common, st.OK, done))
	}
	return strings.Join(lines, "\n")
}

// headline says how the run ended, how long it took and at what average pace.
func (p *summaryPane) headline() string {
	s := p.snap
	if s == nil {
		return fmt.Sprintf("Campaign %s: nothing left to send.", p.campaign)
	}
	line := fmt.Sprintf("Campaign %s %s in %s", p.campaign, s.State, human.Duration(s.Elapsed))
	if secs := s.Elapsed.Seconds(); secs > 0 && s.Sent > 0 {
		line += " · " + human.Rate(float64(s.Sent)/secs) + " on average"
	}
	return line
}

// canRetry reports whether r has anything to send: rows left, or failures that may pass now.
func (p *summaryPane) canRetry() bool {
	return p.counts[status.Ready]+p.counts[status.Deferred]+p.counts[status.Failed] > 0
}

// nextSteps says what r would send and what to do about unknown outcomes; "" when everything was sent.
func (p *summaryPane) nextSteps() string {
	var steps string
	switch left := p.counts[status.Ready] + p.counts[status.Deferred]; {
	case left > 0:
		steps = fmt.Sprintf("%s not sent yet: r sends them, with the failures that may pass now; nobody is messaged twice", human.Plural(left, "row"))
	case p.counts[status.Failed] > 0:
		steps = "r sends again the failures that may pass now (rate limits, time-outs); the others need the CSV fixed"
	}
	if p.counts[status.Unknown] > 0 {
		steps += fmt.Sprintf(". %s unknown (no answer came): herald --resend-unknown sends them again",
			human.Plural(p.counts[status.Unknown], "row"))
	}
	if steps == "" {
		return ""
	}
	return strings.TrimPrefix(steps, ". ") + "."
}

// ShortHelp implements help.KeyMap.
func (p *summaryPane) ShortHelp() []key.Binding {
	if !p.canRetry() {
		return []key.Binding{p.keys.NewCampaign}
	}
	return []key.Binding{p.keys.Retry, p.keys.NewCampaign}
}

// FullHelp implements help.KeyMap.
func (p *summaryPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
