package human

import (
	"strings"
	"testing"
	"time"
)

func TestAgo(t *testing.T) {
	now := time.Date(2025, 4, 10, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{30 * time.Second: "just now", 5 * time.Minute: "5 min ago",
		3 * time.Hour: "3 h ago", 30 * time.Hour: "yesterday", 4 * 24 * time.Hour: "4 days ago"} {
		if got := Ago(now.Add(-d), now); got != want {
			t.Errorf("Ago(-%v) = %q, want %q", d, got, want)
		}
	}
	if got := Ago(time.Time{}, now); got != "-" {
		t.Errorf("Ago(zero) = %q", got)
	}
	if got := Ago(now.Add(-30*24*time.Hour), now); !strings.Contains(got, "2025") {
		t.Errorf("a month ago: %q, want the date", got)
	}
}
