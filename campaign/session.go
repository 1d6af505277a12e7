package campaign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"herald/campaign/check"
	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/providers"
	"herald/providers/open"
)

// Session is a campaign made ready to send: its rows checked and planned into the state store (or found there
// from an earlier run), the campaign locked against a second herald process, rows in flight at a crash
// recovered as unknown, and the rows the user asked to resend put back in the queue.
type Session struct {
	Input *Input
	Store *store.Store
	Info  store.CampaignInfo
	// Counts are the rows per status, now.
	Counts map[string]int
	// Summary is the check of the CSV when it was planned in this run (zero when resumed).
	Summary check.Summary
	// Resumed is set when the campaign was already in the store with the same input.
	Resumed bool
	// Notes are things to tell the user: the input changed since the last run, rows recovered as unknown,
	// rows requeued. They name no flag: each front end says how to act on them in its own terms.
	Notes []string
	// Recovered counts the rows that were in flight when herald last stopped and are unknown now.
	Recovered int
	// Listening says where the run receives callbacks, once Start has started a listener (nil: none).
	Listening *RunListening
	live      liveFunnel
	// Outlook is what the guards say about the run: when its rows go, the messaging limit, the cost.
	Outlook Outlook
	unlock  func() error
	// resend counts the rows Begin will put back in the queue; reopen the rows of a session message skipped
	// before whose number has written since (conversation.go).
	resend, reopen int
}

// Fingerprint identifies a campaign's input: the CSV's bytes, the template file's bytes and the options that
// change how rows are read. When it changes between runs, the campaign is planned again, and numbers already
// messaged are skipped.
func Fingerprint(p Plan) (string, error) {
	h := sha256.New()
	for _, path := range []string{p.CSVPath, p.TemplatePath} {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("fingerprint %s: %w", path, err)
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("fingerprint %s: %w", path, err)
		}
		h.Write([]byte{0})
	}
	fmt.Fprintf(h, "%s\x00%s", p.PhoneColumn, p.Region)
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// Prepare opens the state store, locks the campaign and plans it. rows, when not nil, counts the rows checked
// (for a progress display on big files).
func Prepare(ctx context.Context, in *Input, rows *atomic.Int64) (*Session, error) {
	st, err := store.Open(in.Plan.StatePath)
	if err != nil {
		return nil, InputError(err)
	}
	s := &Session{Input: in, Store: st}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	if s.unlock, err = st.Lock(in.Plan.Campaign); err != nil {
		return nil, InputError(err)
	}
	if err := s.load(ctx, rows); err != nil {
		return nil, err
	}
	id := s.Info.ID
	if err := st.SetOptOutButtons(id, optOutButtons(in.Template, labelPayloads(in.Plan.Profile))); err != nil {
		return nil, err
	}
	if n, err := st.SuppressOptedOut(id, in.Plan.Profile.Provider == "sandbox", optedOutReason); err != nil {
		return nil, err
	} else if n > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d ready rows opted out since the campaign was checked: they are suppressed", n))
	}
	if n, err := st.RecoverInFlight(id); err != nil {
		return nil, err
	} else if n > 0 {
		s.Recovered = n
		s.Notes = append(s.Notes, fmt.Sprintf("%s in flight when herald last stopped: unknown now, as the "+
			"message may have left", human.Plural(n, "row")))
	}
	if err := s.releaseDeferred(); err != nil {
		return nil, err
	}
	if err := s.countReopen(); err != nil {
		return nil, err
	}
	if s.Counts, err = st.Counts(id); err != nil {
		return nil, err
	}
	if in.Plan.ResendUnknown {
		n := s.Counts[status.Unknown]
		s.resend += n
		s.Notes = append(s.Notes, fmt.Sprintf("%s will be sent again: those people may get the message twice",
			human.Plural(n, "unknown row")))
	}
	if in.Plan.RetryFailed {
		n, err := st.CountRetryable(id)
		if err != nil {
			return nil, err
		}
		s.resend += n
		s.Notes = append(s.Notes, fmt.Sprintf("%s that failed for a passing reason will be sent again",
			human.Plural(n, "row")))
	}
	if s.Outlook, err = s.outlook(); err != nil {
		return nil, err
	}
	if note := s.scheduleNote(); note != "" {
		s.Notes = append(s.Notes, note)
	}
	ok = true
	return s, nil
}

