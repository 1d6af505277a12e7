// Package ui is herald's terminal interface. (Placeholder until the TUI lands.)
package ui

import (
	"context"

	"herald/campaign"
)

// Config is what the TUI starts with.
type Config struct {
	Plan campaign.Plan
}

// Run starts the TUI and returns the exit code.
func Run(ctx context.Context, cfg Config) int { return 0 }
