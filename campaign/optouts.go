package campaign

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gocarina/gocsv"

	"herald/campaign/check"
	"herald/campaign/phone"
	"herald/campaign/recipients"
	"herald/campaign/results"
	"herald/campaign/status"
	"herald/campaign/store"
	"herald/campaign/template"
	"herald/providers"
)

// OptOut is one number on the opt-out list.
type OptOut = store.OptOut

// optOutGuard is the check guard that suppresses numbers on the opt-out list (code opted_out) before anything
// is sent. The list is read from the state store at statePath when it exists: a preview never creates one. A
// campaign to the sandbox also honours the sandbox's own opt-outs; a real one does not, so rehearsing with a
// real CSV never opts real customers out. nil when the list is empty.
func optOutGuard(statePath string, profile providers.Profile) (check.Guard, error) {
	if _, err := os.Stat(statePath); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	st, err := store.Open(statePath)
	if err != nil {
		return nil, InputError(err)
	}
	defer st.Close()
	set, err := st.OptedOut(profile.Provider == "sandbox")
	if err != nil || len(set) == 0 {
		return nil, err
	}
	return func(r *check.Row) {
		if _, out := set[r.Number]; out {
			r.Status, r.Rendered = status.Suppressed, template.Rendered{}
			r.Problem = &status.Problem{Code: status.CodeOptedOut, Reason: fmt.Sprintf("row %d: %s is on the "+
				"opt-out list, so it is not messaged (herald optouts remove %s messages it again)", r.Num, r.Number, r.Number)}
		}
	}, nil
}

// optedOutReason is the reason of a row suppressed because its number opted out after it was checked.
const optedOutReason = "the number opted out after the campaign was checked, so it is not messaged " +
	"(herald optouts remove NUMBER messages it again)"

// optOutButtons are the template's quick replies marked opt_out, as the store keeps them for the campaign. With
// labels set (a provider that requires payloads, which then gets the label), a button without a fixed payload
// has its label as its payload too, so that a tap reported with the payload alone is matched.
func optOutButtons(t *template.Template, labels bool) []store.OptOutButton {
	var out []store.OptOutButton
	for _, b := range t.OptOutButtons() {
		if labels && b.Payload == "" {
			b.Payload = b.Label
		}
		out = append(out, store.OptOutButton{Label: b.Label, Payload: b.Payload})
	}
	return out
}

// EachOptOut calls fn with every number on the opt-out list of the store at statePath, in number order; a
// store that does not exist has an empty list.
func EachOptOut(statePath string, fn func(OptOut) error) error {
	if _, err := os.Stat(statePath); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	st, err := store.Open(statePath)
	if err != nil {
		return InputError(err)
	}
	defer st.Close()
	return st.EachOptOut(fn)
}

// AddOptOuts puts numbers (written as in a recipients CSV; region for national forms) on the opt-out list with
// a note, and returns how many were not on it yet. A number that does not parse is an input error and nothing
// is added.
func AddOptOuts(statePath string, numbers []string, region, note string) (int, error) {
	norm, err := normalizeNumbers(numbers, region)
	if err != nil {
		return 0, err
	}
	list := make([]OptOut, len(norm))
	for i, n := range norm {
		list[i] = OptOut{Number: n, Source: store.SourceManual, Note: note}
	}
	return withStore(statePath, func(st *store.Store) (int, error) { return st.AddOptOuts(list) })
}

// RemoveOptOuts takes numbers off the opt-out list and returns how many were on it.
func RemoveOptOuts(statePath string, numbers []string, region string) (int, error) {
	norm, err := normalizeNumbers(numbers, region)
	if err != nil {
		return 0, err
	}
	return withStore(statePath, func(st *store.Store) (int, error) { return st.RemoveOptOuts(norm) })
}

// optOutRecord is one line of an opt-out CSV (herald optouts import and export).
type optOutRecord struct {
	Number  string `csv:"number"`
	AddedAt string `csv:"added_at"`
	Source  string `csv:"source"`
	Note    string `csv:"note"`
}

