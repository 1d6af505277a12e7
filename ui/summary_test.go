package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/ui/common"
	"herald/ui/dashboard"
)

func TestSummaryExitCodeAndRetry(t *testing.T) {
	cases := []struct {
		name      string
		state     string // the run's end; "" when nothing was left to send
		counts    map[string]int
		retryable int
		code      int
		retry     bool // r sends again (rows left, or failures that may pass)
		unknown   bool // u resends the unknown rows
	}{
		{"all sent", status.Finished, map[string]int{"sent": 22}, 0, campaign.ExitOK, false, false},
		{"all ready rows sent, some invalid", status.Finished, map[string]int{"sent": 22, "invalid": 3}, 0, campaign.ExitPartial, false, false},
		{"some failed for good", status.Finished, map[string]int{"sent": 20, "failed": 2}, 0, campaign.ExitPartial, false, false},
		{"some failed, may pass now", status.Finished, map[string]int{"sent": 20, "failed": 2}, 1, campaign.ExitPartial, true, false},
		{"some unknown", status.Finished, map[string]int{"sent": 21, "unknown": 1}, 0, campaign.ExitPartial, false, true},
		{"stopped with rows left", status.Stopped, map[string]int{"sent": 10, "ready": 12}, 0, campaign.ExitStopped, true, false},
		{"stopped at the last row", status.Stopped, map[string]int{"sent": 22}, 0, campaign.ExitStopped, false, false},
		{"nothing left to send", "", map[string]int{"sent": 22}, 0, campaign.ExitOK, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newSummaryPane(common.New())
			p.campaign, p.counts, p.retryable = "c", tc.counts, tc.retryable
			if tc.state != "" {
				p.snap = &engine.Snapshot{State: tc.state}
			}
			if got := p.exitCode(); got != tc.code {
				t.Errorf("exit code %d, want %d", got, tc.code)
			}
			help := helpText(p.ShortHelp())
			msgs := press(p, "r")
			offered := strings.Contains(help, "r retry failures") || strings.Contains(help, "r send the rest")
			if retried := len(msgs) == 1 && msgs[0] == (retryRequestMsg{}); retried != tc.retry || offered != tc.retry {
				t.Errorf("r asked to send again: %v (offered in %q), want %v", retried, help, tc.retry)
			}
			msgs = press(p, "u")
			if resent := len(msgs) == 1 && msgs[0] == (resendUnknownRequestMsg{}); resent != tc.unknown || strings.Contains(help, "resend unknown") != tc.unknown {
				t.Errorf("u asked to resend the unknown rows: %v (offered in %q), want %v", resent, help, tc.unknown)
			}
			if view := flat(p.View()); strings.Contains(view, "--retry-failed") || strings.Contains(view, "--resend-unknown") {
				t.Errorf("the summary names a flag the TUI cannot set:\n%s", p.View())
			}
			if msgs := press(p, "n"); len(msgs) != 1 || msgs[0] != (newCampaignMsg{}) {
				t.Errorf("n: %v, want a new campaign", msgs)
			}
		})
	}
}

func TestSummaryContinuesAStoppedRun(t *testing.T) {
	run := newFakeRunner(runningSnapshot())
	m, ended := runningModel(t, run)
	drive(t, m, keyPress("c"))
	drive(t, m, keyPress("y"))
	final := run.Snapshot()
	final.State = status.Stopped
	run.release <- final
	var done tea.Msg
	for done == nil {
		if msg, ok := (<-ended).(runDoneMsg); ok {
			done = msg
		}
	}
	drive(t, m, done)
	if m.active != screenSummary {
		t.Fatalf("after the run: screen %d", m.active)
	}
	view := flat(m.View())
	for _, want := range []string{"Campaign sample-spring_sale stopped", "Reason: " + dashboard.ReasonUserCancel,
		"22 rows not sent yet: r sends them"} {
		if !strings.Contains(view, want) {
			t.Errorf("summary lacks %q:\n%s", want, m.View())
		}
	}
	drive(t, m, keyPress("r"))
	if m.active != screenConfirm || m.sess == nil || !m.sess.Resumed {
		t.Fatalf("r: screen %d, status %q", m.active, m.status)
	}
	view = flat(m.View())
	for _, want := range []string{"Send 22 messages", "0 rows that failed for a passing reason"} {
		if !strings.Contains(view, want) {
			t.Errorf("confirm lacks %q:\n%s", want, m.View())
		}
	}
}
