package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/ui/dashboard"
	"herald/ui/history"
	"herald/ui/rowdetail"
)

// TestLettersTypedQuicklyEachCount: Bubble Tea v1 delivers "jjj" typed quickly (key repeat, a slow SSH link)
// as one key message; it moves three rows, not one.
func TestLettersTypedQuicklyEachCount(t *testing.T) {
	m, _ := newSampleModel(t, nil)
	drive(t, m, keyPress("enter"))
	drive(t, m, keyPress("jjj"))
	if got := m.preview.table.Cursor(); got != 3 {
		t.Fatalf(`"jjj" moved the preview to row index %d, want 3`, got)
	}
	drive(t, m, keyPress("kk"))
	if got := m.preview.table.Cursor(); got != 1 {
		t.Fatalf(`"kk" left the preview at row index %d, want 1`, got)
	}
	pasted := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj"), Paste: true}
	drive(t, m, pasted) // pasted text is not keys
	if got := m.preview.table.Cursor(); got != 1 {
		t.Errorf("pasted text moved the preview to %d", got)
	}
}

// TestFilterAfterScrollingShowsTheFirstRow: after G, k, k, the ready filter selects its first row and shows it
// with the marker; the note counts the rows the filter shows.
func TestFilterAfterScrollingShowsTheFirstRow(t *testing.T) {
	m, _ := newSampleModel(t, nil)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drive(t, m, keyPress("enter"))
	for _, k := range []string{"G", "k", "k", "f"} {
		drive(t, m, keyPress(k))
	}
	view := m.View()
	if m.preview.table.Cursor() != 0 || !strings.Contains(view, "›  2 ") {
		t.Errorf("the first ready row is not selected and shown (cursor %d):\n%s", m.preview.table.Cursor(), view)
	}
	if !strings.Contains(flat(view), "22 of 26 rows shown (ready).") {
		t.Errorf("the note does not count the rows shown:\n%s", view)
	}
}

// TestHelpKeepsHelpAndQuitAndItsColumns: at 80 columns every screen's help line still ends with ? help and q
// quit (the screen's own keys give way), and the full help's lines start in the same column.
func TestHelpKeepsHelpAndQuitAndItsColumns(t *testing.T) {
	m, _ := newSampleModel(t, nil)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, k := range []string{"", "enter"} {
		if k != "" {
			drive(t, m, keyPress(k))
		}
		lines := strings.Split(m.View(), "\n")
		help := lines[len(lines)-1]
		if !strings.Contains(help, "? help") || !strings.HasSuffix(strings.TrimSpace(help), "q quit") {
			t.Errorf("screen %s: help line %q lacks ? help or q quit", screenNames[m.active], help)
		}
	}
	drive(t, m, keyPress("esc"))
	drive(t, m, keyPress("?"))
	lines := strings.Split(m.View(), "\n")
	full := lines[len(lines)-3:]
	if a, b := strings.Index(full[0], "↑/k"), strings.Index(full[1], "↓/j"); a != b || !strings.HasPrefix(full[0], " enter") {
		t.Errorf("the full help's columns are shifted (%d, %d):\n%s", a, b, strings.Join(full, "\n"))
	}
}