// ImportOptOuts adds the numbers of an opt-out CSV (columns number, and optionally added_at, source, note) to
// the list, and returns how many were added and how many the file held. Every line is checked before anything
// is added; a bad one is an input error naming its line.
func ImportOptOuts(path, statePath, region string) (added, total int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, InputError(fmt.Errorf("opt-out list %s: %w - check the path", path, err))
	}
	defer f.Close()
	table, err := recipients.NewTable(f)
	if err != nil {
		return 0, 0, InputError(fmt.Errorf("opt-out list %s: %w", path, err))
	}
	var recs []optOutRecord
	if err := gocsv.UnmarshalCSV(table, &recs); err != nil {
		return 0, 0, InputError(fmt.Errorf("opt-out list %s: %w - it must be a CSV with a number column", path, err))
	}
	phones, err := phone.NewNormalizer(region)
	if err != nil {
		return 0, 0, InputError(fmt.Errorf("--region: %w", err))
	}
	list := make([]OptOut, 0, len(recs))
	for i, r := range recs {
		line := i + 2
		if strings.TrimSpace(r.Number) == "" {
			return 0, 0, InputError(fmt.Errorf("opt-out list %s line %d: no number - the file needs a number column "+
				"with one number per line", path, line))
		}
		n, p := phones.Normalize(r.Number)
		if p != nil {
			return 0, 0, InputError(fmt.Errorf("opt-out list %s line %d: %s", path, line, p.Reason))
		}
		o := OptOut{Number: n, Source: strings.TrimSpace(r.Source), Note: r.Note}
		if o.Source == "" {
			o.Source = store.SourceImport
		}
		if s := strings.TrimSpace(r.AddedAt); s != "" {
			if o.Added, err = time.Parse(time.RFC3339, s); err != nil {
				return 0, 0, InputError(fmt.Errorf("opt-out list %s line %d: added_at %q is not an RFC 3339 time "+
					"such as 2026-04-01T09:30:00Z - fix it or leave it empty", path, line, s))
			}
		}
		list = append(list, o)
	}
	added, err = withStore(statePath, func(st *store.Store) (int, error) { return st.AddOptOuts(list) })
	return added, len(list), err
}

// ExportOptOuts writes the opt-out list to path as CSV (number, added_at, source, note) and returns how many
// numbers it holds. Notes are made safe for a spreadsheet.
func ExportOptOuts(statePath, path string) (int, error) {
	var recs []optOutRecord
	err := EachOptOut(statePath, func(o OptOut) error {
		recs = append(recs, optOutRecord{Number: o.Number, AddedAt: o.Added.UTC().Format(time.RFC3339),
			Source: o.Source, Note: results.SafeCell(o.Note)})
		return nil
	})
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, InputError(fmt.Errorf("opt-out list %s: %w - check that the folder exists and is writable", path, err))
	}
	defer os.Remove(tmp.Name())
	if err := writeOptOuts(tmp, recs); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("opt-out list %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("opt-out list %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("opt-out list %s: %w", path, err)
	}
	return len(recs), nil
}

// writeOptOuts writes the records as CSV, the header first even when there is none.
func writeOptOuts(w io.Writer, recs []optOutRecord) error {
	if recs == nil {
		recs = []optOutRecord{}
	}
	return gocsv.Marshal(recs, w)
}

// normalizeNumbers turns numbers as people write them into the list's form (digits, country code first); the
// first that does not parse is an input error.
func normalizeNumbers(numbers []string, region string) ([]string, error) {
	if len(numbers) == 0 {
		return nil, InputError(errors.New("give at least one number, such as +44 7400 123593"))
	}
	phones, err := phone.NewNormalizer(region)
	if err != nil {
		return nil, InputError(fmt.Errorf("--region: %w", err))
	}
	out := make([]string, 0, len(numbers))
	for _, raw := range numbers {
		n, p := phones.Normalize(raw)
		if p != nil {
			return nil, InputError(errors.New(p.Reason))
		}
		out = append(out, n)
	}
	return out, nil
}

// withStore opens the store at statePath (creating it), runs fn and closes it.
func withStore(statePath string, fn func(*store.Store) (int, error)) (int, error) {
	st, err := store.Open(statePath)
	if err != nil {
		return 0, InputError(err)
	}
	defer st.Close()
	return fn(st)
}
