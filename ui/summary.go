package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/ui/common"
	"herald/ui/history"
)

// Requests the summary makes of the root.
type (
	// retryRequestMsg asks to prepare the campaign again with its retryable failures put back in the queue
	// (the rows not sent yet go too).
	retryRequestMsg struct{}
	// resendUnknownRequestMsg asks to prepare the campaign again with its unknown rows put back in the queue.
	resendUnknownRequestMsg struct{}
	// newCampaignMsg asks for the setup, to start another campaign.
	newCampaignMsg struct{}
)

// summaryPane closes a run: what happened in it, the rows per status in the store, the results CSV (its path
// can be copied), and what can be done next (send the rest, retry the failures that may pass now, resend the
// unknown rows, start another campaign, follow up the people who replied). The funnel and the cost, once the
// run's record has them, go under "All rows".
type summaryPane struct {
	common.Common
	campaign, outPath string
	// statePath is the campaign's state store, for a follow-up of the people who replied.
	statePath string
	// snap is the run's last snapshot; nil when there was nothing to send.
	snap   *engine.Snapshot
	counts map[string]int
	// retryable counts the failures that may pass if sent again.
	retryable int
	// funnel is what the providers' callbacks said; note what earlier versions of the CSV messaged.
	funnel campaign.Funnel
	note   string
	// cost is the estimated cost of the messages sent ("" without --prices).
	cost string
	err  error
	// waited is set when rows of the run waited for their time: the run's length is not its pace.
	waited bool
}

// newSummaryPane returns an empty summary; set fills it.
func newSummaryPane(c common.Common) *summaryPane { return &summaryPane{Common: c} }

// set shows the outcome of the session's run (snap nil when nothing was left to send); waited says rows of the
// run waited for their time.
func (p *summaryPane) set(sess *campaign.Session, snap *engine.Snapshot, done finishedMsg, err error, waited bool) {
	*p = summaryPane{Common: p.Common, campaign: sess.Info.Name, outPath: done.outAbs, statePath: done.statePath,
		snap:   snap,
		counts: done.counts, retryable: done.retryable, funnel: done.funnel, note: done.note, cost: done.cost,
		err: err, waited: waited}
}

// exitCode is the campaign's exit code as SPEC.md defines it for send.
func (p *summaryPane) exitCode() int {
	return campaign.ExitCode(p.counts, p.snap != nil && p.snap.State == status.Stopped)
}

// Init implements tea.Model.
func (p *summaryPane) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (p *summaryPane) SetSize(width, height int) { p.Common.SetSize(width, height) }

// Update implements tea.Model.
func (p *summaryPane) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	k := p.Keys
	switch {
	case key.Matches(km, k.Retry) && p.canRetry():
		return p, common.Emit(retryRequestMsg{})
	case key.Matches(km, k.ResendUnknown) && p.counts[status.Unknown] > 0:
		return p, common.Emit(resendUnknownRequestMsg{})
	case key.Matches(km, k.Copy):
		return p, common.Emit(common.CopyMsg{Text: p.outPath})
	case key.Matches(km, k.NewCampaign):
		return p, common.Emit(newCampaignMsg{})
	case key.Matches(km, k.FollowUp) && p.funnel.Replied > 0:
		return p, common.Emit(history.FollowUpMsg{StatePath: p.statePath, Campaign: p.campaign})
	}
	return p, nil
}

