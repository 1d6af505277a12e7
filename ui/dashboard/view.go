package dashboard

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/ui/common"
)

// dashboardHead is the lines above the failures and events: title, bar, counts, pace, sparkline, banner,
// spacing.
const dashboardHead = 7

// sideBySide is the width from which the failures and the events sit side by side.
const sideBySide = 120

// paneChrome is what a framed list adds around its lines: the border and the title line.
const paneChrome = 3

// SetSize implements common.Component.
func (d *Model) SetSize(width, height int) {
	d.Common.SetSize(width, height)
	d.bar.Width = max(width-2-len(" 100%  of ")-2*len("1,000,000"), 10)
	d.layout()
	d.refresh(d.snap)
}

// layout sizes the panes: the failures and the events, and the rows that wait when some do. A framed list adds
// 4 columns (border and padding) and paneChrome lines to its lines. Side by side, the failures take three
// fifths of the width (their lines are longer) and the rows that wait sit over the events; one above the
// other, the failures and the events share the height, or, with rows that wait, the failures take a third
// (one line while there are none) and the rest is shared.
func (d *Model) layout() {
	room := max(d.Height-dashboardHead, 3*paneChrome+3)
	waiting := d.waiting.show(d.snap)
	if d.Width >= sideBySide {
		failWidth := d.Width * 3 / 5
		d.failures.setSize(failWidth-4, room-paneChrome)
		d.events.Width, d.events.Height = d.Width-failWidth-1-4, room-paneChrome
		d.waitingWidth, d.waitingHeight = d.events.Width, 0
		if waiting {
			inner := room - 2*paneChrome
			d.waitingHeight = max(inner/2, 1)
			d.events.Height = max(inner-d.waitingHeight, 1)
		}
		return
	}
	d.waitingWidth, d.waitingHeight = d.Width-4, 0
	if !waiting {
		d.failures.setSize(d.Width-4, max((room-2*paneChrome)/2, 1))
		d.events.Width, d.events.Height = d.Width-4, max(room-2*paneChrome-d.failures.height, 1)
		return
	}
	inner := room - 3*paneChrome
	failures := max(inner/3, 2) // a group's heading and its newest row
	if d.snap.Failed+d.snap.Unknown == 0 {
		failures = 1
	}
	d.failures.setSize(d.Width-4, failures)
	d.waitingHeight = max((inner-d.failures.height+1)/2, 1) // the odd line to the rows that wait
	d.events.Width, d.events.Height = d.Width-4, max(inner-d.failures.height-d.waitingHeight, 1)
}

// View implements tea.Model.
func (d *Model) View() string {
	failures := d.list(focusFailures, d.failuresTitle(), d.failures.view(d.focus == focusFailures))
	events := d.list(focusEvents, "Events · newest first", d.events.View())
	right := []string{events}
	if d.waitingHeight > 0 {
		right = append([]string{d.waitingPane()}, right...)
	}
	lists := lipgloss.JoinVertical(lipgloss.Left, append([]string{failures}, right...)...)
	if d.Width >= sideBySide {
		lists = lipgloss.JoinHorizontal(lipgloss.Top, failures, " ", lipgloss.JoinVertical(lipgloss.Left, right...))
	}
	return lipgloss.JoinVertical(lipgloss.Left, strings.Join(d.headLines(), "\n"), lists)
}

// waitingPane is the framed list of the rows that wait, in its room.
func (d *Model) waitingPane() string {
	lines := d.waiting.lines(d.snap, d.waitingWidth, d.Styles)
	if len(lines) > d.waitingHeight {
		lines = lines[:d.waitingHeight]
	}
	body := lipgloss.NewStyle().Width(d.waitingWidth).Height(d.waitingHeight).Render(strings.Join(lines, "\n"))
	return d.list(focusWaiting, d.waiting.title(d.snap, d.waitingWidth-2), body)
}

