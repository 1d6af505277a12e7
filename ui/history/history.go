// Package history is the campaigns screen: every campaign in the state store with its status, rows per
// status (with the rows earlier CSVs messaged), what the providers' callbacks said after the send (the funnel)
// and, with a price table, what its messages cost; one opens to its rows (and a row to its detail), its results
// CSV can be exported, it can be resumed or its failures retried from the setup, and the people who replied to
// it followed up.
package history

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/guards"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/ui/common"
)

// ResumeMsg asks the root to open the setup on a past campaign as it was checked; Plan.RetryFailed is set to
// retry its failures. Plan.Profile carries only the profile's name.
type ResumeMsg struct{ Plan campaign.Plan }

// CloseMsg asks the root to leave the campaigns screen.
type CloseMsg struct{}

// FollowUpMsg asks the root to open the setup on the people who replied to the campaign named Campaign, in
// the store at StatePath, with the message to send them still to choose. The summary asks it too.
type FollowUpMsg struct{ StatePath, Campaign string }

// loadedMsg delivers the campaigns of the store, read at now.
type loadedMsg struct {
	list []store.CampaignInfo
	now  time.Time
	err  error
}

// costsMsg delivers what the campaigns' sent messages cost, by campaign id, for the list read from statePath.
type costsMsg struct {
	statePath string
	costs     map[int64]*guards.Estimate
	err       error
}

// exportedMsg reports a results CSV written.
type exportedMsg struct {
	path string
	err  error
}

// Model is the campaigns screen: the list, or one campaign's rows.
type Model struct {
	common.Common
	statePath string
	// pricesPath is the setup's price table ("" for none); costs what each campaign's sent messages cost with
	// it, by campaign id, once read (costsErr says why they could not be).
	pricesPath string
	costs      map[int64]*guards.Estimate
	costsErr   error
	list       []store.CampaignInfo
	now        time.Time
	err        error
	loaded     bool
	cursor     common.Cursor
	// rows shows one campaign's rows; nil on the list.
	rows *rowsModel
	// exported is the last results CSV written, for the copy key.
	exported string
}

// New returns the campaigns screen; Open loads it.
func New(c common.Common) *Model { return &Model{Common: c} }

// Open shows the list of the campaigns in the store at statePath, reading it again; with a price table
// (pricesPath not ""), what their messages cost is read next.
func (m *Model) Open(statePath, pricesPath string) tea.Cmd {
	m.statePath, m.pricesPath, m.rows, m.loaded, m.err = statePath, pricesPath, nil, false, nil
	m.costs, m.costsErr = nil, nil
	return func() tea.Msg {
		list, err := campaign.Campaigns(statePath)
		return loadedMsg{list: list, now: time.Now(), err: err}
	}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(width, height int) {
	m.Common.SetSize(width, height)
	m.cursor.Set(m.cursor.Index, len(m.list), m.listRows())
	if m.rows != nil {
		m.rows.SetSize(width, height)
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		m.list, m.now, m.err, m.loaded = msg.list, msg.now, msg.err, true
		m.cursor.Set(m.cursor.Index, len(m.list), m.listRows())
		return m, m.readCosts()
	case costsMsg:
		if msg.statePath == m.statePath {
			m.costs, m.costsErr = msg.costs, msg.err
		}
		return m, nil
	case exportedMsg:
		if msg.err != nil {
			return m, common.Emit(common.StatusMsg{Text: msg.err.Error(), IsErr: true})
		}
		m.exported = msg.path
		return m, common.Emit(common.StatusMsg{Text: "Results CSV written: " + msg.path + " (c copies the path)"})
	case rowsLoadedMsg:
		if m.rows != nil {
			m.rows.loaded(msg)
		}
		return m, nil
	case tea.KeyMsg:
		if m.rows != nil {
			return m, m.rowsKey(msg)
		}
		return m, m.key(msg)
	}
	return m, nil
}

// key handles a key on the list.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	if key.Matches(msg, k.Back) {
		return common.Emit(CloseMsg{})
	}
	if m.cursor.Key(msg, k, len(m.list), m.listRows()) {
		return nil
	}
	c, ok := m.selected()
	if !ok {
		return nil
	}
	switch {
	case key.Matches(msg, k.Continue):
		m.rows = newRows(m.Common, m.statePath, c)
		return m.rows.load()
	case key.Matches(msg, k.Export):
		return export(m.statePath, c.Name)
	case key.Matches(msg, k.Copy) && m.exported != "":
		return common.Emit(common.CopyMsg{Text: m.exported})
	case key.Matches(msg, k.Resume) && resumable(c):
		return common.Emit(ResumeMsg{Plan: campaign.ResumePlan(m.statePath, c)})
	case key.Matches(msg, k.RetryFailures) && c.Counts[status.Failed] > 0:
		plan := campaign.ResumePlan(m.statePath, c)
		plan.RetryFailed = true
		return common.Emit(ResumeMsg{Plan: plan})
	case key.Matches(msg, k.FollowUp) && c.Funnel.Replied > 0:
		return common.Emit(FollowUpMsg{StatePath: m.statePath, Campaign: c.Name})
	}
	return nil
}

