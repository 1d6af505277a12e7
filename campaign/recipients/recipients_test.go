package recipients

import (
	"bytes"
	"errors"
	"fmt"
	"herald/campaign/internal/fixtures"
	"herald/campaign/phone"
	"herald/campaign/status"
	"io"
	"io/fs"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// readAll reads every row of r; it fails the test on an error other than io.EOF.
func readAll(t *testing.T, r *Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
	}
}

func TestRecipientsFixtures(t *testing.T) {
	ragged := func(num, cells int, more bool) *status.Problem {
		if more {
			return &status.Problem{Code: status.CodeRaggedRow, Reason: fmt.Sprintf("row %d has %d cells, the header has 3: a "+
				"separator inside an unquoted cell? quote the cell or remove the extra separator", num, cells)}
		}
		return &status.Problem{Code: status.CodeRaggedRow, Reason: fmt.Sprintf("row %d has %d cells, the header has 3: add the "+
			"missing cells (an empty cell still needs its separator)", num, cells)}
	}
	quote := func(num, line, col int) *status.Problem {
		return &status.Problem{Code: status.CodeRaggedRow, Reason: fmt.Sprintf(`row %d has a misplaced " (line %d, column %d): `+
			`put a cell that contains " in quotes, write each " inside it as "", and close it with "`, num, line, col)}
	}
	tests := []struct {
		file   string
		sep    rune
		header []string
		phone  int
		rows   []Row
	}{
		{"bom_semicolon.csv", ';', []string{"name", "phone", "city"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"Zoë", "+44 7911 123456", "Zürich"}},
			{Num: 3, Line: 3, Fields: []string{"Raj", "+91 98765 43210", "Pune"}},
		}},
		{"utf16le_tabs.csv", '\t', []string{"name", "mobile", "note"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"José", "0044 7911 123456", "olá"}},
			{Num: 3, Line: 3, Fields: []string{"李", "+86 138 0013 8000", "你好"}},
		}},
		{"utf16be_tabs.csv", '\t', []string{"name", "mobile"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"José", "447911123456"}},
		}},
		{"crlf.csv", ',', []string{"name", "phone"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"Ann", "447911123456"}},
			{Num: 3, Line: 3, Fields: []string{"Bob", "12015550123"}},
		}},
		{"quoted_newline.csv", ',', []string{"name", "phone", "address"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"Smith, Ann", "447911123456", "1 High St\nLondon"}},
			{Num: 3, Line: 4, Fields: []string{"Bob", "12015550123", "2 Main St, \"Apt\" 3\nNew York\nUSA"}},
			{Num: 4, Line: 7, Fields: []string{"Cy", "4915123456789", "x"}},
		}},
		{"blank_rows.csv", ';', []string{"name", "phone"}, 1, []Row{
			{Num: 4, Line: 4, Fields: []string{"Ann", "447911123456"}},
			{Num: 8, Line: 8, Fields: []string{"Bob", "12015550123"}},
		}},
		{"ragged.csv", ',', []string{"name", "phone", "city"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"Ann", "447911123456", "London"}},
			{Num: 3, Line: 3, Fields: []string{"Bob", "12015550123", "New York", "NY"}, Problem: ragged(3, 4, true)},
			{Num: 4, Line: 4, Fields: []string{"Cy", "4915123456789"}, Problem: ragged(4, 2, false)},
			{Num: 5, Line: 5, Fields: []string{"Dee", "33612345678", "Paris"}},
		}},
		{"nul.csv", ',', []string{"name", "phone"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"Ann", "447911123456"}},
			{Num: 3, Line: 3, Fields: []string{"B\x00b", "12015550123"}, Problem: &status.Problem{Code: status.CodeNULByte,
				Reason: "row 3 contains a NUL byte, which text never has: export the file again as CSV UTF-8"}},
			{Num: 4, Line: 4, Fields: []string{"Cy", "4915123456789"}},
		}},
		{"windows1252.csv", ',', []string{"name", "phone"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"Ann", "447911123456"}},
			{Num: 3, Line: 3, Fields: []string{"Ren\xe9e", "33612345678"}, Problem: &status.Problem{Code: status.CodeNotUTF8,
				Reason: "row 3 is not UTF-8 text (the file may be Windows-1252): in Excel use Save As > CSV UTF-8"}},
			{Num: 4, Line: 4, Fields: []string{"Cy", "4915123456789"}},
		}},
		{"bare_quote.csv", ',', []string{"name", "phone"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{}, Problem: quote(2, 2, 5)},
			{Num: 3, Line: 3, Fields: []string{"Bob", "12015550123"}},
			{Num: 4, Line: 4, Fields: []string{}, Problem: quote(4, 4, 4)},
			{Num: 5, Line: 5, Fields: []string{"Dee", "33612345678"}},
		}},
		{"excel_scientific.csv", ',', []string{"name", "phone"}, 1, []Row{
			{Num: 2, Line: 2, Fields: []string{"Ann", "4.47911E+11"}},
			{Num: 3, Line: 3, Fields: []string{"Bob", "447911123456.0"}},
			{Num: 4, Line: 4, Fields: []string{"Cy", "4479111234567890"}},
			{Num: 5, Line: 5, Fields: []string{"Dee", "447911123456"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := Open("testdata/csv/"+tt.file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Separator() != tt.sep || !reflect.DeepEqual(r.Header(), tt.header) || r.PhoneIndex() != tt.phone {
				t.Errorf("separator %q, header %q, phone %d; want %q, %q, %d",
					r.Separator(), r.Header(), r.PhoneIndex(), tt.sep, tt.header, tt.phone)
			}
			if got := readAll(t, r); !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows:\n got %+v\nwant %+v", got, tt.rows)
			}
		})
	}
}