// headLines are the lines above the lists, each fitted to the width by shortening, never by cutting a word:
// the title, the progress bar, the counts, the pace, its sparkline, the banner and the funnel (when listening
// for receipts).
func (d *Model) headLines() []string {
	st := d.Styles
	s := d.snap
	width := d.Width - 2
	state := st.StatusStyle(s.State).Render(strings.ToUpper(s.State))
	title := common.Fit(" "+d.title, d.Width-lipgloss.Width(state)-2)
	return []string{
		title + strings.Repeat(" ", max(d.Width-lipgloss.Width(title)-lipgloss.Width(state)-1, 1)) + state,
		" " + d.bar.ViewAs(progressOf(s)) + st.Muted.Render(fmt.Sprintf("  %s of %s", human.Thousands(s.Done()), human.Thousands(s.Total))),
		" " + countsText(s, width),
		" " + paceText(s, width),
		" " + sparkline(s, width, st),
		" " + d.banner(),
		" " + d.funnelText(width),
	}
}

// funnelText is what the callbacks said so far about the messages sent (on the counts line), when the run
// listens for them ("" otherwise), fitted to width.
func (d *Model) funnelText(width int) string {
	if d.Funnel == nil {
		return ""
	}
	if f, ok := d.Funnel(); ok && campaign.FunnelHeard(f) {
		return d.Styles.Muted.Render(common.FunnelLine("After the send: ", "After: ", f, width, false))
	}
	return ""
}

// failuresTitle is the failures pane's title: how many, in how many groups.
func (d *Model) failuresTitle() string {
	s := d.snap
	if s.Failed+s.Unknown == 0 {
		return "Failures · none"
	}
	title := "Failures · " + human.Thousands(s.Failed+s.Unknown)
	if n := len(s.FailureGroups); n > 1 {
		title += fmt.Sprintf(" in %d groups", n)
	}
	return common.FitWords(title+" · by code, newest rows first", d.failures.width-2)
}

// list frames one list with its title; the focused one is marked.
func (d *Model) list(which dashFocus, title, body string) string {
	st := d.Styles
	frame, marker := st.Pane, "  "
	if which == d.focus {
		frame, marker = st.PaneFocused, st.Focused.Render("▸ ")
	}
	return frame.Render(lipgloss.JoinVertical(lipgloss.Left, marker+st.Heading.Render(title), body))
}

// progressOf is the share of the run's rows that have an outcome.
func progressOf(s engine.Snapshot) float64 {
	if s.Total <= 0 {
		return 0
	}
	return float64(s.Done()) / float64(s.Total)
}

// countsText is the run's outcomes so far, fitted to width: the rows a guard suppressed when their time came
// and the rows that wait for it are named when there are some.
func countsText(s engine.Snapshot, width int) string {
	n := human.Thousands[int64]
	parts := []common.Part{{Full: "sent " + n(s.Sent)}, {Full: "failed " + n(s.Failed)}, {Full: "unknown " + n(s.Unknown)}}
	if s.Suppressed > 0 {
		parts = append(parts, common.Part{Full: "suppressed " + n(s.Suppressed)})
	}
	remaining := common.Part{Full: "remaining " + n(s.Remaining), Short: n(s.Remaining) + " left"}
	if s.Waiting > 0 {
		remaining = common.Part{Full: fmt.Sprintf("remaining %s (%s wait)", n(s.Remaining), n(s.Waiting)),
			Short: fmt.Sprintf("%s left (%s wait)", n(s.Remaining), n(s.Waiting))}
	}
	// in flight last: it gives way first
	return common.JoinParts(width, " · ", append(parts, remaining,
		common.Part{Full: "in flight " + n(s.InFlight), Short: n(s.InFlight) + " in flight"})...)
}