// rowsKey handles a key while a campaign's rows are shown: esc returns to the list.
func (m *Model) rowsKey(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.rows = nil
		return nil
	case key.Matches(msg, k.Export):
		return export(m.statePath, m.rows.info.Name)
	case key.Matches(msg, k.Copy) && m.exported != "":
		return common.Emit(common.CopyMsg{Text: m.exported})
	}
	return m.rows.key(msg)
}

// readCosts reads what the listed campaigns' sent messages cost, when a price table was chosen.
func (m *Model) readCosts() tea.Cmd {
	if m.pricesPath == "" || len(m.list) == 0 {
		return nil
	}
	statePath, pricesPath, list := m.statePath, m.pricesPath, m.list
	return func() tea.Msg {
		costs, err := campaign.SentCosts(statePath, pricesPath, list)
		return costsMsg{statePath: statePath, costs: costs, err: err}
	}
}

// export writes a campaign's results CSV at its usual path and reports the path, absolute.
func export(statePath, name string) tea.Cmd {
	return func() tea.Msg {
		path, err := campaign.Export(statePath, name, "")
		if err == nil {
			if abs, aerr := filepath.Abs(path); aerr == nil {
				path = abs
			}
		}
		return exportedMsg{path: path, err: err}
	}
}

// resumable reports whether a campaign has rows left to send or was cut short.
func resumable(c store.CampaignInfo) bool {
	return c.Counts[status.Ready]+c.Counts[status.Deferred] > 0 || c.Status == status.Interrupted || c.Status == status.Stopped
}

// selected is the campaign under the cursor.
func (m *Model) selected() (store.CampaignInfo, bool) {
	if m.cursor.Index < 0 || m.cursor.Index >= len(m.list) {
		return store.CampaignInfo{}, false
	}
	return m.list[m.cursor.Index], true
}

// detailsLines is the room under the list for the selected campaign's details.
const detailsLines = 7

// listRows is how many campaigns fit: the pane less the heading, the column titles and the details.
func (m *Model) listRows() int { return max(m.Height-3-detailsLines, 1) }

// View implements tea.Model.
func (m *Model) View() string {
	if m.rows != nil {
		return m.rows.View()
	}
	st := m.Styles
	switch {
	case !m.loaded:
		return " " + st.Muted.Render("reading the campaigns…")
	case m.err != nil:
		return m.Paragraph(st.Warn, m.err.Error())
	case len(m.list) == 0:
		return m.Paragraph(st.Muted, "No campaigns yet: the campaigns you send appear here, with their rows per status.")
	}
	nameWidth := m.nameWidth()
	lines := []string{" " + st.Heading.Render(fmt.Sprintf("Campaigns · %d in %s", len(m.list), m.statePath)), "",
		st.Label.Render(common.Fit(fmt.Sprintf("  %-*s %-12s %-11s %s", nameWidth, "Campaign", "Status", "Started", "Rows"), m.Width))}
	from, to := m.cursor.Visible(len(m.list), m.listRows())
	for i := from; i < to; i++ {
		lines = append(lines, m.campaignLine(m.list[i], i == m.cursor.Index, nameWidth))
	}
	for len(lines) < 3+m.listRows() {
		lines = append(lines, "")
	}
	details := m.details()
	return strings.Join(append(lines, details[:min(len(details), detailsLines)]...), "\n")
}

// nameWidth is the width of the name column: the longest name, within a third of the screen.
func (m *Model) nameWidth() int {
	w := len("Campaign")
	for _, c := range m.list {
		w = max(w, lipgloss.Width(c.Name))
	}
	return min(w, max(m.Width/3, 12))
}

