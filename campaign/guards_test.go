package campaign_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/internal/fakeclock"
	"herald/campaign/status"
	"herald/providers/sandbox"
)

// Numbers of three time zones (valid mobiles): London (UTC+0 in January), New Jersey (America/New_York,
// UTC-5) and Tokyo (UTC+9).
func london(i int) string  { return fmt.Sprintf("4474001%05d", i) }
func newYork(i int) string { return fmt.Sprintf("1201555%04d", 260+i) }
func tokyo(i int) string   { return fmt.Sprintf("8190123%05d", i) }

// sends records what the sandbox accepted and when, by the fake clock.
type sends struct {
	mu    sync.Mutex
	clock *fakeclock.Clock
	at    map[string][]time.Time
}

func newSends(clock *fakeclock.Clock) *sends {
	return &sends{clock: clock, at: map[string][]time.Time{}}
}

// decide is the sandbox's hook: accept and record.
func (s *sends) decide(req sandbox.Request) sandbox.Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at[req.To] = append(s.at[req.To], s.clock.Now())
	return sandbox.Accept
}

// count is how many of numbers got a message.
func (s *sends) count(numbers []string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, num := range numbers {
		n += len(s.at[num])
	}
	return n
}

// maxDistinctIn24h is the most distinct numbers messaged in any rolling 24 hours (each send time closes one).
func (s *sends) maxDistinctIn24h() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	worst := 0
	for _, times := range s.at {
		for _, end := range times {
			n := 0
			for _, other := range s.at {
				for _, t := range other {
					if t.After(end.Add(-24*time.Hour)) && !t.After(end) {
						n++
						break
					}
				}
			}
			worst = max(worst, n)
		}
	}
	return worst
}

// numbers makes n numbers with f.
func numbers(n int, f func(int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// writeRecipients writes a recipients CSV of the numbers into the rig's folder.
func (r *rig) writeRecipients(name string, nums ...[]string) string {
	r.t.Helper()
	var b strings.Builder
	b.WriteString("first_name,phone,code\n")
	for _, list := range nums {
		for i, n := range list {
			fmt.Fprintf(&b, "N%d,+%s,C%d\n", i, n, i)
		}
	}
	path := filepath.Join(r.dir, name)
	writeFile(r.t, path, b.String())
	return path
}

// liveRun is a campaign run in progress on a fake clock.
type liveRun struct {
	t     *testing.T
	clock *fakeclock.Clock
	sess  *campaign.Session
	eng   *engine.Engine
	prov  io.Closer
	done  chan engine.Snapshot
}

// startRun opens and prepares the plan with the fake clock, and runs it in the background.
func startRun(t *testing.T, plan campaign.Plan, clock *fakeclock.Clock) *liveRun {
	t.Helper()
	in, err := campaign.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	in.Clock = clock
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	sess.Input.Plan.Profile.Timeout = 5 * time.Second
	eng, prov, err := sess.Start(campaign.RunOptions{StopOnPause: true, Engine: fastOpts()})
	if err != nil {
		sess.Close()
		t.Fatal(err)
	}
	r := &liveRun{t: t, clock: clock, sess: sess, eng: eng, prov: prov, done: make(chan engine.Snapshot, 1)}
	go func() {
		s, err := eng.Run(context.Background())
		if err != nil {
			t.Error(err)
		}
		r.done <- s
	}()
	return r
}

// waitIdle returns once the run has sent every row it may send now and waits on the clock (for the next
// row's time, or for a place under the messaging limit) with waiting rows left. It is woken by the clock's
// waits, never by polling; the timeout only fails a broken engine.
func (r *liveRun) waitIdle(waiting int64) engine.Snapshot {
	r.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case <-r.clock.Waits():
			s := r.eng.Snapshot()
			if s.InFlight == 0 && s.Remaining == waiting && s.Waiting == waiting {
				return s
			}
		case s := <-r.done:
			r.t.Fatalf("the run ended (%s, %s) while rows should wait: %+v", s.State, s.Reason, s)
		case <-timeout:
			r.t.Fatalf("the run never went idle with %d rows waiting: %+v", waiting, r.eng.Snapshot())
		}
	}
}

