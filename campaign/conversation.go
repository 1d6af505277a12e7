package campaign

import (
	"fmt"

	"herald/campaign/guards"
	"herald/campaign/human"
	"herald/campaign/status"
)

// countReopen counts, for a session message, the rows skipped before (the number had not written in the 24
// hours before its check or its turn) whose number has written since, as of now: a run sends them at their
// turn (engine.Options.Reopen), so they count among the rows to send.
func (s *Session) countReopen() error {
	in := s.Input
	if !in.Template.IsSession() {
		return nil
	}
	n, err := s.Store.CountSkippedWrote(s.Info.ID, status.CodeOutsideWindow, in.Plan.Profile.Name,
		in.now().Add(-guards.SessionWindow))
	if err != nil {
		return err
	}
	s.reopen = n
	if n > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%s skipped before (outside the 24-hour window) can go now: the "+
			"person wrote since", human.Plural(n, "row")))
	}
	return nil
}
