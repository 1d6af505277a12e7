package campaign

import (
	"context"
	"time"

	"herald/campaign/templates"
	"herald/providers"
	"herald/providers/open"
)

// approvalTimeout bounds the status query a campaign makes before its first send.
const approvalTimeout = 30 * time.Second

// TemplateApproval asks the plan's provider whether the input's template is approved, for the setup screen and
// the confirmation: Approval.Line says it in a line, Approval.Refusal is the error a send would stop with. A
// provider without a template API gives an Approval that is not Known, naming its console.
func TemplateApproval(ctx context.Context, in *Input) (templates.Approval, error) {
	if in.Template.IsSession() {
		return templates.Approval{Name: in.Template.Name, Profile: in.Plan.Profile.Name,
			Unknown: "a session message is no template: nothing to approve"}, nil
	}
	prov, err := open.Provider(in.Plan.Profile, providers.ClientOptions{Concurrency: 2})
	if err != nil {
		return templates.Approval{}, InputError(err)
	}
	defer prov.Close()
	a, err := templates.Approve(ctx, in.Plan.Profile, prov, in.Template.Name, in.Template.Language)
	if err != nil {
		return a, InputError(err)
	}
	return a, nil
}

// checkApproved is the approval gate of Start: with prov, the run's provider, it asks whether the template is
// approved, and returns the input error (exit 2, nothing sent) naming the status and what to do when the
// provider says it is not, or has no such template. A provider that cannot tell does not hold the run back; a
// session message has no template to ask about.
func (s *Session) checkApproved(prov providers.Provider) error {
	ctx, cancel := context.WithTimeout(context.Background(), approvalTimeout)
	defer cancel()
	t := s.Input.Template
	if t.IsSession() {
		return nil
	}
	return InputError(templates.Gate(ctx, s.Input.Plan.Profile, prov, t.Name, t.Language))
}
