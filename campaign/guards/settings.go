package guards

import (
	"fmt"
	"strings"
	"time"
)

// SettingError is a guard setting that cannot be read (the send window, the frequency cap): Flag is the setting
// as the command line spells it, Value what was given, Why what is wrong with it and how to write it. The
// headless commands print Error; a screen that names the setting itself shows Value and Why.
type SettingError struct {
	Flag, Value, Why string
}

// Error implements error: `--send-window "9-17": no ':' ...`.
func (e *SettingError) Error() string { return fmt.Sprintf("%s %q: %s", e.Flag, e.Value, e.Why) }

// ParseFrequencyCap reads a frequency cap: a duration such as 72h or 90m, "0" for none. It is the one reader of
// --frequency-cap and of the setup screen's field.
func ParseFrequencyCap(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < 0 {
		return 0, &SettingError{Flag: "--frequency-cap", Value: s,
			Why: "give a duration such as 72h (three days) or 36h; 0 turns the profile's frequency_cap off"}
	}
	return d, nil
}
