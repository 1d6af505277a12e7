package ui

import (
	"context"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"herald/campaign"
	"herald/campaign/engine"
	"herald/campaign/status"
)

// pictureFile is the README's picture of the dashboard, drawn from TestDashboardPicture's golden view.
const pictureFile = "../docs/dashboard.svg"

// pictureSnapshot is a run two thirds of the way through a 20,000-row campaign, slowed once by the provider.
func pictureSnapshot() engine.Snapshot {
	start := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	s := engine.Snapshot{Campaign: "spring-uk-april", State: status.Running, Total: 20000, Remaining: 6912,
		Sent: 13002, Failed: 61, Unknown: 2, InFlight: 23, Retries: 148, RateLimited: 9, Rate: 49.7, TargetRate: 50,
		ConfiguredRate: 50, Concurrency: 16, Started: start, Elapsed: 4*time.Minute + 23*time.Second,
		ETA: 2*time.Minute + 19*time.Second,
		Failures: []engine.Failure{
			{At: start.Add(259 * time.Second), Row: 12877, Number: "447700900412", Status: status.Failed, Code: "131026", Reason: "Message undeliverable: the number is not a WhatsApp account"},
			{At: start.Add(241 * time.Second), Row: 12404, Number: "447700900873", Status: status.Failed, Code: "131026", Reason: "Message undeliverable: the number is not a WhatsApp account"},
			{At: start.Add(199 * time.Second), Row: 9930, Number: "447700900126", Status: status.Unknown, Code: "interrupted", Reason: "no answer within 30s"},
			{At: start.Add(87 * time.Second), Row: 4410, Number: "447700900655", Status: status.Failed, Code: "131049", Reason: "Meta chose not to deliver this marketing message to keep engagement healthy"},
		},
		FailureGroups: []engine.FailureGroup{
			{Code: "131026", Status: status.Failed, Count: 58, Reason: "Message undeliverable: the number is not a WhatsApp account"},
			{Code: "131049", Status: status.Failed, Count: 3, Reason: "Meta chose not to deliver this marketing message to keep engagement healthy"},
			{Code: "interrupted", Status: status.Unknown, Count: 2, Reason: "no answer within 30s"},
		},
		Events: []engine.Event{
			{At: start.Add(131 * time.Second), Kind: engine.EventRecover, Detail: "pace back to 50/s"},
			{At: start.Add(102 * time.Second), Kind: engine.EventSlowed, Detail: "the provider answered rate-limited: pace lowered to 35.0/s"},
			{At: start, Kind: engine.EventStarted, Detail: "20000 rows to send at 50/s"},
		}}
	for i := range 263 {
		p := engine.RatePoint{Sent: 50, Target: 50}
		switch {
		case i < 5:
			p.Sent = float64(10 * (i + 1))
		case i >= 102 && i < 131:
			p.Sent, p.Target = 35, 35
		case i%17 == 0:
			p.Sent = 44
		}
		s.History = append(s.History, p)
	}
	return s
}

