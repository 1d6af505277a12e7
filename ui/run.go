// Package ui is herald's terminal interface: a Bubble Tea program that walks through a campaign from the
// files to the summary. Setup (CSV, template, profile, phone column, region, name, what to resend; a streaming
// check), Preview (every row and its message, a dry run), Confirm (type the number of messages), the run
// dashboard (progress, pace, failures by code, events; pause, cancel, quit) and the Summary (counts, the
// results CSV, retry and resend); beside them the campaigns screen (ui/history) and a row's detail
// (ui/rowdetail).
//
// Each screen is a pane (a tea.Model with its key help and a SetSize) that shares one common.Common of
// styles, keys and size (ui/common); the root model routes window sizes to every pane and keys to the active
// one. No I/O happens in Update: files, the state store, the engine and the clipboard are reached through
// tea.Cmds, and the dashboard reads the engine's snapshot on a 100 ms tick.
package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"herald/campaign"
	"herald/campaign/config"
	"herald/campaign/guards"
	"herald/ui/common"
)

// Config is what the TUI starts with.
type Config struct {
	// Plan is the campaign as the flags describe it; with CSV and template paths set, the setup opens on
	// them and Enter goes straight to the preview.
	Plan campaign.Plan
	// Config holds the profiles the setup offers; nil offers only Plan.Profile.
	Config *config.Config
	// Clock is the time the guards of the sender's number go by (send window, frequency cap, messaging limit);
	// nil for the machine's. Tests fix it.
	Clock guards.Clock
}

// clock is the configured clock, else the machine's.
func (c Config) clock() guards.Clock {
	if c.Clock == nil {
		return guards.System()
	}
	return c.Clock
}

// forcedStopWait bounds how long quitting waits for a forced run to record its rows in flight.
const forcedStopWait = 5 * time.Second

// Run starts the TUI and returns the exit code (SPEC.md "Exit codes"): 0 when every ready row was sent (or
// nothing was sent and nothing was wrong), 1 when some rows failed, were invalid or are unknown, 2 when the
// files or the profile shown last were in error, 3 when the run stopped before the end.
func Run(ctx context.Context, cfg Config) int {
	// Ask the terminal for its background before Bubble Tea reads the input, so the answer is not taken
	// for keys.
	lipgloss.HasDarkBackground()
	m := newModel(ctx, cfg, startEngine)
	m.clipboard = os.Stdout
	final, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx)).Run()
	if fm, ok := final.(*model); ok {
		m = fm
	}
	code, farewell := m.shutdown()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(os.Stderr, "herald:", err)
		return max(code, 1)
	}
	if farewell != "" {
		fmt.Fprintln(os.Stderr, farewell)
	}
	return code
}

// shutdown releases what the TUI holds once it has ended: background work is cancelled, a run still going
// (quit at once, or killed) is forced to stop and waited for so the store is consistent, then the provider and
// the session are closed. It returns the exit code and a line for the terminal.
func (m *model) shutdown() (int, string) {
	m.stopBusy()
	m.setup.stop()
	if m.runDone != nil {
		m.runCancel()
		select {
		case <-m.runDone:
		case <-time.After(forcedStopWait):
		}
	}
	var errs []error
	if m.closer != nil {
		errs = append(errs, m.closer.Close())
	}
	farewell := m.farewell()
	if m.sess != nil {
		errs = append(errs, closeSession(m.sess))
	}
	if err := errors.Join(errs...); err != nil {
		farewell += "\nherald: " + err.Error()
	}
	return m.exitCode(), farewell
}

// exitCode is the TUI's exit code.
func (m *model) exitCode() int {
	switch {
	case m.forced || m.running:
		return campaign.ExitStopped
	case m.ran:
		return m.summary.exitCode()
	case m.active == screenSetup && (m.setup.err != nil || m.setup.profileErr != nil):
		return campaign.ExitInput
	}
	return campaign.ExitOK
}

// farewell is what to print once the screen is restored: where the results are, or how to resume.
func (m *model) farewell() string {
	switch {
	case m.sess == nil:
		return ""
	case m.forced || m.running:
		name := m.sess.Info.Name
		return fmt.Sprintf("Campaign %s stopped at once: the state store is consistent and rows in flight are unknown.\n"+
			"Run herald again to resume: Campaigns (H), then r on %s; herald export --campaign %s writes the results CSV.",
			name, name, name)
	case m.ran:
		line := fmt.Sprintf("Campaign %s: %s.\nResults CSV: %s", m.sess.Info.Name, common.CountsLine(m.summary.counts), m.summary.outPath)
		if m.summary.exitCode() == campaign.ExitStopped {
			line += fmt.Sprintf("\nStopped before the end: run herald again and resume it from Campaigns (H, then r on %s), "+
				"setting its send window again if it had one; nobody is messaged twice.", m.sess.Info.Name)
		}
		return line
	}
	return ""
}
