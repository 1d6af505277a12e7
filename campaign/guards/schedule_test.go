package guards

import (
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 15, 10, 0, 0, 0, paris)
	s := NewSchedule(now, paris)
	s.Add(time.Time{}, 600)
	s.Add(now.Add(-time.Minute), 1) // due already: now
	s.Add(time.Date(2025, 1, 15, 14, 0, 0, 0, paris), 200)
	s.Add(time.Date(2025, 1, 15, 23, 59, 0, 0, paris), 100)
	s.Add(time.Date(2025, 1, 16, 0, 0, 0, 0, paris), 50) // midnight: tomorrow
	s.Add(time.Date(2025, 1, 16, 8, 0, 0, 0, paris), 40)
	s.Add(time.Date(2025, 1, 18, 9, 30, 0, 0, paris), 5)
	want := "601 now, 300 later today (from 14:00), 90 tomorrow (from 00:00), 5 later (from Sat 18 Jan 09:30)"
	if got := s.String(); got != want {
		t.Errorf("schedule\n got %q\nwant %q", got, want)
	}
	if s.Waiting() != 395 {
		t.Errorf("waiting %d, want 395", s.Waiting())
	}
	only := NewSchedule(now, paris)
	only.Add(time.Time{}, 3)
	if got := only.String(); got != "3 now" || only.Waiting() != 0 {
		t.Errorf("all now: %q, waiting %d", got, only.Waiting())
	}
	later := NewSchedule(now, paris)
	later.Add(time.Date(2025, 1, 15, 14, 0, 0, 0, paris), 2)
	if got := later.String(); got != "2 later today (from 14:00)" {
		t.Errorf("none now: %q", got)
	}
	if got := NewSchedule(now, paris).String(); got != "0 now" {
		t.Errorf("empty: %q", got)
	}
}
