package recipients

import "strconv"

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