// finish waits for the end of the run and returns its last snapshot and the campaign's rows per status.
func (r *liveRun) finish() (engine.Snapshot, map[string]int) {
	r.t.Helper()
	var s engine.Snapshot
	select {
	case s = <-r.done:
	case <-time.After(30 * time.Second):
		r.t.Fatalf("the run did not end: %+v", r.eng.Snapshot())
	}
	r.prov.Close()
	counts, err := r.sess.Store.Counts(r.sess.Info.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.sess.WriteResults(); err != nil {
		r.t.Fatal(err)
	}
	r.sess.Close()
	return s, counts
}

// TestSendWindowOpensDuringRun sends a campaign over London, New York and Tokyo at 10:00 UTC with the window
// 09:00-18:00: London goes at once; New York waits for 14:00 UTC and Tokyo for 00:00 UTC, and each goes then,
// not before, while the run keeps going.
func TestSendWindowOpensDuringRun(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide})
	ldn, nyc, tyo := numbers(5, london), numbers(5, newYork), numbers(5, tokyo)
	r.plan.CSVPath = r.writeRecipients("world.csv", ldn, tyo, nyc)
	r.plan.SendWindow = "09:00-18:00"

	run := startRun(t, r.plan, clock)
	if c := run.sess.Counts; c[status.Ready] != 5 || c[status.Deferred] != 10 {
		t.Fatalf("after the check: %v, want 5 ready and 10 deferred", c)
	}
	s := run.waitIdle(10)
	if !s.WaitingUntil.Equal(t0.Add(4*time.Hour)) || s.WaitingFor != status.CodeSendWindow {
		t.Errorf("waiting until %v for %q, want 14:00 UTC for the send window", s.WaitingUntil, s.WaitingFor)
	}
	if rec.count(ldn) != 5 || rec.count(nyc)+rec.count(tyo) != 0 {
		t.Fatalf("at 10:00 UTC: London %d, New York %d, Tokyo %d; want 5, 0, 0", rec.count(ldn), rec.count(nyc), rec.count(tyo))
	}
	clock.Set(t0.Add(3*time.Hour + 59*time.Minute)) // New York's 08:59: still closed, the feeder is not due
	clock.Set(t0.Add(4 * time.Hour))
	run.waitIdle(5)
	if rec.count(nyc) != 5 || rec.count(tyo) != 0 {
		t.Fatalf("at 14:00 UTC: New York %d, Tokyo %d; want 5, 0", rec.count(nyc), rec.count(tyo))
	}
	clock.Set(t0.Add(14 * time.Hour))
	snap, counts := run.finish()
	if snap.State != status.Finished || snap.Sent != 15 || counts[status.Sent] != 15 {
		t.Fatalf("end: %s, sent %d, counts %v", snap.State, snap.Sent, counts)
	}
	for _, c := range []struct {
		nums  []string
		first time.Time
	}{{ldn, t0}, {nyc, t0.Add(4 * time.Hour)}, {tyo, t0.Add(14 * time.Hour)}} {
		for _, n := range c.nums {
			if at := rec.at[n]; len(at) != 1 || !at[0].Equal(c.first) {
				t.Errorf("+%s sent at %v, want once at %v", n, at, c.first)
			}
		}
	}
}

// TestDeferredRowsResume stops a run while rows wait for their window and runs the campaign again later: the
// rows kept their time in the store and go when it comes, once.
func TestDeferredRowsResume(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide})
	ldn, tyo := numbers(3, london), numbers(4, tokyo)
	r.plan.CSVPath = r.writeRecipients("world.csv", ldn, tyo)
	r.plan.SendWindow = "09:00-18:00"

	run := startRun(t, r.plan, clock)
	run.waitIdle(4)
	run.eng.Stop("stopped by the test")
	snap, counts := run.finish()
	if snap.State != status.Stopped || counts[status.Sent] != 3 || counts[status.Deferred] != 4 ||
		campaign.ExitCode(counts, true) != campaign.ExitStopped {
		t.Fatalf("stopped: %s, counts %v", snap.State, counts)
	}

	clock.Set(t0.Add(2 * time.Hour)) // still Tokyo's night: the resumed run waits for 00:00 UTC
	run = startRun(t, r.plan, clock)
	if !run.sess.Resumed || run.sess.ToSend() != 4 {
		t.Fatalf("resumed %v, to send %d", run.sess.Resumed, run.sess.ToSend())
	}
	s := run.waitIdle(4)
	if !s.WaitingUntil.Equal(t0.Add(14 * time.Hour)) {
		t.Errorf("waiting until %v, want 00:00 UTC", s.WaitingUntil)
	}
	clock.Set(t0.Add(14 * time.Hour))
	snap, counts = run.finish()
	if snap.State != status.Finished || counts[status.Sent] != 7 || rec.count(tyo) != 4 || rec.count(ldn) != 3 {
		t.Fatalf("resumed run: %s, counts %v, Tokyo %d, London %d", snap.State, counts, rec.count(tyo), rec.count(ldn))
	}
}

