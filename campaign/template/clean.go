package template

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// runesOver returns the number of characters in s when it is more than limit, else 0.
func runesOver(s string, limit int) int {
	if len(s) <= limit { // a character is at least one byte
		return 0
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return n
	}
	return 0
}

// spaces are the whitespace characters WhatsApp's parameter rules are about.
const spaces = " \t\n\r\v\f"

// isSpace reports whether c is one of spaces.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// badParam says why a parameter cannot be cleaned into one WhatsApp accepts.
type badParam int

const (
	// paramOK: the value is clean (or was cleaned without changing its meaning).
	paramOK badParam = iota
	// badBlankLine: the text has separate paragraphs, which one line cannot keep.
	badBlankLine
	// badSpace: a link or a number has whitespace inside.
	badSpace
)

// cleanParam makes s a parameter WhatsApp accepts: no surrounding whitespace, no newline, no tab, no more
// than 4 spaces in a row. Inside text, a run of whitespace that holds a tab, a single line break or more than
// 4 spaces becomes one space; a blank line cannot be cleaned. Inside a link or a number (strict), no
// whitespace may remain. An empty result means the cell is empty.
func cleanParam(s string, strict bool) (string, badParam) {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	clean, run := true, 0 // run counts the spaces just seen
	for i := 0; i < len(s) && clean; i++ {
		switch c := s[i]; {
		case c == ' ':
			run++
			clean = run <= 4 && !strict
		case isSpace(c):
			clean = false
		default:
			run = 0
		}
	}
	switch {
	case clean:
		return s, paramOK
	case strict:
		return "", badSpace
	}
	var out strings.Builder
	out.Grow(len(s))
	for i := 0; i < len(s); {
		if !isSpace(s[i]) {
			out.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		run := s[i:j]
		lineBreaks := strings.Count(run, "\n") + strings.Count(run, "\r") - strings.Count(run, "\r\n")
		switch {
		case lineBreaks > 1:
			return "", badBlankLine
		case len(run) <= 4 && strings.Trim(run, " ") == "":
			out.WriteString(run)
		default:
			out.WriteByte(' ')
		}
		i = j
	}
	return out.String(), paramOK
}

// clean makes a cell or a fallback the value of p: cleanParam's rules, or, for a session message's free-form
// text, the value with its surrounding whitespace trimmed and its line breaks kept.
func (p *param) clean(s string) (string, badParam) {
	if p.free {
		return strings.TrimSpace(s), paramOK
	}
	return cleanParam(s, p.strict)
}

// isHTTPLink reports whether s is an http or https URL with a host and no whitespace.
func isHTTPLink(s string) bool {
	for _, scheme := range []string{"https://", "http://"} {
		if len(s) > len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return s[len(scheme)] != '/' && !strings.ContainsAny(s, spaces)
		}
	}
	return false
}

// isCoordinate reports whether s is a decimal number from -limit to limit.
func isCoordinate(s string, limit float64) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f >= -limit && f <= limit
}
