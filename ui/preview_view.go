package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/providers"
	"herald/ui/common"
)

// Preview table column widths (cells add one space of padding on each side).
const (
	markerWidth   = 1
	rowNumWidth   = 5
	numberWidth   = 15
	minStatus     = 9 // "duplicate"; wider when the file has longer statuses ("suppressed")
	minValueWidth = 10
	cellPadding   = 2
)

// sentStatuses are the statuses of rows whose request left: their message was sent, whatever came of it.
var sentStatuses = map[string]bool{status.Sent: true, status.Failed: true, status.Unknown: true}

// SetSize implements common.Component.
func (p *previewPane) SetSize(width, height int) {
	p.Common.SetSize(width, height)
	tw, th := p.tableSize()
	p.table.SetColumns(p.columns(tw))
	p.table.SetWidth(tw)
	p.table.SetHeight(th)
}

// wide reports whether the message sits beside the table rather than under it.
func (p *previewPane) wide() bool { return p.Width >= wideLayout }

// tableSize is the table's room: most of the width when wide, else the top half.
func (p *previewPane) tableSize() (int, int) {
	const chrome = 2 // the filter line and the note under the table
	if p.wide() {
		return p.Width * 11 / 20, max(p.Height-chrome, 4)
	}
	return p.Width, max(p.Height-chrome-p.messageHeight(), 4)
}

// messageHeight is the room of the message under the table in the narrow layout.
func (p *previewPane) messageHeight() int { return p.Height * 45 / 100 }

// columns fits the row, number and status columns, then as many variable columns as there is room for.
func (p *previewPane) columns(width int) []table.Column {
	cols := []table.Column{{Title: "", Width: markerWidth}, {Title: "Row", Width: rowNumWidth},
		{Title: "Number", Width: numberWidth}, {Title: "Status", Width: p.statusWidth()}}
	fixed := markerWidth + rowNumWidth + numberWidth + p.statusWidth() + len(cols)*cellPadding
	room := width - fixed
	n := min(len(p.info.columns), room/(minValueWidth+cellPadding))
	for i := range p.info.columns {
		w := 0 // columns without room stay in the rows but are not drawn
		if i < n {
			w = room/n - cellPadding
		}
		cols = append(cols, table.Column{Title: p.info.columns[i], Width: w})
	}
	return cols
}

// statusWidth is the status column's width: the longest status the file has.
func (p *previewPane) statusWidth() int {
	w := minStatus
	for _, f := range p.filters {
		w = max(w, len(f))
	}
	return w
}

// View implements tea.Model.
func (p *previewPane) View() string {
	left := lipgloss.JoinVertical(lipgloss.Left, p.filterLine(), p.table.View())
	notes := p.note()
	if p.wide() {
		tw, _ := p.tableSize()
		msgWidth := p.Width - tw - 1
		left = lipgloss.JoinVertical(lipgloss.Left, left, notes)
		left = lipgloss.NewStyle().Width(tw).Render(left)
		right := p.messageView(msgWidth, p.Height)
		if fc := p.forecastLines(msgWidth); len(fc) > 0 {
			right = lipgloss.NewStyle().MaxHeight(p.Height).Render(lipgloss.JoinVertical(lipgloss.Left,
				append([]string{right, ""}, fc...)...))
		}
		return lipgloss.JoinHorizontal(lipgloss.Top, left, " ", right)
	}
	return lipgloss.JoinVertical(lipgloss.Left, left, notes, p.messageView(p.Width, p.messageHeight()))
}

// filterLine lists the filters with the count of each status in the whole file; the active one is bracketed.
func (p *previewPane) filterLine() string {
	st := p.Styles
	counts := p.result.statusCounts()
	parts := make([]string, len(p.filters))
	for i, f := range p.filters {
		n := counts[f]
		if f == "all" {
			n = p.result.summary.Rows
		}
		label := fmt.Sprintf("%s %s", f, human.Thousands(n))
		if i == p.filter {
			parts[i] = st.Focused.Render("[" + label + "]")
		} else {
			parts[i] = st.Muted.Render(" " + label + " ")
		}
	}
	return common.Fit(" Show "+strings.Join(parts, " "), p.Width)
}

