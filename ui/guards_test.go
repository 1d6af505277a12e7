package ui

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/guards"
	"herald/campaign/status"
	"herald/providers/sandbox"
	"herald/ui/files"
)

// guardedModel returns a root model on the sample files at 160x45 with the guards' clock at guardsMorning,
// opened and checked, its focus on field.
func guardedModel(t *testing.T, plan campaign.Plan, field setupField) *model {
	t.Helper()
	m := newModel(context.Background(), Config{Plan: plan, Clock: newRunningClock(guardsMorning)}, nil)
	t.Cleanup(func() { m.shutdown() })
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	drive(t, m, m.Init()())
	for range field {
		drive(t, m, keyPress("down"))
	}
	return m
}

// typeIn edits the focused field: c, the old value erased, text typed, enter.
func typeIn(t *testing.T, m *model, text string) {
	t.Helper()
	drive(t, m, keyPress("c"))
	drive(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	if text != "" {
		drive(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
	}
	drive(t, m, keyPress("enter"))
}

// TestSendWindowFieldReadsAsTheFlag: the setup's send window is read by the flag's own reader: what it refuses
// is refused with its reason (the field, not the flag, named), what it takes is written as it writes it, and
// the check holds the rows outside the window back as deferred, saying when they go; x takes it away.
func TestSendWindowFieldReadsAsTheFlag(t *testing.T) {
	m := guardedModel(t, samplePlan(sampleDir(t)), fieldWindow)
	typeIn(t, m, "9-17")
	_, flagErr := guards.ParseWindow("9-17")
	var se *guards.SettingError
	if !errors.As(flagErr, &se) {
		t.Fatalf("the flag's reader gave %v", flagErr)
	}
	view := flat(m.View())
	if !m.setup.Typing() || !strings.Contains(view, `"9-17": `+se.Why) || strings.Contains(view, "--send-window") {
		t.Fatalf("9-17 was not refused with the flag's reason (%q):\n%s", se.Why, m.View())
	}
	drive(t, m, keyPress("esc"))
	typeIn(t, m, "9:00-18:00")
	s := m.setup
	if s.plan.SendWindow != "09:00-18:00" || s.result == nil || s.result.summary.Counts[status.Deferred] != 19 {
		t.Fatalf("window %q, counts %v; want 09:00-18:00 and 19 deferred", s.plan.SendWindow, s.result.summary.Counts)
	}
	for _, want := range []string{"Send window 09:00-18:00 of each recipient's local time",
		"When 3 now, 19 later today (from 03:30)", "ready 3 · deferred 19"} {
		if !strings.Contains(flat(m.View()), want) {
			t.Errorf("setup lacks %q:\n%s", want, m.View())
		}
	}
	drive(t, m, keyPress("x"))
	if s.plan.SendWindow != "" || s.result.summary.Counts[status.Deferred] != 0 {
		t.Errorf("x: window %q, %d deferred", s.plan.SendWindow, s.result.summary.Counts[status.Deferred])
	}
}

// TestFrequencyCapFieldReadsAsTheFlag: the cap takes what --frequency-cap takes (0 turns the profile's off),
// refuses what it refuses with its reason, and x goes back to the profile's.
func TestFrequencyCapFieldReadsAsTheFlag(t *testing.T) {
	plan := samplePlan(sampleDir(t))
	plan.Profile.FrequencyCap = 48 * time.Hour
	m := guardedModel(t, plan, fieldCap)
	s := m.setup
	if !strings.Contains(flat(m.View()), "Frequency cap 48h (profile sandbox)") {
		t.Errorf("the profile's cap does not show:\n%s", m.View())
	}
	typeIn(t, m, "3d")
	if !s.Typing() || !strings.Contains(flat(m.View()), `"3d": give a duration such as 72h`) {
		t.Fatalf("3d was not refused:\n%s", m.View())
	}
	drive(t, m, keyPress("esc"))
	typeIn(t, m, "36h")
	if s.plan.FrequencyCap != 36*time.Hour || s.info.plan.SendFrequencyCap() != 36*time.Hour {
		t.Fatalf("36h: cap %v, checked with %v", s.plan.FrequencyCap, s.info.plan.SendFrequencyCap())
	}
	typeIn(t, m, "0")
	if s.plan.FrequencyCap >= 0 || s.info.plan.SendFrequencyCap() != 0 ||
		!strings.Contains(flat(m.View()), "Frequency cap none · the profile's frequency_cap (48h) is off") {
		t.Fatalf("0: cap %v:\n%s", s.plan.FrequencyCap, m.View())
	}
	drive(t, m, keyPress("x"))
	if s.plan.FrequencyCap != 0 || s.info.plan.SendFrequencyCap() != 48*time.Hour {
		t.Errorf("x: cap %v, checked with %v; want the profile's", s.plan.FrequencyCap, s.info.plan.SendFrequencyCap())
	}
}

// TestPriceTableFromTheFileChooser: c on Prices opens the chooser on .csv files; the file chosen prices the rows
// to send on the setup and the preview; x takes it away.
func TestPriceTableFromTheFileChooser(t *testing.T) {
	dir := sampleDir(t)
	prices := filepath.Join(dir, "prices.csv")
	copyFile(t, filepath.Join(wdRepo, "templates", "prices.example.csv"), prices)
	m := guardedModel(t, samplePlan(dir), fieldPrices)
	drive(t, m, keyPress("c"))
	if m.setup.picker == nil || m.setup.pickFor != fieldPrices || !strings.Contains(m.View(), "Choose the price table") {
		t.Fatalf("c did not open the chooser for the price table:\n%s", m.View())
	}
	drive(t, m, files.ChosenMsg{Path: prices})
	want := "Cost estimated cost: 0.74 USD (22 marketing messages)"
	if m.setup.plan.PricesPath != prices || !strings.Contains(flat(m.View()), want) {
		t.Fatalf("prices %q; setup lacks %q:\n%s", m.setup.plan.PricesPath, want, m.View())
	}
	drive(t, m, keyPress("enter"))
	if !strings.Contains(flat(m.View()), "estimated cost: 0.74 USD (22 marketing messages)") {
		t.Errorf("the preview does not show the cost:\n%s", m.View())
	}
	drive(t, m, keyPress("esc"))
	drive(t, m, keyPress("x"))
	if m.setup.plan.PricesPath != "" || strings.Contains(m.View(), "estimated cost") {
		t.Errorf("x: prices %q:\n%s", m.setup.plan.PricesPath, m.View())
	}
}

// TestTemplateApprovalOnTheSetup: a provider with a template API says where the template's review stands, asked
// once for the profile and the template (a new region does not ask again); a provider that cannot tell shows
// nothing.
func TestTemplateApprovalOnTheSetup(t *testing.T) {
	for _, strict := range []bool{false, true} {
		srv := sandbox.New(sandbox.Options{StrictTemplates: strict})
		var queries atomic.Int64
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "template/query") {
				queries.Add(1)
			}
			srv.ServeHTTP(w, r)
		}))
		t.Cleanup(hs.Close)
		plan := samplePlan(sampleDir(t))
		plan.Profile = srv.Profile("itniotech", hs.URL)
		m := guardedModel(t, plan, fieldRegion)
		want := "Approval template spring_sale (en_US) at Itniotech: APPROVED"
		if strict {
			want = "Approval template spring_sale (en_US) at Itniotech: not found"
		}
		if !strings.Contains(flat(m.View()), want) {
			t.Errorf("strict %v: setup lacks %q:\n%s", strict, want, m.View())
		}
		if _, sendable := m.setup.approval.line(); sendable == strict {
			t.Errorf("strict %v: sendable %v", strict, sendable)
		}
		typeIn(t, m, "GB")
		if n := queries.Load(); n != 1 || !strings.Contains(flat(m.View()), want) {
			t.Errorf("strict %v: %d questions after a new region, want 1:\n%s", strict, n, m.View())
		}
	}
	m := guardedModel(t, samplePlan(sampleDir(t)), fieldCSV) // the built-in sandbox speaks Meta: no template API
	if strings.Contains(flat(m.View()), "Approval template") {
		t.Errorf("a provider that cannot tell shows an approval:\n%s", m.View())
	}
}

