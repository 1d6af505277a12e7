package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"herald/campaign/check"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/campaign/template"
	"herald/ui/common"
)

// maxVariableLines bounds the variables listed on the setup screen.
const maxVariableLines = 6

// View implements tea.Model.
func (s *setupPane) View() string {
	if s.picker != nil {
		return s.pickerView()
	}
	st := s.Styles
	lines := []string{
		s.fieldRow(fieldCSV, "Recipients", common.OrText(common.FitPath(s.plan.CSVPath, s.ValueWidth()), "none: press c to choose a .csv file")),
		s.fieldRow(fieldTemplate, "Template", s.templateText()),
		s.fieldRow(fieldProfile, "Profile", s.profileText()),
		s.fieldRow(fieldPhone, "Phone", s.phoneText()),
		s.fieldRow(fieldRegion, "Region", s.regionText()),
		s.fieldRow(fieldCampaign, "Campaign", s.campaignFieldText()),
		s.fieldRow(fieldWindow, "Send window", s.windowText()),
		s.fieldRow(fieldCap, "Frequency cap", s.capText()),
		s.fieldRow(fieldPrices, "Prices", s.pricesText()),
		s.fieldRow(fieldResend, "Resend", s.resendText()),
	}
	if s.inputErr != "" {
		lines = append(lines, s.FormRow("", st.Error.Render(s.inputErr)))
	}
	if s.profileErr != nil {
		lines = append(lines, s.FormRow("", st.Error.Render(s.profileErr.Error())))
	}
	lines = append(lines, "")
	switch {
	case s.err != nil:
		lines = append(lines, s.FormRow("Problem", st.Error.Render(fieldWords.Replace(s.err.Error()))),
			s.FormRow("", st.Muted.Render("Fix the file, or press c on its field to choose another.")))
	case s.opening:
		lines = append(lines, s.FormRow("Files", s.spinner.View()+" opening…"))
	case s.info != nil:
		lines = append(lines, s.infoLines(s.Height-len(lines))...)
	}
	return strings.Join(lines, "\n")
}

// fieldWords names, in an error, the setup's field where the message names its flag (the price table's reader
// speaks of --prices).
var fieldWords = strings.NewReplacer("--prices ", "the price table ")

// infoLines are what herald found in the files, fitted to room lines. The closing hint gives way first, then
// the rows under the check take one line each; the problems wrap when there is room, else take one line
// each; then the variables and the problems give way.
func (s *setupPane) infoLines(room int) []string {
	st := s.Styles
	info := s.info
	tail := s.tailRows(true)
	if s.ready() {
		tail = append(tail, "", s.Paragraph(st.Muted, "Enter shows each message as the recipient will see it."))
	}
	head := lipgloss.Height(s.checkHead())
	// the variables at their fewest (one line), the blank line, the check's head, the tail
	if 1+1+head+lipgloss.Height(strings.Join(tail, "\n")) > room {
		tail = s.tailRows(false)
	}
	fixed := 1 + head + lipgloss.Height(strings.Join(tail, "\n"))
	vars, problems := variableLines(info.variables), s.problemLines(false)
	// Each problem, in order, wraps in full while the rest still fit on one line each.
	used := len(vars) + len(problems) + fixed
	for i, p := range s.problemLines(true) {
		if extra := lipgloss.Height(p) - 1; used+extra <= room {
			problems[i], used = p, used+extra
		}
	}
	height := func() int {
		if len(problems) == 0 {
			return 0
		}
		return lipgloss.Height(strings.Join(problems, "\n"))
	}
	for len(vars)+height()+fixed > room && (len(vars) > 1 || len(problems) > 0) {
		if len(problems) > 0 && len(problems) >= len(vars)-1 {
			problems = problems[:len(problems)-1]
		} else {
			vars = vars[:len(vars)-1]
		}
	}
	if all := variableLines(info.variables); len(vars) < len(all) {
		vars = append(vars[:max(len(vars)-1, 0)], fmt.Sprintf("… and %d more (the preview shows them filled)", len(all)-max(len(vars)-1, 0)))
	}
	check := append([]string{s.checkHead()}, problems...)
	lines := []string{s.FormRow("Variables", strings.Join(vars, "\n")), "", s.FormRow("Check", strings.Join(check, "\n"))}
	return append(lines, tail...)
}

