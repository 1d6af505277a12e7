package receipts

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"herald/campaign/recipients"
	"herald/campaign/store"
	"herald/providers"
)

// reportColumns are the header names each column of a delivery report is found by, most preferred first, in
// columnKey form (lower case, letters and digits only).
var reportColumns = map[string][]string{
	"message id": {"messageid", "msgid", "wamid", "whatsappmessageid", "channelmessageid", "id"},
	"status":     {"status", "messagestatus", "deliverystatus", "state"},
	"time":       {"statustime", "updatedat", "time", "timestamp", "datetime", "date", "itime", "eventtime"},
	"error code": {"errorcode", "failurecode", "reasoncode", "code", "error"},
	"recipient":  {"to", "recipient", "phone", "number", "msisdn", "waid", "destination"},
}

// reportStates maps the status words providers' consoles use to herald's delivery states; a word not listed
// (accepted, queued, plan, ...) says nothing herald tracks.
var reportStates = map[string]string{
	"sent": providers.DeliverySent, "delivered": providers.DeliveryDelivered, "read": providers.DeliveryRead,
	"seen": providers.DeliveryRead, "failed": providers.DeliveryFailed, "undelivered": providers.DeliveryFailed,
	"rejected": providers.DeliveryFailed, "error": providers.DeliveryFailed, "expired": providers.DeliveryFailed,
	"targetinvalid": providers.DeliveryFailed, "sentfailed": providers.DeliveryFailed,
	"deliveredfailed": providers.DeliveryFailed, "deliveredtimeout": providers.DeliveryFailed,
}

// reportTimeLayouts are the time formats a report's time column may use; a time without a zone is UTC.
var reportTimeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05",
	"2006-01-02T15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05", "2006/01/02 15:04"}

// ReportResult says what a delivery report held.
type ReportResult struct {
	// Rows counts the report's data rows; Events the delivery events merged; Unknown those about a message id
	// no campaign row has; Skipped the rows whose status herald does not track (queued, accepted, ...).
	Rows, Events, Unknown, Skipped int
}

// ImportReport merges a delivery report downloaded from a provider's console (a CSV whose message id, status,
// time, error code and recipient columns are found by their header names) into the store, the same way as
// callbacks: exactly once, the state only moving forward. Nothing is merged unless every row can be read.
func ImportReport(st *store.Store, profile providers.Profile, path string) (ReportResult, error) {
	var res ReportResult
	f, err := os.Open(path)
	if err != nil {
		return res, fmt.Errorf("delivery report %s: %w - check the path", path, err)
	}
	defer f.Close()
	table, err := recipients.NewTable(f)
	if err != nil {
		return res, fmt.Errorf("delivery report %s: %w", path, err)
	}
	header, err := table.Read()
	if err != nil {
		return res, fmt.Errorf("delivery report %s: no header row (%v) - export the report as CSV with its header", path, err)
	}
	cols := map[string]int{}
	for what, names := range reportColumns {
		cols[what] = findColumn(header, names)
	}
	for _, need := range []string{"message id", "status"} {
		if cols[need] < 0 {
			return res, fmt.Errorf("delivery report %s: no %s column (its columns are %s) - export the report with "+
				"the message id and status columns, or rename the column to %q", path, need, strings.Join(header, ", "),
				strings.ReplaceAll(need, " ", "_"))
		}
	}
	batch := store.CallbackBatch{Profile: profile.Name, Rehearsal: profile.Provider == "sandbox", Received: time.Now()}
	for line := 2; ; line++ {
		rec, err := table.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("delivery report %s: %w - export it again as CSV", path, err)
		}
		if blankRecord(rec) {
			continue
		}
		res.Rows++
		ev, ok, err := reportEvent(rec, cols)
		if err != nil {
			return res, fmt.Errorf("delivery report %s line %d: %w", path, line, err)
		}
		if !ok {
			res.Skipped++
			continue
		}
		batch.Deliveries = append(batch.Deliveries, ev)
	}
	out, err := st.RecordCallbacks(batch)
	if err != nil {
		return res, err
	}
	res.Events, res.Unknown = out.Deliveries, out.Unknown
	return res, nil
}

// reportEvent reads one report row; false when its status is not one herald tracks.
func reportEvent(rec []string, cols map[string]int) (providers.DeliveryEvent, bool, error) {
	cell := func(what string) string {
		if i := cols[what]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	state, ok := reportStates[columnKey(cell("status"))]
	if !ok {
		return providers.DeliveryEvent{}, false, nil
	}
	id := cell("message id")
	if id == "" {
		return providers.DeliveryEvent{}, false, errors.New("the message id is empty - every row with a status needs its message id")
	}
	at, err := reportTime(cell("time"))
	if err != nil {
		return providers.DeliveryEvent{}, false, err
	}
	ev := providers.DeliveryEvent{MessageID: id, Status: state, At: at, Recipient: providers.Digits(cell("recipient"))}
	if state == providers.DeliveryFailed {
		ev.ErrorCode = cell("error code")
	}
	return ev, true, nil
}

// reportTime reads a report's time: unix seconds or milliseconds, or one of reportTimeLayouts.
func reportTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return providers.UnixTime(n), nil
	}
	for _, layout := range reportTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("the time %q is not a date and time herald reads - use 2026-04-01 09:30:00 "+
		"(UTC), RFC 3339 (2026-04-01T09:30:00+02:00) or unix seconds", s)
}

// findColumn returns the index of the first header cell matching one of names (in columnKey form), in the
// names' order of preference; -1 when none does.
func findColumn(header []string, names []string) int {
	for _, name := range names {
		for i, h := range header {
			if columnKey(h) == name {
				return i
			}
		}
	}
	return -1
}

// columnKey folds a header name or a status word: lower case, letters and digits only.
func columnKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// blankRecord reports whether a row has only empty cells.
func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
