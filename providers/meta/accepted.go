package meta

import (
	"bytes"
	"encoding/json"
)

// acceptedID reads messages[0].id from the answer every accepted message gets, without encoding/json's
// reflection: one validating scan, then a walk of the top-level object. ok is false for any answer it does not
// read plainly (not JSON, an "error" member, "messages" twice, a key or the id with an escape, an empty or
// missing id); parseAnswer then decodes it with encoding/json, which decides. Where ok is true the id is the one
// json.Unmarshal into answerBody gives (FuzzAcceptedIDAgreesWithJSON).
func acceptedID(body []byte) (id string, ok bool) {
	if !json.Valid(body) {
		return "", false
	}
	// The body is valid JSON from here: every index below stays within it.
	i := skipSpace(body, 0)
	if body[i] != '{' {
		return "", false
	}
	i = skipSpace(body, i+1)
	found := false
	for body[i] != '}' {
		key, next, plain := member(body, i)
		if !plain {
			return "", false
		}
		i = next
		switch {
		case bytes.EqualFold(key, []byte("error")):
			return "", false
		case bytes.EqualFold(key, []byte("messages")):
			if found {
				return "", false
			}
			found = true
			if id, ok = firstID(body, i); !ok {
				return "", false
			}
		}
		i = skipSpace(body, skipValue(body, i))
		if body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	return id, found && id != ""
}

// firstID reads the "id" string of the first element of the array at i. ok is false where the value is not an
// array of objects or the id is missing or not a plain string.
func firstID(body []byte, i int) (id string, ok bool) {
	if body[i] != '[' {
		return "", false
	}
	i = skipSpace(body, i+1)
	if body[i] != '{' {
		return "", false
	}
	i = skipSpace(body, i+1)
	for body[i] != '}' {
		key, next, plain := member(body, i)
		if !plain {
			return "", false
		}
		i = next
		if bytes.EqualFold(key, []byte("id")) {
			if id != "" || body[i] != '"' {
				return "", false // twice, or not a string
			}
			end := bytes.IndexByte(body[i+1:], '"') + i + 1
			if !plainASCII(body[i+1 : end]) {
				return "", false
			}
			id = string(body[i+1 : end])
		}
		i = skipSpace(body, skipValue(body, i))
		if body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	return id, id != ""
}

// member reads the key of the object member at i and returns it and the index of its value. plain is false for
// a key with an escape or a byte beyond ASCII (encoding/json matches keys case-insensitively, with Unicode's
// folds), which the walk leaves to encoding/json.
func member(body []byte, i int) (key []byte, value int, plain bool) {
	end := bytes.IndexByte(body[i+1:], '"') + i + 1
	key = body[i+1 : end]
	if !plainASCII(key) {
		return nil, 0, false
	}
	i = skipSpace(body, end+1) // the colon
	return key, skipSpace(body, i+1), true
}

// plainASCII reports whether s holds no escape and no byte beyond ASCII (encoding/json would turn invalid UTF-8
// into U+FFFD).
func plainASCII(s []byte) bool {
	for _, c := range s {
		if c == '\\' || c >= 0x80 {
			return false
		}
	}
	return true
}

// skipValue returns the index just past the valid JSON value at i.
func skipValue(body []byte, i int) int {
	switch body[i] {
	case '"':
		return skipString(body, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch body[i] {
			case '"':
				i = skipString(body, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	default: // a number, true, false or null
		for i < len(body) && bytes.IndexByte([]byte(",}] \t\r\n"), body[i]) < 0 {
			i++
		}
		return i
	}
}

// skipString returns the index just past the string at i, escapes included.
func skipString(body []byte, i int) int {
	for i++; body[i] != '"'; i++ {
		if body[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// skipSpace returns the index of the first byte at or after i that is not JSON whitespace (len(body) at the
// end).
func skipSpace(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n') {
		i++
	}
	return i
}
