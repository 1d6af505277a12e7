package campaign_test

import (
	"strings"
	"testing"
	"time"

	"herald/campaign/engine"
	"herald/campaign/internal/fakeclock"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

// scheduleRig is a rig whose sandbox checks sendAt against the fake clock and whose profile speaks dialect.
func scheduleRig(t *testing.T, dialect string, clock *fakeclock.Clock, rec *sends) *rig {
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide, ScheduleClock: clock.Now})
	r.plan.Profile = r.srv.Profile(dialect, r.url)
	return r
}

// sendTimes maps each number the sandbox took to the send time its request carried (zero: at once).
func sendTimes(srv *sandbox.Server) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, e := range srv.Log() {
		if e.Action == "sent" {
			out[e.To] = append(out[e.To], e.SendAt)
		}
	}
	return out
}

// TestSendWindowSchedulesAtHuawei sends London, New York and Tokyo at 10:00 UTC with the window 09:00-18:00
// through Huawei CEC, which schedules: the run ends at once without the clock moving. London goes without a
// send time; New York's rows go with sendAt 14:00 UTC and Tokyo's with 00:00 UTC the next day, recorded sent
// with code scheduled and the time in result_error.
func TestSendWindowSchedulesAtHuawei(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := scheduleRig(t, "huawei", clock, rec)
	ldn, nyc, tyo := numbers(5, london), numbers(5, newYork), numbers(5, tokyo)
	r.plan.CSVPath = r.writeRecipients("world.csv", ldn, tyo, nyc)
	r.plan.SendWindow = "09:00-18:00"

	run := startRun(t, r.plan, clock)
	if notes := strings.Join(run.sess.Notes, "\n"); !strings.Contains(notes, "10 rows outside the send window go to Huawei CEC at once") {
		t.Errorf("notes %q do not say the rows go to the provider at once", notes)
	}
	if line := run.sess.Outlook.ScheduleLine(); !strings.Contains(line, "hands the later rows to Huawei CEC now") {
		t.Errorf("confirmation %q does not say who holds the later rows", line)
	}
	out := run.sess.Input.Plan.OutPath
	snap, counts := run.finish()
	if snap.State != status.Finished || snap.Sent != 15 || snap.Scheduled != 10 || counts[status.Sent] != 15 {
		t.Fatalf("end: %s, sent %d, scheduled %d, counts %v", snap.State, snap.Sent, snap.Scheduled, counts)
	}
	times := sendTimes(r.srv)
	for _, c := range []struct {
		nums []string
		at   time.Time
	}{{ldn, time.Time{}}, {nyc, t0.Add(4 * time.Hour)}, {tyo, t0.Add(14 * time.Hour)}} {
		for _, n := range c.nums {
			if got := times[n]; len(got) != 1 || !got[0].Equal(c.at) {
				t.Errorf("+%s sent with send times %v, want once with %v", n, got, c.at)
			}
			if at := rec.at[n]; len(at) != 1 || !at[0].Equal(t0) {
				t.Errorf("+%s handed over at %v, want at once", n, at)
			}
		}
	}
	for _, row := range readResults(t, out) {
		code, msg := row["result_error_code"], row["result_error"]
		switch num := row["result_number"]; {
		case strings.HasPrefix(num, "81"):
			if code != status.CodeScheduled || !strings.Contains(msg, "it goes at 2025-01-16T00:00:00Z") ||
				!strings.Contains(msg, "Asia/Tokyo") {
				t.Errorf("Tokyo row %s: %s %q", num, code, msg)
			}
		case strings.HasPrefix(num, "1"):
			if code != status.CodeScheduled || !strings.Contains(msg, "it goes at 2025-01-15T14:00:00Z") {
				t.Errorf("New York row %s: %s %q", num, code, msg)
			}
		default:
			if code != "" || msg != "" || row["result_status"] != status.Sent {
				t.Errorf("London row %s: %s %s %q", num, row["result_status"], code, msg)
			}
		}
	}
}

// TestSendWindowDefersWithoutScheduling runs the same campaign through Meta, which does not schedule: the rows
// outside their window wait in herald (deferred), and no request carries a send time.
func TestSendWindowDefersWithoutScheduling(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := scheduleRig(t, "meta", clock, rec)
	ldn, tyo := numbers(3, london), numbers(4, tokyo)
	r.plan.CSVPath = r.writeRecipients("world.csv", ldn, tyo)
	r.plan.SendWindow = "09:00-18:00"
	run := startRun(t, r.plan, clock)
	if s := run.waitIdle(4); s.Scheduled != 0 || rec.count(tyo) != 0 || rec.count(ldn) != 3 {
		t.Fatalf("at 10:00 UTC: scheduled %d, Tokyo %d, London %d", s.Scheduled, rec.count(tyo), rec.count(ldn))
	}
	clock.Set(t0.Add(14 * time.Hour))
	if snap, _ := run.finish(); snap.Sent != 7 || rec.count(tyo) != 4 {
		t.Fatalf("end: sent %d, Tokyo %d", snap.Sent, rec.count(tyo))
	}
	for n, at := range sendTimes(r.srv) {
		if len(at) != 1 || !at[0].IsZero() {
			t.Errorf("+%s sent with send times %v, want none", n, at)
		}
	}
}

