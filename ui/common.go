package ui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Default terminal size, used until a WindowSizeMsg arrives (it never does when output is not a terminal).
const (
	defaultWidth  = 80
	defaultHeight = 24
)

// common is what every pane shares: the styles, the key bindings and the size it may draw in.
type common struct {
	styles        *Styles
	keys          *KeyMap
	width, height int
}

// newCommon returns a common with herald's styles and keys at the default size.
func newCommon() common {
	return common{styles: DefaultStyles(), keys: DefaultKeyMap(), width: defaultWidth, height: defaultHeight}
}

// setSize records the room a pane has.
func (c *common) setSize(width, height int) {
	c.width, c.height = max(width, 1), max(height, 1)
}

// component is one pane of the TUI: a Bubble Tea model that lists its keys for the help line and draws in
// the size the root gives it.
type component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// paragraph is text wrapped to the pane's width, indented like the forms.
func paragraph(c common, style lipgloss.Style, text string) string {
	return style.Width(max(c.width-4, 10)).MarginLeft(2).Render(text)
}

// emit returns a command that delivers msg; panes use it to tell the root what the user asked for.
func emit(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}