// campaignLine is one campaign of the list: name, status, when it started, rows per status (and the rows
// earlier CSVs messaged), then, where there is room, what the messages cost and the funnel's shares.
func (m *Model) campaignLine(c store.CampaignInfo, selected bool, nameWidth int) string {
	st := m.Styles
	marker, nameStyle := "  ", st.Value
	if selected {
		marker, nameStyle = st.Focused.Render("›")+" ", st.Focused
	}
	name := nameStyle.Render(fmt.Sprintf("%-*s", nameWidth, common.Fit(c.Name, nameWidth)))
	state := st.StatusStyle(c.Status).Render(fmt.Sprintf("%-12s", c.Status))
	started := fmt.Sprintf("%-11s", human.Ago(c.Started, m.now))
	room := m.Width - 2 - nameWidth - 1 - 12 - 11 - 1
	parts := []common.Part{{Full: common.CountsLine(c.Counts)}}
	if n := total(c.Earlier); n > 0 {
		parts = append(parts, common.Part{Full: fmt.Sprintf("+%s from earlier CSVs", human.Thousands(n))})
	}
	if est := m.costs[c.ID]; est != nil {
		parts = append(parts, common.Part{Full: "cost " + common.Amounts(est)})
	}
	if campaign.FunnelHeard(c.Funnel) {
		for _, s := range campaign.FunnelSteps(c.Funnel)[1:] {
			if s.Count > 0 || s.Name == "delivered" {
				parts = append(parts, common.Part{Full: s.Short()})
			}
		}
	}
	return marker + name + " " + state + started + " " + common.JoinParts(room, " · ", parts...)
}

// total adds up rows per status.
func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// details are the selected campaign's template, profile, file, reason and what can be done with it.
func (m *Model) details() []string {
	st := m.Styles
	c, ok := m.selected()
	if !ok {
		return nil
	}
	lines := []string{" " + common.FitWords(fmt.Sprintf("%s · template %s · profile %s", c.Name, c.Template, c.Profile), m.Width-1),
		" " + st.Muted.Render(common.FitPath(c.CSVPath, m.Width-1))}
	switch {
	case c.Status == status.Interrupted:
		lines = append(lines, " "+st.Warn.Render(common.FitWords("herald stopped without finishing it (a crash or a closed terminal): r resumes it; nobody is messaged twice.", m.Width-1)))
	case c.Reason != "":
		lines = append(lines, " "+st.Muted.Render(common.FitWords("Stopped: "+c.Reason, m.Width-1)))
	}
	if n := total(c.Earlier); n > 0 {
		lines = append(lines, " "+st.Muted.Render(common.FitWords(fmt.Sprintf("Earlier CSVs messaged %s this one no "+
			"longer holds (%s): the export lists them at the end.", human.Plural(n, "row"), common.CountsLine(c.Earlier)), m.Width-1)))
	}
	if campaign.FunnelHeard(c.Funnel) {
		lines = append(lines, " "+common.FunnelLine("After the send: ", "After: ", c.Funnel, m.Width-1, false))
	}
	switch est := m.costs[c.ID]; {
	case est != nil:
		lines = append(lines, " "+common.FitWords(strings.Replace(est.String(), "estimated cost", "Estimated cost", 1), m.Width-1))
	case m.costsErr != nil:
		lines = append(lines, " "+st.Warn.Render(common.FitWords("No cost: "+m.costsErr.Error(), m.Width-1)))
	}
	var next []string
	if n := c.Counts[status.Ready] + c.Counts[status.Deferred]; n > 0 {
		next = append(next, fmt.Sprintf("%s not sent yet (r resumes)", human.Plural(n, "row")))
	}
	if n := c.Counts[status.Failed]; n > 0 {
		next = append(next, fmt.Sprintf("%s (f retries those that may pass now)", human.Plural(n, "failure")))
	}
	if n := c.Funnel.Replied; n > 0 {
		next = append(next, fmt.Sprintf("%s replied (o follows them up)", human.People(n)))
	}
	if len(next) > 0 {
		lines = append(lines, " "+st.Muted.Render(common.FitWords(strings.Join(next, " · "), m.Width-1)))
	}
	return lines
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.Keys
	if m.rows != nil {
		return append(m.rows.ShortHelp(), k.Export, common.WithHelp(k.Back, "campaigns"))
	}
	keys := []key.Binding{common.WithHelp(k.Continue, "rows")}
	if c, ok := m.selected(); ok {
		if resumable(c) {
			keys = append(keys, k.Resume)
		}
		if c.Counts[status.Failed] > 0 {
			keys = append(keys, k.RetryFailures)
		}
		if c.Funnel.Replied > 0 {
			keys = append(keys, k.FollowUp)
		}
		keys = append(keys, k.Export)
	}
	if m.exported != "" {
		keys = append(keys, k.Copy)
	}
	return append(keys, k.Back)
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.Keys
	return [][]key.Binding{m.ShortHelp(), {k.Up, k.Down, k.PageUp, k.PageDown, k.Table.GotoTop, k.Table.GotoBottom}}
}