// TestRegionFromAUKExport: a UK export with national numbers (07400 100000) offers GB, the country of the
// numbers that have one; c then enter on the Region field sets it and every row is ready.
func TestRegionFromAUKExport(t *testing.T) {
	dir := sampleDir(t)
	writeUKExport(t, filepath.Join(dir, "uk_export.csv"), 20)
	plan := samplePlan(dir)
	plan.CSVPath = filepath.Join(dir, "uk_export.csv")
	m := openModel(t, plan, nil, 80, 24)
	view := flat(m.View())
	for _, want := range []string{"20 rows: ready 10 · invalid 10", "Region none · c sets GB (+44), the country of most numbers",
		"10 numbers have no country code: c on the Region field reads them as GB numbers."} {
		if !strings.Contains(view, want) {
			t.Errorf("setup lacks %q:\n%s", want, m.View())
		}
	}
	for range fieldRegion {
		drive(t, m, keyPress("down"))
	}
	drive(t, m, keyPress("c"))
	drive(t, m, keyPress("enter"))
	if m.setup.plan.Region != "GB" || m.setup.result.summary.Counts[status.Ready] != 20 {
		t.Fatalf("region %q, ready %d; want GB and 20", m.setup.plan.Region, m.setup.result.summary.Counts[status.Ready])
	}
	drive(t, m, keyPress("c"))
	drive(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	drive(t, m, keyPress("UK"))
	drive(t, m, keyPress("enter"))
	if !strings.Contains(flat(m.View()), `"UK" is not a country code (the United Kingdom is GB)`) || m.setup.plan.Region != "GB" {
		t.Errorf("UK was taken (region %q):\n%s", m.setup.plan.Region, m.View())
	}
	drive(t, m, keyPress("esc"))
	drive(t, m, keyPress("enter"))
	if m.active != screenPreview || m.plan.Region != "GB" {
		t.Fatalf("enter: screen %d, plan region %q", m.active, m.plan.Region)
	}
}

// TestCampaignCanBeRenamed: the Campaign field names the campaign; the results path follows the name; a name
// that is a path is refused.
func TestCampaignCanBeRenamed(t *testing.T) {
	m, _ := newSampleModel(t, nil)
	for range fieldCampaign {
		drive(t, m, keyPress("down"))
	}
	drive(t, m, keyPress("c"))
	drive(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	drive(t, m, keyPress("../elsewhere"))
	drive(t, m, keyPress("enter"))
	if !m.setup.Typing() || !strings.Contains(flat(m.View()), `A campaign name cannot hold / or \`) {
		t.Fatalf("a name holding a path was not refused:\n%s", m.View())
	}
	drive(t, m, keyPress("esc"))
	if m.setup.Typing() || m.setup.info.plan.Campaign != "sample-spring_sale" {
		t.Fatalf("esc: editing %v, campaign %q", m.setup.Typing(), m.setup.info.plan.Campaign)
	}
	drive(t, m, keyPress("c"))
	drive(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	drive(t, m, keyPress("spring-uk-april"))
	drive(t, m, keyPress("enter"))
	info := m.setup.info
	if info.plan.Campaign != "spring-uk-april" || !strings.HasSuffix(info.outAbs, "spring-uk-april.results.csv") {
		t.Fatalf("campaign %q, results %q", info.plan.Campaign, info.outAbs)
	}
	if !strings.Contains(flat(m.View()), "Campaign spring-uk-april · new campaign") {
		t.Errorf("the new name does not show:\n%s", m.View())
	}
}

// recordOutcomes gives rows of a prepared campaign outcomes, as a run would have: row -> status and class.
func recordOutcomes(t *testing.T, sess *campaign.Session, outcomes map[int][2]string) {
	t.Helper()
	j := sess.Store.OpenJournal(sess.Info.ID, store.JournalOptions{})
	for row, o := range outcomes {
		if err := j.MarkInFlight(context.Background(), row, 1); err != nil {
			t.Fatal(err)
		}
		j.Record(store.Outcome{Row: row, Status: o[0], Class: o[1], Code: "c-" + o[1], Error: "why " + o[1], Attempts: 1})
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

// sentSample plans the sample campaign and records outcomes for its rows: 2 and 3 sent, 4 failed for a
// passing reason, 5 failed for good, 6 unknown; the rest stay ready.
func sentSample(t *testing.T, plan campaign.Plan) {
	t.Helper()
	sess := prepareSample(t, plan)
	recordOutcomes(t, sess, map[int][2]string{2: {status.Sent, ""}, 3: {status.Sent, ""},
		4: {status.Failed, "retryable"}, 5: {status.Failed, "permanent"}, 6: {status.Unknown, "unknown"}})
	leaveCampaign(t, sess, "")
}

// leaveCampaign records state as the campaign's status (unless "") and closes its session, as herald leaves
// it when it ends (or crashes, with state running).
func leaveCampaign(t *testing.T, sess *campaign.Session, state string) {
	t.Helper()
	if state != "" {
		if err := sess.Store.SetCampaignStatus(sess.Info.ID, state, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := closeSession(sess); err != nil {
		t.Fatal(err)
	}
}

// TestResendChoicesOnTheSetup: a campaign with failures and unknown rows offers them under Resend with their
// counts; the choice reaches the run, which sends them with the rows left.
func TestResendChoicesOnTheSetup(t *testing.T) {
	plan := samplePlan(sampleDir(t))
	sentSample(t, plan)
	m := openModel(t, plan, nil, 160, 45)
	if want := "Resend nothing · 1 failure may pass now, 1 row unknown: c chooses"; !strings.Contains(flat(m.View()), want) {
		t.Errorf("setup lacks %q:\n%s", want, m.View())
	}
	for range fieldResend {
		drive(t, m, keyPress("down"))
	}
	wants := []string{"1 failure that may pass now", "1 unknown row (they may get it twice)",
		"1 failure that may pass now and 1 unknown row (they may get it twice)"}
	for _, want := range wants {
		drive(t, m, keyPress("c"))
		if !strings.Contains(flat(m.View()), "Resend "+want) {
			t.Errorf("c: Resend lacks %q:\n%s", want, m.View())
		}
	}
	drive(t, m, keyPress("enter"))
	drive(t, m, keyPress("s"))
	if m.active != screenConfirm || !strings.Contains(flat(m.View()), "Send 19 messages") {
		t.Fatalf("s: screen %d, status %q:\n%s", m.active, m.status, m.View())
	}
	if view := flat(m.View()); strings.Contains(view, "--retry-failed") || strings.Contains(view, "--resend-unknown") {
		t.Errorf("confirm names flags the TUI cannot set:\n%s", m.View())
	}
}

// TestFinishedCampaignPreviewsItsRecord: a campaign whose every row has an outcome previews the statuses of its
// record, not "ready"; s says nothing is left and how to send again; the setup says so too.
func TestFinishedCampaignPreviewsItsRecord(t *testing.T) {
	plan := samplePlan(sampleDir(t))
	sess := prepareSample(t, plan)
	outcomes := map[int][2]string{}
	for row := 2; row <= 23; row++ {
		outcomes[row] = [2]string{status.Sent, ""}
	}
	recordOutcomes(t, sess, outcomes)
	leaveCampaign(t, sess, status.Finished)
	m := openModel(t, plan, nil, 160, 45)
	if want := "Nothing is left to send: rename the campaign to send these files again."; !strings.Contains(flat(m.View()), want) {
		t.Errorf("setup lacks %q:\n%s", want, m.View())
	}
	drive(t, m, keyPress("enter"))
	view := flat(m.View())
	if !strings.Contains(view, "Show [all 26] sent 22 invalid 3 duplicate 1") || strings.Contains(view, "ready") ||
		!strings.Contains(view, "Row 2 · to +447400123593 · sent") {
		t.Errorf("the preview does not show the record:\n%s", m.View())
	}
	drive(t, m, keyPress("s"))
	if m.active != screenPreview || !strings.Contains(m.status, "Nothing is left to send in sample-spring_sale") {
		t.Errorf("s: screen %d, status %q", m.active, m.status)
	}
}

// TestInterruptedCampaignIsShownAsSuch: a campaign whose run ended without recording its end (a crash) is not
// shown as running.
func TestInterruptedCampaignIsShownAsSuch(t *testing.T) {
	plan := samplePlan(sampleDir(t))
	leaveCampaign(t, prepareSample(t, plan), status.Running)
	m := openModel(t, plan, nil, 160, 45)
	view := flat(m.View())
	if strings.Contains(view, "running") || !strings.Contains(view, "Last run interrupted: herald stopped before it finished") {
		t.Errorf("an interrupted campaign shows as:\n%s", m.View())
	}
}

// TestCampaignsScreen: H lists the campaigns; enter shows one's rows, filterable; enter shows a row's detail;
// e exports the results CSV; f opens the setup with its retryable failures chosen; esc goes back.
func TestCampaignsScreen(t *testing.T) {
	plan := samplePlan(sampleDir(t))
	sentSample(t, plan)
	m := openModel(t, plan, nil, 160, 45)
	drive(t, m, keyPress("H"))
	view := flat(m.View())
	if m.active != screenHistory || !strings.Contains(view, "sample-spring_sale planned") ||
		!strings.Contains(view, "ready 17 · sent 2 · failed 2 · unknown 1 · invalid 3 · duplicate 1") {
		t.Fatalf("H: screen %d:\n%s", m.active, m.View())
	}
	drive(t, m, keyPress("enter"))
	for range 3 { // all, ready, sent, failed
		drive(t, m, keyPress("f"))
	}
	view = flat(m.View())
	if !strings.Contains(view, "[failed 2]") || !strings.Contains(view, "4 +447400123593") && !strings.Contains(view, "c-retryable") {
		t.Fatalf("the failed filter:\n%s", m.View())
	}
	drive(t, m, keyPress("enter"))
	view = flat(m.View())
	if m.detail == nil || !strings.Contains(view, "Row 4 of sample-spring_sale · failed") ||
		!strings.Contains(view, "Reason why retryable") || !strings.Contains(view, "Hello Chloé") {
		t.Fatalf("enter on a row:\n%s", m.View())
	}
	drive(t, m, keyPress("esc"))
	drive(t, m, keyPress("e"))
	out := filepath.Join(filepath.Dir(plan.CSVPath), "sample-spring_sale.results.csv")
	if _, err := os.Stat(out); err != nil || !strings.Contains(m.status, "Results CSV written: "+out) {
		t.Fatalf("e: %v, status %q", err, m.status)
	}
	drive(t, m, keyPress("esc"))
	drive(t, m, keyPress("f"))
	if m.active != screenSetup || !m.setup.plan.RetryFailed || m.setup.focus != fieldResend {
		t.Fatalf("f: screen %d, retry %v", m.active, m.setup.plan.RetryFailed)
	}
	if !strings.Contains(flat(m.View()), "Resend 1 failure that may pass now") {
		t.Errorf("the setup does not show the failures chosen:\n%s", m.View())
	}
}

// TestFailuresOpenTheirDetail: the failures are grouped by code; enter asks for the selected row; the
// selection follows the newest failure until the user moves it, then stays on its row.
func TestFailuresOpenTheirDetail(t *testing.T) {
	d, run := newRunningDashboard(runningSnapshot())
	view := flat(d.View())
	for _, want := range []string{"131026 · 1 failed: Message undeliverable: the number is not on WhatsApp",
		"› row 12 +27711234841 0:31", "131021 · 1 failed: Recipient cannot be sender"} {
		if !strings.Contains(view, want) {
			t.Errorf("failures lack %q:\n%s", want, d.View())
		}
	}
	if msgs := press(d, "enter"); len(msgs) != 1 || msgs[0] != (rowdetail.OpenMsg{Campaign: "sample-spring_sale", Row: 12}) {
		t.Fatalf("enter: %v", msgs)
	}
	press(d, "j")
	run.mu.Lock()
	run.snap.Failures = append([]engine.Failure{{Row: 30, Number: "447400100030", Status: status.Failed, Code: "131026",
		Reason: "Message undeliverable"}}, run.snap.Failures...)
	run.snap.FailureGroups[0].Count++
	run.mu.Unlock()
	d.Update(dashboard.TickMsg{})
	if msgs := press(d, "enter"); len(msgs) != 1 || msgs[0].(rowdetail.OpenMsg).Row != 7 {
		t.Fatalf("after j and a new failure, enter asks for %v, want row 7", msgs)
	}
}

// TestCopyPutsThePathOnTheClipboard: c on the summary writes the OSC 52 sequence holding the results path.
func TestCopyPutsThePathOnTheClipboard(t *testing.T) {
	var clip bytes.Buffer
	m, _ := newSampleModel(t, func(s *campaign.Session) (dashboard.Runner, io.Closer, error) { return startEngine(s) })
	m.clipboard = &clip
	drive(t, m, keyPress("enter"))
	drive(t, m, keyPress("s"))
	drive(t, m, keyPress("22"))
	drive(t, m, keyPress("enter"))
	if m.active != screenSummary {
		t.Fatalf("the run did not end on the summary: screen %d, status %q", m.active, m.status)
	}
	drive(t, m, keyPress("c"))
	path := m.summary.outPath
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(path)) + "\x07"
	if !filepath.IsAbs(path) || clip.String() != want || !strings.Contains(m.status, "Copied to the clipboard: "+path) {
		t.Errorf("c wrote %q (status %q), want %q", clip.String(), m.status, want)
	}
}

// TestResumeFromTheCampaignsScreen: r on a campaign left half sent opens the setup on its files, name and
// region, which continues it.
func TestResumeFromTheCampaignsScreen(t *testing.T) {
	dir := sampleDir(t)
	writeUKExport(t, filepath.Join(dir, "uk_export.csv"), 20)
	plan := samplePlan(dir)
	plan.CSVPath, plan.Region, plan.Campaign = filepath.Join(dir, "uk_export.csv"), "GB", "uk-april"
	leaveCampaign(t, prepareSample(t, plan), "")
	m := openModel(t, samplePlan(dir), nil, 160, 45) // opens on sample.csv
	drive(t, m, keyPress("H"))
	drive(t, m, keyPress("r"))
	s := m.setup
	if m.active != screenSetup || s.plan.Campaign != "uk-april" || s.plan.Region != "GB" || s.info == nil ||
		s.info.prior == nil || !s.info.prior.SameInput {
		t.Fatalf("r: screen %d, plan %+v, prior %+v", m.active, s.plan, s.info)
	}
	if want := fmt.Sprintf("Last run planned: ready %d", 20); !strings.Contains(flat(m.View()), want) {
		t.Errorf("setup lacks %q:\n%s", want, m.View())
	}
	drive(t, m, history.CloseMsg{}) // a stray close after leaving the screen changes nothing
	if m.active != screenSetup {
		t.Errorf("close moved to screen %d", m.active)
	}
}