// ToSend is how many rows a run would send: the ready rows, the deferred rows (as their time comes), those the
// plan asks to send again, and the skipped rows of a session message whose number has written since.
func (s *Session) ToSend() int {
	return s.Counts[status.Ready] + s.Counts[status.Deferred] + s.resend + s.reopen
}

// Begin puts the rows the plan asks to send again (--resend-unknown, --retry-failed) back in the queue, and the
// rows waiting for their send window when the provider schedules (they go to it at once). It is called once the
// user has confirmed, so that backing out changes nothing.
func (s *Session) Begin() error {
	id := s.Info.ID
	if s.Input.Plan.ResendUnknown {
		if _, err := s.Store.Requeue(id, status.Unknown); err != nil {
			return err
		}
	}
	if s.Input.Plan.RetryFailed {
		if _, err := s.Store.RequeueRetryable(id); err != nil {
			return err
		}
	}
	if err := s.releaseScheduled(); err != nil {
		return err
	}
	s.resend = 0
	counts, err := s.Store.Counts(id)
	if err != nil {
		return err
	}
	s.Counts = counts
	return nil
}

// releaseDeferred makes the rows an earlier run deferred for a guard this plan does not have (no
// --send-window now, no messaging limit) ready again: they go now, like the campaign's other ready rows.
func (s *Session) releaseDeferred() error {
	rules := s.Input.Guards.Rules()
	for _, g := range []struct {
		code, what string
		off        bool
	}{{status.CodeSendWindow, "send window (--send-window)", rules.Window == nil},
		{status.CodeMessagingLimit, "a messaging_limit", rules.MessagingLimit <= 0}} {
		if !g.off {
			continue
		}
		n, err := s.Store.ReleaseDeferred(s.Info.ID, g.code)
		if err != nil {
			return err
		}
		if n > 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("%s deferred by an earlier run (%s) can go now: this run has no %s",
				human.Plural(n, "row"), g.code, g.what))
		}
	}
	return nil
}

// load checks the CSV into the store, or finds it planned already.
func (s *Session) load(ctx context.Context, rows *atomic.Int64) error {
	in := s.Input
	fp, err := Fingerprint(in.Plan)
	if err != nil {
		return InputError(err)
	}
	prev, existed, err := s.Store.Campaign(in.Plan.Campaign)
	if err != nil {
		return err
	}
	info := store.CampaignInfo{Name: in.Plan.Campaign, Template: in.Template.Name, TemplatePath: in.Plan.TemplatePath,
		Profile: in.Plan.Profile.Name, CSVPath: in.Plan.CSVPath, Region: in.Plan.Region,
		PhoneColumn: in.Plan.PhoneColumn, Fingerprint: fp, Header: in.Recipients.Header(),
		Separator: in.Recipients.Separator(), Status: "planned"}
	planner, err := s.Store.LoadRows(info)
	if errors.Is(err, store.ErrSameInput) {
		s.Resumed, s.Info = true, prev
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case existed && prev.Status == status.Planning:
		s.Notes = append(s.Notes, fmt.Sprintf("the check of campaign %s did not finish last time: it was checked again", info.Name))
	case existed:
		s.Notes = append(s.Notes, fmt.Sprintf("the CSV or template changed since campaign %s last ran: it was checked again; numbers already messaged are skipped", info.Name))
	}
	if err := in.loadHistory(s.Store); err != nil {
		_ = planner.Abort()
		return err
	}
	sum, err := in.Checker().Run(ctx, func(r *check.Row) error {
		if rows != nil {
			rows.Add(1)
		}
		pr := store.NewRow{Row: r.Num, Number: r.Number, Status: r.Status, Fields: r.Fields, NotBefore: r.NotBefore}
		if r.Problem != nil {
			pr.Code, pr.Error = r.Problem.Code, r.Problem.Reason
		}
		return planner.Add(pr)
	})
	if err != nil {
		_ = planner.Abort()
		return err
	}
	if _, err := planner.Finish(); err != nil {
		return err
	}
	s.Summary = sum
	got, _, err := s.Store.Campaign(info.Name)
	if err != nil {
		return err
	}
	s.Info = got
	return nil
}