// tailRows are the rows under the check: the template's review at the provider, when the rows go, what they
// cost, the campaign's last run and the results CSV; wrapped, or one line each (shortened by words).
func (s *setupPane) tailRows(wrap bool) []string {
	st := s.Styles
	var rows []string
	add := func(label string, style lipgloss.Style, text string) {
		if text == "" {
			return
		}
		if !wrap {
			text = common.FitWords(text, s.ValueWidth())
		}
		rows = append(rows, s.FormRow(label, style.Render(text)))
	}
	if line, sendable := s.approval.line(); line != "" {
		style := st.OK
		switch {
		case !sendable:
			style = st.Error
		case s.approval.err != nil:
			style = st.Warn
		}
		add("Approval", style, line)
	}
	if r := s.result; r != nil && r.forecast != nil && !s.checking {
		if sched := r.forecast.Schedule; sched.Waiting() > 0 {
			add("When", lipgloss.NewStyle(), sched.String())
		}
		if r.forecast.Cost != nil {
			add("Cost", lipgloss.NewStyle(), r.forecast.Cost.String())
		}
	}
	add("Last run", lipgloss.NewStyle(), s.lastRunText())
	return append(rows, s.FormRow("Results", common.FitPath(s.info.outAbs, s.ValueWidth())))
}

// fieldRow is one field of the form, marked when it has the focus; the field being edited shows its input.
func (s *setupPane) fieldRow(f setupField, label, value string) string {
	marker, style := "  ", s.Styles.Label
	if f == s.focus {
		marker, style = s.Styles.Focused.Render("›")+" ", s.Styles.Focused
	}
	if s.input != nil && s.editing == f {
		hint := " enter applies, esc cancels"
		switch f {
		case fieldRegion:
			hint = " two letters, e.g. GB · enter applies, esc cancels"
		case fieldWindow:
			hint = " e.g. 09:00-20:00; empty: none"
		case fieldCap:
			hint = " e.g. 72h; 0: none; empty: the profile's"
		}
		value = s.Styles.Input.Render("[") + s.input.View() + s.Styles.Input.Render("]") + s.Styles.Muted.Render(hint)
	}
	return marker + style.Width(common.LabelWidth).Render(label) + common.FitWords(value, s.ValueWidth())
}

// variableLines lists each variable once with the column that fills it and where it appears.
func variableLines(vars []template.Variable) []string {
	type use struct {
		v     template.Variable
		parts []string
	}
	var uses []*use
	for _, v := range vars {
		i := slices.IndexFunc(uses, func(u *use) bool {
			return u.v.Ref == v.Ref && u.v.Column == v.Column && u.v.Fallback == v.Fallback
		})
		if i < 0 {
			uses = append(uses, &use{v: v})
			i = len(uses) - 1
		}
		if !slices.Contains(uses[i].parts, v.Part) {
			uses[i].parts = append(uses[i].parts, v.Part)
		}
	}
	if len(uses) == 0 {
		return []string{"none: the template is fixed text"}
	}
	refs := make([]string, len(uses))
	width := 0
	for i, u := range uses {
		refs[i] = "{{" + u.v.Ref + "}}"
		if u.v.HasFallback {
			refs[i] = "{{" + u.v.Ref + "|" + u.v.Fallback + "}}"
		}
		width = max(width, lipgloss.Width(refs[i]))
	}
	var lines []string
	for i, u := range uses {
		if i == maxVariableLines-1 && len(uses) > maxVariableLines {
			lines = append(lines, fmt.Sprintf("… and %d more", len(uses)-i))
			break
		}
		col := "← column " + u.v.Column
		if u.v.HasFallback {
			col += fmt.Sprintf(", %q when empty", u.v.Fallback)
		}
		lines = append(lines, fmt.Sprintf("%-*s %s · %s", width, refs[i], col, strings.Join(u.parts, ", ")))
	}
	return lines
}

// checkHead is the check's summary: streaming counts while it runs, then the counts.
func (s *setupPane) checkHead() string {
	st := s.Styles
	if s.checking {
		p := s.progress
		return fmt.Sprintf("%s checking… %s so far: ready %s · invalid %s · duplicate %s", s.spinner.View(),
			human.Plural(p.rows.Load(), "row"), human.Thousands(p.ready.Load()), human.Thousands(p.invalid.Load()),
			human.Thousands(p.duplicate.Load()))
	}
	if s.result == nil {
		return ""
	}
	sum := s.result.summary
	head := human.Plural(sum.Rows, "row") + ": " + common.CountsLine(sum.Counts)
	if p := s.info.prior; p != nil && p.SameInput {
		head += st.Muted.Render(" (the file as it is; Last run says what was sent)")
	}
	if sum.Counts[status.Ready]+sum.Counts[status.Deferred] == 0 {
		head += "\n" + st.Warn.Render("No row can be sent: fix the CSV or the template.")
	}
	return head
}