// TestDeferredRowsGoWhenTheWindowIsDropped resumes a campaign whose rows wait for their window without
// --send-window: they go at once, and the note says why.
func TestDeferredRowsGoWhenTheWindowIsDropped(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide})
	ldn, tyo := numbers(2, london), numbers(3, tokyo)
	r.plan.CSVPath = r.writeRecipients("world.csv", ldn, tyo)
	p := r.plan
	p.SendWindow = "09:00-18:00"
	run := startRun(t, p, clock)
	run.waitIdle(3)
	run.eng.Stop("stopped by the test")
	run.finish()

	run = startRun(t, r.plan, clock)
	if c := run.sess.Counts; c[status.Ready] != 3 || c[status.Deferred] != 0 ||
		!strings.Contains(strings.Join(run.sess.Notes, "\n"), "3 rows deferred by an earlier run (send_window) can go now") {
		t.Fatalf("resumed without the window: %v, notes %q", c, run.sess.Notes)
	}
	if snap, counts := run.finish(); snap.Sent != 3 || counts[status.Sent] != 5 || rec.count(tyo) != 3 {
		t.Fatalf("sent %d, counts %v", snap.Sent, counts)
	}
}

// TestWindowCheckedAgainAtSendTime prepares a campaign at 10:00 UTC (London ready) and runs it at 19:00 UTC:
// the rows checked ready are outside their window by then, so the feeder defers them to the next morning.
func TestWindowCheckedAgainAtSendTime(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide})
	ldn, tyo := numbers(3, london), numbers(2, tokyo)
	r.plan.CSVPath = r.writeRecipients("world.csv", ldn, tyo)
	r.plan.SendWindow = "09:00-18:00"
	in, err := campaign.Open(r.plan)
	if err != nil {
		t.Fatal(err)
	}
	in.Clock = clock
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Counts[status.Ready] != 3 {
		t.Fatalf("checked at 10:00: %v", sess.Counts)
	}
	sess.Close()
	in.Close()

	clock.Set(t0.Add(9 * time.Hour)) // 19:00 in London
	run := startRun(t, r.plan, clock)
	s := run.waitIdle(5)
	if rec.count(ldn) != 0 || !s.WaitingUntil.Equal(t0.Add(14*time.Hour)) {
		t.Fatalf("at 19:00 UTC: London messaged %d times, next at %v", rec.count(ldn), s.WaitingUntil)
	}
	clock.Set(t0.Add(14 * time.Hour)) // Tokyo's 09:00
	run.waitIdle(3)
	if rec.count(tyo) != 2 || rec.count(ldn) != 0 {
		t.Fatalf("at 00:00 UTC: Tokyo %d, London %d", rec.count(tyo), rec.count(ldn))
	}
	clock.Set(t0.Add(23 * time.Hour)) // London's 09:00
	if snap, _ := run.finish(); snap.Sent != 5 || rec.count(ldn) != 3 {
		t.Fatalf("end: sent %d, London %d", snap.Sent, rec.count(ldn))
	}
}

