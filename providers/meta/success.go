package meta

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// successID reads the wamid of the Cloud API's success answer, {"messaging_product":...,"contacts":[...],
// "messages":[{"id":"wamid...",...}]}, without json.Unmarshal's reflection (3 us an answer, the adapter's
// largest cost of its own). It answers only for a valid JSON object whose one "messages" key holds an array of
// exactly one object with one "id" string, plain (no escape, valid UTF-8), and whose "error" key, if any, is
// null; ok is false for anything else, and parseAnswer decodes that with encoding/json as before. A key that
// encoding/json would match case-insensitively ("Messages", "ID") is anything else. FuzzSuccessID proves that
// every answer it reads gives the receipt the decoder gives.
func successID(body []byte) (id string, ok bool) {
	if !json.Valid(body) {
		return "", false
	}
	s := jsonScan{b: body}
	if !s.next('{') {
		return "", false
	}
	found := false
	for first := true; ; first = false {
		if s.next('}') {
			break
		}
		if !first && !s.next(',') {
			return "", false
		}
		key, ok := s.plainString()
		if !ok || !s.next(':') {
			return "", false
		}
		switch {
		case string(key) == "messages" && !found:
			if id, ok = s.onlyMessageID(); !ok {
				return "", false
			}
			found = true
		case string(key) == "error":
			if !s.literal("null") {
				return "", false
			}
		case bytes.EqualFold(key, []byte("messages")) || bytes.EqualFold(key, []byte("error")):
			return "", false
		default:
			s.skipValue()
		}
	}
	return id, found && id != ""
}

// jsonScan walks a document json.Valid has accepted.
type jsonScan struct {
	b []byte
	i int
}

// space skips white space.
func (s *jsonScan) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// next consumes c after white space, reporting whether it was there.
func (s *jsonScan) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// literal consumes the literal word (null) after white space.
func (s *jsonScan) literal(word string) bool {
	s.space()
	if bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		s.i += len(word)
		return true
	}
	return false
}

// plainString consumes a string after white space and returns its bytes; ok is false when it holds an escape
// or invalid UTF-8, which the decoder would rewrite.
func (s *jsonScan) plainString() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) && s.b[s.i] != '"' {
		if s.b[s.i] == '\\' {
			return nil, false
		}
		s.i++
	}
	v := s.b[start:s.i]
	s.i++ // the closing quote: the document is valid
	if !utf8.Valid(v) {
		return nil, false
	}
	return v, true
}

// onlyMessageID consumes the messages array: exactly one object, whose one "id" is a plain string.
func (s *jsonScan) onlyMessageID() (string, bool) {
	if !s.next('[') || !s.next('{') {
		return "", false
	}
	id, found := "", false
	for first := true; ; first = false {
		if s.next('}') {
			break
		}
		if !first && !s.next(',') {
			return "", false
		}
		key, ok := s.plainString()
		if !ok || !s.next(':') {
			return "", false
		}
		switch {
		case string(key) == "id" && !found:
			var v []byte
			if v, ok = s.plainString(); !ok {
				return "", false
			}
			id, found = string(v), true
		case bytes.EqualFold(key, []byte("id")):
			return "", false
		default:
			s.skipValue()
		}
	}
	return id, found && s.next(']')
}

// skipValue consumes one value of the valid document: a string, number, literal, object or array.
func (s *jsonScan) skipValue() {
	s.space()
	depth := 0
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case '"':
			s.i++
			for s.b[s.i] != '"' {
				if s.b[s.i] == '\\' {
					s.i++
				}
				s.i++
			}
			s.i++
		case '{', '[':
			depth++
			s.i++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			s.i++
		case ',':
			if depth == 0 {
				return
			}
			s.i++
		default:
			s.i++
		}
		if depth == 0 && (s.i >= len(s.b) || s.b[s.i-1] == '"' || s.b[s.i-1] == '}' || s.b[s.i-1] == ']') {
			// A string, object or array just ended at the top: the value is whole. A number or literal
			// ends at the delimiter the loop stops on.
			return
		}
	}
}
