// Package common is what every pane of herald's TUI shares: the styles, the key bindings, the size a pane may
// draw in, and the small text helpers that make every screen read the same. It is the soft-serve layout: one
// Common value handed to each pane, styles and keys built once (DefaultStyles, DefaultKeyMap).
package common

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Default terminal size, used until a WindowSizeMsg arrives (it never does when output is not a terminal).
const (
	DefaultWidth  = 80
	DefaultHeight = 24
)

// LabelWidth is the width of the label column of a form.
const LabelWidth = 15

// Common is what every pane shares: the styles, the key bindings and the size it may draw in.
type Common struct {
	Styles        *Styles
	Keys          *KeyMap
	Width, Height int
}

// New returns a Common with herald's styles and keys at the default size.
func New() Common {
	return Common{Styles: DefaultStyles(), Keys: DefaultKeyMap(), Width: DefaultWidth, Height: DefaultHeight}
}

// SetSize records the room a pane has.
func (c *Common) SetSize(width, height int) {
	c.Width, c.Height = max(width, 1), max(height, 1)
}

// Component is one pane of the TUI: a Bubble Tea model that lists its keys for the help line and draws in the
// size the root gives it.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// Typist is a pane that may be taking typed text (a field being edited, the confirmation): while Typing, the
// root gives it every key, q and ? included.
type Typist interface {
	Typing() bool
}

// StatusMsg shows a line in the status bar: an outcome, or why something cannot be done.
type StatusMsg struct {
	Text  string
	IsErr bool
}

// CopyMsg asks the root to put Text on the terminal's clipboard (OSC 52), for a path the user wants to paste
// elsewhere.
type CopyMsg struct{ Text string }

// Paragraph is text wrapped to the pane's width, indented like the forms.
func (c Common) Paragraph(style lipgloss.Style, text string) string {
	return style.Width(max(c.Width-4, 10)).MarginLeft(2).Render(text)
}

// FormRow is a label and a value wrapped in the value column.
func (c Common) FormRow(label, value string) string {
	return lipgloss.JoinHorizontal(lipgloss.Top, "  "+c.Styles.Label.Width(LabelWidth).Render(label),
		lipgloss.NewStyle().Width(c.ValueWidth()).Render(value))
}

// ValueWidth is the width of a form's value column.
func (c Common) ValueWidth() int { return max(c.Width-LabelWidth-2, 10) }

// Emit returns a command that delivers msg; panes use it to tell the root what the user asked for.
func Emit(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}

// WithHelp returns b with another description, for a key whose meaning depends on the screen.
func WithHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
