package recipients

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"herald/campaign/status"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Options says how to read a recipients CSV.
type Options struct {
	// PhoneColumn names the column that holds the numbers (the --phone-column flag), matched ignoring case and
	// surrounding spaces. "" picks the column named by the first of these that the header has: phone,
	// phone number, mobile, mobile number, mobile phone, msisdn, whatsapp, whatsapp number, wa_id, number,
	// recipient, to, cell phone. There a header matches ignoring case, spaces, '_', '-' and '.': "Phone_Number"
	// and "PHONE NUMBER" are "phone number", "WA-ID" is "wa_id".
	PhoneColumn string
}

// phoneColumnNames are the names the phone column is found by, most preferred first, in columnKey form.
var phoneColumnNames = []string{"phone", "phonenumber", "mobile", "mobilenumber", "mobilephone", "msisdn",
	"whatsapp", "whatsappnumber", "waid", "number", "recipient", "to", "cellphone"}

// Row is one recipient row of the CSV.
type Row struct {
	// Num is the row's number as a spreadsheet shows it: the header is row 1, blank lines count as rows.
	Num int
	// Line is the file line where the row starts (a quoted cell may span lines).
	Line int
	// Fields are the row's cells, one per header column unless Problem is set. The slice is the caller's.
	Fields []string
	// Problem is why the row cannot be used (status.CodeRaggedRow, status.CodeNotUTF8, status.CodeNULByte), nil when it can.
	Problem *status.Problem
}

// Reader streams the rows of a recipients CSV: UTF-8 with or without a byte-order mark, or UTF-16 with one
// (Excel's "Unicode text"); comma, semicolon or tab separated, detected from the header; CRLF or LF line ends.
// Blank rows (nothing but separators and spaces) are skipped. Header cells left blank are allowed (Excel leaves
// them above unused columns): their name is "", so nothing can refer to them.
type Reader struct {
	name    string
	closer  io.Closer
	limit   *rowLimiter
	in      *bufio.Reader // what csv reads from
	csv     *csv.Reader
	header  []string
	phone   int
	sep     rune
	num     int  // spreadsheet row of the last record read
	endLine int  // file line where the last record read ends
	pending *Row // the first data row, read ahead to tell a file without recipients
}

// Open opens the CSV file at path; see New. Close it when done.
func Open(path string, opts Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		var pathErr *os.PathError
		cause := err
		if errors.As(err, &pathErr) {
			cause = pathErr.Err
		}
		return nil, &FileError{File: path, Msg: "cannot be opened (" + cause.Error() + ")",
			Fix: "check the path given to --csv and the file's permissions", Err: err}
	}
	r, err := New(f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// New reads the header of a recipients CSV from in, which name names in messages. It returns a
// *FileError when the file cannot be used at all: empty, no header, a column name twice (ignoring case), no
// phone column, no recipient rows, not UTF-8 text.
func New(in io.Reader, name string, opts Options) (*Reader, error) {
	r := &Reader{name: name, limit: &rowLimiter{r: in}}
	br := bufio.NewReaderSize(r.limit, peekSize)
	head, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, r.readError(err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte("\xFF\xFE")) || bytes.HasPrefix(head, []byte("\xFE\xFF")):
		utf16 := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, utf16), peekSize)
	}
	start, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, r.readError(err)
	}
	if len(start) == 0 {
		return nil, &FileError{File: name, Msg: "is empty", Fix: "export the recipients again with a header row " +
			"(for example name,phone) and one row per recipient"}
	}
	if err := workbook(start, name); err != nil {
		return nil, err
	}
	r.sep = detectSeparator(start)
	r.in, r.csv = br, csv.NewReader(br) // br is big enough for csv to read from it directly
	r.csv.Comma, r.csv.FieldsPerRecord, r.csv.ReuseRecord = r.sep, -1, true
	if err := r.readHeader(opts); err != nil {
		return nil, err
	}
	first, err := r.next()
	if errors.Is(err, io.EOF) {
		return nil, &FileError{File: name, Msg: "has a header row but no recipients",
			Fix: "add one row per recipient below the header"}
	}
	if err != nil {
		return nil, err
	}
	r.pending = &first
	return r, nil
}

// peekSize is how much of the file the separator is detected from; the header line should fit in it.
const peekSize = 64 << 10

// Header returns the column names, trimmed of spaces and a byte-order mark. The slice is shared: do not modify it.
func (r *Reader) Header() []string { return r.header }

// PhoneIndex returns the index of the phone column in Header and Row.Fields.
func (r *Reader) PhoneIndex() int { return r.phone }

// Separator returns the detected separator: ',', ';' or '\t'.
func (r *Reader) Separator() rune { return r.sep }

// Next returns the next row, or io.EOF after the last one. Rows that cannot be used come with a Problem and
// reading goes on; a *FileError means the rest of the file cannot be read.
func (r *Reader) Next() (Row, error) {
	if r.pending != nil {
		row := *r.pending
		r.pending = nil
		return row, nil
	}
	return r.next()
}

