package campaign

import (
	"math"
	"strconv"
	"time"
)

// Exit codes of preview, send and the TUI (SPEC.md "Exit codes").
const (
	// ExitOK: every ready row was sent (preview: no invalid row).
	ExitOK = 0
	// ExitPartial: finished, but some rows failed, were invalid or are unknown.
	ExitPartial = 1
	// ExitInput: usage, config or input error; nothing was sent.
	ExitInput = 2
	// ExitStopped: stopped before the end; the same command resumes.
	ExitStopped = 3
)

// ExitCode is a campaign's exit code from its rows per status and whether its last run stopped early.
func ExitCode(counts map[string]int, stopped bool) int {
	switch {
	case stopped || counts[StatusReady] > 0:
		return ExitStopped
	case counts[StatusFailed]+counts[StatusInvalid]+counts[StatusUnknown] > 0:
		return ExitPartial
	}
	return ExitOK
}

// RateText is a pace for people: "20/s", "12.5/s", "an unlimited rate".
func RateText(r float64) string {
	if math.IsInf(r, 1) {
		return "an unlimited rate"
	}
	return strconv.FormatFloat(math.Round(r*10)/10, 'f', -1, 64) + "/s"
}

// Estimate is how long sending n messages takes at rate r; 0 when the rate is unlimited.
func Estimate(n int, r float64) time.Duration {
	if r <= 0 || math.IsInf(r, 1) {
		return 0
	}
	return time.Duration(float64(n) / r * float64(time.Second))
}
