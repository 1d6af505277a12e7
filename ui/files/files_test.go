package files

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"herald/ui/common"
)

// TestPickerListsOnlyItsKind: a CSV chooser lists the parent folder, the subfolders, then the .csv files
// without herald's results files, text files, templates or hidden entries; enter opens a folder or chooses a
// file.
func TestPickerListsOnlyItsKind(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.csv", "A.CSV", "notes.txt", "spring.yaml", "b.spring.results.csv", ".hidden.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "exports"), 0o700); err != nil {
		t.Fatal(err)
	}
	p := New(common.New(), dir, Kind{Extensions: []string{".csv"}, Hide: []string{".results.csv"}})
	p.Update(p.Init()())
	view := p.View()
	var names []string
	for _, line := range strings.Split(view, "\n") {
		names = append(names, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "›")))
	}
	want := []string{"../", "exports/", "A.CSV", "b.csv"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("the picker lists %q, want %q", names, want)
	}
	key := func(k tea.KeyType) tea.Msg {
		_, cmd := p.Update(tea.KeyMsg{Type: k})
		if cmd == nil {
			return nil
		}
		return cmd()
	}
	key(tea.KeyDown)
	p.Update(key(tea.KeyEnter)) // opens exports/
	if p.Dir() != filepath.Join(dir, "exports") || !strings.Contains(p.View(), "No .csv file here") {
		t.Fatalf("enter on a folder: in %s:\n%s", p.Dir(), p.View())
	}
	p.Update(key(tea.KeyBackspace))
	key(tea.KeyDown)
	key(tea.KeyDown)
	key(tea.KeyDown)
	if msg := key(tea.KeyEnter); msg != (ChosenMsg{Path: filepath.Join(dir, "b.csv")}) {
		t.Fatalf("enter on b.csv: %#v", msg)
	}
	if msg := key(tea.KeyEsc); msg != (CancelMsg{}) {
		t.Errorf("esc: %#v", msg)
	}
}
