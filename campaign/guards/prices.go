package guards

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/gocarina/gocsv"
	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/currency"

	"herald/campaign/template"
)

// priceColumns are the price file's columns, in any order.
var priceColumns = []string{"country", "category", "price", "currency"}

// priceRow is one line of the price file as gocsv reads it.
type priceRow struct {
	Country  string `csv:"country"`
	Category string `csv:"category"`
	Price    string `csv:"price"`
	Currency string `csv:"currency"`
}

// price is one country's price of a message of one category.
type price struct {
	micros   int64
	currency string
}

// Prices is a price table: what one message of each category costs in each country.
type Prices struct {
	// Path is the file it was read from.
	Path    string
	byKey   map[string]price
	regions map[string]bool
}

// priceKey is the table's key of a country and a category.
func priceKey(country, category string) string { return country + "/" + category }

// LoadPrices reads a price file: a CSV with the columns country (ISO 3166 alpha-2), category (marketing,
// utility, authentication), price (per message, such as 0.0250) and currency (ISO 4217, such as USD), comma
// or semicolon separated, with or without a byte order mark; lines starting with # are comments. Errors name
// the file, the line and the fix.
func LoadPrices(path string) (*Prices, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--prices %s: %w; pass the path of a price CSV (see templates/prices.example.csv)", path, err)
	}
	records, lines, err := priceRecords(data)
	if err != nil {
		return nil, fmt.Errorf("--prices %s: %w", path, err)
	}
	var rows []priceRow
	if err := gocsv.UnmarshalCSV(&recordReader{records: records}, &rows); err != nil {
		return nil, fmt.Errorf("--prices %s: %w", path, err)
	}
	p := &Prices{Path: path, byKey: map[string]price{}, regions: map[string]bool{}}
	first := map[string]int{}
	for i, r := range rows {
		line := lines[i+1]
		fail := func(format string, a ...any) error {
			return fmt.Errorf("--prices %s line %d: %s", path, line, fmt.Sprintf(format, a...))
		}
		country := strings.ToUpper(strings.TrimSpace(r.Country))
		if !phonenumbers.GetSupportedRegions()[country] {
			hint := ""
			if country == "UK" {
				hint = " (the United Kingdom is GB)"
			}
			return nil, fail("country %q is not an ISO 3166 alpha-2 code%s: write two letters such as GB, IN or BR", r.Country, hint)
		}
		category := strings.ToLower(strings.TrimSpace(r.Category))
		if !slices.Contains(template.Categories, category) {
			return nil, fail("category %q: write one of %s", r.Category, strings.Join(template.Categories, ", "))
		}
		micros, err := parseMicros(r.Price)
		if err != nil {
			return nil, fail("price %v", err)
		}
		code := strings.ToUpper(strings.TrimSpace(r.Currency))
		if _, err := currency.ParseISO(code); err != nil || len(code) != 3 {
			return nil, fail("currency %q is not an ISO 4217 code: write three letters such as USD, EUR or INR", r.Currency)
		}
		key := priceKey(country, category)
		if prev, dup := first[key]; dup {
			return nil, fail("%s %s already has a price on line %d: keep one of them", country, category, prev)
		}
		first[key] = line
		p.byKey[key] = price{micros: micros, currency: code}
		p.regions[country] = true
	}
	if len(p.byKey) == 0 {
		return nil, fmt.Errorf("--prices %s: no prices: add one line per country and category under the header %s",
			path, strings.Join(priceColumns, ","))
	}
	return p, nil
}

// priceRecords splits the file into records with a lower-case header, checked for the four columns, and the
// line each record starts on.
func priceRecords(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment, r.FieldsPerRecord = '#', -1
	for rest := data; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			continue
		}
		if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
			r.Comma = ';'
		}
		break
	}
	var records [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("not a readable CSV (%w): save it as CSV with a header row", err)
		}
		line, _ := r.FieldPos(0)
		records, lines = append(records, rec), append(lines, line)
	}
	if len(records) == 0 {
		return nil, nil, errors.New("the file is empty: write the header country,category,price,currency and one line per price")
	}
	for i, h := range records[0] {
		records[0][i] = strings.ToLower(strings.TrimSpace(h))
	}
	var missing []string
	for _, c := range priceColumns {
		if !slices.Contains(records[0], c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("line 1: the header has no %s column: the header is %s",
			strings.Join(missing, ", "), strings.Join(priceColumns, ","))
	}
	for i, rec := range records[1:] {
		if len(rec) != len(records[0]) {
			return nil, nil, fmt.Errorf("line %d has %d cells, the header %d: one cell per column", lines[i+1],
				len(rec), len(records[0]))
		}
	}
	return records, lines, nil
}

// recordReader hands records already read to gocsv.
type recordReader struct {
	records [][]string
	next    int
}

// Read implements gocsv.CSVReader.
func (r *recordReader) Read() ([]string, error) {
	if r.next >= len(r.records) {
		return nil, io.EOF
	}
	r.next++
	return r.records[r.next-1], nil
}

// ReadAll implements gocsv.CSVReader.
func (r *recordReader) ReadAll() ([][]string, error) {
	rest := r.records[r.next:]
	r.next = len(r.records)
	return rest, nil
}

// Estimate returns an empty estimate of messages of category.
func (p *Prices) Estimate(category string) *Estimate {
	return &Estimate{Category: category, prices: p, byRegion: map[string]int{}}
}
