package campaign

import (
	"fmt"
	"time"

	"herald/campaign/engine"
	"herald/campaign/guards"
	"herald/campaign/human"
	"herald/campaign/phone"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/campaign/template"
)

// Outlook is what the guards of the sender's number say about a prepared run, for the confirmation: when its
// rows go, how the messaging limit stands, and what the run costs.
type Outlook struct {
	// Window is the send window ("" for none); Schedule counts the rows that go now, later today, tomorrow
	// and later (by the machine's clock and days). ScheduledBy names the provider that holds the rows outside
	// their window until it opens ("" when herald waits for their time itself).
	Window      string
	Schedule    *guards.Schedule
	ScheduledBy string
	// Limit is the profile's messaging limit (0: none); LimitUsed the distinct numbers the profile messaged in
	// the last 24 hours; LimitWaiting the rows deferred until a place frees.
	Limit, LimitUsed, LimitWaiting int
	// FrequencyCap is the cap in force (0: none).
	FrequencyCap time.Duration
	// Cost estimates the rows to send (ready and deferred); nil without --prices.
	Cost *guards.Estimate
}

// outlook works out the session's outlook from the store.
func (s *Session) outlook() (Outlook, error) {
	in, id := s.Input, s.Info.ID
	rules := in.Guards.Rules()
	now := in.now()
	o := Outlook{Limit: rules.MessagingLimit, FrequencyCap: rules.FrequencyCap, Schedule: guards.NewSchedule(now, time.Local)}
	if rules.Window != nil {
		o.Window, o.ScheduledBy = rules.Window.String(), in.scheduler()
	}
	if o.Limit > 0 {
		if s.Resumed { // a new plan read the history for its check already
			if err := in.loadHistory(s.Store); err != nil {
				return o, err
			}
		}
		o.LimitUsed = in.Guards.LimitUsed(now)
	}
	o.Schedule.Add(time.Time{}, s.Counts[status.Ready]+s.resend)
	if err := s.addDeferred(o.Schedule, now); err != nil {
		return o, err
	}
	var err error
	if o.Limit > 0 {
		if o.LimitWaiting, err = s.Store.CountDeferredFor(id, status.CodeMessagingLimit); err != nil {
			return o, err
		}
	}
	o.Cost, err = s.estimate(status.Ready, status.Deferred)
	return o, err
}

// addDeferred counts the campaign's deferred rows into sched by when they go, from the rows_deferred index.
func (s *Session) addDeferred(sched *guards.Schedule, now time.Time) error {
	endToday, endTomorrow := sched.Bounds()
	soon := now.Add(time.Millisecond) // deferred rows whose time has come go now
	for _, span := range [][2]time.Time{{{}, soon}, {soon, endToday}, {endToday, endTomorrow}, {endTomorrow, {}}} {
		n, first, err := s.Store.CountDeferred(s.Info.ID, span[0], span[1])
		if err != nil {
			return err
		}
		if n > 0 {
			sched.Add(first, n)
		}
	}
	return nil
}

// Upcoming is what a run waits for, for the dashboard: the next deferred rows and when all of them go.
type Upcoming struct {
	// Rows are the first deferred rows in the order they go (their time, then their row number).
	Rows []store.Row
	// Schedule counts every deferred row by when it goes: now (its time has come), later today, tomorrow, later.
	Schedule *guards.Schedule
}

// endOfTime is after any deferred row's time.
var endOfTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// Upcoming reads the campaign's next limit deferred rows and counts all of them by when they go. It reads the
// store (while the run writes it): call it from a screen's command, never from its update loop.
func (s *Session) Upcoming(limit int) (Upcoming, error) {
	now := s.Input.now()
	u := Upcoming{Schedule: guards.NewSchedule(now, time.Local)}
	if err := s.addDeferred(u.Schedule, now); err != nil {
		return u, err
	}
	var err error
	u.Rows, err = s.Store.DueRows(s.Info.ID, endOfTime, store.DeferredCursor{}, max(limit, 1))
	return u, err
}

// estimate adds up the cost of the campaign's rows in the statuses; nil without --prices.
func (s *Session) estimate(statuses ...string) (*guards.Estimate, error) {
	est := s.Input.Estimate()
	if est == nil {
		return nil, nil
	}
	return est, addNumbers(est, s.Store, s.Info.ID, s.Input.Phones, statuses...)
}

// addNumbers counts the numbers of campaign id's rows in the statuses into est, each by its country.
func addNumbers(est *guards.Estimate, st *store.Store, id int64, phones *phone.Normalizer, statuses ...string) error {
	return st.EachNumber(id, statuses, func(number string) error {
		est.Add(phones.Region(number))
		return nil
	})
}

