package common

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestFitWordsNeverCutsAWord(t *testing.T) {
	for _, tc := range []struct {
		text  string
		width int
		want  string
	}{
		{"about 2 min left", 40, "about 2 min left"},
		{"rate 20/s of 20/s · about 2 min left", 30, "rate 20/s of 20/s · about 2…"},
		{"Stop sending and quit? y stops", 13, "Stop sending…"},
		{"Stop sending and quit? y stops", 12, "Stop…"},
		{"unbreakable/path/of/a/file.csv", 10, "unbreakab…"},           // one word: cut, as nothing else fits
		{" 0:00  started   3 rows to send", 20, " 0:00  started   3…"}, // the spacing kept
	} {
		if got := FitWords(tc.text, tc.width); got != tc.want || ansi.StringWidth(got) > tc.width {
			t.Errorf("FitWords(%q, %d) = %q, want %q", tc.text, tc.width, got, tc.want)
		}
	}
}

func TestJoinPartsShortensThenDropsFromTheEnd(t *testing.T) {
	parts := []Part{{Full: "rate 19.6/s of 20/s", Short: "19.6/s of 20/s"}, {Full: "about 2m05s left", Short: "2m05s left"},
		{Full: "elapsed 41s (paused 3s)", Short: "41s"}, {Full: "retries 1,234", Short: "1,234 retries"}}
	for _, tc := range []struct {
		width int
		want  string
	}{
		{100, "rate 19.6/s of 20/s · about 2m05s left · elapsed 41s (paused 3s) · retries 1,234"},
		{70, "rate 19.6/s of 20/s · about 2m05s left · 41s · 1,234 retries"},
		{50, "rate 19.6/s of 20/s · 2m05s left · 41s"},
		{30, "rate 19.6/s of 20/s"},
	} {
		got := JoinParts(tc.width, " · ", parts...)
		if got != tc.want || ansi.StringWidth(got) > tc.width {
			t.Errorf("width %d: %q, want %q", tc.width, got, tc.want)
		}
	}
}

func TestCursorKeepsTheSelectionOnScreen(t *testing.T) {
	var c Cursor
	c.Set(9, 20, 5) // the tenth of 20 items, 5 shown
	if from, to := c.Visible(20, 5); c.Index != 9 || from != 5 || to != 10 {
		t.Fatalf("Set(9): index %d shows %d..%d", c.Index, from, to)
	}
	c.Set(2, 20, 5)
	if from, _ := c.Visible(20, 5); from != 2 {
		t.Errorf("Set(2): shows from %d", from)
	}
	c.Set(99, 20, 5)
	if from, to := c.Visible(20, 5); c.Index != 19 || from != 15 || to != 20 {
		t.Errorf("Set(99): index %d shows %d..%d", c.Index, from, to)
	}
	c.Set(0, 0, 5)
	if c.Index != 0 || c.Offset != 0 {
		t.Errorf("an empty list: %+v", c)
	}
	if s := strings.Repeat("x", 3); FitPath("/a/b/"+s, 6) != "…b/xxx" {
		t.Errorf("FitPath = %q", FitPath("/a/b/"+s, 6))
	}
}

func TestWrapWordsKeepsAtMostSomeLines(t *testing.T) {
	text := "WhatsApp cannot deliver to this number (not on WhatsApp, or unable to receive it); Meta says: (#131026) Message Undeliverable."
	got := WrapWords(text, 40, 2)
	if len(got) != 2 || !strings.HasSuffix(got[1], "…") || strings.Join(got, " ") == text {
		t.Fatalf("WrapWords = %q", got)
	}
	for _, l := range got {
		if ansi.StringWidth(l) > 40 {
			t.Errorf("line %q is wider than 40", l)
		}
	}
	if got := WrapWords(text, 200, 2); len(got) != 1 || got[0] != text {
		t.Errorf("a sentence that fits: %q", got)
	}
}

func TestAtSaysTheDayWhenItIsNotToday(t *testing.T) {
	now := time.Date(2025, 4, 1, 3, 0, 0, 0, time.Local)
	for _, tc := range []struct {
		at          time.Time
		want, words string
	}{
		{now.Add(90 * time.Minute), "04:30", "at 04:30"},
		{time.Date(2025, 4, 2, 9, 0, 0, 0, time.Local), "tomorrow 09:00", "tomorrow at 09:00"},
		{time.Date(2025, 4, 7, 9, 0, 0, 0, time.Local), "Mon 7 Apr 09:00", "on Mon 7 Apr at 09:00"},
	} {
		if got, words := At(tc.at, now), AtPhrase(tc.at, now); got != tc.want || words != tc.words {
			t.Errorf("At %v: %q, %q; want %q, %q", tc.at, got, words, tc.want, tc.words)
		}
	}
}

// TestWrapPartsLinesFit: every line of a wrapped funnel, its closing mark included, fits the width, so a row
// never wraps again and leaves the mark alone on a line.
func TestWrapPartsLinesFit(t *testing.T) {
	parts := []string{"sent 22", "delivered 22 (100%)", "read 12 (55%)", "replied 4 (18%)", "opted out 1 (4.5%)",
		"failed later 0 (0%)"}
	for width := 22; width <= 90; width++ { // the longest part and its mark fit from 22
		lines := WrapParts(parts, " · ", width)
		for _, l := range lines {
			if ansi.StringWidth(l) > width || strings.TrimSpace(l) == "·" {
				t.Fatalf("width %d: line %q", width, l)
			}
		}
		if got := strings.ReplaceAll(strings.Join(lines, " "), "· ", ""); !strings.Contains(got, "failed later 0 (0%)") {
			t.Fatalf("width %d: %q", width, lines)
		}
	}
}
