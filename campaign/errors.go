package campaign

import (
	"errors"
	"flag"
	"herald/campaign/status"
)

// ErrInput marks errors in what the user gave (flags, files, config): nothing was sent, exit code 2.
var ErrInput = errors.New("input error")

// inputError wraps err so that errors.Is(err, ErrInput) holds while its text stays the user's sentence.
type inputError struct{ err error }

// Error is the user's sentence, unchanged.
func (e inputError) Error() string { return e.err.Error() }

// Unwrap exposes both the cause and ErrInput to errors.Is and errors.As.
func (e inputError) Unwrap() []error { return []error{e.err, ErrInput} }

// InputError marks err as an input error (exit code 2).
func InputError(err error) error {
	if err == nil || errors.Is(err, ErrInput) {
		return err
	}
	return inputError{err}
}

// IsInputError reports whether err is an input error (exit code 2).
func IsInputError(err error) bool { return errors.Is(err, ErrInput) }

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
	case stopped || counts[status.Ready] > 0 || counts[status.Deferred] > 0:
		return ExitStopped
	case counts[status.Failed]+counts[status.Invalid]+counts[status.Unknown] > 0:
		return ExitPartial
	}
	return ExitOK
}

// ExitFor is the exit code of a command that ended with err: 0 for none (or a request for help), 2 for an
// input error, 1 for anything else.
func ExitFor(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case IsInputError(err):
		return ExitInput
	}
	return ExitPartial
}
