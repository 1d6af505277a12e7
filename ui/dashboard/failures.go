package dashboard

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/ui/common"
)

// rowsPerGroup bounds the recent rows listed under each failure group.
const rowsPerGroup = 5

// failureLine is one line of the failures list: a group's heading or reason, or a failed row (row > 0).
type failureLine struct {
	text string
	row  int
}

// failureList is the run's failures grouped by code, largest group first: each group's code, count and the
// provider's sentence (wrapped, never cut), then its most recent rows. The cursor moves over the rows;
// enter opens the selected one.
type failureList struct {
	width, height int
	lines         []failureLine
	// rows are the indices in lines of the rows, in order, and heads the index of each row's group heading;
	// cursor indexes rows; offset is the first line shown.
	rows, heads []int
	cursor      int
	offset      int
	// selectedRow is the selected row's number, kept across refreshes while new failures arrive once the user
	// has moved the selection (pinned); until then the selection follows the newest failure.
	selectedRow int
	pinned      bool
	styles      *common.Styles
}

// setSize records the list's room (inside its frame).
func (f *failureList) setSize(width, height int) {
	f.width, f.height = max(width, 10), max(height, 1)
	f.scroll()
}

// set lays out the failures of snapshot s, keeping the selected row selected.
func (f *failureList) set(s engine.Snapshot, st *common.Styles) {
	f.styles = st
	f.lines, f.rows, f.heads = f.lines[:0], f.rows[:0], f.heads[:0]
	for _, g := range s.FailureGroups {
		headIndex := len(f.lines)
		code := g.Code
		if code == "" {
			code = g.Status
		}
		head := fmt.Sprintf("%s · %s %s", code, human.Thousands(g.Count), g.Status)
		for i, l := range common.WrapWords(head+": "+common.OneLine(g.Reason), f.width, f.reasonLines()) {
			if i == 0 { // the code and the count stand out; the sentence is muted
				l = st.Heading.Render(head) + st.Muted.Render(strings.TrimPrefix(l, head))
			} else {
				l = st.Muted.Render(l)
			}
			f.lines = append(f.lines, failureLine{text: l})
		}
		shown := 0
		for _, r := range s.Failures {
			if r.Code != g.Code || r.Status != g.Status {
				continue
			}
			if shown == rowsPerGroup {
				more := g.Count - rowsPerGroup
				f.lines = append(f.lines, failureLine{text: st.Muted.Render(common.FitWords(fmt.Sprintf(
					"    … %s more: the campaigns screen (H) lists every row", human.Thousands(more)), f.width))})
				break
			}
			f.rows, f.heads = append(f.rows, len(f.lines)), append(f.heads, headIndex)
			f.lines = append(f.lines, failureLine{row: r.Row,
				text: fmt.Sprintf("row %-7d +%-15s %s", r.Row, r.Number, clock(r.At.Sub(s.Started)))})
			shown++
		}
	}
	f.cursor = min(f.cursor, max(len(f.rows)-1, 0))
	for i, li := range f.rows {
		if f.pinned && f.lines[li].row == f.selectedRow {
			f.cursor = i
		}
	}
	if !f.pinned {
		f.cursor, f.offset = 0, 0
	}
	if len(f.rows) > 0 {
		f.selectedRow = f.lines[f.rows[f.cursor]].row
	}
	f.scroll()
}

// reasonLines is how many lines a group's sentence may take: more when the list is tall, one when it is short
// (enter shows it all).
func (f *failureList) reasonLines() int {
	switch {
	case f.height >= 12:
		return 4
	case f.height >= 4:
		return 2
	}
	return 1
}

// key moves the selection.
func (f *failureList) key(msg tea.KeyMsg, k *common.KeyMap) {
	var c common.Cursor
	c.Index = f.cursor
	if c.Key(msg, k, len(f.rows), f.height) && len(f.rows) > 0 {
		f.cursor, f.pinned = c.Index, true
		f.selectedRow = f.lines[f.rows[f.cursor]].row
		f.scroll()
	}
}

// selected is the selected row's number.
func (f *failureList) selected() (int, bool) {
	if len(f.rows) == 0 {
		return 0, false
	}
	return f.selectedRow, true
}

// scroll keeps the selected row on screen, with its group's heading when there is room.
func (f *failureList) scroll() {
	if len(f.rows) == 0 {
		f.offset = 0
		return
	}
	sel, head := f.rows[f.cursor], f.heads[f.cursor]
	switch {
	case sel < f.offset:
		f.offset = sel
		if sel-head < f.height {
			f.offset = head
		}
	case sel >= f.offset+f.height:
		f.offset = sel - f.height + 1
	}
	f.offset = min(max(f.offset, 0), max(len(f.lines)-f.height, 0))
}

// view draws the lines in the room, the selected row marked.
func (f *failureList) view(focused bool) string {
	box := lipgloss.NewStyle().Width(f.width).Height(f.height)
	if len(f.lines) == 0 {
		return box.Render("none")
	}
	var out []string
	for i := f.offset; i < len(f.lines) && i < f.offset+f.height; i++ {
		l := f.lines[i]
		switch {
		case l.row == 0:
			out = append(out, l.text)
		case len(f.rows) > 0 && i == f.rows[f.cursor] && focused:
			out = append(out, f.styles.Focused.Render(common.Fit("› "+l.text, f.width)))
		default:
			out = append(out, common.Fit("  "+l.text, f.width))
		}
	}
	return box.Render(strings.Join(out, "\n"))
}
