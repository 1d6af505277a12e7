package innopaas

import (
	"strconv"
	"testing"

	"herald/providers"
)

// TestCodeTable checks each row of the code table against the class written here independently, and that a
// documented code is classified from an HTTP 200 answer by the table alone.
func TestCodeTable(t *testing.T) {
	want := map[string]providers.Class{
		"101": providers.ClassFatal,
		"102": providers.ClassFatal,
		"105": providers.ClassFatal,
		"108": providers.ClassPermanent,
		"109": providers.ClassPermanent,
		"110": providers.ClassFatal,
		"114": providers.ClassFatal,
		"118": providers.ClassFatal,

		"130429": providers.ClassRateLimited,
		"131026": providers.ClassPermanent,
		"131047": providers.ClassPermanent,
		"131049": providers.ClassPermanent,
		"131056": providers.ClassRetryable,
		"132000": providers.ClassPermanent,
		"132001": providers.ClassFatal,
		"132018": providers.ClassPermanent,
	}
	if len(codeTable) != len(want) {
		t.Errorf("the table has %d codes, the test knows %d: keep them in step", len(codeTable), len(want))
	}
	for code, class := range want {
		t.Run(code, func(t *testing.T) {
			row, ok := codeTable[code]
			if !ok {
				t.Fatalf("code %s is missing from the table", code)
			}
			if row.class != class || row.human == "" {
				t.Errorf("row = %s %q, want class %s and a sentence", row.class, row.human, class)
			}
			body := `{"code":` + code + `,"message":"m"}`
			_, err := parseAnswer(providers.Answer{Status: 200, Body: []byte(body)})
			pe := asProviderError(t, err)
			if pe.Class != class || pe.Code != code || pe.Message != row.human+` (InnoPaaS: "m")` {
				t.Errorf("answer %s -> %s %q %q", body, pe.Class, pe.Code, pe.Message)
			}
			quoted := `{"code":` + strconv.Quote(code) + `}`
			if _, err := parseAnswer(providers.Answer{Status: 200, Body: []byte(quoted)}); providers.Classify(err) != class {
				t.Errorf("answer %s -> %v, want class %s", quoted, err, class)
			}
		})
	}
}
