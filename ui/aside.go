package ui

import (
	"io"
	"os"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/ui/common"
	"herald/ui/history"
	"herald/ui/rowdetail"
)

// copiedMsg reports a path sent to the clipboard.
type copiedMsg struct {
	text string
	err  error
}

// aside handles what happens beside the campaign's steps: the campaigns screen, a follow-up of a campaign's
// repliers (followup.go), a row's detail over the active screen, and the clipboard. It reports false for messages it does not handle.
func (m *model) aside(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case history.CloseMsg:
		m.show(m.historyFrom)
	case history.ResumeMsg:
		return m.resumeCampaign(msg.Plan), true
	case history.FollowUpMsg:
		return followUpCmd(msg.StatePath, msg.Campaign), true
	case followUpReadyMsg:
		return m.followUpReady(msg), true
	case rowdetail.OpenMsg:
		return rowdetail.Load(msg), true
	case rowdetail.LoadedMsg:
		if msg.Err != nil {
			m.setStatus(msg.Err.Error(), true)
			return nil, true
		}
		m.detail = rowdetail.New(m.Common, msg.Row, msg.At)
		m.resize()
	case rowdetail.ClosedMsg:
		m.detail = nil
		m.resize()
	case common.CopyMsg:
		return copyCmd(m.clipboard, msg.Text), true
	case copiedMsg:
		if msg.err != nil {
			m.setStatus("Could not copy the path: "+msg.err.Error(), true)
		} else {
			m.setStatus("Copied to the clipboard: "+msg.text+" (if the terminal allows it)", false)
		}
	default:
		return nil, false
	}
	return nil, true
}

// openHistory shows the campaigns of the state store the setup uses.
func (m *model) openHistory() tea.Cmd {
	m.historyFrom = m.active
	m.show(screenHistory)
	statePath := m.setup.plan.StatePath
	if statePath == "" {
		statePath = campaign.DefaultStatePath()
	}
	return m.history.Open(statePath, m.setup.plan.PricesPath)
}

// resumeCampaign opens the setup on a past campaign (its files, name, reading options and profile), checked
// again; with plan.RetryFailed its retryable failures are chosen to resend.
func (m *model) resumeCampaign(plan campaign.Plan) tea.Cmd {
	closing := m.closeSession()
	m.show(screenSetup)
	return tea.Batch(closing, m.setup.resume(plan))
}

// copyCmd writes the OSC 52 sequence that puts text on the terminal's clipboard (inside GNU screen, wrapped as
// screen wants it). Terminals that do not allow it ignore the sequence.
func copyCmd(w io.Writer, text string) tea.Cmd {
	return func() tea.Msg {
		seq := osc52.New(text)
		if strings.HasPrefix(os.Getenv("TERM"), "screen") {
			seq = seq.Screen()
		}
		_, err := seq.WriteTo(w)
		return copiedMsg{text: text, err: err}
	}
}
