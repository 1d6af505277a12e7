package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"herald/campaign"
)

func TestDbg(t *testing.T) {
	p := newPreviewPane(newCommon())
	p.SetSize(80, 20)
	rows := []previewRow{{num: 2, status: "ready"}, {num: 3, status: "ready"}}
	p.setData(inputInfo{}, checkResult{rows: rows, summary: campaign.CheckSummary{Rows: 2}})
	p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
	t.Log(p.table.Cursor(), p.table.Focused())
}