// TestExcelScientificNumbersAreReported reads the phone column of an Excel export and checks each number.
func TestExcelScientificNumbersAreReported(t *testing.T) {
	r, err := Open("testdata/csv/excel_scientific.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var codes []string
	for _, row := range readAll(t, r) {
		_, p := mustNormalizer(t).Normalize(row.Fields[r.PhoneIndex()])
		if p == nil {
			codes = append(codes, "ok")
		} else {
			codes = append(codes, p.Code)
		}
	}
	want := []string{status.CodeSpreadsheetNumber, status.CodeSpreadsheetNumber, status.CodeSpreadsheetNumber, "ok"}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("codes %q, want %q", codes, want)
	}
}

func TestRecipientsFileErrors(t *testing.T) {
	const utf8Fix = " - in Excel use Save As > CSV UTF-8"
	tests := []struct {
		name, file, content, phoneColumn, want string
	}{
		{name: "empty", file: "testdata/csv/empty.csv", want: "testdata/csv/empty.csv: is empty - export the " +
			"recipients again with a header row (for example name,phone) and one row per recipient"},
		{name: "only a BOM", file: "testdata/csv/bom_only.csv", want: "testdata/csv/bom_only.csv: is empty - " +
			"export the recipients again with a header row (for example name,phone) and one row per recipient"},
		{name: "blank lines", file: "testdata/csv/blank_only.csv", want: "testdata/csv/blank_only.csv: has no " +
			"header row, only blank lines - put the column names (for example name,phone) in the first row"},
		{name: "header only", file: "testdata/csv/header_only.csv", want: "testdata/csv/header_only.csv: has a " +
			"header row but no recipients - add one row per recipient below the header"},
		{name: "duplicate", file: "testdata/csv/duplicate_header.csv", want: "testdata/csv/duplicate_header.csv " +
			`row 1: the header names the column "phone" twice (columns B and D) - rename or delete one of them`},
		{name: "no phone column", file: "testdata/csv/missing_phone.csv", want: "testdata/csv/missing_phone.csv " +
			"row 1: the header has no phone column: no column is named phone, mobile, msisdn, whatsapp, wa_id, " +
			`number, recipient or to (its columns are "name", "tel", "city") - name the phone column "phone" in ` +
			"the header, or pass --phone-column with its name"},
		{name: "--phone-column not found", file: "testdata/csv/missing_phone.csv", phoneColumn: " mobile ",
			want: `testdata/csv/missing_phone.csv row 1: the header has no column named "mobile" (its columns are ` +
				`"name", "tel", "city") - pass --phone-column with one of these names`},
		{name: "old Mac line ends", file: "testdata/csv/mac_cr.csv", want: "testdata/csv/mac_cr.csv row 1: the " +
			"lines end with a lone carriage return (the old Mac format)" + utf8Fix},
		{name: "missing file", file: "testdata/csv/nope.csv", want: "testdata/csv/nope.csv: cannot be opened (no " +
			"such file or directory) - check the path given to --csv and the file's permissions"},
		{name: "directory", file: "testdata/csv", want: "testdata/csv: cannot be read (read testdata/csv: is a " +
			"directory) - check that --csv names a readable CSV file"},
		{name: "NUL in header", content: "na\x00me,phone\nAnn,447911123456\n", want: "in.csv row 1: the header " +
			"contains NUL bytes, so the file is not UTF-8 text (it may be UTF-16 without a byte-order mark)" + utf8Fix},
		{name: "UTF-16 without BOM", content: "n\x00,\x00p\x00h\x00o\x00n\x00e\x00\n\x00", want: "in.csv row 1: " +
			"the header contains NUL bytes, so the file is not UTF-8 text (it may be UTF-16 without a byte-order mark)" + utf8Fix},
		{name: "Windows-1252 header", content: "nom,t\xe9l\xe9phone\nAnn,447911123456\n", want: "in.csv row 1: the " +
			"header is not UTF-8 text (the file may be Windows-1252)" + utf8Fix},
		{name: "quote in header", content: "na\"me,phone\nAnn,447911123456\n", want: `in.csv row 1: the header ` +
			`has a misplaced " (line 1, column 3) - write the column names without quotes`},
		{name: "header after blank lines", content: "\n\nname,name\nAnn,447911123456\n", want: `in.csv row 3: the ` +
			`header names the column "name" twice (columns A and B) - rename or delete one of them`},
		{name: "Excel workbook", content: "PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", want: "in.csv: is an " +
			"Excel workbook (.xlsx) saved under a .csv name, not a CSV file - open it in Excel, choose File > Save " +
			`As (Save a Copy), pick the type "CSV UTF-8 (Comma delimited) (*.csv)" and give herald the new file`},
		{name: "old Excel workbook", content: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", want: "in.csv: is an " +
			"old Excel workbook (.xls) saved under a .csv name, not a CSV file - open it in Excel, choose File > " +
			`Save As (Save a Copy), pick the type "CSV UTF-8 (Comma delimited) (*.csv)" and give herald the new file`},
		{name: "LibreOffice spreadsheet", content: "PK\x03\x04\x14\x00\x00\x08mimetypeapplication/vnd.oasis." +
			"opendocument.spreadsheetPK", want: "in.csv: is a LibreOffice spreadsheet (.ods) saved under a .csv " +
			`name, not a CSV file - open it in LibreOffice Calc, choose File > Save As, pick "Text CSV (.csv)" and ` +
			`the character set "Unicode (UTF-8)", and give herald the new file`},
		{name: "only blank rows after the header", content: "name;phone\n;\n \n", want: "in.csv: has a header row " +
			"but no recipients - add one row per recipient below the header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{PhoneColumn: tt.phoneColumn}
			var err error
			if tt.file != "" {
				_, err = Open(tt.file, opts)
			} else {
				_, err = New(strings.NewReader(tt.content), "in.csv", opts)
			}
			var fileErr *FileError
			if !errors.As(err, &fileErr) || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
	if _, err := Open("testdata/csv/nope.csv", Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v does not wrap fs.ErrNotExist", err)
	}
}

// TestRecipientsQuoteNeverClosed: a quote left open swallows the rest of the file, so reading stops with a
// file-level error naming the line it opened on, instead of reporting one odd row.
func TestRecipientsQuoteNeverClosed(t *testing.T) {
	r, err := Open("testdata/csv/unterminated_quote.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if row, err := r.Next(); err != nil || row.Num != 2 || row.Problem != nil {
		t.Fatalf("first row %+v, %v", row, err)
	}
	_, err = r.Next()
	want := `testdata/csv/unterminated_quote.csv line 3: a quoted cell that starts here is never closed, so every ` +
		`line after it was read into that cell - add the missing closing quote (")`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestRecipientsRowTooLong: an unclosed quote in a big file stops reading after 1 MB instead of loading the file.
func TestRecipientsRowTooLong(t *testing.T) {
	src := &countingReader{r: io.MultiReader(strings.NewReader("name,phone\nAnn,447911123456\nBob,\"12015550123\n"),
		strings.NewReader(strings.Repeat("Cy,4915123456789\n", 1<<20)))}
	r, err := New(src, "big.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	want := `big.csv line 3: a row starting here is longer than 1 MB, most likely because a quoted cell is never ` +
		`closed - add the missing closing quote (")`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if src.n > maxRowBytes+2*peekSize {
		t.Errorf("read %d bytes of the input, want at most %d", src.n, maxRowBytes+2*peekSize)
	}
}

// TestRecipientsStreams: opening and reading a row reads a bounded prefix of the input, however long it is.
func TestRecipientsStreams(t *testing.T) {
	src := &countingReader{r: io.MultiReader(strings.NewReader("name,phone\n"),
		strings.NewReader(strings.Repeat("Ann,447911123456\n", 1<<20)))}
	r, err := New(src, "big.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 1000 {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if src.n > 2*peekSize {
		t.Errorf("read %d bytes for 1,000 rows, want at most %d", src.n, 2*peekSize)
	}
}

func TestRecipientsFieldsAreTheCallers(t *testing.T) {
	r, err := New(strings.NewReader("name,phone\nAnn,447911123456\nBob,12015550123\nCy,4915123456789\n"),
		"in.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	want := [][]string{{"Ann", "447911123456"}, {"Bob", "12015550123"}, {"Cy", "4915123456789"}}
	for i, row := range rows {
		if !reflect.DeepEqual(row.Fields, want[i]) {
			t.Errorf("row %d kept %q, want %q", i, row.Fields, want[i])
		}
	}
}

func TestRecipientsPhoneColumn(t *testing.T) {
	tests := []struct {
		header, option string
		want           int
	}{
		{"name,PHONE", "", 1},
		{"name,number,phone", "", 2},
		{"name,mobile,Phone Number", "", 2},
		{"name, WhatsApp Number ", "", 1},
		{"name,WA-ID", "", 1},
		{"name,mobile_phone", "", 1},
		{"name,to,recipient", "", 2},
		{"name,cell phone", "", 1},
		{"name,tel", " TEL ", 1},
		{"phone,tel", "tel", 1},
		{"\ufeffphone,name", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.header+"/"+tt.option, func(t *testing.T) {
			r, err := New(strings.NewReader(tt.header+"\n"+strings.Repeat("x,", strings.Count(tt.header, ","))+
				"x\n"), "in.csv", Options{PhoneColumn: tt.option})
			if err != nil {
				t.Fatal(err)
			}
			if r.PhoneIndex() != tt.want {
				t.Errorf("PhoneIndex = %d, want %d", r.PhoneIndex(), tt.want)
			}
		})
	}
}

func TestRecipientsBlankHeaderNames(t *testing.T) {
	r, err := New(strings.NewReader("name,phone,,\nAnn,447911123456,,\n"), "in.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"name", "phone", "", ""}; !reflect.DeepEqual(r.Header(), want) {
		t.Errorf("header %q, want %q", r.Header(), want)
	}
}

func TestDetectSeparator(t *testing.T) {
	tests := []struct {
		line string
		want rune
	}{
		{"name,phone\n", ','},
		{"name;phone;city\n", ';'},
		{"name\tphone\n", '\t'},
		{"\"last, first\";phone\n", ';'},
		{"\"a\nb\";phone\nx,y,z,w\n", ';'},
		{"\r\n\r\nname;phone\n", ';'},
		{"phone\nx,y\n", ','},
		{"a,b;c\n", ','},
		{"a;b\tc\n", ';'},
	}
	for _, tt := range tests {
		if got := detectSeparator([]byte(tt.line)); got != tt.want {
			t.Errorf("detectSeparator(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnLetter(i); got != want {
			t.Errorf("columnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

// generatedCSV is a recipients file of n rows with realistic numbers of many countries.
func generatedCSV(tb testing.TB, n int) []byte {
	numbers := fixtures.RealisticNumbers(10000)
	var b bytes.Buffer
	b.WriteString("name,phone,city,offer\r\n")
	for i := range n {
		fmt.Fprintf(&b, "Customer %d,%s,\"Springfield, %d\",SPRING%d\r\n", i, numbers[i%len(numbers)], i%50, i%7)
	}
	return b.Bytes()
}

// BenchmarkRecipients reads a 100,000-row CSV held in memory: reading alone, reading and normalizing each
// number on this goroutine, and reading on one goroutine while every core normalizes (as a preview does).
func BenchmarkRecipients(b *testing.B) {
	const rows = 100_000
	data := generatedCSV(b, rows)
	phones := mustNormalizer(b)
	run := func(b *testing.B, consume func(r *Reader) int) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for b.Loop() {
			r, err := New(bytes.NewReader(data), "bench.csv", Options{})
			if err != nil {
				b.Fatal(err)
			}
			if n := consume(r); n != rows {
				b.Fatalf("read %d rows, want %d", n, rows)
			}
		}
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(rows*b.N), "allocs/row")
	}
	b.Run("read", func(b *testing.B) {
		run(b, func(r *Reader) int { return len(readRows(b, r, nil)) })
	})
	b.Run("read+normalize", func(b *testing.B) {
		run(b, func(r *Reader) int {
			return len(readRows(b, r, func(row Row) { phones.Normalize(row.Fields[1]) }))
		})
	})
	b.Run("read+normalize on every core", func(b *testing.B) {
		run(b, func(r *Reader) int {
			batches := make(chan []Row, 4)
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for batch := range batches {
						for _, row := range batch {
							if _, p := phones.Normalize(row.Fields[1]); p != nil {
								b.Error(p.Reason)
							}
						}
					}
				}()
			}
			n, batch := 0, make([]Row, 0, 512)
			readRows(b, r, func(row Row) {
				n++
				if batch = append(batch, row); len(batch) == cap(batch) {
					batches <- batch
					batch = make([]Row, 0, 512)
				}
			})
			batches <- batch
			close(batches)
			wg.Wait()
			return n
		})
	})
}

// readRows reads every row of r, passing each to each (when not nil), and returns them.
func readRows(tb testing.TB, r *Reader, each func(Row)) []Row {
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil || row.Problem != nil {
			tb.Fatalf("row %d: %v %v", row.Num, err, row.Problem)
		}
		if each != nil {
			each(row)
		}
		rows = append(rows, row)
	}
}

// mustNormalizer is a phone normalizer with no default region.
func mustNormalizer(t testing.TB) *phone.Normalizer {
	t.Helper()
	n, err := phone.NewNormalizer("")
	if err != nil {
		t.Fatal(err)
	}
	return n
}