// TestResumeKeepsTheSetupsGuards: resuming a campaign from the campaigns screen keeps the send window, the cap
// and the price table of the setup (the store does not keep them); without a window, the setup warns that
// the rows an earlier run deferred would go at once.
func TestResumeKeepsTheSetupsGuards(t *testing.T) {
	dir := sampleDir(t)
	plan := samplePlan(dir)
	plan.SendWindow = "09:00-18:00"
	in, err := openInput(plan, newRunningClock(guardsMorning))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := campaign.Prepare(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	leaveCampaign(t, sess, status.Stopped)

	m := guardedModel(t, samplePlan(dir), fieldCSV)
	drive(t, m, keyPress("H"))
	drive(t, m, keyPress("r"))
	if !strings.Contains(flat(m.View()), "19 rows waited for their time: set the Send window again, or those held for it go at once.") {
		t.Errorf("no warning about the deferred rows:\n%s", m.View())
	}
	for range fieldWindow - fieldResend + setupFieldCount {
		drive(t, m, keyPress("down"))
	}
	typeIn(t, m, "09:00-18:00")
	drive(t, m, keyPress("H"))
	drive(t, m, keyPress("r"))
	if m.setup.plan.SendWindow != "09:00-18:00" || strings.Contains(m.View(), "waited for their time") {
		t.Errorf("resume dropped the window %q:\n%s", m.setup.plan.SendWindow, m.View())
	}
}

// TestConfirmKeepsTheFieldOnAShortScreen: with the messaging limit's warning, a long cost and notes, the
// confirmation still shows what to type and the field at 80x24: the cost, then when the rows go, then the rest
// take one line each.
func TestConfirmKeepsTheFieldOnAShortScreen(t *testing.T) {
	prices, err := guards.LoadPrices(filepath.Join(wdRepo, "templates", "prices.example.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cost := prices.Estimate("marketing")
	for _, r := range []string{"GB", "CN", "JP", "GR", "IL", "KE", "PL", "RU", "TR", "VN", "TH"} {
		cost.Add(r)
	}
	sched := guards.NewSchedule(guardsMorning, time.UTC)
	sched.Add(time.Time{}, 15)
	sched.Add(guardsMorning.Add(25*time.Hour), 7)
	m := newModel(context.Background(), Config{Plan: samplePlan(t.TempDir())}, nil)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	p := m.confirm
	p.campaign, p.template, p.profile, p.outPath, p.rate, p.ready = "sample-spring_sale", "spring_sale", "itnio",
		"/home/olivia/campaigns/sample-spring_sale.results.csv", 10, 22
	p.counts = map[string]int{status.Ready: 15, status.Deferred: 7}
	p.outlook = campaign.Outlook{Limit: 15, Schedule: sched, Window: "09:00-18:00", Cost: cost}
	p.notes = []string{"the CSV or template changed since campaign sample-spring_sale last ran: it was checked again; numbers already messaged are skipped",
		"3 ready rows opted out since the campaign was checked: they are suppressed"}
	m.show(screenConfirm)
	view := m.View()
	if h := lipgloss.Height(p.View()); h > p.Height || !strings.Contains(view, "› _") ||
		!strings.Contains(flat(view), "Type 22 (or send) and press enter") || !strings.Contains(flat(view), "Warning messaging limit") {
		t.Errorf("the confirmation is %d lines in %d, or lacks the field:\n%s", h, p.Height, view)
	}
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	if view := flat(m.View()); !strings.Contains(view, "not in the estimate") || !strings.Contains(view, "they are suppressed") {
		t.Errorf("with room, the rows are not whole:\n%s", m.View())
	}
}

// TestAPriceTableThatIsNotOneSaysSoOnItsField: choosing the recipients CSV as the price table is an error that
// names the file, the line and the columns wanted, in the words of the setup (no flag).
func TestAPriceTableThatIsNotOneSaysSoOnItsField(t *testing.T) {
	dir := sampleDir(t)
	m := guardedModel(t, samplePlan(dir), fieldPrices)
	drive(t, m, keyPress("c"))
	drive(t, m, files.ChosenMsg{Path: filepath.Join(dir, "sample.csv")})
	view := flat(m.View())
	if m.setup.ready() || !strings.Contains(view, "Problem the price table") || !strings.Contains(view, "country, category, price, currency") ||
		strings.Contains(view, "--prices") {
		t.Errorf("a CSV of recipients taken as the price table:\n%s", m.View())
	}
}
