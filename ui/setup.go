package ui

import (
	"cmp"
	"context"
	"errors"
	"path/filepath"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/config"
	"herald/campaign/guards"
	"herald/campaign/recipients"
	"herald/ui/common"
	"herald/ui/files"
)

// setupField is a field of the setup form, in the order the form shows them.
type setupField int

const (
	fieldCSV setupField = iota
	fieldTemplate
	fieldProfile
	fieldPhone
	fieldRegion
	fieldCampaign
	fieldWindow
	fieldCap
	fieldPrices
	fieldResend
	setupFieldCount
)

// goPreviewMsg asks the root to show the preview of a checked plan.
type goPreviewMsg struct {
	info   inputInfo
	result checkResult
}

// setupPane is the first screen: the files, the profile and the campaign's options (phone column, region,
// name, the guards of the sender's number: send window, frequency cap, price table; what to resend); what
// herald found in them (each variable's column, the campaign in the store, the template's review at the
// provider); and a check of every row that streams in while the file is read. Enter moves on to the preview
// once the check is done.
type setupPane struct {
	common.Common
	ctx  context.Context
	plan campaign.Plan
	// abs makes a path absolute for display; it runs in commands. clock is the time the guards go by.
	abs   func(string) string
	clock guards.Clock
	// profiles and names are the config file's profiles.
	profiles   *config.Config
	names      []string
	profileErr error
	// columns are the CSV's columns, offered for the phone column (also when none was found).
	columns []string

	focus   setupField
	picker  *files.Picker
	pickFor setupField
	// input edits the region, the campaign name, the send window or the frequency cap (editing says which);
	// inputErr says why a value was refused.
	input    *textinput.Model
	editing  setupField
	inputErr string

	// gen numbers each load so that the answers of an earlier one are dropped.
	gen      int
	cancel   context.CancelFunc
	opening  bool
	checking bool
	// proceed is set when Enter was pressed before the check was done.
	proceed  bool
	progress *checkProgress
	info     *inputInfo
	result   *checkResult
	err      error
	spinner  spinner.Model
	// approval is what the provider says of the template (nil until it answered, or when it cannot tell).
	approval approvalState
}

// newSetupPane returns the setup filled from cfg.
func newSetupPane(c common.Common, ctx context.Context, cfg Config) *setupPane {
	s := &setupPane{Common: c, ctx: ctx, plan: cfg.Plan, profiles: cfg.Config, abs: absPath, clock: cfg.clock(),
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Spinner))}
	s.names = []string{cfg.Plan.Profile.Name}
	if cfg.Config != nil {
		s.names = cfg.Config.Names()
	}
	return s
}

// Init starts checking the files given on the command line.
func (s *setupPane) Init() tea.Cmd { return s.load() }

// SetSize implements common.Component.
func (s *setupPane) SetSize(width, height int) {
	s.Common.SetSize(width, height)
	if s.picker != nil {
		s.picker.SetSize(width, s.pickerHeight())
	}
}

// Typing reports whether a field is being edited: it then takes every key.
func (s *setupPane) Typing() bool { return s.input != nil }

// load opens the chosen files again and checks them, dropping any load still running.
func (s *setupPane) load() tea.Cmd {
	s.stop()
	s.gen++
	s.info, s.result, s.err, s.proceed, s.columns = nil, nil, nil, false, nil
	if s.plan.CSVPath == "" || s.plan.TemplatePath == "" {
		return nil
	}
	s.opening = true
	return tea.Batch(openCmd(s.gen, s.plan, s.clock, s.abs), s.spinner.Tick)
}

