package recipients

import (
	"bytes"
	"errors"
	"herald/campaign/phone"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzRecipients reads arbitrary bytes as a recipients file. It never panics; a file is refused with a
// *FileError or read to the end, rows numbered in increasing order, each with one cell per header column unless
// it has a problem; every phone cell normalizes to digits or a problem.
func FuzzRecipients(f *testing.F) {
	fixtures, err := filepath.Glob("testdata/csv/*.csv")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("phone\n\"\"\"\n\"\n,\n"))
	f.Add([]byte("a;phone\tb\r\n\r\n;\"x\r\ny\";\n\"z\"\"\";1\n"))
	phones, err := phone.NewNormalizer("GB")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := New(bytes.NewReader(data), "fuzz.csv", Options{})
		if err != nil {
			var fileErr *FileError
			if !errors.As(err, &fileErr) || fileErr.Msg == "" || fileErr.Fix == "" {
				t.Fatalf("NewRecipients: %v (%T), want a *FileError with a message and a fix", err, err)
			}
			return
		}
		header := r.Header()
		if len(header) == 0 || r.PhoneIndex() < 0 || r.PhoneIndex() >= len(header) ||
			!slices.Contains([]rune{',', ';', '\t'}, r.Separator()) {
			t.Fatalf("header %q, phone %d, separator %q", header, r.PhoneIndex(), r.Separator())
		}
		lastNum, lastLine := 1, 1 // the header is at least row 1, line 1
		for rows := 0; ; rows++ {
			if rows > len(data) {
				t.Fatalf("more rows (%d) than bytes", rows)
			}
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				var fileErr *FileError
				if !errors.As(err, &fileErr) {
					t.Fatalf("Next: %v (%T), want a *FileError", err, err)
				}
				return
			}
			if row.Num <= lastNum || row.Line <= lastLine || row.Num-lastNum > row.Line-lastLine {
				t.Fatalf("row %d at line %d follows row %d at line %d", row.Num, row.Line, lastNum, lastLine)
			}
			lastNum, lastLine = row.Num, row.Line
			if row.Problem != nil {
				continue
			}
			if len(row.Fields) != len(header) {
				t.Fatalf("row %d has %d fields, header %d, and no problem", row.Num, len(row.Fields), len(header))
			}
			if digits, p := phones.Normalize(row.Fields[r.PhoneIndex()]); (digits == "") == (p == nil) {
				t.Fatalf("Normalize(%q) = %q, %v", row.Fields[r.PhoneIndex()], digits, p)
			}
		}
	})
}