// waitFeeder returns once the run has handed over every row it can and waits on the clock with remaining rows
// not sent (rows waiting at the feeder for a place under the messaging limit). Woken by the clock, never by
// polling.
func waitFeeder(t *testing.T, run *liveRun, remaining int64) engine.Snapshot {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case <-run.clock.Waits():
			if s := run.eng.Snapshot(); s.InFlight == 0 && s.Remaining == remaining {
				return s
			}
		case s := <-run.done:
			t.Fatalf("the run ended (%s) while rows should wait: %+v", s.State, s)
		case <-timeout:
			t.Fatalf("the run never waited with %d rows left: %+v", remaining, run.eng.Snapshot())
		}
	}
}

// TestScheduledRowsTakeTheirPlaceUnderTheLimit sends 5 London rows now and schedules Tokyo's 7 with a
// messaging_limit of 12: a scheduled row takes its place when it is handed over, so New York's 6 wait at the
// feeder until London's places free (t0+24h). Then 5 are scheduled for New York's next 09:00, and the last waits
// for Tokyo's places, which last 24 hours from the time those messages go (t0+14h), not from the hand-over. A
// later campaign with a frequency cap counts the scheduled rows at their send time.
func TestScheduledRowsTakeTheirPlaceUnderTheLimit(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := scheduleRig(t, "huawei", clock, rec)
	r.plan.Profile.MessagingLimit = 12
	ldn, tyo, nyc := numbers(5, london), numbers(7, tokyo), numbers(6, newYork)
	r.plan.CSVPath = r.writeRecipients("world.csv", ldn, tyo, nyc)
	r.plan.SendWindow = "09:00-18:00"

	run := startRun(t, r.plan, clock)
	if s := waitFeeder(t, run, 6); s.Sent != 12 || s.Scheduled != 7 || s.WaitingFor != status.CodeMessagingLimit ||
		!s.WaitingUntil.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("at t0: %+v", s)
	}
	if rec.count(nyc) != 0 {
		t.Fatalf("New York handed over %d times before a place freed", rec.count(nyc))
	}
	clock.Set(t0.Add(24 * time.Hour)) // London's places free; New York's 05:00: scheduled for its 09:00
	if s := waitFeeder(t, run, 1); s.Sent != 17 || !s.WaitingUntil.Equal(t0.Add(38*time.Hour)) {
		t.Fatalf("at t0+24h: sent %d, waiting until %v for %s; want 17 and Tokyo's places at t0+38h", s.Sent,
			s.WaitingUntil, s.WaitingFor)
	}
	clock.Set(t0.Add(38 * time.Hour)) // New York's 19:00: the last row is scheduled for its next 09:00
	snap, _ := run.finish()
	if snap.Sent != 18 || snap.Scheduled != 13 {
		t.Fatalf("end: %+v", snap)
	}
	times := sendTimes(r.srv)
	for i, n := range nyc {
		want := t0.Add(28 * time.Hour)
		if i == 5 {
			want = t0.Add(52 * time.Hour)
		}
		if got := times[n]; len(got) != 1 || !got[0].Equal(want) {
			t.Errorf("+%s sent with %v, want %v", n, got, want)
		}
	}
	goes := &sends{at: map[string][]time.Time{}} // when each message goes: its send time, else its hand-over
	for n, at := range times {
		for i, a := range at {
			if a.IsZero() {
				a = rec.at[n][i]
			}
			goes.at[n] = append(goes.at[n], a)
		}
	}
	if worst := goes.maxDistinctIn24h(); worst != 12 {
		t.Errorf("at most %d distinct numbers messaged in 24 hours, want exactly the limit 12", worst)
	}

	// A campaign at t0+40h with a 30-hour frequency cap: Tokyo's rows went at t0+14h (inside the cap, though
	// they were handed over at t0), London's at t0 (outside it).
	clock.Set(t0.Add(40 * time.Hour))
	p := r.plan
	p.Campaign, p.SendWindow, p.FrequencyCap = "again", "", 30*time.Hour
	p.Profile.MessagingLimit = 0
	p.CSVPath = r.writeRecipients("again.csv", ldn, tyo)
	run = startRun(t, p, clock)
	if c := run.sess.Counts; c[status.Suppressed] != 7 || c[status.Ready] != 5 {
		t.Fatalf("the later campaign: %v, want Tokyo's 7 suppressed and London's 5 ready", c)
	}
	run.finish()
}
