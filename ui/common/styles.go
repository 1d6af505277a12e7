package common

import (
	"herald/campaign/status"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/lipgloss"
)

// Colours adapt to light and dark terminals. Under NO_COLOR lipgloss drops every colour and attribute, so
// nothing on screen depends on colour alone: the selection, the focus and the active filter also carry a
// marker (›, ▸, [ ]).
var (
	colorAccent = lipgloss.AdaptiveColor{Light: "#0B7A4B", Dark: "#3DDC84"}
	colorMuted  = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8C8C8C"}
	colorError  = lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF6B6B"}
	colorWarn   = lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#F6C343"}
	colorBorder = lipgloss.AdaptiveColor{Light: "#C8C8C8", Dark: "#4A4A4A"}
	colorBubble = lipgloss.AdaptiveColor{Light: "#E7F8EE", Dark: "#103A26"}
)

// Styles are every style the screens use, built once by DefaultStyles and shared through common.
type Styles struct {
	// AppName and Step draw the top bar: the product name and the steps of a campaign.
	AppName    lipgloss.Style
	Step       lipgloss.Style
	StepActive lipgloss.Style
	// Label is a field's name in a two-column form; Value its value; Muted secondary text.
	Label lipgloss.Style
	Value lipgloss.Style
	Muted lipgloss.Style
	// Focused marks the field, pane or filter that has the keyboard.
	Focused lipgloss.Style
	// OK, Warn and Error colour outcomes.
	OK    lipgloss.Style
	Warn  lipgloss.Style
	Error lipgloss.Style
	// Heading titles a pane; Pane and PaneFocused frame one.
	Heading     lipgloss.Style
	Pane        lipgloss.Style
	PaneFocused lipgloss.Style
	// Bubble frames a message as the recipient will see it.
	Bubble lipgloss.Style
	// Banner is a one-line notice across a screen (paused, stopping, a question).
	Banner lipgloss.Style
	// Input is the confirmation field.
	Input lipgloss.Style
	// Spinner is the busy indicator.
	Spinner lipgloss.Style
	// Table styles the preview table; Help the key help at the bottom.
	Table table.Styles
	Help  help.Styles
	// ProgressFill is the progress bar's colour.
	ProgressFill lipgloss.AdaptiveColor
}

// DefaultStyles returns herald's styles.
func DefaultStyles() *Styles {
	s := &Styles{
		AppName:     lipgloss.NewStyle().Bold(true).Foreground(colorAccent),
		Step:        lipgloss.NewStyle().Foreground(colorMuted),
		StepActive:  lipgloss.NewStyle().Bold(true).Underline(true),
		Label:       lipgloss.NewStyle().Foreground(colorMuted),
		Value:       lipgloss.NewStyle(),
		Muted:       lipgloss.NewStyle().Foreground(colorMuted),
		Focused:     lipgloss.NewStyle().Bold(true).Foreground(colorAccent),
		OK:          lipgloss.NewStyle().Foreground(colorAccent),
		Warn:        lipgloss.NewStyle().Foreground(colorWarn),
		Error:       lipgloss.NewStyle().Foreground(colorError),
		Heading:     lipgloss.NewStyle().Bold(true),
		Pane:        lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorBorder).Padding(0, 1),
		PaneFocused: lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorAccent).Padding(0, 1),
		Bubble: lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorAccent).
			Background(colorBubble).Padding(0, 1),
		Banner:       lipgloss.NewStyle().Bold(true).Foreground(colorWarn),
		Input:        lipgloss.NewStyle().Bold(true),
		Spinner:      lipgloss.NewStyle().Foreground(colorAccent),
		Help:         help.New().Styles,
		ProgressFill: colorAccent,
	}
	s.Table = table.Styles{
		Header:   lipgloss.NewStyle().Bold(true).Padding(0, 1).BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).BorderForeground(colorBorder),
		Cell:     lipgloss.NewStyle().Padding(0, 1),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(colorAccent),
	}
	return s
}

// StatusStyle is the style of a row or campaign status.
func (s *Styles) StatusStyle(st string) lipgloss.Style {
	switch st {
	case status.Ready, status.Sent, status.Finished, status.Running:
		return s.OK
	case status.Invalid, status.Failed, status.Stopped, status.Interrupted:
		return s.Error
	case status.Duplicate, status.Unknown, status.Paused, status.Stopping:
		return s.Warn
	}
	return s.Value
}
