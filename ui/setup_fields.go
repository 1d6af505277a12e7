package ui

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign/guards"
	"herald/campaign/human"
	"herald/campaign/phone"
	"herald/campaign/status"
	"herald/providers"
)

// change acts on the focused field: choose a file, the next profile, column or resend choice, or edit the
// region, the campaign's name, the send window or the frequency cap.
func (s *setupPane) change() tea.Cmd {
	switch s.focus {
	case fieldCSV, fieldTemplate, fieldPrices:
		return s.openPicker(s.focus)
	case fieldWindow:
		return s.edit(fieldWindow, s.plan.SendWindow, len("HH:MM-HH:MM")+4)
	case fieldCap:
		return s.edit(fieldCap, capInput(s.plan.FrequencyCap), 12)
	case fieldRegion:
		value := s.plan.Region
		if value == "" {
			value = s.suggestedRegion()
		}
		return s.edit(fieldRegion, value, 2)
	case fieldCampaign:
		value := s.plan.Campaign
		if value == "" && s.info != nil {
			value = s.info.plan.Campaign
		}
		return s.edit(fieldCampaign, value, 100)
	}
	return s.cycle(1)
}

// changeHelp says what c does on the focused field.
func (s *setupPane) changeHelp() string {
	switch s.focus {
	case fieldProfile:
		return "next profile"
	case fieldPhone:
		return "next column"
	case fieldRegion:
		return "set the region"
	case fieldCampaign:
		return "rename"
	case fieldWindow:
		return "set the hours"
	case fieldCap:
		return "set the cap"
	case fieldPrices:
		return "choose a price table"
	case fieldResend:
		return "next choice"
	}
	return "change file"
}

// clear empties the focused field that may be empty: the region, the campaign's name (back to the default),
// the send window, the frequency cap (back to the profile's) or the price table.
func (s *setupPane) clear() tea.Cmd {
	switch s.focus {
	case fieldRegion:
		s.plan.Region = ""
	case fieldCampaign:
		s.plan.Campaign, s.plan.OutPath = "", ""
	case fieldWindow:
		s.plan.SendWindow = ""
	case fieldCap:
		s.plan.FrequencyCap = 0
	case fieldPrices:
		s.plan.PricesPath = ""
	default:
		return nil
	}
	return s.load()
}

// clearHelp says what x does on the focused field, "" where it does nothing.
func (s *setupPane) clearHelp() string {
	switch s.focus {
	case fieldRegion:
		return "no region"
	case fieldCampaign:
		return "default name"
	case fieldWindow:
		return "no window"
	case fieldCap:
		return "profile's cap"
	case fieldPrices:
		return "no price table"
	}
	return ""
}

// capInput is the frequency cap as the field edits it: "" for the profile's, 0 for none, else 72h.
func capInput(c time.Duration) string {
	switch {
	case c > 0:
		return c.String()
	case c < 0:
		return "0"
	}
	return ""
}

// cycle takes the next (or previous) choice of the focused field: profile, phone column, region, resend.
func (s *setupPane) cycle(delta int) tea.Cmd {
	switch s.focus {
	case fieldProfile:
		if s.cycleProfile(delta) {
			return s.load()
		}
	case fieldPhone:
		return s.cyclePhone(delta)
	case fieldRegion:
		choices := append([]string{""}, s.regionChoices()...)
		s.plan.Region = choices[next(slices.Index(choices, s.plan.Region), delta, len(choices))]
		return s.load()
	case fieldResend:
		choices := s.resendChoices()
		i := slices.Index(choices, resendChoice{s.plan.RetryFailed, s.plan.ResendUnknown})
		c := choices[next(i, delta, len(choices))]
		s.plan.RetryFailed, s.plan.ResendUnknown = c.failed, c.unknown
	}
	return nil
}

// next is the index delta steps from i in a ring of n (i < 0 counts as before the first).
func next(i, delta, n int) int {
	if i < 0 && delta < 0 {
		i = 0
	}
	return ((i+delta)%n + n) % n
}

// cyclePhone takes the next (or previous) column of the CSV as the phone column and checks the file again.
func (s *setupPane) cyclePhone(delta int) tea.Cmd {
	if len(s.columns) == 0 {
		return nil
	}
	current := s.plan.PhoneColumn
	if current == "" && s.info != nil {
		current = s.info.phoneColumn
	}
	i := slices.IndexFunc(s.columns, func(c string) bool { return strings.EqualFold(strings.TrimSpace(c), current) })
	s.plan.PhoneColumn = strings.TrimSpace(s.columns[next(i, delta, len(s.columns))])
	return s.load()
}

// cycleProfile picks the next (or previous) profile of the config file, and reports whether the files are to
// be checked again with it (what the provider can carry, the opt-outs, the guards depend on the profile).
func (s *setupPane) cycleProfile(delta int) bool {
	if len(s.names) < 2 || s.profiles == nil {
		return false
	}
	name := s.names[next(slices.Index(s.names, s.plan.Profile.Name), delta, len(s.names))]
	p, err := s.profiles.Profile(name)
	s.profileErr = err
	if err != nil {
		s.plan.Profile = providers.Profile{Name: name}
		return false
	}
	s.plan.Profile = p
	return true
}

