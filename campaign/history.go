package campaign

import (
	"errors"
	"fmt"
	"strings"

	"herald/campaign/status"
	"herald/campaign/store"
	"herald/campaign/template"
)

// liveStates are the campaign states a run in progress records; a campaign left in one with nobody holding it
// was interrupted.
var liveStates = map[string]bool{status.Running: true, status.Paused: true, status.Stopping: true}

// markInterrupted shows a campaign whose store says a run is live, while no herald process holds it, as
// interrupted.
func markInterrupted(st *store.Store, info *store.CampaignInfo) error {
	if !liveStates[info.Status] {
		return nil
	}
	busy, err := st.Busy(info.Name)
	if err != nil {
		return err
	}
	if !busy {
		info.Status = status.Interrupted
	}
	return nil
}

// ResumePlan is the plan that runs a stored campaign again as it was checked: its files, name and reading
// options, in the store at statePath. The profile is only named (Profile.Name): the caller resolves it from
// the config file. The results CSV takes its default path.
func ResumePlan(statePath string, info store.CampaignInfo) Plan {
	p := Plan{CSVPath: info.CSVPath, TemplatePath: info.TemplatePath, Campaign: info.Name, Region: info.Region,
		PhoneColumn: info.PhoneColumn, StatePath: statePath}
	p.Profile.Name = info.Profile
	return p
}

// CampaignRows returns up to limit rows of the campaign called name in the store at statePath, after row
// afterRow, in row order, with one of statuses (every row when none is given).
func CampaignRows(statePath, name string, afterRow, limit int, statuses ...string) ([]store.Row, error) {
	st, info, err := openCampaign(statePath, name)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Rows(info.ID, afterRow, limit, statuses...)
}

// RowDetail is one row of a campaign in full, as a screen shows it when the user opens it.
type RowDetail struct {
	store.Row
	// Campaign is the campaign's name; Header its CSV's columns, matching Row.Fields.
	Campaign string
	Header   []string
	// Message is the row's message as the recipient reads it (RenderText); MessageProblem says why it could not
	// be rendered (the template file changed or is gone, or the row is invalid).
	Message        string
	MessageProblem string
}

// LoadRow reads row number row of the campaign called name in the store at statePath and renders its message
// with the campaign's template file.
func LoadRow(statePath, name string, row int) (RowDetail, error) {
	st, info, err := openCampaign(statePath, name)
	if err != nil {
		return RowDetail{}, err
	}
	defer st.Close()
	r, ok, err := st.Row(info.ID, row)
	if err != nil {
		return RowDetail{}, err
	}
	if !ok {
		return RowDetail{}, fmt.Errorf("campaign %s has no row %d", name, row)
	}
	d := RowDetail{Row: r, Campaign: info.Name, Header: info.Header}
	d.Message, d.MessageProblem = renderStored(info, r.Fields)
	return d, nil
}

// renderStored renders a stored row with the campaign's template file, or says why it cannot.
func renderStored(info store.CampaignInfo, fields []string) (string, string) {
	tpl, err := template.Load(info.TemplatePath)
	if err != nil {
		return "", "the template file cannot be read now: " + err.Error()
	}
	b, err := tpl.Bind(info.Header)
	if err != nil {
		return "", "the template no longer fits the CSV: " + err.Error()
	}
	rendered, problem := b.Render(fields)
	if problem != nil {
		return "", problem.Reason
	}
	return strings.TrimRight(RenderText(rendered), "\n"), ""
}

// openCampaign opens the existing store at statePath and finds the campaign called name in it.
func openCampaign(statePath, name string) (*store.Store, store.CampaignInfo, error) {
	st, err := OpenExistingStore(statePath)
	if err != nil {
		return nil, store.CampaignInfo{}, err
	}
	info, ok, err := st.Campaign(name)
	if err == nil && !ok {
		err = InputError(fmt.Errorf("no campaign %q in %s: herald campaigns lists the campaigns there", name, statePath))
	}
	if err != nil {
		return nil, store.CampaignInfo{}, errors.Join(err, st.Close())
	}
	return st, info, nil
}
