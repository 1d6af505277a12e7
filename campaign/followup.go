package campaign

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"herald/campaign/store"
)

// Following up the people who replied: a campaign's repliers (the rows whose message got a reply) become the
// recipients of another campaign, usually with a session message (kind: session), which WhatsApp lets a business
// send within 24 hours of a person's last message. The repliers are written as a recipients CSV, the campaign's
// header and each replier's own cells, so the follow-up is an ordinary campaign: checked, previewed, resumable,
// and run again later to reach the people who replied since (those already messaged are skipped).

// Replier is one row of a campaign whose message got a reply.
type Replier struct {
	// Number is the row's normalized number; Fields its cells under the campaign's current header.
	Number string
	Fields []string
	// Reply is the first reply (text, or the button tapped) and Replied its time.
	Reply   string
	Replied time.Time
}

// Repliers calls fn with each row of the campaign info whose message got a reply, in row order, then with the
// repliers among the rows an earlier version of its CSV messaged, each number once. fn's error stops it and is
// returned unchanged.
func Repliers(st *store.Store, info store.CampaignInfo, fn func(Replier) error) error {
	if err := st.Reconcile(info.Created); err != nil {
		return err
	}
	seen := map[string]bool{}
	each := func(id int64, place []int, rows func(func(store.Row) error) error) error {
		deliveries, err := st.Deliveries(id)
		if err != nil {
			return err
		}
		err = rows(func(r store.Row) error {
			d := deliveries.For(r.Row, r.MessageID)
			if d.Replied.IsZero() || seen[r.Number] {
				return nil
			}
			seen[r.Number] = true
			fields := r.Fields
			if place != nil {
				fields = make([]string, len(info.Header))
				for from, to := range place {
					if to >= 0 && from < len(r.Fields) {
						fields[to] = r.Fields[from]
					}
				}
			}
			return fn(Replier{Number: r.Number, Fields: fields, Reply: d.Reply, Replied: d.Replied})
		})
		return errors.Join(err, deliveries.Close())
	}
	if err := each(info.ID, nil, func(f func(store.Row) error) error { return st.EachRow(info.ID, f) }); err != nil {
		return err
	}
	earlier, err := st.Earlier(info.ID)
	if err != nil {
		return err
	}
	for _, e := range earlier {
		place := columnPlaces(e.Header, info.Header)
		if err := each(e.ID, place, func(f func(store.Row) error) error { return st.EachEarlierRow(e, f) }); err != nil {
			return err
		}
	}
	return nil
}

// FollowUp is a follow-up's recipients file, written from the campaign it follows up.
type FollowUp struct {
	// Of is the campaign followed up, as the store holds it (its profile, reading options, ...).
	Of store.CampaignInfo
	// CSVPath is the repliers CSV written; Repliers counts its rows.
	CSVPath  string
	Repliers int
}

// WriteFollowUp writes the repliers of the campaign called name, in the state store at statePath, as a
// recipients CSV named <name>-repliers.csv beside the campaign's CSV (in the current folder when that folder is
// gone): its header and each replier's cells, with a UTF-8 byte order mark for spreadsheets. It writes the file
// again on every call, with whoever has replied by then. A campaign nobody replied to is an input error.
func WriteFollowUp(statePath, name string) (FollowUp, error) {
	st, info, err := openCampaign(statePath, name)
	if err != nil {
		return FollowUp{}, err
	}
	defer st.Close()
	dir := filepath.Dir(info.CSVPath)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		dir = "."
	}
	fu := FollowUp{Of: info, CSVPath: filepath.Join(dir, FileName(name+"-repliers")+".csv")}
	tmp, err := os.CreateTemp(dir, ".repliers-*.csv")
	if err != nil {
		return fu, InputError(fmt.Errorf("writing the repliers of campaign %s beside its CSV: %w", name, err))
	}
	defer os.Remove(tmp.Name()) // once renamed, this removes nothing
	w := csv.NewWriter(tmp)
	w.Comma = info.Separator
	_, err = tmp.WriteString("\ufeff")
	if err == nil {
		err = w.Write(info.Header)
	}
	if err == nil {
		err = Repliers(st, info, func(r Replier) error {
			fu.Repliers++
			return w.Write(r.Fields)
		})
	}
	if w.Flush(); err == nil {
		err = w.Error()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fu, fmt.Errorf("writing the repliers of campaign %s to %s: %w", name, fu.CSVPath, err)
	}
	if fu.Repliers == 0 {
		f, _ := st.Funnel(info.ID)
		return fu, InputError(fmt.Errorf("nobody has replied to campaign %s yet (%d messages sent): there is nobody to "+
			"follow up; replies arrive through herald listen (or --listen during the send), and herald campaigns shows "+
			"how many came", name, f.Sent))
	}
	if err := os.Rename(tmp.Name(), fu.CSVPath); err != nil {
		return fu, fmt.Errorf("writing the repliers of campaign %s to %s: %w", name, fu.CSVPath, err)
	}
	return fu, nil
}

// Plan fills plan for the follow-up: the repliers CSV as its recipients, read with the campaign's phone column
// and region unless the plan names its own, in the same state store. The template (a session message, most
// often) and the profile are the caller's: the campaign's profile (FollowUp.Of.Profile) is the one whose
// replies opened the 24-hour windows.
func (fu FollowUp) Plan(plan Plan) Plan {
	plan.CSVPath, plan.FollowUp = fu.CSVPath, fu.Of.Name
	if plan.PhoneColumn == "" {
		plan.PhoneColumn = fu.Of.PhoneColumn
	}
	if plan.Region == "" {
		plan.Region = fu.Of.Region
	}
	return plan
}
