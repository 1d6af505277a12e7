package dashboard

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/ui/common"
)

// Reading the rows that wait: they change only when a row's time comes, so every few seconds is enough.
const (
	// upcomingEvery is how many ticks pass between two reads.
	upcomingEvery = 20
	// upcomingRows is how many waiting rows a read returns.
	upcomingRows = 50
)

// upcomingMsg delivers the rows that wait, read by readUpcoming.
type upcomingMsg struct {
	upcoming campaign.Upcoming
	err      error
}

// waitingList is the rows deferred to a later time (send window, messaging limit): how many go when, then the
// next rows with the time each goes. It is read from the store on a slow tick while rows wait.
type waitingList struct {
	upcoming campaign.Upcoming
	err      error
	// read is set once a read came; reading while one is out; ticks counts the ticks since the last one.
	read, reading bool
	ticks         int
}

// show reports whether the list has a pane: rows wait for their time.
func (w *waitingList) show(s engine.Snapshot) bool { return s.Waiting > 0 }

// next returns the read to make on this tick, nil when it is not time or nothing waits (then the next rows to
// wait are read at once).
func (w *waitingList) next(s engine.Snapshot, read func(limit int) (campaign.Upcoming, error)) tea.Cmd {
	w.ticks++
	if s.Waiting == 0 {
		w.read = false
		return nil
	}
	if read == nil || w.reading || w.read && w.ticks < upcomingEvery {
		return nil
	}
	w.reading, w.ticks = true, 0
	return func() tea.Msg {
		u, err := read(upcomingRows)
		return upcomingMsg{upcoming: u, err: err}
	}
}

// got takes a read; the next one is upcomingEvery ticks after it.
func (w *waitingList) got(msg upcomingMsg) {
	w.upcoming, w.err, w.read, w.reading, w.ticks = msg.upcoming, msg.err, true, false, 0
}

// title is the pane's title: how many rows wait and until when.
func (w *waitingList) title(s engine.Snapshot, width int) string {
	n := s.Waiting
	if w.read && w.upcoming.Schedule != nil {
		sched := w.upcoming.Schedule
		n = max(n, int64(sched.Spans[0].Count+sched.Waiting()))
	}
	title := "Waiting · " + human.Plural(n, "row")
	if !s.WaitingUntil.IsZero() {
		title += " · the next " + common.AtPhrase(s.WaitingUntil, runClock(s))
	}
	return common.FitWords(title, width)
}

// lines are the list's lines in width cells: when the rows go, then the next rows, each with its time.
func (w *waitingList) lines(s engine.Snapshot, width int, st *common.Styles) []string {
	switch {
	case w.err != nil:
		return []string{st.Warn.Render(common.FitWords("could not read the waiting rows: "+w.err.Error(), width))}
	case !w.read:
		return []string{st.Muted.Render("reading…")}
	}
	var out []string
	if sched := w.upcoming.Schedule; sched != nil {
		for _, l := range common.WrapWords(sched.String(), width, 2) {
			out = append(out, st.Muted.Render(l))
		}
	}
	now := runClock(s)
	for _, r := range w.upcoming.Rows {
		why := map[string]string{status.CodeSendWindow: "send window", status.CodeMessagingLimit: "messaging limit"}[r.Code]
		line := fmt.Sprintf("row %-7d +%-15s %s", r.Row, r.Number, common.At(r.NotBefore, now))
		if why != "" {
			line += st.Muted.Render(" · " + why)
		}
		out = append(out, common.Fit("  "+line, width))
	}
	return out
}

// runClock is the time a snapshot was taken, by the run's own clock (its start and elapsed time); the
// machine's when the snapshot has no start.
func runClock(s engine.Snapshot) time.Time {
	if s.Started.IsZero() {
		return time.Now()
	}
	return s.Started.Add(s.Elapsed)
}
