package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/check"
	"herald/campaign/guards"
	"herald/campaign/phone"
	"herald/campaign/status"
	"herald/campaign/template"
	"herald/ui/common"
)

// previewRowLimit bounds the rows kept for the preview table: files can have millions of rows, so only the
// first ones are kept, with the counts of all.
const previewRowLimit = 5000

// previewColumns is the most variable columns the preview table shows.
const previewColumns = 3

// inputInfo is what the setup shows about a plan once its files are open: the detected phone column, the
// template's variables and the campaign it makes.
type inputInfo struct {
	// plan is the plan with its defaults filled (campaign name, results path, state path).
	plan     campaign.Plan
	template string
	language string
	// tpl is the template as read, for asking the provider about its review.
	tpl         *template.Template
	phoneColumn string
	// header is every column of the CSV, for choosing another phone column.
	header    []string
	variables []template.Variable
	// columns are the variable columns the preview table shows, and their cells in a row.
	columns []string
	cells   []int
	// prior is the campaign already in the store under this name, nil when there is none.
	prior *campaign.Prior
	// outAbs is the results CSV's path, absolute; opened is when the files were opened.
	outAbs string
	opened time.Time
}

// previewRow is one checked row as the preview shows it.
type previewRow struct {
	num int
	// number is the normalized number; phone the cell as written (for rows whose number does not parse).
	number  string
	phone   string
	status  string
	problem string
	values  []string
	message template.Rendered
	// notBefore is when a deferred row may go; zero for other rows.
	notBefore time.Time
}

// checkProgress counts rows as they are checked, for the setup's streaming summary. The check writes it
// from its goroutine; the view reads it.
type checkProgress struct {
	rows, ready, invalid, duplicate atomic.Int64
}

// add counts one checked row.
func (p *checkProgress) add(st string) {
	p.rows.Add(1)
	switch st {
	case status.Ready:
		p.ready.Add(1)
	case status.Invalid:
		p.invalid.Add(1)
	case status.Duplicate:
		p.duplicate.Add(1)
	}
}

// checkResult is a whole file checked: the first rows for the table and the summary of all.
type checkResult struct {
	rows    []previewRow
	summary check.Summary
	// regions are the countries of the ready numbers, the most common first; national counts the invalid
	// numbers written without a country code (a leading 0); localRegion is the computer's region (from its
	// language setting), offered when no number has a country code.
	regions     []phone.RegionCount
	national    int
	localRegion string
	// stored is set when the rows' statuses come from the campaign's record (a campaign sent before from the
	// same files): then counts are the record's rows per status.
	stored bool
	counts map[string]int
	// forecast is when the rows to send go and what they cost (Cost nil without a price table).
	forecast *campaign.Forecast
}

// statusCounts are the rows per status the preview shows: the record's for a campaign sent before, else the
// check's.
func (r checkResult) statusCounts() map[string]int {
	if r.stored {
		return r.counts
	}
	return r.summary.Counts
}

// openedMsg reports the plan's files opened (or why they could not be).
type openedMsg struct {
	gen  int
	in   *campaign.Input
	info inputInfo
	err  error
}

// checkedMsg reports the file checked.
type checkedMsg struct {
	gen    int
	result checkResult
	err    error
}

// openCmd opens the plan's CSV and template and looks the campaign up in the state store; abs makes the
// results path absolute for display.
func openCmd(gen int, plan campaign.Plan, clock guards.Clock, abs func(string) string) tea.Cmd {
	return func() tea.Msg {
		in, err := openInput(plan, clock)
		if err != nil {
			return openedMsg{gen: gen, err: err}
		}
		info := describeInput(in)
		info.outAbs, info.opened = abs(in.Plan.OutPath), clock.Now()
		if info.prior, err = campaign.FindPrior(in.Plan); err != nil {
			in.Close()
			return openedMsg{gen: gen, err: err}
		}
		return openedMsg{gen: gen, in: in, info: info}
	}
}

// openInput opens the plan's files (campaign.Open), the guards going by clock.
func openInput(plan campaign.Plan, clock guards.Clock) (*campaign.Input, error) {
	in, err := campaign.Open(plan)
	if err != nil {
		return nil, err
	}
	in.Clock = clock
	return in, nil
}

// describeInput collects what the setup and the preview show about an opened input.
func describeInput(in *campaign.Input) inputInfo {
	header := in.Recipients.Header()
	phone := in.Recipients.PhoneIndex()
	info := inputInfo{plan: in.Plan, template: in.Template.Name, language: in.Template.Language, tpl: in.Template,
		phoneColumn: strings.TrimSpace(header[phone]), header: header, variables: in.Template.Variables()}
	if in.Template.IsSession() {
		info.language = "session " + string(in.Template.SessionKind()) + " message"
	}
	for _, col := range in.Binding.Columns() {
		for i, h := range header {
			if i != phone && strings.TrimSpace(h) == col && len(info.columns) < previewColumns {
				info.columns, info.cells = append(info.columns, col), append(info.cells, i)
				break
			}
		}
	}
	return info
}

