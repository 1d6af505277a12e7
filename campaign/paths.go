package campaign

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
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

// DefaultResultsPath is "<campaign>.results.csv" beside the input CSV. The campaign name is an identity, not a
// path: it is made a plain file name first (FileName), so it can never move the file out of the CSV's folder.
func DefaultResultsPath(csvPath, campaign string) string {
	return filepath.Join(filepath.Dir(csvPath), FileName(campaign)+".results.csv")
}

// DefaultCampaignName is "<csv file stem>-<template name>".
func DefaultCampaignName(csvPath, templateName string) string {
	stem := strings.TrimSuffix(filepath.Base(csvPath), filepath.Ext(csvPath))
	return stem + "-" + templateName
}

// maxFileName bounds a file name made from a campaign name, in bytes (file systems allow 255).
const maxFileName = 200

// FileName makes a campaign name safe as a file name on every system: path separators, characters Windows
// refuses (< > : " | ? *), control characters and leading dots become "_", trailing dots and spaces go, and
// the result is at most 200 bytes. "../../x" becomes "_._.._x"; an empty result is "campaign".
func FileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || strings.ContainsRune(`<>:"|?*`, r) || unicode.IsControl(r):
			b.WriteByte('_')
		case b.Len()+len(string(r)) > maxFileName:
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimRight(b.String(), ". ")
	if strings.HasPrefix(s, ".") {
		s = "_" + s[1:]
	}
	if s == "" {
		return "campaign"
	}
	return s
}

// checkPaths refuses a plan whose outputs (--out, --state) name one of its inputs (the CSV, the template, the
// config file) or each other, however they are spelled (relative, with .., through a symlink), and a results
// CSV that cannot be written. It runs before anything is read or sent.
func checkPaths(p Plan) error {
	inputs := []struct{ what, path string }{
		{"the recipients CSV", p.CSVPath}, {"the template", p.TemplatePath}, {"the config file", p.ConfigPath},
	}
	outputs := []struct{ flag, what, path string }{
		{"--out", "the results CSV", p.OutPath}, {"--state", "the state store", p.StatePath},
	}
	for _, o := range outputs {
		for _, in := range inputs {
			if in.path != "" && sameFile(o.path, in.path) {
				return fmt.Errorf("%s %s is %s (%s): herald would overwrite it with %s; pass another %s",
					o.flag, o.path, in.what, in.path, o.what, o.flag)
			}
		}
	}
	if sameFile(p.OutPath, p.StatePath) {
		return fmt.Errorf("--out %s and --state %s are the same file: the results CSV would replace the state store; pass another --out",
			p.OutPath, p.StatePath)
	}
	return checkWritable(p.OutPath)
}

// checkWritable makes sure the results CSV can be written at path: not a folder, in a folder that exists and
// accepts new files (the CSV is written beside it and renamed into place).
func checkWritable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("--out %s is a folder: give a file name, such as %s", path,
			filepath.Join(path, "results.csv"))
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--out %s: the folder %s does not exist; create it or pass another --out", path, dir)
	case err != nil:
		return fmt.Errorf("--out %s: %w; pass another --out", path, err)
	case !st.IsDir():
		return fmt.Errorf("--out %s: %s is not a folder; pass another --out", path, dir)
	}
	probe, err := os.CreateTemp(dir, ".herald-write-check-*")
	if err != nil {
		return fmt.Errorf("--out %s: the folder %s cannot be written (%w); pass another --out", path, dir,
			errors.Unwrap(err))
	}
	name := probe.Name()
	probe.Close()
	return os.Remove(name)
}

// sameFile reports whether two paths name the same file: the same file on disk when both exist, else the same
// absolute path once the existing folders' symlinks are resolved.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	return resolvedPath(a) == resolvedPath(b)
}

// resolvedPath is p made absolute, with the symlinks of its folder resolved when that folder exists.
func resolvedPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}
