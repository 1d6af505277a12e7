package guards

import (
	"fmt"
	"time"

	"herald/campaign/check"
	"herald/campaign/status"
	"herald/campaign/store"
)

// Hold is why a row may not be sent now: deferred until NotBefore, or suppressed for good.
type Hold struct {
	// Status is status.Deferred or status.Suppressed; Code and Reason are the row's code and sentence.
	Status, Code, Reason string
	// NotBefore is when a deferred row may go. A provider that schedules sends itself could be handed the
	// row with this time instead of herald waiting for it.
	NotBefore time.Time
}

// apply sets the hold on a checked row.
func (h *Hold) apply(r *check.Row) {
	r.Status, r.NotBefore = h.Status, h.NotBefore
	r.Problem = &status.Problem{Code: h.Code, Reason: h.Reason}
}

// Rules are the guards a plan asks for; a zero field leaves its rule off.
type Rules struct {
	// Window holds each number to the send window in its time zones.
	Window *Window
	// FrequencyCap suppresses the numbers another campaign of the store messaged within it.
	FrequencyCap time.Duration
	// MessagingLimit is the profile's limit of distinct numbers in any rolling 24 hours; Profile names it.
	MessagingLimit int
	Profile        string
	// Campaign is this campaign's name: the frequency cap leaves out its own messages (the numbers an earlier
	// plan of it messaged are skipped as already messaged).
	Campaign string
	// SessionWindow holds a session message to the numbers that wrote to the business through Profile within
	// the last 24 hours (skipped, code outside_window, otherwise).
	SessionWindow bool
}

// Guards are the rules together with what the state store says about the numbers already messaged. Load reads
// that; Check and Sender apply the rules.
type Guards struct {
	rules   Rules
	windows *Windows
	// conv is the 24-hour window of session messages; nil for a template.
	conv *conversations
	// capped are the numbers under the frequency cap; history the profile's messages in the last 24 hours.
	capped  *numberList
	history []message
}

// message is one number the profile messaged (its key) and when (unix milliseconds).
type message struct {
	key uint64
	at  int64
}

// New returns the guards of rules, with no history yet.
func New(r Rules) *Guards {
	g := &Guards{rules: r}
	if r.Window != nil {
		g.windows = NewWindows(*r.Window)
	}
	if r.SessionWindow {
		g.conv = &conversations{profile: r.Profile}
	}
	return g
}

// Rules are the rules the guards apply.
func (g *Guards) Rules() Rules { return g.rules }

// Active reports whether any rule is on.
func (g *Guards) Active() bool {
	return g.windows != nil || g.rules.FrequencyCap > 0 || g.rules.MessagingLimit > 0 || g.conv != nil
}

// NeedsHistory reports whether a rule depends on what the state store holds: the numbers messaged before
// (frequency cap, messaging limit), or the people who wrote (the 24-hour window of session messages).
func (g *Guards) NeedsHistory() bool {
	return g.rules.FrequencyCap > 0 || g.rules.MessagingLimit > 0 || g.conv != nil
}