// RunOptions tune a run beyond what the plan says.
type RunOptions struct {
	// StopOnPause turns an auto-pause into a stop: for headless runs, where nobody is there to resume.
	StopOnPause bool
	// Engine tunes the engine (tests shorten backoffs); its Rate and Concurrency are set from the plan.
	Engine engine.Options
}

// Start starts the listener the run receives callbacks with (--listen, or the built-in sandbox's own on
// loopback), opens the profile's provider, stops with an input error when the provider says the template is not
// approved (checkApproved: nothing sent, nothing changed), puts the rows the plan asks to send again back in the
// queue (Begin) and returns the engine that sends the session's ready rows, with what to close once the run is
// over (the provider, then the listener). Both front ends start a run this way, and only after the user has
// confirmed.
func (s *Session) Start(o RunOptions) (*engine.Engine, io.Closer, error) {
	plan := s.Input.Plan
	// The guards go by what the store says now: other campaigns may have sent since the check.
	if err := s.Input.loadHistory(s.Store); err != nil {
		return nil, nil, err
	}
	profile := plan.Profile
	listener, err := s.listen(&profile)
	if err != nil {
		return nil, nil, err
	}
	prov, err := open.Provider(profile, providers.ClientOptions{Concurrency: max(plan.SendConcurrency(), 64)})
	if err != nil {
		_ = listener.Close()
		return nil, nil, InputError(err)
	}
	if err := s.checkApproved(prov); err != nil {
		return nil, nil, errors.Join(err, prov.Close(), listener.Close())
	}
	if err := s.Begin(); err != nil {
		return nil, nil, errors.Join(err, prov.Close(), listener.Close())
	}
	eo := o.Engine
	eo.Rate, eo.Concurrency, eo.StopOnPause = plan.SendRate(), plan.SendConcurrency(), o.StopOnPause
	eo.Clock = s.Input.clock()
	eo.Schedule = s.Input.scheduler() != ""
	if g := s.Input.Guards.Sender(s.Store); g != nil {
		eo.Guard = g
	}
	if s.Input.Template.IsSession() {
		eo.Reopen = status.CodeOutsideWindow
	}
	// The provider closes first: the built-in sandbox posts its last callbacks while the listener still takes them.
	var once sync.Once
	var closeErr error
	closer := closerFunc(func() error {
		once.Do(func() { closeErr = errors.Join(prov.Close(), listener.Close()) })
		return closeErr
	})
	return engine.New(s.Store, s.Info, s.Input.Binding, prov, eo), closer, nil
}

// Tally is where a campaign's rows stand.
type Tally struct {
	// Rows are the rows of the current CSV per status.
	Rows map[string]int
	// Earlier are the rows earlier versions of the CSV messaged that the current one does not hold, per status
	// (nil when none); the results CSV lists them after the current rows.
	Earlier map[string]int
}

// Tally counts the session's rows now.
func (s *Session) Tally() (Tally, error) {
	info, _, err := s.Store.Campaign(s.Info.Name)
	if err != nil {
		return Tally{}, err
	}
	return Tally{Rows: info.Counts, Earlier: info.Earlier}, nil
}

// EarlierNote is a sentence about the rows earlier CSVs messaged, "" when there are none.
func (t Tally) EarlierNote() string {
	if len(t.Earlier) == 0 {
		return ""
	}
	var parts []string
	for _, c := range OrderedCounts(t.Earlier) {
		parts = append(parts, fmt.Sprintf("%s %d", c.Status, c.Count))
	}
	return "earlier versions of the CSV messaged rows this one no longer holds (" + strings.Join(parts, ", ") +
		"): the results CSV lists them at the end, marked " + CodeEarlierCSV
}

// WriteResults writes the campaign's results CSV from the store to the plan's --out path, and reads the
// funnel afresh for LiveFunnel.
func (s *Session) WriteResults() error {
	if err := ExportResults(s.Store, s.Info, s.Input.Plan.OutPath); err != nil {
		return err
	}
	_, err := s.Funnel()
	return err
}

// Close releases the campaign lock and the store.
func (s *Session) Close() error {
	var errs []error
	if s.unlock != nil {
		errs = append(errs, s.unlock())
		s.unlock = nil
	}
	if s.Store != nil {
		errs = append(errs, s.Store.Close())
		s.Store = nil
	}
	return errors.Join(errs...)
}
