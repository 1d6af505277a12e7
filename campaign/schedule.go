package campaign

import (
	"fmt"

	"herald/campaign/human"
	"herald/campaign/status"
	"herald/providers/open"
)

// scheduler names the plan's provider when a run hands the rows its send window holds back to the provider at
// once, with the time their window opens (--send-window with a provider that schedules: Huawei CEC's sendAt),
// so that the run need not stay open until then; "" when rows wait for their time in herald.
func (in *Input) scheduler() string {
	if in.Guards == nil || in.Guards.Rules().Window == nil || in.Plan.Profile.Provider == "" {
		return ""
	}
	c, err := open.Capabilities(in.Plan.Profile)
	if err != nil || !c.Schedules {
		return ""
	}
	return c.Provider
}

// scheduleNote tells the user, before the run, that the rows waiting for their send window go to the provider
// at once ("" when none wait or the provider does not schedule).
func (s *Session) scheduleNote() string {
	n, err := s.Store.CountDeferredFor(s.Info.ID, status.CodeSendWindow)
	name := s.Input.scheduler()
	if err != nil || n == 0 || name == "" {
		return ""
	}
	return fmt.Sprintf("%s outside the send window go to %s at once, each with the time its window opens: "+
		"%s sends them then, so herald need not keep running", human.Plural(n, "row"), name, name)
}

// releaseScheduled makes the rows deferred for their send window ready when the provider schedules: the
// engine hands each to the provider with its time (engine.Options.Schedule).
func (s *Session) releaseScheduled() error {
	if s.Input.scheduler() == "" {
		return nil
	}
	_, err := s.Store.ReleaseDeferred(s.Info.ID, status.CodeSendWindow)
	return err
}
