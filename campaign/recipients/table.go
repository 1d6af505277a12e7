package recipients

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// NewTable returns a CSV reader over in, read the way herald reads every CSV a user hands it: a UTF-8
// byte-order mark dropped, the separator (comma, semicolon or tab) detected from the first line, rows of any
// width. For the small tables beside a campaign: opt-out lists, delivery reports.
func NewTable(in io.Reader) (*csv.Reader, error) {
	br := bufio.NewReaderSize(in, peekSize)
	start, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if bytes.HasPrefix(start, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
		start = start[3:]
	}
	r := csv.NewReader(br)
	r.Comma, r.FieldsPerRecord = detectSeparator(start), -1
	return r, nil
}