// TestMessagingLimitAcrossCampaigns runs three campaigns of one profile with messaging_limit 250 over two
// days: the sandbox never sees a 251st distinct number within 24 hours, rows over the limit wait (deferred
// at the check, or at the feeder when another campaign took the places meanwhile) and go as places free.
func TestMessagingLimitAcrossCampaigns(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide})
	r.plan.Profile.MessagingLimit = 250
	a := numbers(200, london)
	b := numbers(190, func(i int) string { return london(1000 + i) })
	c := numbers(100, func(i int) string { return london(2000 + i) })

	plan := func(name string, nums ...[]string) campaign.Plan {
		p := r.plan
		p.Campaign, p.CSVPath = name, r.writeRecipients(name+".csv", nums...)
		return p
	}
	// A: 200 numbers at t0.
	run := startRun(t, plan("a", a), clock)
	if snap, _ := run.finish(); snap.Sent != 200 {
		t.Fatalf("a sent %d", snap.Sent)
	}
	// B at t0+1h: 10 of A's numbers take no new place, 50 new numbers fill the limit, 140 wait for A's places.
	clock.Set(t0.Add(time.Hour))
	run = startRun(t, plan("b", a[:10], b), clock)
	if got := run.sess.Counts; got[status.Ready] != 60 || got[status.Deferred] != 140 {
		t.Fatalf("b checked: %v, want 60 ready, 140 deferred", got)
	}
	o := run.sess.Outlook
	if line, warn := o.LimitLine("meta"); !warn || o.LimitUsed != 200 || o.LimitWaiting != 140 ||
		!strings.Contains(line, "50 places free now; of the 200 rows to send") || !strings.Contains(line, "140 deferred") {
		t.Errorf("confirmation: %q (warning %v), used %d, waiting %d", line, warn, o.LimitUsed, o.LimitWaiting)
	}
	run.waitIdle(140)
	run.eng.Stop("leave the rest for later")
	if _, counts := run.finish(); counts[status.Sent] != 60 {
		t.Fatalf("b's first run: %v", counts)
	}
	// C at t0+2h: every place is taken; its 100 rows wait for A's places (t0+24h).
	clock.Set(t0.Add(2 * time.Hour))
	run = startRun(t, plan("c", c), clock)
	if got := run.sess.Counts; got[status.Deferred] != 100 {
		t.Fatalf("c checked: %v", got)
	}
	run.waitIdle(100)
	clock.Set(t0.Add(24 * time.Hour))
	if snap, _ := run.finish(); snap.Sent != 100 {
		t.Fatalf("c sent %d", snap.Sent)
	}
	// B again at t0+24h: its 140 rows are due, but A's 200 places went to C (100) and stay with B's own first 60
	// until t0+25h: 90 go, 50 wait at the feeder for t0+25h.
	run = startRun(t, plan("b", a[:10], b), clock)
	s := run.waitIdle(50)
	if s.WaitingFor != status.CodeMessagingLimit || !s.WaitingUntil.Equal(t0.Add(25*time.Hour)) ||
		!strings.Contains(campaign.WaitingText(s), "messaging limit") {
		t.Fatalf("b waits: %+v (%q)", s, campaign.WaitingText(s))
	}
	if got := rec.count(b); got != 140 {
		t.Fatalf("b's numbers messaged %d times by t0+24h, want 50 + 90", got)
	}
	clock.Set(t0.Add(25 * time.Hour))
	snap, counts := run.finish()
	if snap.State != status.Finished || counts[status.Sent] != 200 || rec.count(b) != 190 {
		t.Fatalf("b's end: %s %v, b messaged %d", snap.State, counts, rec.count(b))
	}
	if worst := rec.maxDistinctIn24h(); worst != 250 {
		t.Fatalf("at most %d distinct numbers in 24 hours, want exactly the limit 250", worst)
	}
}

// TestFrequencyCapAcrossCampaigns suppresses the numbers another campaign messaged within the cap, and no
// others: figures by hand.
func TestFrequencyCapAcrossCampaigns(t *testing.T) {
	t0 := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	clock := fakeclock.New(t0)
	rec := newSends(clock)
	r := newRig(t, 1, sandbox.Options{Decide: rec.decide})
	a := numbers(100, london)
	b := numbers(70, func(i int) string { return london(1000 + i) })
	plan := func(name string, nums ...[]string) campaign.Plan {
		p := r.plan
		p.Campaign, p.CSVPath = name, r.writeRecipients(name+".csv", nums...)
		return p
	}
	if snap, _ := startRun(t, plan("a", a), clock).finish(); snap.Sent != 100 {
		t.Fatal("a did not send")
	}
	// B at t0+48h with a cap of 72h: A's 30 numbers are suppressed, B's 70 go.
	clock.Set(t0.Add(48 * time.Hour))
	pb := plan("b", a[:30], b)
	pb.FrequencyCap = 72 * time.Hour
	snap, counts := startRun(t, pb, clock).finish()
	if snap.Sent != 70 || counts[status.Suppressed] != 30 || rec.count(a[:30]) != 30 {
		t.Fatalf("b: sent %d, counts %v, A's numbers messaged %d times", snap.Sent, counts, rec.count(a[:30]))
	}
	// C at t0+73h with the profile's frequency_cap of 72h: A's messages are 73 hours old, B's 25: only the 20 of
	// B's numbers are suppressed.
	clock.Set(t0.Add(73 * time.Hour))
	pc := plan("c", a[30:60], b[:20])
	pc.Profile.FrequencyCap = 72 * time.Hour
	snap, counts = startRun(t, pc, clock).finish()
	if snap.Sent != 30 || counts[status.Suppressed] != 20 {
		t.Fatalf("c: sent %d, counts %v", snap.Sent, counts)
	}
	// --frequency-cap 0 turns the profile's cap off.
	pd := plan("d", b[20:30])
	pd.Profile.FrequencyCap, pd.FrequencyCap = 72*time.Hour, -1
	if snap, counts = startRun(t, pd, clock).finish(); snap.Sent != 10 || counts[status.Suppressed] != 0 {
		t.Fatalf("d: sent %d, counts %v", snap.Sent, counts)
	}
}
