package guards

import "time"

// Clock is the time the guards and the engine's feeder go by: System in herald, a fake one in tests, so that a
// test of "sent when the window opens, not before" never sleeps.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// After delivers the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

// System returns the machine's clock.
func System() Clock { return systemClock{} }

// systemClock is the machine's clock.
type systemClock struct{}

// Now is time.Now.
func (systemClock) Now() time.Time { return time.Now() }

// After is time.After (an unreferenced timer is collected since Go 1.23, even before it fires).
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