// checkCmd checks every row of in, counting them into progress, keeps the first previewRowLimit rows, tallies
// the numbers' countries and closes in. For a campaign sent before from the same files, the kept rows take
// their statuses from its record.
func checkCmd(ctx context.Context, gen int, in *campaign.Input, info inputInfo, progress *checkProgress) tea.Cmd {
	return func() tea.Msg {
		defer in.Close()
		if err := in.LoadHistory(); err != nil {
			return checkedMsg{gen: gen, err: err}
		}
		var rows []previewRow
		var regions phone.RegionTally
		res := checkResult{forecast: in.Forecast()}
		phoneIndex := in.Recipients.PhoneIndex()
		sum, err := in.Checker().Run(ctx, func(r *check.Row) error {
			progress.add(r.Status)
			res.forecast.Add(r)
			switch {
			case r.Number != "":
				regions.Add(r.Number)
			case r.Problem != nil && r.Problem.Code == status.CodeBadNumber && phoneIndex < len(r.Fields) &&
				national(r.Fields[phoneIndex]):
				res.national++
			}
			if len(rows) < previewRowLimit {
				if r.Status == status.Suppressed && r.Rendered.Body == "" { // an opted-out number: still show its message
					r.Rendered, _ = in.Binding.Render(r.Fields)
				}
				rows = append(rows, newPreviewRow(r, phoneIndex, info.cells))
			}
			return nil
		})
		if err != nil {
			return checkedMsg{gen: gen, err: fmt.Errorf("check %s: %w", in.Plan.CSVPath, err)}
		}
		res.rows, res.summary, res.regions, res.localRegion = rows, sum, regions.Top(), localRegion(os.Getenv)
		if p := info.prior; p != nil && p.SameInput {
			if err := overlayRecord(&res, info); err != nil {
				return checkedMsg{gen: gen, err: err}
			}
		}
		return checkedMsg{gen: gen, result: res}
	}
}

// overlayRecord gives the kept rows the statuses the campaign's record has for them (sent, failed, ...).
func overlayRecord(res *checkResult, info inputInfo) error {
	stored, err := campaign.CampaignRows(info.plan.StatePath, info.plan.Campaign, 0, previewRowLimit)
	if err != nil {
		return err
	}
	byRow := make(map[int]int, len(stored))
	for i, r := range stored {
		byRow[r.Row] = i
	}
	for i := range res.rows {
		pr := &res.rows[i]
		j, ok := byRow[pr.num]
		if !ok {
			continue
		}
		r := stored[j]
		pr.status, pr.problem, pr.notBefore = r.Status, r.Error, r.NotBefore
		if r.Status == status.InFlight {
			pr.status = status.Unknown
		}
	}
	res.stored, res.counts = true, info.prior.Info.Counts
	return nil
}

// national reports whether a phone cell is written without a country code: a leading 0 (the trunk prefix of
// most countries) that is not 00 (the international prefix).
func national(cell string) bool {
	s := strings.TrimLeft(strings.TrimSpace(cell), "(")
	return strings.HasPrefix(s, "0") && !strings.HasPrefix(s, "00")
}

// localRegion is the country of the computer's language setting (LC_ALL, LC_MESSAGES, LANG: en_GB.UTF-8 is
// GB), "" when none names a known one.
func localRegion(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		_, region, ok := strings.Cut(v, "_")
		if region = strings.ToUpper(region); ok && phone.CallingCode(region) != "" {
			return region
		}
		return ""
	}
	return ""
}

// newPreviewRow copies what the preview needs from a checked row (the checker reuses the row afterwards).
func newPreviewRow(r *check.Row, phone int, cells []int) previewRow {
	pr := previewRow{num: r.Num, number: r.Number, status: r.Status, message: r.Rendered, notBefore: r.NotBefore}
	if phone < len(r.Fields) {
		pr.phone = r.Fields[phone]
	}
	if r.Problem != nil {
		pr.problem = r.Problem.Reason
	}
	pr.values = make([]string, len(cells))
	for i, c := range cells {
		if c < len(r.Fields) {
			pr.values[i] = common.OneLine(r.Fields[c])
		}
	}
	return pr
}

// closeInputCmd closes an input nobody needs any more (the user chose other files while it was opening).
func closeInputCmd(in *campaign.Input) tea.Cmd {
	return func() tea.Msg {
		in.Close()
		return nil
	}
}
