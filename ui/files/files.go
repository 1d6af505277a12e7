// Package files is the setup's file chooser: one folder at a time, its subfolders and only the files of the
// kinds asked for (a recipients CSV chooser lists .csv files and leaves out herald's own results files).
package files

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"herald/ui/common"
)

// ChosenMsg reports the file the user chose.
type ChosenMsg struct{ Path string }

// CancelMsg reports that the user closed the chooser without choosing.
type CancelMsg struct{}

// listedMsg delivers a folder's entries, read in a command: dir as asked for, abs the same folder absolute.
type listedMsg struct {
	dir, abs string
	entries  []entry
	err      error
}

// entry is one line of the list: a subfolder or a file.
type entry struct {
	name string
	dir  bool
}

// Kind says which files a chooser lists.
type Kind struct {
	// Extensions are the file name endings listed, compared ignoring case (".csv").
	Extensions []string
	// Hide are endings of files left out although their extension is listed (".results.csv").
	Hide []string
}

// lists reports whether a file called name is of the kind.
func (k Kind) lists(name string) bool {
	lower := strings.ToLower(name)
	return slices.ContainsFunc(k.Extensions, func(e string) bool { return strings.HasSuffix(lower, e) }) &&
		!slices.ContainsFunc(k.Hide, func(e string) bool { return strings.HasSuffix(lower, e) })
}

// Picker lists one folder: ".." first, then its subfolders, then the files of its kind, by name. Hidden
// entries (starting with a dot) are left out.
type Picker struct {
	common.Common
	kind    Kind
	dir     string
	entries []entry
	cursor  common.Cursor
	err     error
}

// New returns a chooser of files of kind, opening in dir.
func New(c common.Common, dir string, kind Kind) *Picker {
	return &Picker{Common: c, kind: kind, dir: dir}
}

// Dir is the folder shown, absolute once it has been read.
func (p *Picker) Dir() string { return p.dir }

// Init reads the folder.
func (p *Picker) Init() tea.Cmd { return list(p.dir, p.kind) }

// SetSize implements common.Component.
func (p *Picker) SetSize(width, height int) {
	p.Common.SetSize(width, height)
	p.cursor.Set(p.cursor.Index, len(p.entries), p.rows())
}

// list reads dir and keeps the entries of kind.
func list(dir string, kind Kind) tea.Cmd {
	return func() tea.Msg {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return listedMsg{dir: dir, abs: dir, err: err}
		}
		des, err := os.ReadDir(abs)
		if err != nil {
			return listedMsg{dir: dir, abs: abs, err: err}
		}
		var entries []entry
		if filepath.Dir(abs) != abs {
			entries = append(entries, entry{name: "..", dir: true})
		}
		var files []entry
		for _, de := range des {
			name := de.Name()
			switch {
			case strings.HasPrefix(name, "."):
			case de.IsDir() || de.Type()&os.ModeSymlink != 0 && isDir(filepath.Join(abs, name)):
				entries = append(entries, entry{name: name, dir: true})
			case kind.lists(name):
				files = append(files, entry{name: name})
			}
		}
		return listedMsg{dir: dir, abs: abs, entries: append(entries, files...)}
	}
}

// isDir reports whether path is a folder (following a symlink).
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// Update implements tea.Model.
func (p *Picker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case listedMsg:
		if msg.dir == p.dir {
			p.dir, p.entries, p.err, p.cursor = msg.abs, msg.entries, msg.err, common.Cursor{}
		}
	case tea.KeyMsg:
		return p, p.key(msg)
	}
	return p, nil
}

// key moves in the list, opens a folder or chooses a file.
func (p *Picker) key(msg tea.KeyMsg) tea.Cmd {
	k := p.Keys
	switch {
	case key.Matches(msg, k.Back):
		return common.Emit(CancelMsg{})
	case p.cursor.Key(msg, k, len(p.entries), p.rows()):
	case key.Matches(msg, k.Picker.Back):
		return p.open(filepath.Dir(p.dir))
	case key.Matches(msg, k.Picker.Select, k.Picker.Open):
		if p.cursor.Index >= len(p.entries) {
			return nil
		}
		e := p.entries[p.cursor.Index]
		if e.dir {
			return p.open(filepath.Join(p.dir, e.name))
		}
		if key.Matches(msg, k.Picker.Select) {
			return common.Emit(ChosenMsg{Path: filepath.Join(p.dir, e.name)})
		}
	}
	return nil
}

// open shows another folder.
func (p *Picker) open(dir string) tea.Cmd {
	p.dir, p.entries, p.err, p.cursor = dir, nil, nil, common.Cursor{}
	return list(dir, p.kind)
}

// rows is how many entries fit (a line is kept for the note when the folder has no file of the kind).
func (p *Picker) rows() int { return max(p.Height-1, 1) }

// View implements tea.Model.
func (p *Picker) View() string {
	st := p.Styles
	switch {
	case p.err != nil:
		return st.Error.Render(common.FitWords("This folder cannot be read: "+p.err.Error()+". ← goes to the parent folder.", p.Width))
	case p.entries == nil:
		return st.Muted.Render("reading the folder…")
	}
	var lines []string
	from, to := p.cursor.Visible(len(p.entries), p.rows())
	for i := from; i < to; i++ {
		e := p.entries[i]
		name, style := e.name, st.Value
		if e.dir {
			name, style = name+string(filepath.Separator), st.Muted
		}
		marker := "  "
		if i == p.cursor.Index {
			marker, style = st.Focused.Render("›")+" ", st.Focused
		}
		lines = append(lines, marker+style.Render(common.Fit(name, p.Width-2)))
	}
	if !slices.ContainsFunc(p.entries, func(e entry) bool { return !e.dir }) {
		lines = append(lines, st.Muted.Render(common.FitWords("  No "+strings.Join(p.kind.Extensions, " or ")+
			" file here: open a folder, or ← for the parent folder.", p.Width)))
	}
	return strings.Join(lines, "\n")
}

// ShortHelp implements help.KeyMap.
func (p *Picker) ShortHelp() []key.Binding {
	k := p.Keys
	return []key.Binding{k.Picker.Select, k.Picker.Back, common.WithHelp(k.Back, "cancel")}
}

// FullHelp implements help.KeyMap.
func (p *Picker) FullHelp() [][]key.Binding {
	k := p.Keys
	return [][]key.Binding{{k.Picker.Select, k.Picker.Open, k.Picker.Back, common.WithHelp(k.Back, "cancel")},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Table.GotoTop, k.Table.GotoBottom}}
}