// problemLines are the kinds of problem the check found, wrapped (or, without wrap, one line each, shortened
// by words); first, when numbers lack their country code and no region is set, how to set it (wrapped always).
func (s *setupPane) problemLines(wrap bool) []string {
	st := s.Styles
	if s.result == nil || s.checking {
		return nil
	}
	width := s.ValueWidth()
	fit := func(text string) string {
		if wrap {
			return lipgloss.NewStyle().Width(width).Render(text)
		}
		return common.FitWords(text, width)
	}
	var lines []string
	if n := s.result.national; n > 0 && s.plan.Region == "" {
		fix := "set their country: c on the Region field"
		if r := s.suggestedRegion(); r != "" {
			fix = "c on the Region field reads them as " + r + " numbers"
		}
		have := " numbers have"
		if n == 1 {
			have = " number has"
		}
		// always in full: it says how to make these rows sendable
		lines = append(lines, st.Warn.Width(width).Render(human.Thousands(n)+have+" no country code: "+fix+"."))
	}
	// What makes rows invalid first: the rows the guards hold back are counted on the When line too.
	problems := slices.Clone(s.result.summary.Problems)
	slices.SortStableFunc(problems, func(a, b check.ProblemCount) int {
		return cmp.Compare(guardCodes[a.Code], guardCodes[b.Code])
	})
	for _, p := range problems {
		lines = append(lines, st.Muted.Render(fit(fmt.Sprintf("%s ×%s: %s", p.Code, human.Thousands(p.Count),
			common.OneLine(p.Reason)))))
	}
	return lines
}

// guardCodes are the codes of rows the guards of the sender's number hold back (deferred or suppressed).
var guardCodes = map[string]int{status.CodeSendWindow: 1, status.CodeMessagingLimit: 1, status.CodeFrequencyCap: 1,
	status.CodeOptedOut: 1}

// lastRunText says what happened to the campaign before, if it is in the store, and what sending does now.
func (s *setupPane) lastRunText() string {
	prior := s.info.prior
	if prior == nil {
		return ""
	}
	counts := common.CountsLine(prior.Info.Counts)
	resend := s.plan.RetryFailed || s.plan.ResendUnknown
	left := prior.Info.Counts[status.Ready] + prior.Info.Counts[status.Deferred]
	switch {
	case !prior.SameInput:
		return fmt.Sprintf("run before with another CSV or template (%s): sending checks the rows again and skips numbers already messaged.", counts)
	case prior.Info.Status == status.Interrupted:
		return fmt.Sprintf("interrupted: herald stopped before it finished (%s). Sending continues it; nobody is messaged twice.%s",
			counts, s.deferredNote())
	case left == 0 && !resend && len(s.resendChoices()) > 1:
		return fmt.Sprintf("%s: %s. Nothing is left to send: choose what to resend, or rename the campaign to send these files again.",
			prior.Info.Status, counts)
	case left == 0 && !resend:
		return fmt.Sprintf("%s: %s. Nothing is left to send: rename the campaign to send these files again.",
			prior.Info.Status, counts)
	case left == 0:
		return fmt.Sprintf("%s: %s. Sending sends what Resend says.", prior.Info.Status, counts)
	}
	return fmt.Sprintf("%s: %s. Sending continues it; nobody is messaged twice.%s", prior.Info.Status, counts, s.deferredNote())
}

// deferredNote warns, when the campaign's record has deferred rows and no send window is set, that those
// deferred for their window would go at once: the store does not keep a run's window.
func (s *setupPane) deferredNote() string {
	n := s.info.prior.Info.Counts[status.Deferred]
	if n == 0 || s.plan.SendWindow != "" {
		return ""
	}
	return fmt.Sprintf(" %s waited for their time: set the Send window again, or those held for it go at once.",
		human.Plural(n, "row"))
}

// pickerView is the file picker with what it is choosing.
func (s *setupPane) pickerView() string {
	st := s.Styles
	what := "Choose the recipients CSV · .csv files (herald's results files are left out)"
	switch s.pickFor {
	case fieldTemplate:
		what = "Choose the template · .yaml and .yml files"
	case fieldPrices:
		what = "Choose the price table · .csv files with country, category, price, currency"
	}
	lines := []string{
		"  " + st.Heading.Render(common.FitWords(what, s.Width-2)),
		"  " + st.Muted.Render(common.FitPath(s.picker.Dir(), s.Width-4)),
		"",
		s.picker.View(),
	}
	return strings.Join(lines, "\n")
}
