package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/campaign/status"
)

// dashboardHead is the lines above the failures and events: title, bar, counts, pace, banner, spacing.
const dashboardHead = 6

// sideBySide is the width from which the failures and the events sit side by side.
const sideBySide = 120

// paneChrome is what a framed list adds around its lines: the border and the title line.
const paneChrome = 3

// SetSize implements component.
func (d *dashboardPane) SetSize(width, height int) {
	d.setSize(width, height)
	d.bar.Width = max(width-2-len(" 100%  of ")-2*len("1,000,000"), 10)
	// A framed list adds 4 columns (border and padding) and paneChrome lines to its viewport.
	room := max(d.height-dashboardHead, 2*paneChrome+2)
	if d.width >= sideBySide { // failures get three fifths of the width: their lines are longer
		failWidth := d.width * 3 / 5
		d.failures.Width, d.failures.Height = failWidth-4, room-paneChrome
		d.events.Width, d.events.Height = d.width-failWidth-1-4, room-paneChrome
	} else {
		d.failures.Width, d.failures.Height = d.width-4, max((room-2*paneChrome)/2, 1)
		d.events.Width, d.events.Height = d.width-4, max(room-2*paneChrome-d.failures.Height, 1)
	}
	d.refresh(d.snap)
}

// View implements tea.Model.
func (d *dashboardPane) View() string {
	st := d.styles
	s := d.snap
	state := st.status(s.State).Render(strings.ToUpper(s.State))
	title := fit(" "+d.title, d.width-lipgloss.Width(state)-2)
	head := []string{
		title + strings.Repeat(" ", max(d.width-lipgloss.Width(title)-lipgloss.Width(state)-1, 1)) + state,
		" " + d.bar.ViewAs(progressOf(s)) + st.Muted.Render(fmt.Sprintf("  %s of %s", human.Thousands(s.Done()), human.Thousands(s.Total))),
		" " + fit(countsText(s), d.width-2),
		" " + fit(paceText(s), d.width-2),
		" " + d.banner(),
		"",
	}
	failures := d.list(focusFailures, fmt.Sprintf("Failures · %s, newest first", human.Thousands(s.Failed+s.Unknown)), d.failures.View())
	events := d.list(focusEvents, "Events · newest first", d.events.View())
	lists := lipgloss.JoinVertical(lipgloss.Left, failures, events)
	if d.width >= sideBySide {
		lists = lipgloss.JoinHorizontal(lipgloss.Top, failures, " ", events)
	}
	return lipgloss.JoinVertical(lipgloss.Left, strings.Join(head, "\n"), lists)
}

// list frames one scrollable list with its title; the focused one is marked.
func (d *dashboardPane) list(which dashFocus, title, body string) string {
	st := d.styles
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

// countsText is the run's outcomes so far.
func countsText(s engine.Snapshot) string {
	return fmt.Sprintf("sent %s · failed %s · unknown %s · in flight %s · remaining %s", human.Thousands(s.Sent),
		human.Thousands(s.Failed), human.Thousands(s.Unknown), human.Thousands(s.InFlight), human.Thousands(s.Remaining))
}

// paceText is the rate against the target, the time spent and the time left.
func paceText(s engine.Snapshot) string {
	rate := "…"
	if s.Rate > 0 {
		rate = human.Rate(s.Rate)
	}
	pace := fmt.Sprintf("rate %s of %s", rate, human.Rate(s.ConfiguredRate))
	if s.TargetRate > 0 && s.TargetRate < s.ConfiguredRate {
		pace += fmt.Sprintf(" (slowed to %s after rate limits)", human.Rate(s.TargetRate))
	}
	pace += " · elapsed " + human.Duration(s.Elapsed)
	if s.ETA > 0 {
		pace += " · about " + human.Duration(s.ETA) + " left"
	}
	if s.Retries > 0 {
		pace += " · retries " + human.Thousands(s.Retries)
	}
	return pace
}

// banner is the line that says what needs the user: the cancel question, a pause, a stop under way.
func (d *dashboardPane) banner() string {
	st := d.styles
	s := d.snap
	switch {
	case d.asking:
		return st.Banner.Render("Cancel the run? Requests in flight finish; unsent rows stay for later. y cancels, n keeps sending.")
	case s.State == status.Paused:
		return st.Banner.Render("Paused: " + s.Reason + ". p resumes, c cancels.")
	case s.State == status.Stopping && d.quitting:
		return st.Banner.Render(fmt.Sprintf("Stopping: waiting for %s in flight, then quitting. q again quits at once.", human.Thousands(s.InFlight)))
	case s.State == status.Stopping:
		return st.Banner.Render(fmt.Sprintf("Stopping (%s): waiting for %s in flight.", s.Reason, human.Thousands(s.InFlight)))
	case campaign.WaitingText(s) != "":
		return st.Muted.Render("Waiting: " + campaign.WaitingText(s) + ". q stops; the same command resumes.")
	}
	return ""
}

// failureLines are the recent failures, newest first: row, number, code, reason.
func failureLines(s engine.Snapshot, width int) string {
	if len(s.Failures) == 0 {
		return "none"
	}
	lines := make([]string, len(s.Failures))
	for i, f := range s.Failures {
		code := f.Code
		if code == "" || f.Status != status.Failed {
			code = f.Status
		}
		lines[i] = fit(fmt.Sprintf("row %-6d +%-15s %-12s %s", f.Row, f.Number, code, oneLine(f.Reason)), width)
	}
	return strings.Join(lines, "\n")
}

// eventLines are the run's events, newest first, timed from the start of the run.
func eventLines(s engine.Snapshot, width int) string {
	if len(s.Events) == 0 {
		return "none"
	}
	lines := make([]string, len(s.Events))
	for i, e := range s.Events {
		lines[i] = fit(fmt.Sprintf("%s  %-9s %s", clock(e.At.Sub(s.Started)), e.Kind, oneLine(e.Detail)), width)
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
