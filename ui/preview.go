package ui

import (
	"fmt"
	"herald/campaign"
	"herald/campaign/status"
	"herald/ui/common"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
)

// Requests the preview makes of the root.
type (
	// dryRunRequestMsg asks for a dry run: the results CSV written, nothing sent.
	dryRunRequestMsg struct{}
	// sendRequestMsg asks to prepare the campaign and confirm it.
	sendRequestMsg struct{}
	// backMsg asks for the previous screen.
	backMsg struct{}
)

// wideLayout is the width from which panes sit side by side instead of one above the other.
const wideLayout = 100

// previewPane shows the checked rows in a table, filterable by status, beside the selected row's message as
// the recipient will see it (or its problem and the fix). It keeps at most previewRowLimit rows.
type previewPane struct {
	common.Common
	info   inputInfo
	result checkResult
	// filters are "all", then the statuses the file has, in the usual order; filter is the one shown.
	filters []string
	filter  int
	// shown are the indices in result.rows of the rows the filter lets through, in table order.
	shown []int
	table table.Model
	// marked is the table row that carries the selection marker.
	marked int
}

// newPreviewPane returns an empty preview; setData fills it.
func newPreviewPane(c common.Common) *previewPane {
	p := &previewPane{Common: c}
	p.table = table.New(table.WithKeyMap(c.Keys.Table), table.WithStyles(c.Styles.Table), table.WithFocused(true))
	return p
}

// setData shows a checked file, all rows, the first selected.
func (p *previewPane) setData(info inputInfo, result checkResult) {
	p.info, p.result, p.filter = info, result, 0
	p.filters = []string{"all"}
	for _, c := range campaign.OrderedCounts(result.statusCounts()) {
		p.filters = append(p.filters, c.Status)
	}
	p.SetSize(p.Width, p.Height)
	p.applyFilter()
}

// Init implements tea.Model.
func (p *previewPane) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (p *previewPane) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	k := p.Keys
	switch {
	case key.Matches(km, k.Filter):
		p.filter = (p.filter + 1) % len(p.filters)
		p.applyFilter()
		return p, nil
	case key.Matches(km, k.DryRun):
		return p, common.Emit(dryRunRequestMsg{})
	case key.Matches(km, k.Send):
		if why := p.nothingToSend(); why != "" {
			return p, common.Emit(common.StatusMsg{Text: why, IsErr: true})
		}
		return p, common.Emit(sendRequestMsg{})
	case key.Matches(km, k.Back):
		return p, common.Emit(backMsg{})
	}
	var cmd tea.Cmd
	p.table, cmd = p.table.Update(km)
	p.mark()
	return p, cmd
}

// nothingToSend says why s cannot send, "" when some row is ready or chosen to resend.
func (p *previewPane) nothingToSend() string {
	counts := p.result.statusCounts()
	plan := p.info.plan
	resend := plan.RetryFailed && p.info.prior != nil && p.info.prior.Retryable > 0 ||
		plan.ResendUnknown && counts[status.Unknown] > 0
	switch {
	case counts[status.Ready]+counts[status.Deferred] > 0 || resend:
		return ""
	case p.result.stored:
		return fmt.Sprintf("Nothing is left to send in %s: every row has an outcome. esc goes back to the setup, "+
			"where Resend and the campaign's name are.", plan.Campaign)
	}
	return "No row is ready to send: fix the CSV or the template first."
}

// applyFilter fills the table with the rows of the current filter, the first selected and shown.
func (p *previewPane) applyFilter() {
	want := p.filters[p.filter]
	p.shown = p.shown[:0]
	rows := make([]table.Row, 0, len(p.result.rows))
	for i, r := range p.result.rows {
		if want != "all" && r.status != want {
			continue
		}
		p.shown = append(p.shown, i)
		cells := append(table.Row{"", strconv.Itoa(r.num), numberText(r), r.status}, r.values...)
		rows = append(rows, cells)
	}
	p.table.SetRows(rows)
	p.table.SetCursor(0)
	p.table.GotoTop() // also scrolls the table back to its first row, which SetCursor alone does not
	p.marked = -1
	p.mark()
}

// mark moves the selection marker to the cursor's row, so the selection shows without colour too.
func (p *previewPane) mark() {
	rows := p.table.Rows()
	cur := p.table.Cursor()
	if cur == p.marked || cur < 0 || cur >= len(rows) {
		return
	}
	if p.marked >= 0 && p.marked < len(rows) {
		rows[p.marked][0] = ""
	}
	rows[cur][0] = "›"
	p.marked = cur
	p.table.UpdateViewport()
}

// selected is the row under the cursor, nil when the filter shows none.
func (p *previewPane) selected() *previewRow {
	cur := p.table.Cursor()
	if cur < 0 || cur >= len(p.shown) {
		return nil
	}
	return &p.result.rows[p.shown[cur]]
}

// numberText is a row's number as it will be sent, or its cell as written when it does not parse.
func numberText(r previewRow) string {
	if r.number != "" {
		return "+" + r.number
	}
	return r.phone
}

// ShortHelp implements help.KeyMap.
func (p *previewPane) ShortHelp() []key.Binding {
	k := p.Keys
	return []key.Binding{common.WithHelp(k.Up, "row"), k.Filter, k.DryRun, k.Send, k.Back}
}

// FullHelp implements help.KeyMap.
func (p *previewPane) FullHelp() [][]key.Binding {
	k := p.Keys
	return [][]key.Binding{{k.Table.LineUp, k.Table.LineDown, k.Table.GotoTop, k.Table.GotoBottom},
		{k.Table.PageUp, k.Table.PageDown}, {k.Filter, k.DryRun, k.Send, k.Back}}
}
