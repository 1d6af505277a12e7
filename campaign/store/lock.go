package store

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Lock takes the campaign's lock: an exclusive OS file lock on "<store path>.<sha1(name)[:12]>.lock" holding
// this process's pid, so two herald processes never run the same campaign at once. unlock releases it.
func (s *Store) Lock(name string) (unlock func() error, err error) {
	sum := sha1.Sum([]byte(name))
	path := s.path + "." + hex.EncodeToString(sum[:])[:12] + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock campaign %s: %w; check that the folder of %s is writable", name, err, s.path)
	}
	held, err := tryLockFile(f)
	if err != nil || held {
		defer f.Close()
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("lock campaign %s with %s: %w", name, path, err)
	case held:
		pid := "unknown"
		if b, err := io.ReadAll(io.LimitReader(f, 32)); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			pid = strings.TrimSpace(string(b))
		}
		return nil, fmt.Errorf("campaign %s %w (pid %s); wait for it to end or stop it, then run the command again",
			name, ErrBusy, pid)
	}
	if err := writePID(f); err != nil {
		unlockFile(f)
		f.Close()
		return nil, fmt.Errorf("lock campaign %s: write the pid to %s: %w", name, path, err)
	}
	var once sync.Once
	var unlockErr error
	return func() error {
		once.Do(func() {
			if err := errors.Join(f.Truncate(0), unlockFile(f), f.Close()); err != nil {
				unlockErr = fmt.Errorf("unlock campaign %s: %w", name, err)
			}
		})
		return unlockErr
	}, nil
}

// writePID replaces the lock file's content with this process's pid, for the message another process shows.
func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}