// Load reads, as of now, the numbers other campaigns messaged within the frequency cap, the numbers the
// profile messaged in the last 24 hours and, for a session message, when each number last wrote, replacing
// what an earlier Load read.
func (g *Guards) Load(st *store.Store, now time.Time) error {
	if g.conv != nil {
		if err := g.conv.load(st); err != nil {
			return err
		}
	}
	if within := g.rules.FrequencyCap; within > 0 {
		list := &numberList{}
		err := st.MessagedSince(store.MessagedFilter{Since: now.Add(-within), ExceptCampaign: g.rules.Campaign},
			func(number string, _ time.Time) error { list.add(number); return nil })
		if err != nil {
			return fmt.Errorf("frequency cap: %w", err)
		}
		list.seal()
		g.capped = list
	}
	if g.rules.MessagingLimit > 0 {
		g.history = g.history[:0]
		err := st.MessagedSince(store.MessagedFilter{Since: now.Add(-LimitSpan), Profile: g.rules.Profile},
			func(number string, at time.Time) error {
				if k, ok := numberKey(number); ok {
					g.history = append(g.history, message{k, at.UnixMilli()})
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("messaging limit of profile %s: %w", g.rules.Profile, err)
		}
	}
	return nil
}

// limit returns the profile's messaging limit filled with the history; nil when there is no limit.
func (g *Guards) limit() *Limit {
	if g.rules.MessagingLimit <= 0 {
		return nil
	}
	l := newLimit(g.rules.MessagingLimit, g.rules.Profile)
	for _, m := range g.history {
		l.note(m.key, m.at)
	}
	return l
}

// LimitUsed is how many distinct numbers the profile messaged in the 24 hours before now, as Load read them.
func (g *Guards) LimitUsed(now time.Time) int {
	if l := g.limit(); l != nil {
		return l.Used(now)
	}
	return 0
}

// Capped is how many distinct numbers the frequency cap holds back, as Load read them.
func (g *Guards) Capped() int {
	if g.capped == nil {
		return 0
	}
	return g.capped.len()
}

// capReason is the sentence of a row suppressed by the frequency cap.
func (g *Guards) capReason() string {
	return fmt.Sprintf("another campaign in this state store messaged this number within the frequency cap (%s): "+
		"it is not messaged again so soon", g.rules.FrequencyCap)
}

// Check returns the rules as check guards at now, in the order they apply: the frequency cap (suppressed), the
// 24-hour window of a session message (skipped), the send window (deferred to its opening, or suppressed when
// it never opens for the number), the messaging limit (deferred to the time a place is expected to free).
func (g *Guards) Check(now time.Time) []check.Guard {
	var out []check.Guard
	if g.capped != nil {
		hold := &Hold{Status: status.Suppressed, Code: status.CodeFrequencyCap, Reason: g.capReason()}
		capped := g.capped
		out = append(out, func(r *check.Row) {
			if capped.contains(r.Number) {
				hold.apply(r)
			}
		})
	}
	if g.conv != nil {
		out = append(out, g.conv.checkGuard(now))
	}
	if g.windows != nil {
		ws := g.windows
		out = append(out, func(r *check.Row) {
			if h := ws.Hold(r.Number, now); h != nil {
				h.apply(r)
			}
		})
	}
	if l := g.limit(); l != nil {
		out = append(out, l.checkGuard(now))
	}
	return out
}

// Sender returns the rules as the engine applies them when a row's time comes, with the history of the last
// Load; nil when no rule is on. st is the store the run records into: the 24-hour window asks it when each
// number last wrote.
func (g *Guards) Sender(st *store.Store) *Sender {
	if !g.Active() {
		return nil
	}
	s := &Sender{windows: g.windows, limit: g.limit(), capped: g.capped, conv: g.conv, st: st}
	if s.capped != nil {
		s.capHold = &Hold{Status: status.Suppressed, Code: status.CodeFrequencyCap, Reason: g.capReason()}
	}
	return s
}

// Sender applies the rules at send time: the frequency cap, the 24-hour window of a session message and the
// send window hold a row back (Hold), the messaging limit makes it wait for a place (Reserve). Safe for
// concurrent use.
type Sender struct {
	windows *Windows
	limit   *Limit
	capped  *numberList
	capHold *Hold
	conv    *conversations
	st      *store.Store
}

// Hold says why number may not be sent at now: nil when it may.
func (s *Sender) Hold(number string, now time.Time) *Hold {
	if s.capped != nil && s.capped.contains(number) {
		return s.capHold
	}
	if s.conv != nil {
		if h := s.conv.atTurn(s.st, number, now); h != nil {
			return h
		}
	}
	if s.windows != nil {
		return s.windows.Hold(number, now)
	}
	return nil
}

// Reserve takes a place under the messaging limit for number at now (see Limit.Reserve); without a limit
// every number may go.
func (s *Sender) Reserve(number string, now time.Time) (fresh, ok bool, next time.Time) {
	if s.limit == nil {
		return false, true, time.Time{}
	}
	return s.limit.Reserve(number, now)
}

// Release gives back a fresh place whose message did not leave.
func (s *Sender) Release(number string) {
	if s.limit != nil {
		s.limit.Release(number)
	}
}

// Sent records that number's request left at at.
func (s *Sender) Sent(number string, at time.Time) {
	if s.limit != nil {
		s.limit.Sent(number, at)
	}
}