// View implements tea.Model.
func (p *summaryPane) View() string {
	st := p.Styles
	lines := []string{p.Paragraph(st.Heading, p.headline())}
	if s := p.snap; s != nil {
		if s.Reason != "" {
			lines = append(lines, p.Paragraph(st.Muted, "Reason: "+s.Reason))
		}
		lines = append(lines, "", p.FormRow("This run", fmt.Sprintf("sent %s · failed %s · unknown %s · retries %s",
			human.Thousands(s.Sent), human.Thousands(s.Failed), human.Thousands(s.Unknown), human.Thousands(s.Retries))))
	}
	lines = append(lines, "", p.FormRow("All rows", common.CountsBlock(p.counts)), "",
		p.FormRow("Results CSV", p.outPath+"\n"+st.Muted.Render("c copies the path to the clipboard")))
	if p.cost != "" {
		lines = append(lines, p.FormRow("Cost", p.cost))
	}
	if campaign.FunnelHeard(p.funnel) {
		lines = append(lines, p.FormRow("Afterwards", common.FunnelLines(p.funnel, p.ValueWidth())))
	}
	if p.note != "" {
		lines = append(lines, p.FormRow("Note", st.Warn.Render(p.note)))
	}
	if p.err != nil {
		lines = append(lines, p.FormRow("Problem", st.Error.Render(p.err.Error())))
	}
	if next := p.nextSteps(); next != "" {
		lines = append(lines, "", p.Paragraph(st.Muted, next))
	} else {
		done := "Every ready row was sent."
		switch n := p.counts[status.Invalid]; {
		case n == 1:
			done += " The invalid row was not: the results CSV says why and how to fix it."
		case n > 1:
			done += fmt.Sprintf(" The %s invalid rows were not: the results CSV says why and how to fix them.", human.Thousands(n))
		}
		lines = append(lines, "", p.Paragraph(st.OK, done))
	}
	if n := p.funnel.Replied; n > 0 {
		lines = append(lines, "", p.Paragraph(st.Muted, fmt.Sprintf("%s replied: o follows them up with a "+
			"message of your choice (a session message reaches them within 24 hours of their last message).", human.People(n))))
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
	if s.Paused >= time.Second {
		line += " (paused " + human.Duration(s.Paused) + ")"
	}
	switch secs := (s.Elapsed - s.Paused).Seconds(); {
	case p.waited:
		line += " (rows waited for their time)"
	case secs > 0 && s.Sent > 0:
		line += " · " + human.Rate(float64(s.Sent)/secs) + " on average"
	}
	return line
}

// canRetry reports whether r has anything to send: rows left, or failures that may pass now.
func (p *summaryPane) canRetry() bool {
	return p.counts[status.Ready]+p.counts[status.Deferred]+p.retryable > 0
}

// nextSteps says what r and u would send; "" when everything was sent.
func (p *summaryPane) nextSteps() string {
	var steps []string
	switch left := p.counts[status.Ready] + p.counts[status.Deferred]; {
	case left > 0 && p.retryable > 0:
		steps = append(steps, fmt.Sprintf("%s not sent yet: r sends them (with the failures that may pass now); nobody is messaged twice.",
			human.Plural(left, "row")))
	case left > 0:
		steps = append(steps, fmt.Sprintf("%s not sent yet: r sends them; nobody is messaged twice.", human.Plural(left, "row")))
	case p.retryable > 0:
		steps = append(steps, fmt.Sprintf("%s may pass if sent again (rate limits, time-outs): r retries them.",
			human.Plural(p.retryable, "failure")))
	}
	if other := p.counts[status.Failed] - p.retryable; other > 0 {
		steps = append(steps, fmt.Sprintf("%s will not pass as they are: the results CSV says why.", human.Plural(other, "failure")))
	}
	if n := p.counts[status.Unknown]; n > 0 {
		steps = append(steps, fmt.Sprintf("%s unknown (the request left, no answer came; they may have been sent): u sends them again.",
			human.Plural(n, "row")))
	}
	return strings.Join(steps, " ")
}

// ShortHelp implements help.KeyMap.
func (p *summaryPane) ShortHelp() []key.Binding {
	k := p.Keys
	var keys []key.Binding
	switch {
	case p.counts[status.Ready]+p.counts[status.Deferred] > 0:
		keys = append(keys, common.WithHelp(k.Retry, "send the rest"))
	case p.canRetry():
		keys = append(keys, k.Retry)
	}
	if p.counts[status.Unknown] > 0 {
		keys = append(keys, k.ResendUnknown)
	}
	if p.funnel.Replied > 0 {
		keys = append(keys, k.FollowUp)
	}
	return append(keys, k.Copy, k.NewCampaign)
}

// FullHelp implements help.KeyMap.
func (p *summaryPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
