package ui

import (
	"fmt"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/human"
)

// followUpReadyMsg reports the repliers of a campaign written as a recipients CSV (campaign.WriteFollowUp), in
// the store at statePath.
type followUpReadyMsg struct {
	fu        campaign.FollowUp
	statePath string
	err       error
}

// followUpCmd writes the repliers of the campaign called name, in the store at statePath, as the recipients of
// a follow-up.
func followUpCmd(statePath, name string) tea.Cmd {
	return func() tea.Msg {
		fu, err := campaign.WriteFollowUp(statePath, name)
		return followUpReadyMsg{fu: fu, statePath: statePath, err: err}
	}
}

// followUpReady opens the setup on the repliers, through the campaign's profile (whose replies opened their
// 24-hour windows), with the template picker open on the campaign's template folder: the user chooses what to
// send them, a session message most often.
func (m *model) followUpReady(msg followUpReadyMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus(msg.err.Error(), true)
		return nil
	}
	closing := m.closeSession()
	m.show(screenSetup)
	plan := msg.fu.Plan(campaign.Plan{StatePath: msg.statePath})
	plan.Profile.Name = msg.fu.Of.Profile
	cmd := m.setup.followUp(plan, filepath.Dir(msg.fu.Of.TemplatePath))
	m.setStatus(fmt.Sprintf("Following up %s: %s replied. Choose the message to send them: a session message "+
		"(kind: session, such as templates/price_list.yaml) reaches those who wrote in the last 24 hours.",
		msg.fu.Of.Name, human.People(msg.fu.Repliers)), false)
	return tea.Batch(closing, cmd)
}

// followUp shows a follow-up's plan as resume shows a past campaign, with no template yet and the template
// picker open in dir.
func (s *setupPane) followUp(plan campaign.Plan, dir string) tea.Cmd {
	load := s.resume(plan)
	s.focus = fieldTemplate
	return tea.Batch(load, s.openPickerIn(fieldTemplate, dir))
}
