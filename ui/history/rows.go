package history

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/human"
	"herald/campaign/store"
	"herald/ui/common"
	"herald/ui/rowdetail"
)

// rowLimit bounds the rows read for one filter: a campaign may have millions; the export has them all.
const rowLimit = 5000

// rowsLoadedMsg delivers a campaign's rows for one filter ("" for all).
type rowsLoadedMsg struct {
	name, filter string
	rows         []store.Row
	err          error
}

// rowsModel is one campaign's rows, filterable by status; enter opens a row's detail.
type rowsModel struct {
	common.Common
	statePath string
	info      store.CampaignInfo
	// filters are "" (all rows) then the statuses the campaign has, in the usual order.
	filters []string
	filter  int
	rows    []store.Row
	err     error
	loading bool
	cursor  common.Cursor
}

// newRows shows the rows of campaign info.
func newRows(c common.Common, statePath string, info store.CampaignInfo) *rowsModel {
	r := &rowsModel{Common: c, statePath: statePath, info: info, filters: []string{""}}
	for _, sc := range campaign.OrderedCounts(info.Counts) {
		r.filters = append(r.filters, sc.Status)
	}
	return r
}

// load reads the first rows of the current filter.
func (r *rowsModel) load() tea.Cmd {
	r.loading = true
	statePath, name, filter := r.statePath, r.info.Name, r.filters[r.filter]
	return func() tea.Msg {
		var statuses []string
		if filter != "" {
			statuses = []string{filter}
		}
		rows, err := campaign.CampaignRows(statePath, name, 0, rowLimit, statuses...)
		return rowsLoadedMsg{name: name, filter: filter, rows: rows, err: err}
	}
}

// loaded shows rows read for the current filter.
func (r *rowsModel) loaded(msg rowsLoadedMsg) {
	if msg.name != r.info.Name || msg.filter != r.filters[r.filter] {
		return
	}
	r.rows, r.err, r.loading, r.cursor = msg.rows, msg.err, false, common.Cursor{}
}

// SetSize records the room and keeps the selection on screen.
func (r *rowsModel) SetSize(width, height int) {
	r.Common.SetSize(width, height)
	r.cursor.Set(r.cursor.Index, len(r.rows), r.tableRows())
}

// tableRows is how many rows fit: the pane less the heading, the filters, the titles and the note.
func (r *rowsModel) tableRows() int { return max(r.Height-5, 1) }

// key moves in the rows, changes the filter or opens a row.
func (r *rowsModel) key(msg tea.KeyMsg) tea.Cmd {
	k := r.Keys
	switch {
	case r.cursor.Key(msg, k, len(r.rows), r.tableRows()):
	case key.Matches(msg, k.Filter):
		r.filter = (r.filter + 1) % len(r.filters)
		return r.load()
	case key.Matches(msg, k.Continue) && r.cursor.Index < len(r.rows):
		return common.Emit(rowdetail.OpenMsg{StatePath: r.statePath, Campaign: r.info.Name, Row: r.rows[r.cursor.Index].Row})
	}
	return nil
}

// View draws the filters, the rows and a note on how many are shown.
func (r *rowsModel) View() string {
	st := r.Styles
	lines := []string{" " + st.Heading.Render(common.Fit(r.info.Name, r.Width-2)), r.filterLine(),
		st.Label.Render(common.Fit(fmt.Sprintf("  %-6s %-16s %-10s %-16s %-5s %s", "Row", "Number", "Status", "Code", "Tries", "Last outcome"), r.Width))}
	switch {
	case r.err != nil:
		return strings.Join(append(lines, r.Paragraph(st.Error, r.err.Error())), "\n")
	case r.loading && r.rows == nil:
		return strings.Join(append(lines, "  "+st.Muted.Render("reading the rows…")), "\n")
	}
	from, to := r.cursor.Visible(len(r.rows), r.tableRows())
	for i := from; i < to; i++ {
		lines = append(lines, r.rowLine(r.rows[i], i == r.cursor.Index))
	}
	for len(lines) < 3+r.tableRows() {
		lines = append(lines, "")
	}
	n := r.info.Counts[r.filters[r.filter]]
	if r.filters[r.filter] == "" {
		for _, c := range r.info.Counts {
			n += c
		}
	}
	note := fmt.Sprintf("%s shown.", human.Plural(len(r.rows), "row"))
	if len(r.rows) < n {
		note = fmt.Sprintf("The first %s of %s rows shown; e exports them all.", human.Thousands(len(r.rows)), human.Thousands(n))
	}
	if earlier := total(r.info.Earlier); earlier > 0 {
		note += fmt.Sprintf(" Earlier CSVs messaged %s more (%s): the export lists them at the end.",
			human.Plural(earlier, "row"), common.CountsLine(r.info.Earlier))
	}
	return strings.Join(append(lines, " "+st.Muted.Render(common.FitWords(note, r.Width-1))), "\n")
}

// filterLine lists the filters with their counts; the active one is bracketed.
func (r *rowsModel) filterLine() string {
	st := r.Styles
	parts := make([]string, len(r.filters))
	total := 0
	for _, n := range r.info.Counts {
		total += n
	}
	for i, f := range r.filters {
		label := f + " " + human.Thousands(r.info.Counts[f])
		if f == "" {
			label = "all " + human.Thousands(total)
		}
		if i == r.filter {
			parts[i] = st.Focused.Render("[" + label + "]")
		} else {
			parts[i] = st.Muted.Render(" " + label + " ")
		}
	}
	return common.Fit(" Show "+strings.Join(parts, " "), r.Width)
}

// rowLine is one row: number, status, code, requests, when; the reason where there is room.
func (r *rowsModel) rowLine(row store.Row, selected bool) string {
	st := r.Styles
	marker, style := "  ", st.Value
	if selected {
		marker, style = st.Focused.Render("›")+" ", st.Focused
	}
	number := row.Number
	if number != "" {
		number = "+" + number
	}
	when := ""
	if !row.Updated.IsZero() && row.Attempts > 0 {
		when = row.Updated.Local().Format("15:04:05")
	}
	line := style.Render(fmt.Sprintf("%-6d %-16s ", row.Row, common.Fit(number, 16))) +
		st.StatusStyle(row.Status).Render(fmt.Sprintf("%-10s", row.Status)) +
		fmt.Sprintf(" %-16s %-5d %-12s", common.Fit(row.Code, 16), row.Attempts, when)
	if room := r.Width - 2 - 72; room > 20 && row.Error != "" {
		line += " " + st.Muted.Render(common.FitWords(common.OneLine(row.Error), room))
	}
	return marker + line
}

// ShortHelp lists the keys of the rows.
func (r *rowsModel) ShortHelp() []key.Binding {
	k := r.Keys
	return []key.Binding{common.WithHelp(k.Continue, "row detail"), k.Filter}
}
