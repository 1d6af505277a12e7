package campaign

import (
	"path/filepath"
	"testing"
)

func TestDefaultStatePath(t *testing.T) {
	for _, tc := range []struct{ xdg, home, want string }{
		{"/data", "/home/ann", "/data/herald/herald.db"},
		{"relative/data", "/home/ann", "/home/ann/.local/share/herald/herald.db"},
		{"", "/home/ann", "/home/ann/.local/share/herald/herald.db"},
	} {
		t.Setenv("XDG_DATA_HOME", tc.xdg)
		t.Setenv("HOME", tc.home)
		if got := DefaultStatePath(); got != filepath.FromSlash(tc.want) {
			t.Errorf("XDG_DATA_HOME=%q HOME=%q: %s, want %s", tc.xdg, tc.home, got, tc.want)
		}
	}
}
