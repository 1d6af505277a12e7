package itniotech

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind (a connection the adapter did not close).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
