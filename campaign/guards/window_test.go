package guards

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the same zone data herald embeds, whatever the machine has

	"herald/campaign/status"
)

func TestParseWindow(t *testing.T) {
	good := map[string]Window{
		"09:00-20:00":    {9 * 60, 20 * 60},
		"9:00-17:30":     {9 * 60, 17*60 + 30},
		" 21:00 - 08:00": {21 * 60, 8 * 60},
		"12:00-24:00":    {12 * 60, 24 * 60},
		"22:15-00:00":    {22*60 + 15, 0},
	}
	for s, want := range good {
		got, err := ParseWindow(s)
		if err != nil || got != want {
			t.Errorf("ParseWindow(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	bad := map[string]string{
		"9-17":         "no ':'",
		"09:00":        "no '-'",
		"09:00-25:00":  "the end",
		"24:00-08:00":  "the start",
		"09:60-10:00":  "the start",
		"09:00-09:00":  "the same time",
		"00:00-00:00":  "the same time",
		"ab:cd-10:00":  "the start",
		"09:00-24:00x": "the end",
	}
	for s, want := range bad {
		_, err := ParseWindow(s)
		if err == nil {
			t.Errorf("ParseWindow(%q) accepted", s)
			continue
		}
		if !strings.Contains(err.Error(), "--send-window") || !strings.Contains(err.Error(), "HH:MM-HH:MM") {
			t.Errorf("ParseWindow(%q): %v: no flag or fix named", s, err)
		}
		if want != "no ':'" && !strings.Contains(err.Error(), want) {
			t.Errorf("ParseWindow(%q): %v, want it to say %q", s, err, want)
		}
	}
}

func TestWindowContains(t *testing.T) {
	day := Window{9 * 60, 20 * 60}
	night := Window{21 * 60, 8 * 60}
	allDay := Window{0, 24 * 60}
	cases := []struct {
		w      Window
		minute int
		want   bool
	}{
		{day, 9 * 60, true}, {day, 9*60 - 1, false}, {day, 20*60 - 1, true}, {day, 20 * 60, false},
		{night, 21 * 60, true}, {night, 23*60 + 59, true}, {night, 0, true}, {night, 8*60 - 1, true},
		{night, 8 * 60, false}, {night, 12 * 60, false}, {night, 21*60 - 1, false},
		{allDay, 0, true}, {allDay, 23*60 + 59, true},
	}
	for _, c := range cases {
		if got := c.w.contains(c.minute); got != c.want {
			t.Errorf("%s contains %02d:%02d = %v, want %v", c.w, c.minute/60, c.minute%60, got, c.want)
		}
	}
}

// utc is a time of day on a date, in UTC.
func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// windowCase is a number checked at a time, and the time it may go (zero: now).
type windowCase struct {
	name   string
	number string
	window string
	at     time.Time
	want   time.Time
}

func runWindowCases(t *testing.T, cases []windowCase) {
	t.Helper()
	for _, c := range cases {
		w, err := ParseWindow(c.window)
		if err != nil {
			t.Fatal(err)
		}
		h := NewWindows(w).Hold(c.number, c.at)
		switch {
		case c.want.IsZero() && h != nil:
			t.Errorf("%s: +%s at %s held: %+v", c.name, c.number, c.at.Format(time.RFC3339), h)
		case c.want.IsZero():
		case h == nil:
			t.Errorf("%s: +%s at %s not held, want deferred until %s", c.name, c.number,
				c.at.Format(time.RFC3339), c.want.Format(time.RFC3339))
		case h.Status != status.Deferred || h.Code != status.CodeSendWindow || !h.NotBefore.Equal(c.want):
			t.Errorf("%s: +%s at %s: %s %s until %s, want deferred send_window until %s", c.name, c.number,
				c.at.Format(time.RFC3339), h.Status, h.Code, h.NotBefore.UTC().Format(time.RFC3339),
				c.want.Format(time.RFC3339))
		}
	}
}

// TestWindowOneZone checks numbers of one time zone against hand-computed times: inside, outside before and
// after, across midnight, and over a daylight-saving change.
func TestWindowOneZone(t *testing.T) {
	const london, tokyo, newYork = "447400123593", "819012345678", "12125550123"
	runWindowCases(t, []windowCase{
		// London in January is UTC+0.
		{"inside", london, "09:00-20:00", utc(2025, 1, 15, 10, 0), time.Time{}},
		{"at the start", london, "09:00-20:00", utc(2025, 1, 15, 9, 0), time.Time{}},
		{"before", london, "09:00-20:00", utc(2025, 1, 15, 7, 30), utc(2025, 1, 15, 9, 0)},
		{"at the end", london, "09:00-20:00", utc(2025, 1, 15, 20, 0), utc(2025, 1, 16, 9, 0)},
		{"after", london, "09:00-20:00", utc(2025, 1, 15, 23, 0), utc(2025, 1, 16, 9, 0)},
		// Tokyo is UTC+9: 10:00Z is 19:00 there.
		{"Tokyo evening", tokyo, "09:00-18:00", utc(2025, 1, 15, 10, 0), utc(2025, 1, 16, 0, 0)},
		{"Tokyo morning", tokyo, "09:00-18:00", utc(2025, 1, 15, 1, 0), time.Time{}},
		// New York in January is UTC-5: 10:00Z is 05:00 there.
		{"New York early", newYork, "09:00-18:00", utc(2025, 1, 15, 10, 0), utc(2025, 1, 15, 14, 0)},
		// Across midnight.
		{"night, late", london, "21:00-08:00", utc(2025, 1, 15, 22, 0), time.Time{}},
		{"night, early", london, "21:00-08:00", utc(2025, 1, 15, 7, 59), time.Time{}},
		{"night, at its end", london, "21:00-08:00", utc(2025, 1, 15, 8, 0), utc(2025, 1, 15, 21, 0)},
		{"night, midday", london, "21:00-08:00", utc(2025, 1, 15, 12, 0), utc(2025, 1, 15, 21, 0)},
		{"night, Tokyo", tokyo, "21:00-08:00", utc(2025, 1, 15, 15, 0), time.Time{}}, // 00:00 there
		// London's clocks go forward on Sunday 30 March 2025: 09:00 that day is 08:00Z.
		{"over the DST change", london, "09:00-17:00", utc(2025, 3, 29, 17, 30), utc(2025, 3, 30, 8, 0)},
	})
}

// TestWindowManyZones checks numbers libphonenumber maps to several time zones: the window must be open in
// all of them. Figures by hand from each zone's UTC offset on the date.
func TestWindowManyZones(t *testing.T) {
	const (
		alaska   = "19072345678"   // America/Adak (UTC-10 in January) and America/Anchorage (UTC-9)
		boise    = "17752345678"   // America/Boise (UTC-7) and America/Los_Angeles (UTC-8)
		adelaide = "61861234567"   // Australia/Adelaide (UTC+10:30 in January) and Australia/Perth (UTC+8)
		tollFree = "78001234567"   // RU 8-800: Asia/Almaty, Asia/Aqtobe (UTC+5) and Europe/Moscow (UTC+3)
		saoPaulo = "5511987654321" // America/Sao_Paulo, UTC-3
		manaus   = "5592987654321" // America/Manaus, UTC-4
	)
	for number, n := range map[string]int{alaska: 2, boise: 2, adelaide: 2, tollFree: 3, saoPaulo: 1, manaus: 1} {
		if set := NewWindows(Window{0, 60}).zones(number); len(set.locs) != n || set.unusable != "" {
			t.Fatalf("+%s has zones %v (%s), want %d", number, set.names, set.unusable, n)
		}
	}
	runWindowCases(t, []windowCase{
		// 09:00-17:00 in Anchorage is 18:00Z-02:00Z, in Adak 19:00Z-03:00Z: both from 19:00Z to 02:00Z.
		{"Alaska, open in Anchorage only", alaska, "09:00-17:00", utc(2025, 1, 15, 18, 30), utc(2025, 1, 15, 19, 0)},
		{"Alaska, open in both", alaska, "09:00-17:00", utc(2025, 1, 15, 19, 0), time.Time{}},
		{"Alaska, still both", alaska, "09:00-17:00", utc(2025, 1, 16, 1, 59), time.Time{}},
		{"Alaska, closed in Anchorage", alaska, "09:00-17:00", utc(2025, 1, 16, 2, 0), utc(2025, 1, 16, 19, 0)},
		// 09:00-20:00 in Boise is 16:00Z-03:00Z, in Los Angeles 17:00Z-04:00Z.
		{"Boise", boise, "09:00-20:00", utc(2025, 1, 15, 16, 30), utc(2025, 1, 15, 17, 0)},
		// 09:00-20:00 in Adelaide is 22:30Z-09:30Z, in Perth 01:00Z-12:00Z: both from 01:00Z to 09:30Z.
		{"Adelaide and Perth, Perth asleep", adelaide, "09:00-20:00", utc(2025, 1, 15, 0, 0), utc(2025, 1, 15, 1, 0)},
		{"Adelaide and Perth, open", adelaide, "09:00-20:00", utc(2025, 1, 15, 5, 0), time.Time{}},
		{"Adelaide and Perth, Adelaide closed", adelaide, "09:00-20:00", utc(2025, 1, 15, 9, 30), utc(2025, 1, 16, 1, 0)},
		// 09:00-18:00 in Moscow is 06:00Z-15:00Z; in Aqtobe and Almaty it opens earlier and closes at 13:00Z.
		{"Russian toll-free, before Moscow", tollFree, "09:00-18:00", utc(2025, 1, 15, 5, 0), utc(2025, 1, 15, 6, 0)},
		{"Russian toll-free, open", tollFree, "09:00-18:00", utc(2025, 1, 15, 10, 0), time.Time{}},
		// Brazil: each number has its own zone; 12:30Z is 09:30 in São Paulo and 08:30 in Manaus.
		{"São Paulo", saoPaulo, "09:00-18:00", utc(2025, 1, 15, 12, 30), time.Time{}},
		{"Manaus", manaus, "09:00-18:00", utc(2025, 1, 15, 12, 30), utc(2025, 1, 15, 13, 0)},
	})
}

// TestWindowNeverOpens checks that a number whose zones are too far apart for the window, and a number of no
// zone, are suppressed (never deferred forever), with a sentence that says what to do.
func TestWindowNeverOpens(t *testing.T) {
	w, _ := ParseWindow("09:00-17:00")
	ws := NewWindows(w)
	// +1 500 numbers are personal numbers of the whole NANP: Guam (UTC+10) to Pago Pago (UTC-11).
	h := ws.Hold("15002345678", utc(2025, 1, 15, 12, 0))
	if h == nil || h.Status != status.Suppressed || h.Code != status.CodeSendWindow ||
		!strings.Contains(h.Reason, "too far apart") || !strings.Contains(h.Reason, "widen --send-window") {
		t.Errorf("NANP-wide number: %+v", h)
	}
	// +800 is an international freephone number: libphonenumber has no zone for it.
	h = ws.Hold("80012345678", utc(2025, 1, 15, 12, 0))
	if h == nil || h.Status != status.Suppressed || !strings.Contains(h.Reason, "no time zone") {
		t.Errorf("+800 number: %+v", h)
	}
}

// TestWindowCache checks that the answer remembered for a zone set is the answer worked out afresh, as time
// moves on past openings and closings.
func TestWindowCache(t *testing.T) {
	w, _ := ParseWindow("09:00-17:00")
	cached := NewWindows(w)
	for at := utc(2025, 1, 14, 0, 0); at.Before(utc(2025, 1, 17, 0, 0)); at = at.Add(17 * time.Minute) {
		for _, number := range []string{"19072345678", "447400123593", "819012345678"} {
			got, want := cached.Hold(number, at), NewWindows(w).Hold(number, at)
			if (got == nil) != (want == nil) || got != nil && (!got.NotBefore.Equal(want.NotBefore) || got.Reason != want.Reason) {
				t.Fatalf("+%s at %s: cached %+v, afresh %+v", number, at, got, want)
			}
		}
	}
}
