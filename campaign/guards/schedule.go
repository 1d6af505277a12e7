package guards

import (
	"fmt"
	"strings"
	"time"

	"herald/campaign/human"
)

// Schedule counts when a campaign's rows go: now, later today, tomorrow, or later, in the user's own days (the
// machine's time zone), with the first time of each span. Preview and confirm print it.
type Schedule struct {
	loc                 *time.Location
	now                 time.Time
	endToday, endTomorr time.Time
	// Spans are now, later today, tomorrow and later.
	Spans [4]Span
}

// Span is the rows that go in one span of time, and when the first of them goes (zero for now).
type Span struct {
	Label string
	Count int
	First time.Time
}

// NewSchedule returns an empty schedule from now, in the days of loc.
func NewSchedule(now time.Time, loc *time.Location) *Schedule {
	l := now.In(loc)
	y, m, d := l.Date()
	s := &Schedule{loc: loc, now: now, endToday: time.Date(y, m, d+1, 0, 0, 0, 0, loc),
		endTomorr: time.Date(y, m, d+2, 0, 0, 0, 0, loc)}
	s.Spans = [4]Span{{Label: "now"}, {Label: "later today"}, {Label: "tomorrow"}, {Label: "later"}}
	return s
}

// Bounds are the ends of today and tomorrow: the spans' limits.
func (s *Schedule) Bounds() (endToday, endTomorrow time.Time) { return s.endToday, s.endTomorr }

// Add counts n rows that may go at notBefore (zero or past: now).
func (s *Schedule) Add(notBefore time.Time, n int) {
	i := 0
	switch {
	case notBefore.IsZero() || !notBefore.After(s.now):
	case notBefore.Before(s.endToday):
		i = 1
	case notBefore.Before(s.endTomorr):
		i = 2
	default:
		i = 3
	}
	sp := &s.Spans[i]
	sp.Count += n
	if i > 0 && (sp.First.IsZero() || notBefore.Before(sp.First)) {
		sp.First = notBefore
	}
}

// Waiting is how many rows do not go now.
func (s *Schedule) Waiting() int { return s.Spans[1].Count + s.Spans[2].Count + s.Spans[3].Count }

// String is the schedule for people: "600 now, 300 later today (from 14:00), 100 tomorrow (from 08:00)"; "now"
// is left out when no row goes now but some go later ("300 later today (from 14:00)").
func (s *Schedule) String() string {
	var parts []string
	for i, sp := range s.Spans {
		if sp.Count == 0 && (i > 0 || s.Waiting() > 0) {
			continue
		}
		part := human.Thousands(sp.Count) + " " + sp.Label
		switch i {
		case 1, 2:
			part += fmt.Sprintf(" (from %s)", sp.First.In(s.loc).Format("15:04"))
		case 3:
			part += fmt.Sprintf(" (from %s)", sp.First.In(s.loc).Format("Mon 2 Jan 15:04"))
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}
