package ui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/check"
	"herald/campaign/status"
	"herald/campaign/template"
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
	plan        campaign.Plan
	template    string
	language    string
	phoneColumn string
	// header is every column of the CSV, for choosing another phone column.
	header    []string
	variables []template.Variable
	// columns are the variable columns the preview table shows, and their cells in a row.
	columns []string
	cells   []int
	// prior is the campaign already in the store under this name, nil when there is none.
	prior *campaign.Prior
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

// openCmd opens the plan's CSV and template and looks the campaign up in the state store.
func openCmd(gen int, plan campaign.Plan) tea.Cmd {
	return func() tea.Msg {
		in, err := campaign.Open(plan)
		if err != nil {
			return openedMsg{gen: gen, err: err}
		}
		info := describeInput(in)
		if info.prior, err = campaign.FindPrior(in.Plan); err != nil {
			in.Close()
			return openedMsg{gen: gen, err: err}
		}
		return openedMsg{gen: gen, in: in, info: info}
	}
}

// describeInput collects what the setup and the preview show about an opened input.
func describeInput(in *campaign.Input) inputInfo {
	header := in.Recipients.Header()
	phone := in.Recipients.PhoneIndex()
	info := inputInfo{plan: in.Plan, template: in.Template.Name, language: in.Template.Language,
		phoneColumn: strings.TrimSpace(header[phone]), header: header, variables: in.Template.Variables()}
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

// checkCmd checks every row of in, counting them into progress, keeps the first previewRowLimit rows and
// closes in.
func checkCmd(ctx context.Context, gen int, in *campaign.Input, info inputInfo, progress *checkProgress) tea.Cmd {
	return func() tea.Msg {
		defer in.Close()
		if err := in.LoadHistory(); err != nil {
			return checkedMsg{gen: gen, err: err}
		}
		var rows []previewRow
		sum, err := in.Checker().Run(ctx, func(r *check.Row) error {
			progress.add(r.Status)
			if len(rows) < previewRowLimit {
				rows = append(rows, newPreviewRow(r, in.Recipients.PhoneIndex(), info.cells))
			}
			return nil
		})
		if err != nil {
			return checkedMsg{gen: gen, err: fmt.Errorf("check %s: %w", in.Plan.CSVPath, err)}
		}
		return checkedMsg{gen: gen, result: checkResult{rows: rows, summary: sum}}
	}
}

// newPreviewRow copies what the preview needs from a checked row (the checker reuses the row afterwards).
func newPreviewRow(r *check.Row, phone int, cells []int) previewRow {
	pr := previewRow{num: r.Num, number: r.Number, status: r.Status, message: r.Rendered}
	if phone < len(r.Fields) {
		pr.phone = r.Fields[phone]
	}
	if r.Problem != nil {
		pr.problem = r.Problem.Reason
	}
	pr.values = make([]string, len(cells))
	for i, c := range cells {
		if c < len(r.Fields) {
			pr.values[i] = oneLine(r.Fields[c])
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
