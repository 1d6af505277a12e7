package providers

import (
	"context"
	"time"
)

// Scheduler is a Provider whose request may carry a send time: the provider takes the message at once and
// holds it until then (Huawei CEC's sendAt). The engine checks for it with a type assertion when the campaign's
// provider schedules (Capabilities.Schedules) and a send window defers rows: such a row is handed over at once
// with the time its window opens, instead of herald waiting for that time. A provider without it never gets a
// send time, so it can never send early what was meant for later.
type Scheduler interface {
	Provider
	// SendAt sends msg to be delivered at at, a time in the future. The receipt and the errors are those of Send:
	// an accepted message is the provider's to deliver at that time.
	SendAt(ctx context.Context, msg Message, at time.Time) (Receipt, error)
}
