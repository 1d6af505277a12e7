package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/status"
	"herald/ui/common"
)

func TestSummaryExitCodeAndRetry(t *testing.T) {
	cases := []struct {
		name   string
		state  string // the run's end; "" when nothing was left to send
		counts map[string]int
		code   int
		retry  bool
	}{
		{"all sent", status.Finished, map[string]int{"sent": 22}, campaign.ExitOK, false},
		{"all ready rows sent, some invalid", status.Finished, map[string]int{"sent": 22, "invalid": 3}, campaign.ExitPartial, false},
		{"some failed", status.Finished, map[string]int{"sent": 20, "failed": 2}, campaign.ExitPartial, true},
		{"some unknown", status.Finished, map[string]int{"sent": 21, "unknown": 1}, campaign.ExitPartial, false},
		{"stopped with rows left", status.Stopped, map[string]int{"sent": 10, "ready": 12}, campaign.ExitStopped, true},
		{"stopped at the last row", status.Stopped, map[string]int{"sent": 22}, campaign.ExitStopped, false},
		{"nothing left to send", "", map[string]int{"sent": 22}, campaign.ExitOK, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newSummaryPane(common.New())
			p.campaign, p.counts = "c", tc.counts
			if tc.state != "" {
				p.snap = &engine.Snapshot{State: tc.state}
			}
			if got := p.exitCode(); got != tc.code {
				t.Errorf("exit code %d, want %d", got, tc.code)
			}
			msgs := press(p, "r")
			if retried := len(msgs) == 1 && msgs[0] == (retryRequestMsg{}); retried != tc.retry {
				t.Errorf("r asked to send again: %v, want %v", retried, tc.retry)
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
	for _, want := range []string{"Campaign sample-spring_sale stopped", "Reason: " + reasonUserCancel,
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
