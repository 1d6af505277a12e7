package common

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// Cursor is the selection in a list taller than its room: the selected index and the first index shown.
type Cursor struct {
	Index, Offset int
}

// Set selects index i of a list of n items of which rows are shown, scrolling so that it is on screen.
func (c *Cursor) Set(i, n, rows int) {
	rows = max(rows, 1)
	c.Index = min(max(i, 0), max(n-1, 0))
	switch {
	case c.Index < c.Offset:
		c.Offset = c.Index
	case c.Index >= c.Offset+rows:
		c.Offset = c.Index - rows + 1
	}
	c.Offset = min(max(c.Offset, 0), max(n-rows, 0))
}

// Key moves the selection for the keys that move in a list (up, down, page up, page down, first, last) and
// reports whether msg was one of them.
func (c *Cursor) Key(msg tea.KeyMsg, k *KeyMap, n, rows int) bool {
	switch {
	case key.Matches(msg, k.Up):
		c.Set(c.Index-1, n, rows)
	case key.Matches(msg, k.Down):
		c.Set(c.Index+1, n, rows)
	case key.Matches(msg, k.PageUp):
		c.Set(c.Index-rows, n, rows)
	case key.Matches(msg, k.PageDown):
		c.Set(c.Index+rows, n, rows)
	case key.Matches(msg, k.Table.GotoTop):
		c.Set(0, n, rows)
	case key.Matches(msg, k.Table.GotoBottom):
		c.Set(n-1, n, rows)
	default:
		return false
	}
	return true
}

// Visible is the range of indices shown: [from, to).
func (c *Cursor) Visible(n, rows int) (from, to int) {
	return c.Offset, min(c.Offset+max(rows, 1), n)
}

// ScrollKey scrolls vp for the keys that scroll (up, down, page up, page down) and reports whether msg was one
// of them.
func ScrollKey(vp *viewport.Model, msg tea.KeyMsg, k *KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	default:
		return false
	}
	return true
}
