package itniotech

import (
	"testing"

	"herald/providers"
)

// TestCodeTable pins the class of every documented status code, row by row: changing a class in the table
// must be a decision, made here too.
func TestCodeTable(t *testing.T) {
	const (
		retry = providers.ClassRetryable
		perm  = providers.ClassPermanent
		fatal = providers.ClassFatal
	)
	want := map[string]providers.Class{
		"-1": fatal, "-2": fatal, "-4": retry, "-5": retry, "-6": fatal, "-7": perm, "-8": perm, "-10": fatal,
		"-11": fatal, "-12": perm, "-14": fatal, "-16": fatal, "-18": fatal, "-19": fatal, "-21": perm,
		"-23": fatal, "-24": fatal, "-32": fatal, "-33": fatal, "-34": fatal, "-37": fatal, "-38": fatal,
		"-40": fatal, "-68": fatal, "-69": perm, "-70": perm, "-71": perm, "-72": perm, "-74": fatal,
		"-75": fatal, "-76": fatal, "-77": fatal, "-78": fatal, "-82": fatal, "-83": perm, "-84": perm,
		"-86": fatal, "-87": fatal, "-88": fatal, "-89": fatal, "-90": fatal, "-91": fatal, "-92": fatal,
		"-93": fatal, "-94": fatal, "-95": fatal, "-96": fatal, "-97": fatal, "-99": fatal, "-100": fatal,
		"-101": perm, "-102": fatal, "-103": fatal, "-104": fatal, "-105": fatal, "-106": fatal, "-107": fatal,
		"-108": fatal, "-109": fatal, "-112": fatal, "-114": perm, "-115": perm, "-116": perm, "-117": perm,
		"-118": perm, "-119": perm, "-120": perm, "-121": perm, "-122": perm, "-123": perm, "-124": perm,
		"-125": perm, "-127": perm, "-128": perm, "-129": perm, "-132": fatal, "-133": perm, "-134": perm,
		"-135": perm,
	}
	if len(codes) != len(want) {
		t.Errorf("the table has %d codes, the test pins %d", len(codes), len(want))
	}
	for code, class := range want {
		t.Run(code, func(t *testing.T) {
			info, ok := codes[code]
			if !ok {
				t.Fatalf("code %s is missing from the table", code)
			}
			if info.class != class {
				t.Errorf("class = %v, want %v", info.class, class)
			}
			e := statusError(providers.Answer{Status: 200}, code, "reason text")
			if e.Class != class || e.Code != code || e.Message != info.sentence+` (Itniotech says "reason text")` {
				t.Errorf("statusError = %#v", e)
			}
		})
	}
}
