package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign/human"
	"herald/ui/common"
)

// resize gives every pane the room between the top bar and the status and help lines.
func (m *model) resize() {
	m.help.Width = m.Width - 1
	height := m.bodyHeight()
	for _, p := range m.panes() {
		p.SetSize(m.Width, height)
	}
	if m.detail != nil {
		m.detail.SetSize(m.Width, height)
	}
}

// bodyHeight is the room of the active pane.
func (m *model) bodyHeight() int {
	return max(m.Height-1-lipgloss.Height(m.statusLine())-lipgloss.Height(m.helpView()), 1)
}

// View implements tea.Model.
func (m *model) View() string {
	height := m.bodyHeight()
	body := lipgloss.NewStyle().Height(height).MaxHeight(height).MaxWidth(m.Width).Render(m.activePane().View())
	return lipgloss.JoinVertical(lipgloss.Left, m.topBar(), body, m.statusLine(), m.helpView())
}

// helpView is the key help, indented by one column on every line.
func (m *model) helpView() string {
	return lipgloss.NewStyle().PaddingLeft(1).Render(m.help.View(m))
}

// topBar is herald's name and the steps, the current one bracketed, then the campaigns screen.
func (m *model) topBar() string {
	st := m.Styles
	name := func(s screen) string {
		if s == m.active {
			return st.StepActive.Render("[" + screenNames[s] + "]")
		}
		return st.Step.Render(screenNames[s])
	}
	steps := make([]string, 0, screenHistory)
	for s := screenSetup; s < screenHistory; s++ {
		steps = append(steps, name(s))
	}
	return common.Fit(" "+st.AppName.Render("herald")+"   "+strings.Join(steps, st.Step.Render(" › "))+"   "+
		name(screenHistory), m.Width)
}

// statusLine shows the background work under way, else the last outcome, wrapped to the width.
func (m *model) statusLine() string {
	st := m.Styles
	wrap := lipgloss.NewStyle().Width(max(m.Width-1, 10)).MarginLeft(1)
	switch {
	case m.busy != "":
		line := m.spinner.View() + " " + m.busy
		if n := m.busyRows.Load(); n > 0 {
			line += " · " + human.Plural(n, "row")
		}
		return common.Fit(" "+line, m.Width)
	case m.status == "":
		return ""
	case m.statusErr:
		return wrap.Render(st.Error.Render(m.status))
	}
	return wrap.Render(st.OK.Render(m.status))
}

// ShortHelp implements help.KeyMap: the active pane's keys, then help and quit. When they do not fit, the
// pane's last keys give way (? shows them all), so help and quit always show.
func (m *model) ShortHelp() []key.Binding {
	pane, global := m.activePane().ShortHelp(), m.globalKeys()
	measure := m.help
	measure.Width = 0
	for len(pane) > 0 && lipgloss.Width(measure.ShortHelpView(append(slices.Clone(pane), global...))) > m.help.Width {
		pane = pane[:len(pane)-1]
	}
	return append(pane, global...)
}

// FullHelp implements help.KeyMap.
func (m *model) FullHelp() [][]key.Binding {
	return append(m.activePane().FullHelp(), m.globalKeys())
}

// globalKeys are the keys every screen has.
func (m *model) globalKeys() []key.Binding {
	k := m.Keys
	switch {
	case m.active == screenRun && m.dashboard.Live() && m.dashboard.Asking():
		return []key.Binding{k.Help}
	case m.active == screenRun && m.dashboard.Live():
		return []key.Binding{k.Help, common.WithHelp(k.Quit, "stop and quit")}
	case m.active == screenConfirm || m.setup.Typing() && m.active == screenSetup:
		return []key.Binding{key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))}
	case m.active == screenSetup || m.active == screenPreview || m.active == screenSummary:
		return []key.Binding{k.Campaigns, k.Help, k.Quit}
	}
	return []key.Binding{k.Help, k.Quit}
}
