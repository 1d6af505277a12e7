package campaign

import (
	"os"
	"path/filepath"
	"strings"
)

// DefaultStatePath is where the state store lives unless --state says otherwise:
// $XDG_DATA_HOME/herald/herald.db, else ~/.local/share/herald/herald.db, else herald.db in the working directory
// when no home directory is known.
func DefaultStatePath() string {
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "herald", "herald.db")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "herald.db"
	}
	return filepath.Join(home, ".local", "share", "herald", "herald.db")
}

// DefaultResultsPath is "<csv file stem>.<campaign>.results.csv" beside the input CSV.
func DefaultResultsPath(csvPath, campaign string) string {
	stem := strings.TrimSuffix(filepath.Base(csvPath), filepath.Ext(csvPath))
	return filepath.Join(filepath.Dir(csvPath), stem+"."+campaign+".results.csv")
}

// DefaultCampaignName is "<csv file stem>-<template name>".
func DefaultCampaignName(csvPath, templateName string) string {
	stem := strings.TrimSuffix(filepath.Base(csvPath), filepath.Ext(csvPath))
	return stem + "-" + templateName
}
