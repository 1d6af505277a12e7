// Package status is the vocabulary every part of a campaign shares: what can become of a row (its status, as
// the results CSV's result_status shows it), why a row cannot be sent (a Problem with its code), and where a
// campaign stands (its state). It imports nothing of herald's, so every other package can use it.
package status

// Row statuses, as result_status shows them.
const (
	// Ready: checked and waiting to be sent.
	Ready = "ready"
	// Sent: the provider accepted the message.
	Sent = "sent"
	// Failed: the provider refused it for good, or herald gave up retrying.
	Failed = "failed"
	// Invalid: the row cannot be sent as it is (bad number, missing value, ...).
	Invalid = "invalid"
	// Duplicate: the same number appeared earlier in the file.
	Duplicate = "duplicate"
	// Suppressed: a guard keeps the number from being messaged (opted out, frequency cap).
	Suppressed = "suppressed"
	// Skipped: an earlier run of the campaign already messaged the number.
	Skipped = "skipped"
	// Deferred: waiting for its send window or for capacity under the messaging limit.
	Deferred = "deferred"
	// Unknown: the request may have left and no answer came.
	Unknown = "unknown"
	// Pending: still to send when the results CSV was written (a ready row, as the results CSV calls it).
	Pending = "pending"
	// InFlight: recorded before its request leaves; the state store's own status, shown as unknown afterwards.
	InFlight = "in_flight"
)

// Campaign states: where a campaign stands in the state store and in a run's snapshot.
const (
	// Planning: rows are being stored; a campaign left in this state is checked afresh by the next run.
	Planning = "planning"
	// Planned: every row is stored and nothing has been sent yet.
	Planned = "planned"
	// Running, Paused, Stopping: a run is live.
	Running  = "running"
	Paused   = "paused"
	Stopping = "stopping"
	// Finished: every row the run set out to send has an outcome.
	Finished = "finished"
	// Stopped: the run ended before that (Ctrl-C, a fatal answer, an auto-pause without anyone to resume).
	Stopped = "stopped"
	// Superseded: the record of an earlier CSV of a campaign: the rows it had messaged when the CSV changed.
	Superseded = "superseded"
	// Interrupted: the store says running, paused or stopping but no herald process holds the campaign: herald
	// ended without recording the end (a crash, a kill, a closed terminal). Never stored; the screens show it.
	Interrupted = "interrupted"
)

// Problem is why a row cannot be sent: a short code for the results CSV and a sentence that says what is wrong
// and how to fix it.
type Problem struct {
	// Code is one of the Code* constants.
	Code string
	// Reason is a human sentence naming the column or value and the fix.
	Reason string
}

// Error formats the problem as its reason.
func (p *Problem) Error() string { return p.Reason }

// Row-level codes, as result_error_code shows them.
const (
	CodeEmptyNumber       = "empty_number"
	CodeBadNumber         = "bad_number"
	CodeSpreadsheetNumber = "spreadsheet_number"
	CodeRaggedRow         = "ragged_row"
	CodeNotUTF8           = "not_utf8"
	CodeNULByte           = "nul_byte"
	CodeMissingValue      = "missing_value"
	CodeBadParameter      = "bad_parameter"
	CodeBodyTooLong       = "body_too_long"
	CodeHeaderTooLong     = "header_too_long"
	CodeDuplicate         = "duplicate"
	// CodeAlreadyMessaged: an earlier version of the campaign's CSV already messaged the number.
	CodeAlreadyMessaged = "already_messaged"
	// CodeInterrupted: herald stopped while the row's request may have been on its way.
	CodeInterrupted = "interrupted"
	// CodeOptedOut: the number is on the opt-out list (suppressed).
	CodeOptedOut = "opted_out"
	// CodeFrequencyCap: the number got a message from a campaign in this store too recently (suppressed).
	CodeFrequencyCap = "frequency_cap"
	// CodeSendWindow: the recipient's local time is outside the send window (deferred).
	CodeSendWindow = "send_window"
	// CodeMessagingLimit: the profile reached its rolling 24-hour limit of distinct numbers (deferred).
	CodeMessagingLimit = "messaging_limit"
	// CodeOutsideWindow: a session message to a number that has not written in the last 24 hours (skipped).
	CodeOutsideWindow = "outside_window"
	// CodeScheduled: a sent row the provider holds until its send window opens (--send-window with a provider
	// that schedules); result_error says when it goes.
	CodeScheduled = "scheduled"
)
