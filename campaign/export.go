package campaign

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"herald/campaign/results"
	"herald/campaign/status"
	"herald/campaign/store"
)

// ExportResults writes the results CSV of a campaign from the store: the input columns, then the result_*
// columns, in row order, with what the providers' callbacks said about each message (callbacks kept aside
// because they came before the send's outcome was committed are applied first). Rows still waiting are
// "pending". Rows that an earlier version of the campaign's CSV messaged follow, their cells placed under the
// current header by column name and marked earlier_csv, so a changed CSV never hides who was already messaged.
func ExportResults(st *store.Store, info store.CampaignInfo, path string) error {
	if err := st.Reconcile(info.Created); err != nil {
		return err
	}
	deliveries, err := st.Deliveries(info.ID)
	if err != nil {
		return err
	}
	defer deliveries.Close()
	w, err := results.Create(path, info.Header, info.Separator)
	if err != nil {
		return err
	}
	err = st.EachRow(info.ID, func(r store.Row) error {
		return w.Write(r.Fields, resultOfRow(r, deliveries.For(r.Row, r.MessageID)))
	})
	if err == nil {
		err = deliveries.Close()
	}
	if err == nil {
		err = exportEarlier(st, info, w)
	}
	if err != nil {
		w.Abort()
		return fmt.Errorf("export campaign %s: %w", info.Name, err)
	}
	return w.Close()
}

// resultOfRow is a stored row's result line, with what the callbacks said about its message.
func resultOfRow(r store.Row, d store.Delivery) results.Result {
	res := results.Result{Number: r.Number, Status: r.Status, MessageID: r.MessageID, Code: r.Code, Error: r.Error,
		Attempts: r.Attempts, At: r.Updated, Delivery: d.State, DeliveryCode: d.Code, Delivered: d.Delivered,
		Read: d.Read, Replied: d.Replied, Reply: d.Reply}
	switch r.Status {
	case status.Ready:
		res.Status, res.At = status.Pending, time.Time{}
	case status.InFlight:
		res.Status = status.Unknown
	}
	return res
}

// CodeEarlierCSV marks, in the results CSV, a row an earlier version of the campaign's CSV messaged.
const CodeEarlierCSV = "earlier_csv"

// exportEarlier writes the rows the campaign's earlier CSVs messaged, each cell under the current header's
// column of the same name (a column the current CSV lacks is left out).
func exportEarlier(st *store.Store, info store.CampaignInfo, w *results.Writer) error {
	earlier, err := st.Earlier(info.ID)
	if err != nil {
		return err
	}
	for i, e := range earlier {
		place := columnPlaces(e.Header, info.Header)
		fields := make([]string, len(info.Header))
		deliveries, err := st.Deliveries(e.ID)
		if err != nil {
			return err
		}
		err = st.EachEarlierRow(e, func(r store.Row) error {
			clear(fields)
			for from, to := range place {
				if to >= 0 && from < len(r.Fields) {
					fields[to] = r.Fields[from]
				}
			}
			res := resultOfRow(r, deliveries.For(r.Row, r.MessageID))
			what := "sent"
			if res.Status != status.Sent {
				what = "possibly sent (" + res.Status + ")"
			}
			res.Code = CodeEarlierCSV
			res.Error = fmt.Sprintf("%s from an earlier version of the CSV (version %d, its row %d); not sent again", what, i+1, r.Row)
			return w.Write(fields, res)
		})
		if cerr := deliveries.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// columnPlaces maps each column of from to the index of the column of the same name (spaces trimmed) in to, or -1.
func columnPlaces(from, to []string) []int {
	index := map[string]int{}
	for i, h := range to {
		if _, dup := index[strings.TrimSpace(h)]; !dup {
			index[strings.TrimSpace(h)] = i
		}
	}
	place := make([]int, len(from))
	for i, h := range from {
		j, ok := index[strings.TrimSpace(h)]
		if !ok {
			j = -1
		}
		place[i] = j
	}
	return place
}

// OpenExistingStore opens the state store at path only if it exists, so that reading commands (export,
// campaigns, the setup's look-up) never create one.
func OpenExistingStore(path string) (*store.Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, InputError(fmt.Errorf("no state store at %s: no campaign has been sent with it yet (pass --state FILE if it is elsewhere)", path))
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, InputError(err)
	}
	return st, nil
}

// Prior is a campaign already in the state store under a plan's name.
type Prior struct {
	// Info is the campaign with its rows per status; its Status is status.Interrupted when a run was cut short
	// without recording its end.
	Info store.CampaignInfo
	// SameInput is set when the CSV, the template and the reading options are unchanged since it was checked:
	// a run resumes it as it is.
	SameInput bool
	// Retryable counts the failed rows that Plan.RetryFailed would send again (failed for a passing reason).
	Retryable int
}

// FindPrior looks the opened plan's campaign up in the state store, without creating the store when it is not
// there; nil when there is no such campaign.
func FindPrior(plan Plan) (*Prior, error) {
	if _, err := os.Stat(plan.StatePath); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	st, err := OpenExistingStore(plan.StatePath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	info, ok, err := st.Campaign(plan.Campaign)
	if err != nil || !ok {
		return nil, err
	}
	fp, err := Fingerprint(plan)
	if err != nil {
		return nil, InputError(err)
	}
	if err := markInterrupted(st, &info); err != nil {
		return nil, err
	}
	retryable, err := st.CountRetryable(info.ID)
	if err != nil {
		return nil, err
	}
	return &Prior{Info: info, SameInput: fp == info.Fingerprint, Retryable: retryable}, nil
}

// Export writes the results CSV of the campaign called name in the store at statePath to out (default: the
// campaign's usual results path) and returns the path written.
func Export(statePath, name, out string) (string, error) {
	if name == "" {
		return "", InputError(errors.New("pass --campaign NAME (herald campaigns lists them)"))
	}
	st, info, err := openCampaign(statePath, name)
	if err != nil {
		return "", err
	}
	defer st.Close()
	if out == "" {
		out = DefaultResultsPath(info.CSVPath, info.Name)
	}
	return out, ExportResults(st, info, out)
}

// Campaigns lists the campaigns in the store at statePath, newest first, with their rows per status. A
// campaign whose run was cut short without recording its end has the status status.Interrupted.
func Campaigns(statePath string) ([]store.CampaignInfo, error) {
	st, err := OpenExistingStore(statePath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.Reconcile(time.Time{}); err != nil { // callbacks that came before their send was recorded
		return nil, err
	}
	list, err := st.Campaigns()
	if err != nil {
		return nil, err
	}
	for i := range list {
		if err := markInterrupted(st, &list[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}
