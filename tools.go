//go:build tools

// Package main pins dependencies that later code uses, so go mod tidy keeps them.
package main

import (
	_ "github.com/charmbracelet/bubbles/progress"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/x/exp/teatest"
	_ "github.com/gocarina/gocsv"
	_ "github.com/muesli/termenv"
	_ "github.com/nyaruka/phonenumbers"
	_ "go.uber.org/goleak"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/term"
	_ "golang.org/x/text/encoding/unicode"
	_ "golang.org/x/time/rate"
	_ "modernc.org/sqlite"
)
