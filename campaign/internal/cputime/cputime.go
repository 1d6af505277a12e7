//go:build unix

// Package cputime measures the CPU a process has used, for the benchmarks' CPU-per-message figures.
package cputime

import (
	"syscall"
	"testing"
	"time"
)

// Used is the CPU (user + system) the process has used so far; it fails tb when the system cannot say.
func Used(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
