// Package rowdetail shows one row of a campaign in full: its number, status and codes, how many requests were
// made and when the last outcome came, its cells and the message as the recipient reads it. The dashboard's
// failures and the campaigns screen open it with enter.
package rowdetail

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/human"
	"herald/ui/common"
)

// ClosedMsg reports that the user closed the detail.
type ClosedMsg struct{}

// OpenMsg asks the root to show row Row of the campaign called Campaign in the store at StatePath.
type OpenMsg struct {
	StatePath, Campaign string
	Row                 int
}

// LoadedMsg delivers a row read by Load, or why it could not be read.
type LoadedMsg struct {
	Row campaign.RowDetail
	At  time.Time
	Err error
}

// Load reads the row msg asks for, in a command (the store is a file).
func Load(msg OpenMsg) tea.Cmd {
	return func() tea.Msg {
		row, err := campaign.LoadRow(msg.StatePath, msg.Campaign, msg.Row)
		return LoadedMsg{Row: row, At: time.Now(), Err: err}
	}
}

// Model is the detail of one row, scrollable when it is taller than the room it has.
type Model struct {
	common.Common
	row campaign.RowDetail
	// now is when the row was read, for "2 min ago".
	now  time.Time
	view viewport.Model
}

// New shows row, read at now.
func New(c common.Common, row campaign.RowDetail, now time.Time) *Model {
	m := &Model{Common: c, row: row, now: now, view: viewport.New(c.Width, c.Height)}
	m.SetSize(c.Width, c.Height)
	return m
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(width, height int) {
	m.Common.SetSize(width, height)
	m.view.Width, m.view.Height = m.Width, max(m.Height-1, 1)
	m.view.SetContent(m.content())
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if key.Matches(km, m.Keys.Back, m.Keys.Continue) {
		return m, common.Emit(ClosedMsg{})
	}
	common.ScrollKey(&m.view, km, m.Keys)
	return m, nil
}

// View implements tea.Model.
func (m *Model) View() string {
	st := m.Styles
	r := m.row
	title := st.Heading.Render(fmt.Sprintf("Row %d of %s", r.Row.Row, r.Campaign)) + " · " +
		st.StatusStyle(r.Status).Render(r.Status)
	return lipgloss.JoinVertical(lipgloss.Left, " "+common.Fit(title, m.Width-1), m.view.View())
}

// content is the row's fields as a form, then its message and its cells.
func (m *Model) content() string {
	st := m.Styles
	r := m.row
	var lines []string
	add := func(label, value string) {
		if value != "" {
			lines = append(lines, m.FormRow(label, value))
		}
	}
	if r.Number != "" {
		add("Number", "+"+r.Number)
	}
	code := r.Code
	if r.Class != "" && code != "" {
		code += " (" + r.Class + ")"
	}
	add("Code", code)
	add("Reason", r.Error)
	add("Requests", attempts(r.Attempts))
	if !r.Updated.IsZero() {
		add("Last outcome", r.Updated.Local().Format("15:04:05, 2 Jan 2006")+" ("+human.Ago(r.Updated, m.now)+")")
	}
	add("Message id", r.MessageID)
	lines = append(lines, "")
	switch {
	case r.Message != "":
		bubble := st.Bubble.Width(max(min(m.ValueWidth()-2, lipgloss.Width(r.Message)+4), 10)).Render(r.Message)
		lines = append(lines, m.FormRow("Message", bubble))
	case r.MessageProblem != "":
		add("Message", st.Warn.Render(r.MessageProblem))
	}
	var cells []string
	for i, h := range r.Header {
		if i < len(r.Fields) && strings.TrimSpace(h) != "" {
			cells = append(cells, h+": "+common.OneLine(r.Fields[i]))
		}
	}
	if len(cells) > 0 {
		lines = append(lines, "", m.FormRow("Cells", strings.Join(cells, "\n")))
	}
	return strings.Join(lines, "\n")
}

// attempts says how many requests were made for a row.
func attempts(n int) string {
	switch n {
	case 0:
		return "none: nothing was sent for this row"
	case 1:
		return "1 request"
	}
	return fmt.Sprintf("%d requests (retried after passing failures)", n)
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{common.WithHelp(m.Keys.Back, "close"), common.WithHelp(m.Keys.Down, "scroll")}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.Keys
	return [][]key.Binding{{common.WithHelp(k.Back, "close")}, {k.Up, k.Down, k.PageUp, k.PageDown}}
}