// edit opens the text field for the region or the campaign's name, holding value.
func (s *setupPane) edit(field setupField, value string, limit int) tea.Cmd {
	in := textinput.New()
	in.Prompt, in.CharLimit, in.Width = "", limit, min(limit, max(s.ValueWidth()-30, 10))
	in.SetValue(value)
	in.CursorEnd()
	in.Cursor.SetMode(cursor.CursorStatic)
	s.input, s.editing, s.inputErr = &in, field, ""
	return in.Focus()
}

// inputKey handles a key while a field is edited: enter applies the value, esc leaves it as it was.
func (s *setupPane) inputKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, s.Keys.Back):
		s.input, s.inputErr = nil, ""
		return nil
	case key.Matches(msg, s.Keys.Continue):
		return s.apply(strings.TrimSpace(s.input.Value()))
	}
	in, cmd := s.input.Update(msg)
	s.input, s.inputErr = &in, ""
	return cmd
}

// apply takes the edited value, or says why it cannot be taken and keeps the field open.
func (s *setupPane) apply(value string) tea.Cmd {
	switch s.editing {
	case fieldRegion:
		value = strings.ToUpper(value)
		if value != "" && phone.CallingCode(value) == "" {
			hint := ""
			if value == "UK" {
				hint = " (the United Kingdom is GB)"
			}
			s.inputErr = fmt.Sprintf("%q is not a country code%s: type two letters such as GB, DE or IN, or nothing for none", value, hint)
			return nil
		}
		s.plan.Region = value
	case fieldCampaign:
		if strings.ContainsAny(value, `/\`) {
			s.inputErr = "A campaign name cannot hold / or \\: it names the campaign, not a folder."
			return nil
		}
		s.plan.Campaign, s.plan.OutPath = value, ""
	case fieldWindow:
		if value == "" {
			s.plan.SendWindow = ""
			break
		}
		w, err := guards.ParseWindow(value)
		if err != nil {
			s.inputErr = settingProblem(err)
			return nil
		}
		s.plan.SendWindow = w.String()
	case fieldCap:
		if value == "" {
			s.plan.FrequencyCap = 0
			break
		}
		c, err := guards.ParseFrequencyCap(value)
		if err != nil {
			s.inputErr = settingProblem(err)
			return nil
		}
		s.plan.FrequencyCap = cmp.Or(c, -1) // 0 turns the profile's cap off
	}
	s.input = nil
	return s.load()
}

// settingProblem is why a guard setting was refused, in the words of the setup's field (the flag's name left
// out: the user typed it in a field).
func settingProblem(err error) string {
	var se *guards.SettingError
	if errors.As(err, &se) {
		return fmt.Sprintf("%q: %s.", se.Value, se.Why)
	}
	return err.Error()
}

// regionChoices are the countries of the file's numbers, the most common first, and the one the computer's
// language setting names.
func (s *setupPane) regionChoices() []string {
	var out []string
	if s.result != nil {
		for _, rc := range s.result.regions {
			out = append(out, rc.Region)
		}
		if s.result.localRegion != "" && !slices.Contains(out, s.result.localRegion) {
			out = append(out, s.result.localRegion)
		}
	}
	return out
}

// suggestedRegion is the region most numbers of the file have, else the computer's; "" when neither is known.
func (s *setupPane) suggestedRegion() string {
	if choices := s.regionChoices(); len(choices) > 0 {
		return choices[0]
	}
	return ""
}

// resendChoice is what a run sends again besides the ready rows.
type resendChoice struct{ failed, unknown bool }

// resendChoices are the choices the campaign in the store allows: nothing, its failures that may pass now,
// its unknown rows, or both.
func (s *setupPane) resendChoices() []resendChoice {
	choices := []resendChoice{{}}
	if s.info == nil || s.info.prior == nil {
		return choices
	}
	failed, unknown := s.info.prior.Retryable > 0, s.info.prior.Info.Counts[status.Unknown] > 0
	if failed {
		choices = append(choices, resendChoice{failed: true})
	}
	if unknown {
		choices = append(choices, resendChoice{unknown: true})
	}
	if failed && unknown {
		choices = append(choices, resendChoice{true, true})
	}
	return choices
}

// resendText says what the run will send again, with the counts.
func (s *setupPane) resendText() string {
	st := s.Styles
	var prior struct{ retryable, unknown int }
	if s.info != nil && s.info.prior != nil {
		prior.retryable, prior.unknown = s.info.prior.Retryable, s.info.prior.Info.Counts[status.Unknown]
	}
	var parts []string
	if s.plan.RetryFailed {
		parts = append(parts, human.Plural(prior.retryable, "failure")+" that may pass now")
	}
	if s.plan.ResendUnknown {
		parts = append(parts, human.Plural(prior.unknown, "unknown row")+" (they may get it twice)")
	}
	if len(parts) > 0 {
		return strings.Join(parts, " and ")
	}
	switch {
	case s.info == nil || s.info.prior == nil:
		return st.Muted.Render("nothing: a new campaign")
	case len(s.resendChoices()) == 1:
		return st.Muted.Render("nothing: no row failed for a passing reason or is unknown")
	}
	var offer []string
	if prior.retryable > 0 {
		offer = append(offer, human.Plural(prior.retryable, "failure")+" may pass now")
	}
	if prior.unknown > 0 {
		offer = append(offer, human.Plural(prior.unknown, "row")+" unknown")
	}
	return "nothing" + st.Muted.Render(" · "+strings.Join(offer, ", ")+": c chooses")
}
