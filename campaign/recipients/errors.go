package recipients

import (
	"bytes"
	"strconv"
)

// FileError is a problem with an input file as a whole: nothing in it can be used until the user fixes it. Its
// text is one paragraph: the file (with the row or line), what is wrong, and how to fix it.
type FileError struct {
	// File is the file's name as the user gave it.
	File string
	// Row is the spreadsheet row the problem is in, or 0; Line is the file line, or 0. At most one is set.
	Row, Line int
	// Msg says what is wrong, Fix how to fix it.
	Msg, Fix string
	// Err is the underlying error, if any.
	Err error
	// Columns are the CSV's columns when the problem is the phone column, so that a screen can offer them.
	Columns []string
}

// Error formats the problem as "file.csv row 1: what is wrong - how to fix it".
func (e *FileError) Error() string {
	where := e.File
	switch {
	case e.Row > 0:
		where += " row " + strconv.Itoa(e.Row)
	case e.Line > 0:
		where += " line " + strconv.Itoa(e.Line)
	}
	return where + ": " + e.Msg + " - " + e.Fix
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// Signatures of spreadsheet workbooks, which people save under a .csv name: a zip archive (Excel's .xlsx,
// LibreOffice's .ods) or an OLE compound file (Excel 97-2003's .xls).
var (
	zipSignature = []byte("PK\x03\x04")
	oleSignature = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	odsMimeType  = []byte("application/vnd.oasis.opendocument.spreadsheet")
)

// workbook returns a *FileError when start, the first bytes of the file called name, is a spreadsheet workbook
// rather than text: it says which program saved it and how to export CSV UTF-8 from it.
func workbook(start []byte, name string) error {
	const excelFix = `open it in Excel, choose File > Save As (Save a Copy), pick the type "CSV UTF-8 (Comma ` +
		`delimited) (*.csv)" and give herald the new file`
	switch {
	case bytes.HasPrefix(start, zipSignature) && bytes.Contains(start[:min(len(start), 256)], odsMimeType):
		return &FileError{File: name, Msg: "is a LibreOffice spreadsheet (.ods) saved under a .csv name, not a CSV file",
			Fix: `open it in LibreOffice Calc, choose File > Save As, pick "Text CSV (.csv)" and the character set ` +
				`"Unicode (UTF-8)", and give herald the new file`}
	case bytes.HasPrefix(start, zipSignature):
		return &FileError{File: name, Msg: "is an Excel workbook (.xlsx) saved under a .csv name, not a CSV file",
			Fix: excelFix}
	case bytes.HasPrefix(start, oleSignature):
		return &FileError{File: name, Msg: "is an old Excel workbook (.xls) saved under a .csv name, not a CSV file",
			Fix: excelFix}
	}
	return nil
}