// resume shows a past campaign: its plan as the campaigns screen gives it, with the profile resolved from the
// config file, checked again.
func (s *setupPane) resume(plan campaign.Plan) tea.Cmd {
	name := plan.Profile.Name
	plan.Profile, s.profileErr = s.plan.Profile, nil
	if s.profiles != nil && name != "" {
		plan.Profile, s.profileErr = s.profiles.Profile(name)
	}
	plan.Rate, plan.Concurrency = s.plan.Rate, s.plan.Concurrency
	// The store does not keep a run's guards: the setup's own stay, shown on the form before anything is sent.
	plan.SendWindow, plan.FrequencyCap, plan.PricesPath = s.plan.SendWindow, s.plan.FrequencyCap, s.plan.PricesPath
	s.plan, s.focus = plan, fieldResend
	return s.load()
}

// newCampaign clears what belongs to the last campaign (its name, what to resend) for another one.
func (s *setupPane) newCampaign() tea.Cmd {
	s.plan.Campaign, s.plan.OutPath, s.plan.RetryFailed, s.plan.ResendUnknown = "", "", false, false
	s.focus = fieldCSV
	return s.load()
}

// stop cancels a check in progress.
func (s *setupPane) stop() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.opening, s.checking = false, false
}

// ready reports whether the setup can move on to the preview.
func (s *setupPane) ready() bool {
	return s.result != nil && s.err == nil && s.profileErr == nil
}

// Update implements tea.Model.
func (s *setupPane) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case openedMsg:
		return s, s.opened(msg)
	case checkedMsg:
		return s, s.checked(msg)
	case spinner.TickMsg:
		if !s.opening && !s.checking {
			return s, nil
		}
		var cmd tea.Cmd
		s.spinner, cmd = s.spinner.Update(msg)
		return s, cmd
	case approvalMsg:
		s.approval.answered(msg)
		return s, nil
	case files.ChosenMsg:
		switch s.pickFor {
		case fieldTemplate:
			s.plan.TemplatePath = msg.Path
		case fieldPrices:
			s.plan.PricesPath = msg.Path
		default:
			s.plan.CSVPath, s.plan.Campaign, s.plan.OutPath = msg.Path, "", ""
		}
		s.picker = nil
		return s, s.load()
	case files.CancelMsg:
		s.picker = nil
		return s, nil
	case tea.KeyMsg:
		switch {
		case s.input != nil:
			return s, s.inputKey(msg)
		case s.picker != nil:
			return s, s.forwardPicker(msg)
		}
		return s, s.key(msg)
	}
	if s.picker != nil { // the picker's folder listings
		return s, s.forwardPicker(msg)
	}
	return s, nil
}

// forwardPicker gives msg to the file picker.
func (s *setupPane) forwardPicker(msg tea.Msg) tea.Cmd {
	_, cmd := s.picker.Update(msg)
	return cmd
}

// opened starts the check of an opened input.
func (s *setupPane) opened(msg openedMsg) tea.Cmd {
	if msg.gen != s.gen {
		if msg.in != nil {
			return closeInputCmd(msg.in)
		}
		return nil
	}
	s.opening = false
	if msg.err != nil {
		s.err = msg.err
		var fe *recipients.FileError
		if errors.As(msg.err, &fe) && fe.Columns != nil {
			s.columns = fe.Columns
		}
		return nil
	}
	s.info, s.columns = &msg.info, msg.info.header
	ctx, cancel := context.WithCancel(s.ctx)
	s.cancel, s.checking, s.progress = cancel, true, &checkProgress{}
	return checkCmd(ctx, s.gen, msg.in, msg.info, s.progress)
}

// checked records the end of the check, asks the provider about the template's review (once the check is
// over: the screen settles in one order), and moves on if Enter was pressed meanwhile.
func (s *setupPane) checked(msg checkedMsg) tea.Cmd {
	if msg.gen != s.gen {
		return nil
	}
	s.stop()
	if msg.err != nil {
		if !errors.Is(msg.err, context.Canceled) {
			s.err = msg.err
		}
		return s.askApproval()
	}
	s.result = &msg.result
	if s.proceed {
		return tea.Batch(s.askApproval(), s.next())
	}
	return s.askApproval()
}

