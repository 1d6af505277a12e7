package guards

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"

	"herald/campaign/status"
)

// searchDays is how far ahead a window opening is looked for: a week and a day covers every daylight-saving
// change between now and then.
const searchDays = 8

// Windows decides, for each number, whether the send window is open now in every time zone libphonenumber gives
// the number, and if not, when it next is. It remembers what it learns per set of zones (most countries have
// one, the US a few dozen), so a million rows cost a million look-ups of the number's zones and a few dozen
// searches. Safe for concurrent use.
type Windows struct {
	window Window
	mu     sync.Mutex
	sets   map[string]*zoneSet
}

// NewWindows returns the send window w applied to each number's time zones.
func NewWindows(w Window) *Windows {
	return &Windows{window: w, sets: map[string]*zoneSet{}}
}

// Window is the daily window the numbers are held to.
func (ws *Windows) Window() Window { return ws.window }

// zoneSet is one set of time zones some numbers share, and the last answer worked out for it.
type zoneSet struct {
	names []string
	locs  []*time.Location
	// unusable says why the set cannot be used ("" when it can): a zone herald cannot load or does not know.
	unusable string
	// For every time in [from, next) the window next opens at next; never is set when no opening was found
	// within searchDays of from. reason is the deferral's sentence for next.
	from, next time.Time
	never      bool
	reason     string
}

// Hold says whether number may be sent at now: nil when the window is open in all its zones; else a deferral
// until the window next opens there, or a suppression when it never does (zones too far apart for the window)
// or the number's zone is unknown. Codes: status.CodeSendWindow.
func (ws *Windows) Hold(number string, now time.Time) *Hold {
	set := ws.zones(number)
	if set.unusable != "" {
		return &Hold{Status: status.Suppressed, Code: status.CodeSendWindow, Reason: set.unusable}
	}
	if ws.openIn(set, now) {
		return nil
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if set.from.IsZero() || now.Before(set.from) || !set.never && !now.Before(set.next) ||
		set.never && !now.Equal(set.from) {
		ws.search(set, now)
	}
	if set.never {
		return &Hold{Status: status.Suppressed, Code: status.CodeSendWindow, Reason: set.reason}
	}
	return &Hold{Status: status.Deferred, Code: status.CodeSendWindow, Reason: set.reason, NotBefore: set.next}
}

// openIn reports whether the window is open at t in every zone of the set.
func (ws *Windows) openIn(set *zoneSet, t time.Time) bool {
	for _, loc := range set.locs {
		if !ws.window.inside(t, loc) {
			return false
		}
	}
	return true
}

// search finds the first time after now at which the window is open in every zone of the set: the
// intersection of the zones' windows starts where one of them opens, so only those instants are tried.
// Called with ws.mu held.
func (ws *Windows) search(set *zoneSet, now time.Time) {
	var starts []time.Time
	for _, loc := range set.locs {
		starts = append(starts, ws.window.opensAfter(now, loc, searchDays)...)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	set.from, set.next, set.never = now, time.Time{}, true
	for _, t := range starts {
		if ws.openIn(set, t) {
			set.next, set.never = t, false
			break
		}
	}
	where := "in " + set.names[0] + ", the recipient's time zone"
	if len(set.names) > 1 {
		where = fmt.Sprintf("in all of the number's time zones (%s)", strings.Join(set.names, ", "))
	}
	if set.never {
		set.reason = fmt.Sprintf("the number's time zones (%s) are too far apart: no moment of the next week is "+
			"inside the send window %s in all of them; widen --send-window, or send it without one",
			strings.Join(set.names, ", "), ws.window)
		return
	}
	set.reason = fmt.Sprintf("outside the send window %s %s: it goes at %s (%s there)", ws.window, where,
		set.next.UTC().Format(time.RFC3339), set.next.In(set.locs[0]).Format("Mon 15:04"))
}

// zones returns the set of time zones of number, loading it the first time it is seen.
func (ws *Windows) zones(number string) *zoneSet {
	names, err := phonenumbers.GetTimezonesForPrefix(number)
	key := ""
	switch {
	case err != nil || len(names) == 0:
		names = []string{phonenumbers.UNKNOWN_TIMEZONE}
		key = names[0]
	case len(names) == 1:
		key = names[0]
	default:
		key = strings.Join(names, ",")
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if set, ok := ws.sets[key]; ok {
		return set
	}
	set := &zoneSet{names: names}
	for _, name := range names {
		if name == phonenumbers.UNKNOWN_TIMEZONE {
			set.unusable = "libphonenumber has no time zone for this number, so its local time is unknown: it " +
				"is not sent while --send-window is set; send it without one"
			break
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			set.unusable = fmt.Sprintf("time zone %s of this number cannot be loaded (%v): it is not sent while "+
				"--send-window is set", name, err)
			break
		}
		set.locs = append(set.locs, loc)
	}
	ws.sets[key] = set
	return set
}
