package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/filepicker"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"herald/campaign"
	"herald/campaign/config"
	"herald/campaign/recipients"
	"herald/providers"
	"herald/ui/common"
)

// setupField is a field of the setup form.
type setupField int

const (
	fieldCSV setupField = iota
	fieldTemplate
	fieldProfile
	fieldPhone
	setupFieldCount
)

// goPreviewMsg asks the root to show the preview of a checked plan.
type goPreviewMsg struct {
	info   inputInfo
	result checkResult
}

// setupPane is the first screen: the CSV, the template and the profile; what herald found in them (the phone
// column, each variable's column, the campaign in the store); and a check of every row that streams in while
// the file is read. Enter moves on to the preview once the check is done.
type setupPane struct {
	common.Common
	ctx  context.Context
	plan campaign.Plan
	// profiles and names are the config file's profiles.
	// when another profile is picked.
	profiles   *config.Config
	names      []string
	profileErr error
	// columns are the CSV's columns, offered for the phone column (also when none was found).
	columns []string

	focus   setupField
	picker  *filepicker.Model
	pickFor setupField
	pickErr string

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
}

// newSetupPane returns the setup filled from cfg.
func newSetupPane(c common.Common, ctx context.Context, cfg Config) *setupPane {
	s := &setupPane{Common: c, ctx: ctx, plan: cfg.Plan, profiles: cfg.Config,
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
		s.picker.SetHeight(s.pickerHeight())
	}
}

// load opens the chosen files again and checks them, dropping any load still running.
func (s *setupPane) load() tea.Cmd {
	s.stop()
	s.gen++
	s.info, s.result, s.err, s.proceed, s.columns = nil, nil, nil, false, nil
	if s.plan.CSVPath == "" || s.plan.TemplatePath == "" {
		return nil
	}
	s.opening = true
	return tea.Batch(openCmd(s.gen, s.plan), s.spinner.Tick)
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
	case tea.KeyMsg:
		if s.picker != nil {
			return s, s.pickerKey(msg)
		}
		return s, s.key(msg)
	}
	if s.picker != nil { // the picker's directory listings
		var cmd tea.Cmd
		*s.picker, cmd = s.picker.Update(msg)
		return s, cmd
	}
	return s, nil
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

// checked records the end of the check, and moves on if Enter was pressed meanwhile.
func (s *setupPane) checked(msg checkedMsg) tea.Cmd {
	if msg.gen != s.gen {
		return nil
	}
	s.stop()
	if msg.err != nil {
		if !errors.Is(msg.err, context.Canceled) {
			s.err = msg.err
		}
		return nil
	}
	s.result = &msg.result
	if s.proceed {
		return s.next()
	}
	return nil
}

// next asks the root for the preview.
func (s *setupPane) next() tea.Cmd {
	if !s.ready() {
		return nil
	}
	info := *s.info
	info.plan.Profile = s.plan.Profile
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
	case key.Matches(msg, k.Left) && s.focus == fieldProfile:
		s.cycleProfile(-1)
	case key.Matches(msg, k.Right) && s.focus == fieldProfile:
		s.cycleProfile(1)
	case key.Matches(msg, k.Left) && s.focus == fieldPhone:
		return s.cyclePhone(-1)
	case key.Matches(msg, k.Right, k.Change) && s.focus == fieldPhone:
		return s.cyclePhone(1)
	case key.Matches(msg, k.Change):
		if s.focus == fieldProfile {
			s.cycleProfile(1)
			return nil
		}
		return s.openPicker(s.focus)
	}
	return nil
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
	if i < 0 && delta < 0 {
		i = 0
	}
	s.plan.PhoneColumn = strings.TrimSpace(s.columns[((i+delta)%len(s.columns)+len(s.columns))%len(s.columns)])
	return s.load()
}

// cycleProfile picks the next (or previous) profile of the config file.
func (s *setupPane) cycleProfile(delta int) {
	if len(s.names) < 2 || s.profiles == nil {
		return
	}
	i := slices.Index(s.names, s.plan.Profile.Name)
	name := s.names[((i+delta)%len(s.names)+len(s.names))%len(s.names)]
	p, err := s.profiles.Profile(name)
	s.profileErr = err
	if err != nil {
		s.plan.Profile = providers.Profile{Name: name}
		return
	}
	s.plan.Profile = p
}

// openPicker shows the file picker for the CSV or the template, in the folder of the current choice.
func (s *setupPane) openPicker(field setupField) tea.Cmd {
	fp := filepicker.New()
	fp.KeyMap = s.Keys.Picker
	fp.AutoHeight, fp.ShowPermissions = false, false
	fp.SetHeight(s.pickerHeight())
	current := s.plan.CSVPath
	fp.AllowedTypes = []string{".csv", ".CSV"}
	if field == fieldTemplate {
		current = s.plan.TemplatePath
		fp.AllowedTypes = []string{".yaml", ".yml"}
	}
	fp.CurrentDirectory = "."
	if current != "" {
		fp.CurrentDirectory = filepath.Dir(current)
	}
	s.picker, s.pickFor, s.pickErr = &fp, field, ""
	return fp.Init()
}

// pickerKey handles a key while the file picker is open.
func (s *setupPane) pickerKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, s.Keys.Back) {
		s.picker = nil
		return nil
	}
	var cmd tea.Cmd
	*s.picker, cmd = s.picker.Update(msg)
	if ok, path := s.picker.DidSelectFile(msg); ok {
		if s.pickFor == fieldTemplate {
			s.plan.TemplatePath = path
		} else {
			s.plan.CSVPath = path
		}
		s.picker = nil
		return s.load()
	}
	if ok, path := s.picker.DidSelectDisabledFile(msg); ok {
		s.pickErr = fmt.Sprintf("%s is not a %s file: choose one of those", filepath.Base(path), s.picker.AllowedTypes[0])
	}
	return cmd
}

// pickerHeight is the picker's list height: the pane less its title lines.
func (s *setupPane) pickerHeight() int { return max(s.Height-4, 3) }

// ShortHelp implements help.KeyMap.
func (s *setupPane) ShortHelp() []key.Binding {
	k := s.Keys
	if s.picker != nil {
		return []key.Binding{k.Picker.Select, k.Picker.Open, k.Picker.Back, common.WithHelp(k.Back, "cancel")}
	}
	change := common.WithHelp(k.Change, "change file")
	switch s.focus {
	case fieldProfile:
		change = common.WithHelp(k.Change, "next profile")
	case fieldPhone:
		change = common.WithHelp(k.Change, "next column")
	}
	return []key.Binding{common.WithHelp(k.Continue, "preview"), common.WithHelp(k.Down, "next field"), change}
}

// FullHelp implements help.KeyMap.
func (s *setupPane) FullHelp() [][]key.Binding {
	k := s.Keys
	if s.picker != nil {
		return [][]key.Binding{{k.Picker.Select, k.Picker.Open, k.Picker.Back, common.WithHelp(k.Back, "cancel")},
			{k.Picker.Up, k.Picker.Down, k.Picker.GoToTop, k.Picker.GoToLast}}
	}
	return [][]key.Binding{{common.WithHelp(k.Continue, "preview")}, {k.Up, k.Down, common.WithHelp(k.Focus, "next field")},
		{common.WithHelp(k.Change, "change file / profile / phone column"), common.WithHelp(k.Left, "previous profile or column"),
			common.WithHelp(k.Right, "next profile or column")}}
}