// next asks the root for the preview.
func (s *setupPane) next() tea.Cmd {
	if !s.ready() {
		return nil
	}
	info := *s.info
	info.plan.Profile = s.plan.Profile
	info.plan.RetryFailed, info.plan.ResendUnknown = s.plan.RetryFailed, s.plan.ResendUnknown
	return common.Emit(goPreviewMsg{info: info, result: *s.result})
}

// key handles a key on the form.
func (s *setupPane) key(msg tea.KeyMsg) tea.Cmd {
	k := s.Keys
	switch {
	case key.Matches(msg, k.Continue):
		if s.opening || s.checking {
			s.proceed = true
			return nil
		}
		return s.next()
	case key.Matches(msg, k.Up):
		s.focus = (s.focus + setupFieldCount - 1) % setupFieldCount
	case key.Matches(msg, k.Down, k.Focus):
		s.focus = (s.focus + 1) % setupFieldCount
	case key.Matches(msg, k.Left):
		return s.cycle(-1)
	case key.Matches(msg, k.Right):
		return s.cycle(1)
	case key.Matches(msg, k.Change):
		return s.change()
	case key.Matches(msg, k.Clear):
		return s.clear()
	}
	return nil
}

// openPicker shows the file picker for the CSV, the template or the price table, in the folder of the current
// choice (the CSV's for a first price table).
func (s *setupPane) openPicker(field setupField) tea.Cmd {
	current := s.plan.CSVPath
	switch field {
	case fieldTemplate:
		current = s.plan.TemplatePath
	case fieldPrices:
		current = cmp.Or(s.plan.PricesPath, s.plan.CSVPath)
	}
	dir := "."
	if current != "" {
		dir = filepath.Dir(current)
	}
	return s.openPickerIn(field, dir)
}

// openPickerIn shows the file picker for the CSV, the template or the price table in the folder dir.
func (s *setupPane) openPickerIn(field setupField, dir string) tea.Cmd {
	kind := files.Kind{Extensions: []string{".csv", ".tsv"}, Hide: []string{".results.csv"}}
	switch field {
	case fieldTemplate:
		kind = files.Kind{Extensions: []string{".yaml", ".yml"}}
	case fieldPrices:
		kind = files.Kind{Extensions: []string{".csv"}, Hide: []string{".results.csv"}}
	}
	s.picker, s.pickFor = files.New(s.Common, dir, kind), field
	s.picker.SetSize(s.Width, s.pickerHeight())
	return s.picker.Init()
}

// pickerHeight is the picker's list height: the pane less its title lines.
func (s *setupPane) pickerHeight() int { return max(s.Height-3, 3) }

// ShortHelp implements help.KeyMap.
func (s *setupPane) ShortHelp() []key.Binding {
	k := s.Keys
	switch {
	case s.input != nil:
		return []key.Binding{common.WithHelp(k.Continue, "apply"), common.WithHelp(k.Back, "cancel")}
	case s.picker != nil:
		return s.picker.ShortHelp()
	}
	// The keys of the focused field come before moving on: when the line is short, the last ones give way.
	keys := []key.Binding{common.WithHelp(k.Continue, "preview"), common.WithHelp(k.Change, s.changeHelp()),
		common.WithHelp(k.Down, "next field")}
	if what := s.clearHelp(); what != "" {
		keys = append(keys, common.WithHelp(k.Clear, what))
	}
	return keys
}

// FullHelp implements help.KeyMap.
func (s *setupPane) FullHelp() [][]key.Binding {
	k := s.Keys
	switch {
	case s.input != nil:
		return [][]key.Binding{s.ShortHelp()}
	case s.picker != nil:
		return s.picker.FullHelp()
	}
	change := []key.Binding{common.WithHelp(k.Change, s.changeHelp()), common.WithHelp(k.Left, "previous choice"),
		common.WithHelp(k.Right, "next choice")}
	if what := s.clearHelp(); what != "" {
		change = append(change, common.WithHelp(k.Clear, what))
	}
	return [][]key.Binding{{common.WithHelp(k.Continue, "preview")}, {k.Up, k.Down, common.WithHelp(k.Focus, "next field")},
		change}
}
