package dashboard

import (
	"math"
	"strings"
	"time"

	"herald/campaign/engine"
	"herald/campaign/human"
	"herald/ui/common"
)

// sparkBlocks are the sparkline's heights, lowest first.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline is the pace of the last minutes, one column per few seconds, a full block at the configured rate:
// "pace ▃▆█████▇██ last 1m20s · █ = 20/s". Columns the run spent paused are "·"; columns slowed by the
// provider's rate limits are drawn in the warning colour.
func sparkline(s engine.Snapshot, width int, st *common.Styles) string {
	points := s.History
	scale := s.ConfiguredRate
	if math.IsInf(scale, 1) || scale <= 0 {
		scale = 0
		for _, p := range points {
			scale = max(scale, p.Sent)
		}
	}
	label := "pace "
	if len(points) == 0 || scale <= 0 {
		return st.Muted.Render(label + "…")
	}
	legend := " last " + human.Duration(time.Duration(len(points))*time.Second) + " · █ = " + human.Rate(scale)
	room := width - len(label) - len([]rune(legend))
	if room < 8 {
		legend = ""
		room = width - len(label)
	}
	per := (len(points) + room - 1) / max(room, 1) // seconds per column
	var b strings.Builder
	for i := 0; i < len(points); i += per {
		col := points[i:min(i+per, len(points))]
		var sent, target float64
		paused := true
		for _, p := range col {
			sent, target, paused = sent+p.Sent, target+p.Target, paused && p.Paused
		}
		sent, target = sent/float64(len(col)), target/float64(len(col))
		if paused {
			b.WriteString(st.Muted.Render("·"))
			continue
		}
		level := int(math.Round(min(sent/scale, 1) * float64(len(sparkBlocks)-1)))
		block := string(sparkBlocks[level])
		if target < s.ConfiguredRate*0.99 {
			block = st.Warn.Render(block)
		} else {
			block = st.OK.Render(block)
		}
		b.WriteString(block)
	}
	return st.Muted.Render(label) + b.String() + st.Muted.Render(legend)
}