// paceText is the rate against the target, the time spent and the time left (paused time left out), fitted
// to width.
func paceText(s engine.Snapshot, width int) string {
	rate := "…"
	if s.Rate > 0 {
		rate = human.Rate(s.Rate)
	}
	parts := []common.Part{{Full: fmt.Sprintf("rate %s of %s", rate, human.Rate(s.ConfiguredRate)),
		Short: fmt.Sprintf("%s of %s", rate, human.Rate(s.ConfiguredRate))}}
	if s.TargetRate > 0 && s.TargetRate < s.ConfiguredRate {
		parts = append(parts, common.Part{Full: fmt.Sprintf("slowed to %s after rate limits", human.Rate(s.TargetRate)),
			Short: "slowed to " + human.Rate(s.TargetRate)})
	}
	if s.ETA > 0 {
		parts = append(parts, common.Part{Full: "about " + human.Duration(s.ETA) + " left", Short: human.Duration(s.ETA) + " left"})
	}
	elapsed := human.Duration(s.Elapsed)
	if s.Paused >= time.Second {
		elapsed += " (paused " + human.Duration(s.Paused) + ")"
	}
	parts = append(parts, common.Part{Full: "elapsed " + elapsed, Short: human.Duration(s.Elapsed)})
	if s.Retries > 0 {
		parts = append(parts, common.Part{Full: "retries " + human.Thousands(s.Retries), Short: human.Thousands(s.Retries) + " retries"})
	}
	return common.JoinParts(width, " · ", parts...)
}

// banner is the line that says what needs the user: a question, a pause, a stop under way.
func (d *Model) banner() string {
	st := d.Styles
	s := d.snap
	width := d.Width - 2
	later := common.Part{Full: "Requests in flight finish; the rows not sent stay for later.",
		Short: "The rows not sent stay for later."}
	var text string
	switch {
	case d.asking == askQuit:
		return st.Banner.Render(common.JoinParts(width, " ", common.Part{Full: "Stop sending and quit?"},
			common.Part{Full: "y stops and quits, n keeps sending."}, later))
	case d.asking == askCancel:
		return st.Banner.Render(common.JoinParts(width, " ", common.Part{Full: "Cancel the run?"},
			common.Part{Full: "y cancels, n keeps sending."}, later))
	case s.State == status.Paused:
		text = "Paused: " + s.Reason + ". p resumes, c cancels."
	case s.State == status.Stopping && d.quitting:
		text = fmt.Sprintf("Stopping: waiting for %s in flight, then quitting. q again quits at once.", human.Thousands(s.InFlight))
	case s.State == status.Stopping:
		text = fmt.Sprintf("Stopping (%s): waiting for %s in flight.", s.Reason, human.Thousands(s.InFlight))
	case campaign.WaitingText(s) != "":
		return st.Muted.Render(common.JoinParts(width, " ", common.Part{Full: waitingText(s, width)},
			common.Part{Full: "q stops; Campaigns (H) resumes it later.", Short: "q stops."}))
	case campaign.BatchText(s) != "":
		return st.Muted.Render(common.FitWords(campaign.BatchText(s)+".", width))
	default:
		return ""
	}
	return st.Banner.Render(common.FitWords(text, width))
}

// waitingText says what the run waits for, with when the next row goes as the pane of the rows that wait says
// it ("tomorrow 03:44"), in fewer words when width is short.
func waitingText(s engine.Snapshot, width int) string {
	if s.Waiting == 0 || s.WaitingUntil.IsZero() {
		return "Waiting: " + campaign.WaitingText(s) + "."
	}
	why := campaign.WaitReason(s.WaitingFor)
	rows, at := human.Plural(s.Waiting, "row"), common.AtPhrase(s.WaitingUntil, runClock(s))
	if full := fmt.Sprintf("Waiting: %s wait for their time; the next goes %s%s.", rows, at, why); lipgloss.Width(full) <= width {
		return full
	}
	return fmt.Sprintf("%s wait; the next goes %s%s.", rows, at, why)
}

// eventLines are the run's events, newest first, timed from the start of the run.
func eventLines(s engine.Snapshot, width int) string {
	if len(s.Events) == 0 {
		return "none"
	}
	lines := make([]string, len(s.Events))
	for i, e := range s.Events {
		lines[i] = common.FitWords(fmt.Sprintf("%s  %-9s %s", clock(e.At.Sub(s.Started)), e.Kind, common.OneLine(e.Detail)), width)
	}
	return strings.Join(lines, "\n")
}

// clock is a time since the start of the run as m:ss (or h:mm:ss).
func clock(d time.Duration) string {
	d = max(d, 0).Round(time.Second)
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%2d:%02d", m, sec)
}
