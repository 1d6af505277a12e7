// Package guards protects the sender's number: the send window in each recipient's own time zone, the
// profile's messaging limit (distinct numbers in a rolling 24 hours), the frequency cap across campaigns, and
// the cost estimate from a price table. The check pipeline asks its guards about each ready row in file order
// (check.Checker.Guards); the engine's feeder asks the same rules again when a row's time comes (Sender).
package guards

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Window is a daily span of local time, [Start, End), in minutes after midnight. A window whose end is not
// after its start crosses midnight (21:00-08:00).
type Window struct {
	Start, End int
}

// minutesPerDay is the end of a day; a window may end at 24:00.
const minutesPerDay = 24 * 60

// ParseWindow reads HH:MM-HH:MM (09:00-20:00; 21:00-08:00 crosses midnight; an end of 24:00 is midnight). Its
// error is a *SettingError.
func ParseWindow(s string) (Window, error) {
	bad := func(why string) (Window, error) {
		return Window{}, &SettingError{Flag: "--send-window", Value: s, Why: why + "; write it as HH:MM-HH:MM in " +
			"the recipients' local time, e.g. 09:00-20:00 (21:00-08:00 crosses midnight)"}
	}
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return bad("no '-' between the start and the end")
	}
	start, ok := clockMinutes(from, false)
	if !ok {
		return bad(fmt.Sprintf("the start %q is not a time of day", strings.TrimSpace(from)))
	}
	end, ok := clockMinutes(to, true)
	if !ok {
		return bad(fmt.Sprintf("the end %q is not a time of day", strings.TrimSpace(to)))
	}
	if start == end%minutesPerDay {
		return bad("the start and the end are the same time (to send at any hour, set no send window)")
	}
	return Window{Start: start, End: end}, nil
}

// clockMinutes reads H:MM or HH:MM as minutes after midnight; 24:00 only when allowMidnight.
func clockMinutes(s string, allowMidnight bool) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	switch {
	case err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59:
		return 0, false
	case hh == 24 && mm == 0 && allowMidnight:
		return minutesPerDay, true
	case hh > 23:
		return 0, false
	}
	return hh*60 + mm, true
}

// String is the window as written: 09:00-20:00.
func (w Window) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", w.Start/60, w.Start%60, w.End/60, w.End%60)
}

// crossesMidnight reports whether the window runs from one day into the next.
func (w Window) crossesMidnight() bool { return w.End <= w.Start }

// contains reports whether a time of day, in minutes after midnight, is inside the window.
func (w Window) contains(minute int) bool {
	if w.crossesMidnight() {
		return minute >= w.Start || minute < w.End
	}
	return minute >= w.Start && minute < w.End
}

// inside reports whether t, read in loc, is inside the window.
func (w Window) inside(t time.Time, loc *time.Location) bool {
	h, m, _ := t.In(loc).Clock()
	return w.contains(h*60 + m)
}

// opensAfter returns the instants after now at which the window opens in loc, on the local days from the one
// of now to days later, in order. A start that falls in a daylight-saving gap comes out as time.Date makes it:
// a little later, never earlier.
func (w Window) opensAfter(now time.Time, loc *time.Location, days int) []time.Time {
	y, mo, d := now.In(loc).Date()
	var out []time.Time
	for i := 0; i <= days; i++ {
		if t := time.Date(y, mo, d+i, w.Start/60, w.Start%60, 0, 0, loc); t.After(now) {
			out = append(out, t)
		}
	}
	return out
}
