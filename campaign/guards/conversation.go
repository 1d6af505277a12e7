package guards

import (
	"fmt"
	"sync"
	"time"

	"herald/campaign/check"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/campaign/store"
)

// SessionWindow is how long after a person's last message to the business WhatsApp lets the business send them
// a session (free-form) message: its customer service window.
const SessionWindow = 24 * time.Hour

// retryLastInbound is how long a row waits when the state store could not say when its number last wrote.
const retryLastInbound = time.Minute

// conversations is the session messages' rule: a row goes only to a number that wrote to the business through
// the profile (the business number whose webhook recorded it) within SessionWindow before the row is checked,
// and again when its turn comes. The check reads every number's last message once (Load). At a row's turn, a
// number whose last known message is still inside the window goes without asking the store (messages are only
// ever added, so its last message can only be later); any other is asked about in the store, so that someone
// who writes during the run is seen.
type conversations struct {
	profile string
	// last is when each number that wrote through the profile last did, as Load read it; later holds the later
	// messages the store showed at a row's turn. Both only ever move forward.
	last  map[string]time.Time
	later sync.Map // number -> time.Time
}

// hold is the row's hold at now given when its number last wrote (wrote false: never): nil inside the window,
// else skipped with code outside_window and a sentence saying when the person last wrote.
func (c *conversations) hold(last time.Time, wrote bool, now time.Time) *Hold {
	if wrote && !last.Before(now.Add(-SessionWindow)) {
		return nil
	}
	h := &Hold{Status: status.Skipped, Code: status.CodeOutsideWindow}
	if !wrote {
		h.Reason = fmt.Sprintf("this number never wrote to the business (no message from it through profile %s "+
			"in this state store): WhatsApp allows a session message only within 24 hours of the person's last "+
			"message; send it an approved template instead", c.profile)
		return h
	}
	h.Reason = fmt.Sprintf("this number last wrote to the business %s ago (%s), more than 24 hours before this "+
		"row's turn: WhatsApp allows a session message only within 24 hours of the person's last message; send it "+
		"an approved template instead", human.Duration(now.Sub(last)), last.UTC().Format("2006-01-02 15:04 UTC"))
	return h
}

// load reads when each number last wrote through the profile.
func (c *conversations) load(st *store.Store) error {
	last := map[string]time.Time{}
	err := st.EachLastInbound(c.profile, func(number string, at time.Time) error {
		last[number] = at
		return nil
	})
	if err != nil {
		return fmt.Errorf("24-hour window of profile %s: %w", c.profile, err)
	}
	c.last = last
	return nil
}

// checkGuard is the rule at the check, at now, by what load read (nothing read: nobody wrote).
func (c *conversations) checkGuard(now time.Time) check.Guard {
	last := c.last
	return func(r *check.Row) {
		at, wrote := last[r.Number]
		if h := c.hold(at, wrote, now); h != nil {
			h.apply(r)
		}
	}
}

// atTurn is the rule when a row's turn comes: it asks st when the number last wrote. A store that cannot say
// defers the row a minute (code outside_window) rather than skip someone who may have written.
func (c *conversations) atTurn(st *store.Store, number string, now time.Time) *Hold {
	if at, ok := c.known(number); ok && c.hold(at, true, now) == nil {
		return nil
	}
	last, wrote, err := st.LastInbound(c.profile, number)
	if err != nil {
		return &Hold{Status: status.Deferred, Code: status.CodeOutsideWindow, NotBefore: now.Add(retryLastInbound),
			Reason: "the state store could not say when this number last wrote (" + err.Error() + "): it is asked again in a minute"}
	}
	if wrote {
		c.later.Store(number, last)
	}
	return c.hold(last, wrote, now)
}

// known is when number last wrote, as far as the rule has seen.
func (c *conversations) known(number string) (time.Time, bool) {
	if v, ok := c.later.Load(number); ok {
		return v.(time.Time), true
	}
	at, ok := c.last[number]
	return at, ok
}