// TestDashboardPicture renders the dashboard in colour at 100x30 and compares it with its golden file; with
// -update it also draws docs/dashboard.svg from it, the README's picture. The picture must match the golden
// view: a stale picture fails the test.
func TestDashboardPicture(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	lipgloss.SetHasDarkBackground(true)
	defer func() {
		lipgloss.SetColorProfile(termenv.Ascii)
		lipgloss.SetHasDarkBackground(false)
	}()
	m := newModel(context.Background(), Config{Plan: samplePlan(t.TempDir())}, nil)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.dashboard.Start(newFakeRunner(pictureSnapshot()), "spring-uk-april · spring_sale via cloud", "", "spring-uk-april")
	m.dashboard.Funnel = func() (campaign.Funnel, bool) { // the run listens for the provider's callbacks
		return campaign.Funnel{Sent: 13002, Delivered: 12544, Read: 8213, Replied: 412, OptedOut: 37, FailedLater: 96}, true
	}
	m.running = true
	m.show(screenRun)
	view := m.View()
	teatest.RequireEqualOutput(t, []byte(view))

	svg := terminalSVG(view, 100, 30)
	if update := flag.Lookup("update"); update != nil && update.Value.String() == "true" {
		if err := os.MkdirAll(filepath.Dir(pictureFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pictureFile, []byte(svg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(pictureFile); err != nil || string(got) != svg {
		t.Errorf("%s is not drawn from the golden view (%v): run go test ./ui/ -run TestDashboardPicture -update", pictureFile, err)
	}
}

// Terminal colours of the picture.
const (
	pictureBackground = "#1b1d23"
	pictureForeground = "#d7dae0"
	cellWidth         = 8.4
	lineHeight        = 18
)

// sgr matches one SGR escape sequence.
var sgr = regexp.MustCompile("\x1b\\[([0-9;]*)m")

// cellStyle is the look of a run of cells.
type cellStyle struct {
	fg, bg          string
	bold, underline bool
}

// apply changes the style by the parameters of one SGR sequence (the ones lipgloss writes in true colour).
func (s *cellStyle) apply(params string) {
	codes := strings.Split(params, ";")
	for i := 0; i < len(codes); i++ {
		switch n, _ := strconv.Atoi(codes[i]); {
		case n == 0:
			*s = cellStyle{}
		case n == 1:
			s.bold = true
		case n == 4:
			s.underline = true
		case n == 22:
			s.bold = false
		case n == 24:
			s.underline = false
		case n == 39:
			s.fg = ""
		case n == 49:
			s.bg = ""
		case (n == 38 || n == 48) && i+4 < len(codes) && codes[i+1] == "2":
			r, _ := strconv.Atoi(codes[i+2])
			g, _ := strconv.Atoi(codes[i+3])
			b, _ := strconv.Atoi(codes[i+4])
			color := fmt.Sprintf("#%02x%02x%02x", r, g, b)
			if n == 38 {
				s.fg = color
			} else {
				s.bg = color
			}
			i += 4
		}
	}
}

// terminalSVG draws a terminal screen of cols x rows cells holding view (text with SGR colour sequences) as
// an SVG picture: a window with the text in a monospace font, each run of cells in its colours.
func terminalSVG(view string, cols, rows int) string {
	width, height := float64(cols)*cellWidth+24, float64(rows*lineHeight)+44
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" rx="8" fill="%s"/>`+"\n", pictureBackground)
	for i, c := range []string{"#ff5f57", "#febc2e", "#28c840"} {
		fmt.Fprintf(&b, `<circle cx="%d" cy="14" r="5" fill="%s"/>`+"\n", 16+i*16, c)
	}
	fmt.Fprintf(&b, `<g font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14" fill="%s" xml:space="preserve">`+"\n", pictureForeground)
	for row, line := range strings.Split(view, "\n") {
		if row >= rows {
			break
		}
		y := float64(row*lineHeight) + 32
		var style cellStyle
		col := 0
		for _, part := range splitSGR(line) {
			if part.sgr != "" {
				style.apply(part.sgr)
				continue
			}
			w := ansi.StringWidth(part.text)
			x := float64(col)*cellWidth + 12
			if style.bg != "" {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"/>`+"\n", x, y, float64(w)*cellWidth, lineHeight, style.bg)
			}
			if strings.TrimSpace(part.text) != "" {
				attrs := ""
				if style.fg != "" {
					attrs += ` fill="` + style.fg + `"`
				}
				if style.bold {
					attrs += ` font-weight="bold"`
				}
				if style.underline {
					attrs += ` text-decoration="underline"`
				}
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" textLength="%.1f"%s>%s</text>`+"\n", x, y+13, float64(w)*cellWidth, attrs, html.EscapeString(part.text))
			}
			col += w
		}
	}
	b.WriteString("</g>\n</svg>\n")
	return b.String()
}

// linePart is either text or the parameters of an SGR sequence.
type linePart struct{ text, sgr string }

// splitSGR cuts a line into its text and its SGR sequences, in order.
func splitSGR(line string) []linePart {
	var parts []linePart
	prev := 0
	for _, loc := range sgr.FindAllStringSubmatchIndex(line, -1) {
		if loc[0] > prev {
			parts = append(parts, linePart{text: line[prev:loc[0]]})
		}
		params := line[loc[2]:loc[3]]
		if params == "" {
			params = "0"
		}
		parts = append(parts, linePart{sgr: params})
		prev = loc[1]
	}
	if prev < len(line) {
		parts = append(parts, linePart{text: line[prev:]})
	}
	return parts
}