// note is the line under the table: how many rows the table holds, then, where there is room, when the rows
// to send go and what they cost.
func (p *previewPane) note() string {
	width := p.Width
	if p.wide() {
		width, _ = p.tableSize()
	}
	kept, all, shown := len(p.result.rows), p.result.summary.Rows, len(p.shown)
	var held string
	switch {
	case kept < all:
		held = fmt.Sprintf(" First %s of %s rows kept, %s of them shown; the dry run and the send cover all.",
			human.Thousands(kept), human.Thousands(all), human.Thousands(shown))
	case shown < all:
		held = fmt.Sprintf(" %s of %s rows shown (%s).", human.Thousands(shown), human.Thousands(all), p.filters[p.filter])
	default:
		held = fmt.Sprintf(" %s in the table.", human.Plural(all, "row"))
	}
	if p.result.stored {
		held += " Statuses from the campaign's record."
	}
	parts := []common.Part{{Full: held}}
	if fc := p.result.forecast; fc != nil && !p.result.stored && !p.wide() { // wide: under the message
		if fc.Schedule.Waiting() > 0 {
			parts = append(parts, common.Part{Full: "When: " + fc.Schedule.String() + "."})
		}
		if fc.Cost != nil {
			parts = append(parts, common.Part{Full: "Estimated cost " + common.Amounts(fc.Cost) + ".",
				Short: "Cost " + common.Amounts(fc.Cost) + "."})
		}
	}
	return p.Styles.Muted.Render(common.JoinParts(width, " ", parts...))
}

// forecastLines are when the rows to send go and what they cost, wrapped to width, for the wide layout.
func (p *previewPane) forecastLines(width int) []string {
	fc := p.result.forecast
	if fc == nil || p.result.stored {
		return nil
	}
	var lines []string
	if fc.Schedule.Waiting() > 0 {
		lines = append(lines, "When: "+fc.Schedule.String()+".")
	}
	if fc.Cost != nil {
		lines = append(lines, fc.Cost.String()+".")
	}
	for i, l := range lines {
		lines[i] = p.Styles.Muted.Width(width).Render(l)
	}
	return lines
}

// sentAsText is what the provider receives for a row: the template and its parameters in order, or a session
// message.
func sentAsText(msg providers.Message) string {
	if s := msg.Session; s != nil {
		return fmt.Sprintf("Sent as a session %s message: free-form, no template; it goes only if the person "+
			"wrote in the 24 hours before its turn.", s.Kind)
	}
	var parts []string
	if len(msg.Header) > 0 {
		parts = append(parts, "header "+paramsText(msg.Header))
	}
	if len(msg.Body) > 0 {
		parts = append(parts, "body "+paramsText(msg.Body))
	}
	for _, b := range msg.Buttons {
		parts = append(parts, fmt.Sprintf("button %d %s", b.Index+1, paramsText(b.Params)))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("Sent as %s (%s), no parameters.", msg.Template, msg.Language)
	}
	return fmt.Sprintf("Sent as %s (%s) with %s.", msg.Template, msg.Language, strings.Join(parts, " · "))
}

// paramsText lists parameters as [a, b]; media and locations by kind.
func paramsText(ps []providers.Param) string {
	vals := make([]string, len(ps))
	for i, p := range ps {
		switch p.Kind {
		case providers.ParamText:
			vals[i] = p.Text
		case providers.ParamLocation:
			vals[i] = fmt.Sprintf("location %s,%s", p.Latitude, p.Longitude)
		default:
			vals[i] = string(p.Kind) + " " + p.Text
		}
	}
	return "[" + strings.Join(vals, ", ") + "]"
}

// messageView is the selected row's message as the recipient will see it, or why it is not sent.
func (p *previewPane) messageView(width, height int) string {
	st := p.Styles
	r := p.selected()
	var body string
	switch {
	case r == nil:
		body = st.Muted.Render(fmt.Sprintf("No %s rows among the first %s.", p.filters[p.filter],
			human.Thousands(len(p.result.rows))))
	case r.status == status.Ready || r.message.Body != "":
		heading := st.Heading.Render(fmt.Sprintf("Row %d", r.num)) + st.Muted.Render(" · to +"+r.number)
		switch {
		case r.status == status.Deferred && !r.notBefore.IsZero(): // held for its send window: when it goes
			heading += " · " + st.StatusStyle(r.status).Render("deferred: goes "+common.AtPhrase(r.notBefore, p.info.opened))
		case r.status != status.Ready: // held back, or a campaign sent before: what became of the row
			heading += " · " + st.StatusStyle(r.status).Render(r.status)
		}
		text := strings.TrimRight(campaign.RenderText(r.message), "\n")
		note := sentAsText(r.message.Message)
		if r.problem != "" && r.status != status.Ready {
			note = r.problem
		}
		body = lipgloss.JoinVertical(lipgloss.Left, common.Fit(heading, width),
			st.Bubble.Width(max(width-2, 10)).Render(text), st.Muted.Width(width).Render(note))
	default:
		what := r.status
		if !sentStatuses[r.status] {
			what += ": not sent"
		}
		heading := st.Heading.Render(fmt.Sprintf("Row %d", r.num)) + " · " + st.StatusStyle(r.status).Render(what)
		body = lipgloss.JoinVertical(lipgloss.Left, common.Fit(heading, width), "",
			lipgloss.NewStyle().Width(width).Render(r.problem))
	}
	return lipgloss.NewStyle().Width(width).MaxHeight(height).Render(body)
}
