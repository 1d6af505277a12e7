package engine

import (
	"testing"
	"time"

	"herald/campaign/status"
)

// fakeClock is a progress clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func (c *fakeClock) sample(p *progress, n int) {
	p.sent.Add(int64(n))
	c.advance(time.Second)
	p.sample(c.t)
}

// TestTimeLeftLeavesPausedTimeOut: 169 rows left at 5/s are about 34 s away, also after a long pause (the
// first dashboard showed 2 min: the pause counted as time spent sending).
func TestTimeLeftLeavesPausedTimeOut(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := newProgress("c", 5, clock.t)
	p.now = clock.now
	p.total.Store(200)
	p.remaining.Store(200)
	for range 6 { // 6 s at 5/s
		p.remaining.Add(-5)
		clock.sample(p, 5)
	}
	p.setState(status.Paused, "user")
	for range 90 { // 90 s paused: nothing sent
		clock.sample(p, 0)
	}
	p.setState(status.Running, "")
	p.remaining.Store(169)
	for _, at := range []string{"just after the resume", "a second later"} {
		s := p.snapshot(clock.t)
		if s.Paused != 90*time.Second {
			t.Errorf("%s: paused %v, want 1m30s", at, s.Paused)
		}
		if s.Rate < 4.9 || s.Rate > 5.1 {
			t.Errorf("%s: rate %.2f/s, want 5/s", at, s.Rate)
		}
		if want := time.Duration(s.Remaining) * time.Second / 5; s.ETA < want-time.Second || s.ETA > want+time.Second {
			t.Errorf("%s: time left %v for %d rows, want about %v", at, s.ETA, s.Remaining, want)
		}
		p.remaining.Add(-5)
		clock.sample(p, 5)
	}
}

// TestHistoryKeepsThePaceOfTheLastMinutes: one point a second with the pace allowed then, the paused seconds
// marked, at most historyLen points, oldest first.
func TestHistoryKeepsThePaceOfTheLastMinutes(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	p := newProgress("c", 20, clock.t)
	p.now = clock.now
	clock.sample(p, 20)
	p.setTarget(10)
	clock.sample(p, 10)
	p.setState(status.Paused, "user")
	clock.sample(p, 0)
	got := p.snapshot(clock.t).History
	want := []RatePoint{{Sent: 20, Target: 20}, {Sent: 10, Target: 10}, {Sent: 0, Target: 10, Paused: true}}
	if len(got) != len(want) {
		t.Fatalf("history %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("history[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	p.setState(status.Running, "")
	for i := range historyLen + 10 {
		clock.sample(p, i)
	}
	got = p.snapshot(clock.t).History
	if len(got) != historyLen || got[0].Sent != 10 || got[historyLen-1].Sent != historyLen+9 {
		t.Errorf("after %d more seconds: %d points from %v to %v, want %d from 10 to %d", historyLen+10, len(got),
			got[0].Sent, got[len(got)-1].Sent, historyLen, historyLen+9)
	}
}

// TestFailureGroupsCountEveryFailureByCode: groups count all of the run's failures, beyond the ring of recent
// ones, largest first, each with its latest sentence.
func TestFailureGroupsCountEveryFailureByCode(t *testing.T) {
	p := newProgress("c", 20, time.Unix(0, 0))
	for i := range failureRing + 50 {
		p.failure(Failure{At: time.Unix(int64(i), 0), Row: i, Status: status.Failed, Code: "131026",
			Reason: "not a WhatsApp number " + string(rune('a'+i%26))})
	}
	p.failure(Failure{At: time.Unix(1000, 0), Row: 1, Status: status.Unknown, Code: status.CodeInterrupted, Reason: "no answer"})
	s := p.snapshot(time.Unix(2000, 0))
	if len(s.Failures) != failureRing {
		t.Errorf("%d recent failures kept, want %d", len(s.Failures), failureRing)
	}
	want := []FailureGroup{
		{Code: "131026", Status: status.Failed, Count: failureRing + 50, Reason: "not a WhatsApp number " + string(rune('a'+(failureRing+49)%26)), Latest: time.Unix(failureRing+49, 0)},
		{Code: status.CodeInterrupted, Status: status.Unknown, Count: 1, Reason: "no answer", Latest: time.Unix(1000, 0)},
	}
	if len(s.FailureGroups) != len(want) {
		t.Fatalf("groups %+v, want %+v", s.FailureGroups, want)
	}
	for i := range want {
		if g := s.FailureGroups[i]; g != want[i] {
			t.Errorf("group %d = %+v, want %+v", i, g, want[i])
		}
	}
}