// SentCosts estimates, with the price table at pricesPath, what each campaign of list (from Campaigns, in the
// store at statePath) spent on the messages it sent, by campaign id: for the campaigns screen. The messages
// its earlier CSVs sent count too (the rows a changed CSV still holds are skipped in the current record: their
// message is in the earlier one). A campaign that sent nothing, or whose template file cannot be read now
// (its category is unknown), is left out.
func SentCosts(statePath, pricesPath string, list []store.CampaignInfo) (map[int64]*guards.Estimate, error) {
	prices, err := guards.LoadPrices(pricesPath)
	if err != nil {
		return nil, err
	}
	phones, err := phone.NewNormalizer("")
	if err != nil {
		return nil, err
	}
	st, err := OpenExistingStore(statePath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	costs := make(map[int64]*guards.Estimate, len(list))
	for _, c := range list {
		tpl, err := template.Load(c.TemplatePath)
		if err != nil {
			continue
		}
		est := prices.Estimate(tpl.Category)
		est.Which = "sent"
		archives, err := st.Earlier(c.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range append([]int64{c.ID}, archiveIDs(archives)...) {
			if err := addNumbers(est, st, id, phones, status.Sent); err != nil {
				return nil, err
			}
		}
		if est.Messages() > 0 {
			costs[c.ID] = est
		}
	}
	return costs, nil
}

// archiveIDs are the ids of a campaign's records of earlier CSVs.
func archiveIDs(archives []store.CampaignInfo) []int64 {
	ids := make([]int64, len(archives))
	for i, a := range archives {
		ids[i] = a.ID
	}
	return ids
}

// SentCost estimates what the campaign's sent messages cost, for the summary; nil without --prices.
func (s *Session) SentCost() (*guards.Estimate, error) {
	est, err := s.estimate(status.Sent)
	if est != nil {
		est.Which = "sent"
	}
	return est, err
}

// LimitLine is the confirmation's line about the messaging limit ("" without one), and whether it is a
// warning: the rows to send are more than the places free now, so some wait for places to free.
func (o Outlook) LimitLine(profile string) (string, bool) {
	if o.Limit <= 0 {
		return "", false
	}
	free := max(o.Limit-o.LimitUsed, 0)
	line := fmt.Sprintf("profile %s may message %s distinct numbers in any 24 hours (messaging_limit); %s "+
		"messaged in the last 24 hours, %s free now", profile, human.Thousands(o.Limit),
		human.Thousands(o.LimitUsed), human.Plural(free, "place"))
	toSend := o.Schedule.Spans[0].Count + o.Schedule.Waiting()
	if toSend <= free {
		return line, false
	}
	line += fmt.Sprintf("; of the %s to send, those over the limit wait for places to free (a place frees 24 "+
		"hours after its message) and herald keeps running to send them then", human.Plural(toSend, "row"))
	if o.LimitWaiting > 0 {
		line += fmt.Sprintf(" (%s deferred for it already)", human.Thousands(o.LimitWaiting))
	}
	return line, true
}

// ScheduleLine says when the rows go ("" when they all go now): "600 now, 300 later today (from 14:00), ...".
func (o Outlook) ScheduleLine() string {
	if o.Schedule == nil || o.Schedule.Waiting() == 0 {
		return ""
	}
	line := o.Schedule.String()
	if o.Window != "" {
		line += " (send window " + o.Window + " of each recipient's local time)"
	}
	if o.ScheduledBy != "" {
		line += "; herald hands the later rows to " + o.ScheduledBy + " now, and it sends each when its time comes"
	}
	return line
}

// WaitingText says what a run waits for ("" when nothing waits): "400 rows wait for their time; the next
// goes at 14:00 (send window)", or "waiting for a place under the messaging limit until 14:05".
func WaitingText(s engine.Snapshot) string {
	at := s.WaitingUntil.Local().Format("15:04")
	if time.Until(s.WaitingUntil) > 20*time.Hour {
		at = s.WaitingUntil.Local().Format("Mon 15:04")
	}
	why := WaitReason(s.WaitingFor)
	switch {
	case s.Waiting == 0 && s.WaitingFor == status.CodeMessagingLimit:
		return "waiting for a place under the messaging limit until " + at
	case s.Waiting == 0:
		return ""
	case s.WaitingUntil.IsZero():
		return human.Plural(s.Waiting, "row") + " wait for their time"
	}
	return fmt.Sprintf("%s wait for their time; the next goes at %s%s", human.Plural(s.Waiting, "row"), at, why)
}

// WaitReason is what rows wait for, as words after a time (" (send window)", " (messaging limit)"), for the
// code of a snapshot's WaitingFor; "" for any other code.
func WaitReason(code string) string {
	switch code {
	case status.CodeSendWindow:
		return " (send window)"
	case status.CodeMessagingLimit:
		return " (messaging limit)"
	}
	return ""
}

// BatchText says that requests of many recipients wait for the rate, which counts each recipient, and when the
// last leaves ("300 recipients in a request wait for the rate: it leaves in 12s"), or "" when none waits.
func BatchText(s engine.Snapshot) string {
	if s.Batched == 0 || s.BatchedUntil.IsZero() {
		return ""
	}
	left := time.Until(s.BatchedUntil).Round(time.Second)
	if left < time.Second {
		left = time.Second
	}
	return fmt.Sprintf("%s in a request wait for the rate: it leaves in %s",
		human.Plural(s.Batched, "recipient"), human.Duration(left))
}
