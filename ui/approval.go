package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/templates"
	"herald/providers"
)

// approvalTimeout bounds the setup's question to the provider about the template's review.
const approvalTimeout = 20 * time.Second

// approvalState is what the provider said of the template's review, for the setup: asked once per profile and
// template, answered by a command (the question goes over the network).
type approvalState struct {
	// key names the profile and the template asked about; "" before the first question.
	key string
	// answer is the provider's answer, nil until it came; err says why it could not be asked.
	answer *templates.Approval
	err    error
}

// approvalMsg is the provider's answer about the template named by key.
type approvalMsg struct {
	key    string
	answer templates.Approval
	err    error
}

// answered takes an answer about the profile and template still shown; earlier ones are dropped.
func (a *approvalState) answered(msg approvalMsg) {
	if msg.key != a.key {
		return
	}
	a.answer, a.err = &msg.answer, msg.err
}

// line is the setup's line about the template's review and whether it stops a send; "" while the question is
// out, and for providers that cannot tell.
func (a *approvalState) line() (text string, sendable bool) {
	switch {
	case a.err != nil:
		return "could not ask the provider: " + a.err.Error(), true
	case a.answer == nil || !a.answer.Known && !a.answer.Missing:
		return "", true
	}
	return a.answer.Line(), a.answer.Sendable()
}

// approvalKey names what an approval answers for: the profile (and where it sends) and the template.
func approvalKey(p providers.Profile, name, language string) string {
	return p.Name + "\x00" + p.Provider + "\x00" + p.BaseURL + "\x00" + name + "\x00" + language
}

// askApproval asks the provider about the opened template's review, unless it was asked already for this
// profile and template (a new region or name does not ask again).
func (s *setupPane) askApproval() tea.Cmd {
	if s.info == nil || s.info.tpl == nil || s.profileErr != nil {
		return nil
	}
	plan := s.info.plan
	key := approvalKey(plan.Profile, s.info.template, s.info.language)
	if key == s.approval.key {
		return nil
	}
	s.approval = approvalState{key: key}
	in := &campaign.Input{Plan: plan, Template: s.info.tpl}
	ctx := s.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, approvalTimeout)
		defer cancel()
		a, err := campaign.TemplateApproval(ctx, in)
		return approvalMsg{key: key, answer: a, err: err}
	}
}
