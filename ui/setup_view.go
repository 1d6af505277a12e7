package ui

import (
	"fmt"
	"herald/campaign/config"
	"herald/campaign/human"
	"herald/campaign/status"
	"herald/campaign/template"
	"herald/ui/common"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
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
	}
	if s.profileErr != nil {
		lines = append(lines, s.FormRow("", st.Error.Render(s.profileErr.Error())))
	}
	lines = append(lines, "")
	switch {
	case s.err != nil:
		lines = append(lines, s.FormRow("Problem", st.Error.Render(s.err.Error())),
			s.FormRow("", st.Muted.Render("Fix the file, or press c on its field to choose another.")))
	case s.opening:
		lines = append(lines, s.FormRow("Files", s.spinner.View()+" opening…"))
	case s.info != nil:
		info := s.info
		lines = append(lines,
			s.FormRow("Variables", strings.Join(variableLines(info.variables), "\n")),
			"",
			s.FormRow("Check", s.checkText()),
			s.FormRow("Campaign", s.campaignText()),
			s.FormRow("Results", common.FitPath(info.plan.OutPath, s.ValueWidth())))
		if s.ready() {
			lines = append(lines, "", s.Paragraph(st.Muted, "Enter shows each message as the recipient will see it."))
		}
	}
	return strings.Join(lines, "\n")
}

// phoneText is the phone column: the one found or chosen, or how to choose one when none was found.
func (s *setupPane) phoneText() string {
	switch {
	case s.info != nil && s.plan.PhoneColumn == "":
		return "column " + s.info.phoneColumn + s.Styles.Muted.Render(" (found by its name; c picks another)")
	case s.info != nil:
		return "column " + s.info.phoneColumn
	case len(s.columns) > 0:
		return s.Styles.Muted.Render(fmt.Sprintf("none found: press c to pick one of the %d columns", len(s.columns)))
	}
	return s.Styles.Muted.Render("-")
}

// fieldRow is one field of the form, marked when it has the focus.
func (s *setupPane) fieldRow(f setupField, label, value string) string {
	marker, style := "  ", s.Styles.Label
	if f == s.focus {
		marker, style = s.Styles.Focused.Render("›")+" ", s.Styles.Focused
	}
	return marker + style.Width(common.LabelWidth).Render(label) + common.Fit(value, s.ValueWidth())
}

// templateText is the template path and, once read, its name and language.
func (s *setupPane) templateText() string {
	if s.plan.TemplatePath == "" {
		return "none: press c to choose a .yaml file"
	}
	name := ""
	if s.info != nil {
		name = fmt.Sprintf(" · %s (%s)", s.info.template, s.info.language)
	}
	return common.FitPath(s.plan.TemplatePath, s.ValueWidth()-ansi.StringWidth(name)) + name
}

// profileText is the profile's name, what it sends to and the pace.
func (s *setupPane) profileText() string {
	p := s.plan.Profile
	name := p.Name
	if len(s.names) > 1 {
		name = "‹ " + name + " ›"
	}
	if s.profileErr != nil {
		return name
	}
	where := "provider " + p.Provider
	if p.Provider == config.SandboxProfile && p.BaseURL == "" {
		where = "built-in simulator"
	}
	pace := human.Rate(s.plan.SendRate())
	if n := s.plan.SendConcurrency(); n > 0 {
		pace += fmt.Sprintf(", %d in flight", n)
	}
	return name + " · " + where + " · " + pace
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

// checkText is the check's summary: streaming counts while it runs, then the counts and the most common
// problems.
func (s *setupPane) checkText() string {
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
	if sum.Counts[status.Ready] == 0 {
		head += "\n" + st.Warn.Render("No row can be sent: fix the CSV or the template.")
	}
	lines := []string{head}
	width := s.ValueWidth()
	// The rest of the form takes about 20 lines: list as many kinds of problem as the room allows.
	shown := min(max(s.Height-20, 2), 8)
	for i, p := range sum.Problems {
		if i == shown && len(sum.Problems) > shown {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("… and %s: see the preview", human.Plural(len(sum.Problems)-i, "more kind"))))
			break
		}
		lines = append(lines, st.Muted.Render(common.Fit(fmt.Sprintf("%s ×%s: %s", p.Code, human.Thousands(p.Count), common.OneLine(p.Reason)), width)))
	}
	return strings.Join(lines, "\n")
}

// campaignText says whether the campaign is new or already in the store, and what was done.
func (s *setupPane) campaignText() string {
	info := s.info
	prior := info.prior
	switch {
	case prior == nil:
		return info.plan.Campaign + ": new campaign"
	case prior.SameInput && prior.Info.Counts[status.Ready] == 0:
		return fmt.Sprintf("%s was run before (%s): %s. Nothing is left to send; its summary can send the failures again.",
			info.plan.Campaign, prior.Info.Status, common.CountsLine(prior.Info.Counts))
	case prior.SameInput:
		return fmt.Sprintf("%s was run before (%s): %s. Sending continues it; nobody is messaged twice.",
			info.plan.Campaign, prior.Info.Status, common.CountsLine(prior.Info.Counts))
	default:
		return fmt.Sprintf("%s was run before with another CSV or template (%s): sending checks the rows again and skips numbers already messaged.",
			info.plan.Campaign, common.CountsLine(prior.Info.Counts))
	}
}

// pickerView is the file picker with what it is choosing.
func (s *setupPane) pickerView() string {
	st := s.Styles
	what := "the recipients CSV (.csv)"
	if s.pickFor == fieldTemplate {
		what = "the template (.yaml or .yml)"
	}
	lines := []string{
		"  " + st.Heading.Render("Choose "+what),
		"  " + st.Muted.Render(common.Fit("in "+s.picker.CurrentDirectory, s.Width-4)),
	}
	if s.pickErr != "" {
		lines = append(lines, "  "+st.Error.Render(s.pickErr))
	} else {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, s.picker.View()), "\n")
}
