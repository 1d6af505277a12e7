// Package human writes numbers, counts, durations and rates the way people read them: "1 row", "1,234 rows",
// "3m05s", "20/s". Both front ends and the campaign's own messages use it, so a figure reads the same
// everywhere.
package human

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Thousands writes n with comma thousands separators: 1,234,567.
func Thousands[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Plural is "1 row" or "3 rows" (with thousands separators: "1,200 rows"). The plural adds an s.
func Plural[T ~int | ~int64](n T, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return Thousands(n) + " " + word + "s"
}

// People counts people: "1 person", "2 people", "1,200 people".
func People[T ~int | ~int64](n T) string {
	if n == 1 {
		return "1 person"
	}
	return Thousands(n) + " people"
}

// Duration is a duration for people: 1h02m, 3m05s, 12s.
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
}

// Rate is a pace for people: "20/s", "12.5/s", "an unlimited rate".
func Rate(r float64) string {
	if math.IsInf(r, 1) {
		return "an unlimited rate"
	}
	return strconv.FormatFloat(math.Round(r*10)/10, 'f', -1, 64) + "/s"
}

// Ago is how long before now t was, for lists: "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago",
// or the date past a week; "-" for a zero time.
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "-"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 48*time.Hour:
		return "yesterday"
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return t.Local().Format("2 Jan 2006")
}
