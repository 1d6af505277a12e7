package results

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"herald/campaign/status"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Columns are the columns the results CSV adds after the input's own.
var Columns = []string{"result_number", "result_status", "result_message_id", "result_error_code",
	"result_error", "result_attempts", "result_at", "result_delivery", "result_delivery_code",
	"result_delivered_at", "result_read_at", "result_replied_at", "result_reply"}

// Result is the outcome of one row.
type Result struct {
	Number    string
	Status    string
	MessageID string
	Code      string
	Error     string
	Attempts  int
	At        time.Time
	// Delivery is what the provider's callbacks said afterwards: sent, delivered, read or failed ("" for
	// nothing); DeliveryCode the code of a failure reported afterwards.
	Delivery, DeliveryCode string
	// Delivered, Read and Replied are the times the callbacks reported; Reply the recipient's first reply.
	Delivered, Read, Replied time.Time
	Reply                    string
}

// Writer writes the results CSV: the input columns unchanged, then the result_* columns. The file starts
// with a UTF-8 byte order mark so Excel reads non-Latin names right, uses the input's separator (a semicolon
// file stays a semicolon file for the spreadsheet that made it), and neutralises cells a spreadsheet would run
// as formulas. It is written to a temporary file and renamed into place by Close, so a crash never leaves half
// a results file behind.
type Writer struct {
	path string
	tmp  *os.File
	buf  *bufio.Writer
	csv  *csv.Writer
	rec  []string
	cols int
}

// Create starts a results CSV at path for an input with the given header and separator.
func Create(path string, header []string, sep rune) (*Writer, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("results CSV %s: %w - check that the folder exists and is writable, or pass --out", path, err)
	}
	w := &Writer{path: path, tmp: tmp, buf: bufio.NewWriterSize(tmp, 256<<10), cols: len(header)}
	w.csv = csv.NewWriter(w.buf)
	if sep != 0 {
		w.csv.Comma = sep
	}
	w.csv.UseCRLF = true
	w.rec = make([]string, 0, len(header)+len(Columns))
	if _, err := w.buf.WriteString("\uFEFF"); err != nil {
		return nil, w.fail(err)
	}
	w.rec = append(w.rec[:0], header...)
	w.rec = append(w.rec, Columns...)
	for i := range w.rec {
		w.rec[i] = SafeCell(w.rec[i])
	}
	if err := w.csv.Write(w.rec); err != nil {
		return nil, w.fail(err)
	}
	return w, nil
}

// Write appends one row: its input cells (padded or cut to the header's width) and its result.
func (w *Writer) Write(fields []string, r Result) error {
	w.rec = w.rec[:0]
	for i := 0; i < w.cols; i++ {
		v := ""
		if i < len(fields) {
			v = fields[i]
		}
		w.rec = append(w.rec, SafeCell(v))
	}
	attempts := ""
	if r.Attempts > 0 || r.Status == status.Sent || r.Status == status.Failed || r.Status == status.Unknown {
		attempts = strconv.Itoa(r.Attempts)
	}
	w.rec = append(w.rec, SafeCell(r.Number), r.Status, SafeCell(r.MessageID), SafeCell(r.Code),
		SafeCell(r.Error), attempts, timeCell(r.At), r.Delivery, SafeCell(r.DeliveryCode), timeCell(r.Delivered),
		timeCell(r.Read), timeCell(r.Replied), SafeCell(r.Reply))
	if err := w.csv.Write(w.rec); err != nil {
		return fmt.Errorf("results CSV %s: %w", w.path, err)
	}
	return nil
}

// timeCell is a time as the results CSV writes it: RFC 3339 in UTC, "" for none.
func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Close flushes the file, syncs it and moves it into place.
func (w *Writer) Close() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return w.fail(err)
	}
	if err := w.buf.Flush(); err != nil {
		return w.fail(err)
	}
	if err := w.tmp.Sync(); err != nil {
		return w.fail(err)
	}
	if err := w.tmp.Close(); err != nil {
		return w.fail(err)
	}
	if err := os.Rename(w.tmp.Name(), w.path); err != nil {
		_ = os.Remove(w.tmp.Name())
		return fmt.Errorf("results CSV %s: %w", w.path, err)
	}
	return nil
}

// Abort removes the unfinished file.
func (w *Writer) Abort() {
	_ = w.tmp.Close()
	_ = os.Remove(w.tmp.Name())
}

func (w *Writer) fail(err error) error {
	w.Abort()
	return fmt.Errorf("results CSV %s: %w", w.path, err)
}

// SafeCell makes a cell safe to open in a spreadsheet: a cell that starts with = + - @, a tab or a carriage
// return would be run as a formula, so it gets a leading apostrophe, which spreadsheets show as text.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
