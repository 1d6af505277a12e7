package check

import (
	"context"
	"strings"
	"testing"

	"herald/campaign/phone"
	"herald/campaign/recipients"
	"herald/campaign/status"
	"herald/campaign/template"
)

// runCheck checks an in-memory CSV with a one-variable template and returns the rows by row number.
func runCheck(t *testing.T, csv, region string) map[int]Row {
	t.Helper()
	rec, err := recipients.New(strings.NewReader(csv), "people.csv", recipients.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Parse([]byte("name: t\nlanguage: en\nbody: \"Hi {{name}}\"\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := tpl.Bind(rec.Header())
	if err != nil {
		t.Fatal(err)
	}
	phones, err := phone.NewNormalizer(region)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[int]Row{}
	c := &Checker{Recipients: rec, Binding: b, Phones: phones}
	if _, err := c.Run(context.Background(), func(r *Row) error { rows[r.Num] = *r; return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestDuplicatesAcrossSpellings: the same number written five ways (international, 00, digits with the country
// code, national with --region GB, full-width digits) is one recipient: the first row is ready, the others are
// duplicates naming it. Duplicates are decided on the normalized number, never on the cell's digits.
func TestDuplicatesAcrossSpellings(t *testing.T) {
	csv := "name,phone\n" +
		"Olivia,+44 7400 123593\n" +
		"Olivia2,0044 7400 123593\n" +
		"Olivia3,447400123593\n" +
		"Olivia4,07400 123593\n" +
		"Olivia5,＋４４ ７４００ １２３５９３\n" +
		"Lukas,07400 123594\n"
	rows := runCheck(t, csv, "GB")
	if r := rows[2]; r.Status != status.Ready || r.Number != "447400123593" {
		t.Fatalf("row 2: %s %q, want ready 447400123593", r.Status, r.Number)
	}
	for num := 3; num <= 6; num++ {
		r := rows[num]
		if r.Status != status.Duplicate || r.Number != "447400123593" || !strings.Contains(r.Problem.Reason, "row 2") {
			t.Errorf("row %d: %s %q (%v), want a duplicate of row 2", num, r.Status, r.Number, r.Problem)
		}
	}
	if r := rows[7]; r.Status != status.Ready {
		t.Errorf("row 7, another number: %s", r.Status)
	}
}

// TestGuardsRunInFileOrderOnReadyRows: guards see only rows still ready after the duplicate check, in file
// order, and a guard's verdict is what the row ends with.
func TestGuardsRunInFileOrderOnReadyRows(t *testing.T) {
	csv := "name,phone\nA,+447400123593\nB,+447400123593\nC,+447400123595\nD,+447400123596\n"
	var seen []int
	rec, _ := recipients.New(strings.NewReader(csv), "p.csv", recipients.Options{})
	tpl, _ := template.Parse([]byte("name: t\nlanguage: en\nbody: \"Hi {{name}}\"\n"), "t.yaml")
	b, _ := tpl.Bind(rec.Header())
	phones, _ := phone.NewNormalizer("")
	c := &Checker{Recipients: rec, Binding: b, Phones: phones, Workers: 2, Guards: []Guard{func(r *Row) {
		seen = append(seen, r.Num)
		if r.Num == 4 {
			r.Status, r.Problem = status.Suppressed, &status.Problem{Code: status.CodeOptedOut, Reason: "opted out"}
		}
	}}}
	got := map[int]string{}
	if _, err := c.Run(context.Background(), func(r *Row) error { got[r.Num] = r.Status; return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 4, 5}; len(seen) != 3 || seen[0] != 2 || seen[1] != 4 || seen[2] != 5 {
		t.Errorf("guards saw rows %v, want %v (row 3 is a duplicate)", seen, want)
	}
	if got[4] != status.Suppressed || got[3] != status.Duplicate || got[5] != status.Ready {
		t.Errorf("statuses %v", got)
	}
}
