package common

import (
	"github.com/charmbracelet/bubbles/filepicker"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
)

// KeyMap holds every key binding of the TUI. Panes read the bindings they use from the one KeyMap in common.
type KeyMap struct {
	// Quit leaves herald; during a run it stops gracefully first, and a second press quits at once.
	Quit key.Binding
	// Help shows or hides the full help.
	Help key.Binding
	// Continue moves on to the next step; Back returns to the previous one.
	Continue key.Binding
	Back     key.Binding
	// Up and Down move between fields, rows or lines; Left and Right cycle a choice.
	Up    key.Binding
	Down  key.Binding
	Left  key.Binding
	Right key.Binding
	// PageUp and PageDown scroll a pane by a page.
	PageUp   key.Binding
	PageDown key.Binding
	// Change picks another file or profile for the focused setup field; Clear empties it (back to its default).
	Change key.Binding
	Clear  key.Binding
	// Filter cycles the preview's status filter; DryRun writes the results CSV without sending; Send moves
	// on to the confirmation.
	Filter key.Binding
	DryRun key.Binding
	Send   key.Binding
	// Pause pauses or resumes a run; Cancel asks to stop it; Yes and No answer that question.
	Pause  key.Binding
	Cancel key.Binding
	Yes    key.Binding
	No     key.Binding
	// Focus moves the keyboard between the dashboard's panes.
	Focus key.Binding
	// Retry sends again the rows left and the failures that may pass now; ResendUnknown sends the rows whose
	// outcome is unknown; NewCampaign returns to the setup for another campaign.
	Retry         key.Binding
	ResendUnknown key.Binding
	NewCampaign   key.Binding
	// Campaigns shows the past campaigns; Export writes a campaign's results CSV; Resume runs a past campaign
	// again; RetryFailures retries a past campaign's failures; Copy puts the results CSV's path on the clipboard;
	// FollowUp starts a campaign to the people who replied to one (campaigns screen, summary).
	FollowUp      key.Binding
	Campaigns     key.Binding
	Export        key.Binding
	Resume        key.Binding
	RetryFailures key.Binding
	Copy          key.Binding
	// Erase deletes the last character typed in the confirmation.
	Erase key.Binding
	// Table moves in the preview table; Picker in the file picker.
	Table  table.KeyMap
	Picker filepicker.KeyMap
}

// DefaultKeyMap returns herald's key bindings.
func DefaultKeyMap() *KeyMap {
	km := &KeyMap{
		Quit:          key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:          key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Continue:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Back:          key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Up:            key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:          key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:          key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "previous")),
		Right:         key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", "next")),
		PageUp:        key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:      key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Change:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "change")),
		Clear:         key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", "clear")),
		Filter:        key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter")),
		DryRun:        key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "dry run")),
		Send:          key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "send…")),
		Pause:         key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause/resume")),
		Cancel:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cancel")),
		Yes:           key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:            key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
		Focus:         key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "focus")),
		Retry:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry failures")),
		ResendUnknown: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "resend unknown")),
		NewCampaign:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new campaign")),
		Campaigns:     key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "campaigns")),
		Export:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export results")),
		Resume:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "resume")),
		RetryFailures: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "retry failures")),
		Copy:          key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy path")),
		FollowUp:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "follow up repliers")),
		Erase:         key.NewBinding(key.WithKeys("backspace"), key.WithHelp("⌫", "erase")),
	}
	// The table's own defaults use f, d, b and u for paging, which herald gives other meanings.
	km.Table = table.KeyMap{
		LineUp:       km.Up,
		LineDown:     km.Down,
		PageUp:       km.PageUp,
		PageDown:     km.PageDown,
		HalfPageUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfPageDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		GotoTop:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first row")),
		GotoBottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last row")),
	}
	// The picker's defaults also leave a folder on esc; here esc closes the picker.
	km.Picker = filepicker.DefaultKeyMap()
	km.Picker.Back = key.NewBinding(key.WithKeys("left", "h", "backspace"), key.WithHelp("←", "parent folder"))
	km.Picker.Open = key.NewBinding(key.WithKeys("right", "l", "enter"), key.WithHelp("→", "open folder"))
	km.Picker.Select = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
	return km
}