// Close closes the file Open opened; it does nothing for New.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

// next reads the next row and checks it.
func (r *Reader) next() (Row, error) {
	row, parseErr, err := r.record()
	switch {
	case err != nil:
		return Row{}, err
	case parseErr == nil:
		row.Problem = r.check(row)
	case parseErr.Line > parseErr.StartLine && r.atEOF():
		return Row{}, &FileError{File: r.name, Line: row.Line, Msg: "a quoted cell that starts here is never " +
			"closed, so every line after it was read into that cell", Fix: `add the missing closing quote (")`}
	default:
		row.Problem = &status.Problem{Code: status.CodeRaggedRow, Reason: fmt.Sprintf(`row %d has a misplaced " (line %d, `+
			`column %d): put a cell that contains " in quotes, write each " inside it as "", and close it with "`,
			row.Num, parseErr.Line, parseErr.Column)}
	}
	return row, nil
}

// record reads the next record that is not blank, numbered as a spreadsheet numbers it. A record encoding/csv
// could not parse comes with its *csv.ParseError; reading can go on after it.
func (r *Reader) record() (Row, *csv.ParseError, error) {
	for {
		r.limit.n = 0
		fields, err := r.csv.Read()
		var start, end int
		parseErr, _ := err.(*csv.ParseError) // unwrapped, as encoding/csv returns it; errors.As would allocate per row
		switch {
		case errors.Is(err, io.EOF):
			return Row{}, nil, io.EOF
		case errors.Is(err, errRowTooLong):
			return Row{}, nil, &FileError{File: r.name, Line: r.endLine + 1, Msg: fmt.Sprintf("a row starting "+
				"here is longer than %d MB, most likely because a quoted cell is never closed", maxRowBytes>>20),
				Fix: `add the missing closing quote (")`}
		case parseErr != nil:
			start, end = parseErr.StartLine, parseErr.Line
		case err != nil:
			return Row{}, nil, r.readError(err)
		default:
			start, _ = r.csv.FieldPos(0)
			end, _ = r.csv.FieldPos(len(fields) - 1)
			end += strings.Count(fields[len(fields)-1], "\n")
		}
		r.num += start - r.endLine // blank lines in between are rows too
		r.endLine = end
		if parseErr == nil && blank(fields) {
			continue
		}
		return Row{Num: r.num, Line: start, Fields: slices.Clone(fields)}, parseErr, nil
	}
}

// atEOF reports whether the csv reader has consumed the whole input.
func (r *Reader) atEOF() bool {
	_, err := r.in.Peek(1)
	return errors.Is(err, io.EOF)
}

// check finds what makes a well-formed row unusable.
func (r *Reader) check(row Row) *status.Problem {
	for _, f := range row.Fields {
		if strings.IndexByte(f, 0) >= 0 {
			return &status.Problem{Code: status.CodeNULByte, Reason: fmt.Sprintf("row %d contains a NUL byte, which text never "+
				"has: export the file again as CSV UTF-8", row.Num)}
		}
		if !utf8.ValidString(f) {
			return &status.Problem{Code: status.CodeNotUTF8, Reason: fmt.Sprintf("row %d is not UTF-8 text (the file may be "+
				"Windows-1252): in Excel use Save As > CSV UTF-8", row.Num)}
		}
	}
	switch n, want := len(row.Fields), len(r.header); {
	case n > want:
		return &status.Problem{Code: status.CodeRaggedRow, Reason: fmt.Sprintf("row %d has %d cells, the header has %d: a "+
			"separator inside an unquoted cell? quote the cell or remove the extra separator", row.Num, n, want)}
	case n < want:
		return &status.Problem{Code: status.CodeRaggedRow, Reason: fmt.Sprintf("row %d has %d cells, the header has %d: add "+
			"the missing cells (an empty cell still needs its separator)", row.Num, n, want)}
	}
	return nil
}

// blank reports whether a record holds nothing but spaces.
func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// readError is a failure to read the file itself.
func (r *Reader) readError(err error) error {
	return &FileError{File: r.name, Msg: "cannot be read (" + err.Error() + ")",
		Fix: "check that --csv names a readable CSV file", Err: err}
}

// maxRowBytes caps the bytes one row may take, so that a quote that is never closed cannot pull the rest of a
// large file into memory.
const maxRowBytes = 1 << 20

var errRowTooLong = errors.New("a row is longer than the limit")

// rowLimiter fails once more than maxRowBytes were read since n was last reset, which record does per row.
type rowLimiter struct {
	r io.Reader
	n int
}

// Read reads from the file unless the row being read is already too long.
func (l *rowLimiter) Read(p []byte) (int, error) {
	if l.n > maxRowBytes {
		return 0, errRowTooLong
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}
