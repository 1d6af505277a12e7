package recipients

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// readHeader reads the header row, checks its names and finds the phone column.
func (r *Reader) readHeader(opts Options) error {
	row, parseErr, err := r.record()
	switch {
	case errors.Is(err, io.EOF):
		return &FileError{File: r.name, Msg: "has no header row, only blank lines",
			Fix: "put the column names (for example name,phone) in the first row"}
	case err != nil:
		return err
	case parseErr != nil:
		return &FileError{File: r.name, Row: row.Num, Msg: fmt.Sprintf(`the header has a misplaced " (line %d, `+
			`column %d)`, parseErr.Line, parseErr.Column), Fix: "write the column names without quotes"}
	}
	for i, name := range row.Fields {
		var what string
		switch {
		case strings.IndexByte(name, 0) >= 0:
			what = "the header contains NUL bytes, so the file is not UTF-8 text (it may be UTF-16 without a byte-order mark)"
		case !utf8.ValidString(name):
			what = "the header is not UTF-8 text (the file may be Windows-1252)"
		case strings.Contains(name, "\r"):
			what = "the lines end with a lone carriage return (the old Mac format)"
		}
		if what != "" {
			return &FileError{File: r.name, Row: row.Num, Msg: what, Fix: "in Excel use Save As > CSV UTF-8"}
		}
		row.Fields[i] = strings.TrimSpace(strings.TrimPrefix(name, "\uFEFF"))
	}
	r.header = row.Fields
	seen := make(map[string]int, len(r.header)) // lower-cased name: its column
	for i, name := range r.header {
		if name == "" {
			continue
		}
		if j, dup := seen[strings.ToLower(name)]; dup {
			return &FileError{File: r.name, Row: row.Num, Msg: fmt.Sprintf("the header names the column %q twice "+
				"(columns %s and %s)", name, columnLetter(j), columnLetter(i)), Fix: "rename or delete one of them"}
		}
		seen[strings.ToLower(name)] = i
	}
	if r.phone = r.phoneColumn(opts.PhoneColumn); r.phone >= 0 {
		return nil
	}
	if opts.PhoneColumn != "" {
		return &FileError{File: r.name, Row: row.Num, Msg: fmt.Sprintf("the header has no column named %q (its "+
			"columns are %s)", strings.TrimSpace(opts.PhoneColumn), r.columnList()),
			Fix: "pass --phone-column with one of these names", Columns: r.header}
	}
	return &FileError{File: r.name, Row: row.Num, Msg: "the header has no phone column: no column is named " +
		"phone, mobile, msisdn, whatsapp, wa_id, number, recipient or to (its columns are " + r.columnList() + ")",
		Fix: "name the phone column \"phone\" in the header, or pass --phone-column with its name", Columns: r.header}
}

// phoneColumn returns the index of the phone column, -1 when there is none.
func (r *Reader) phoneColumn(name string) int {
	if name = strings.TrimSpace(name); name != "" {
		return slices.IndexFunc(r.header, func(s string) bool { return strings.EqualFold(s, name) })
	}
	keys := make([]string, len(r.header))
	for i, h := range r.header {
		keys[i] = columnKey(h)
	}
	for _, want := range phoneColumnNames {
		if i := slices.Index(keys, want); i >= 0 {
			return i
		}
	}
	return -1
}

// columnKey is a column name lower-cased without spaces, '_', '-' and '.', as phone column names are compared.
func columnKey(name string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' || r == '-' || r == '.' {
			return -1
		}
		return unicode.ToLower(r)
	}, name)
}

// columnList lists the header's names, quoted, for messages (at most 20).
func (r *Reader) columnList() string {
	const most = 20
	var names []string
	for _, h := range r.header[:min(len(r.header), most)] {
		names = append(names, strconv.Quote(h))
	}
	list := strings.Join(names, ", ")
	if len(r.header) > most {
		list += fmt.Sprintf(" and %d more", len(r.header)-most)
	}
	return list
}

// columnLetter is a 0-based column index as a spreadsheet names it: A, B, ..., Z, AA, AB, ...
func columnLetter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// detectSeparator picks the header line's separator: the most frequent of ',', ';' and tab outside quotes,
// preferring them in that order on a tie; ',' when there is none (a single column).
func detectSeparator(start []byte) rune {
	separators := [...]rune{',', ';', '\t'}
	var counts [len(separators)]int
	quoted := false
scan:
	for _, c := range bytes.TrimLeft(start, "\r\n") {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			break scan
		default:
			if i := slices.Index(separators[:], rune(c)); i >= 0 {
				counts[i]++
			}
		}
	}
	best := 0
	for i := range counts {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return separators[best]
}
