package providers

import (
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString: any string is written byte for byte as encoding/json writes it.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `"quoted" \ back`, "<b>&amp;</b>", "tab\tnew\nline\rcr\bbs\fff\x00\x1f\x7f",
		"ünïcödé 中文 🎉", "\u2028\u2029", "\xff\xfe bad \xc3", "\xe2\x80", "ok\xe2\x80\xa8end"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got := AppendJSONString([]byte("prefix:"), s)
		if string(got) != "prefix:"+string(want) {
			t.Fatalf("%q:\n got %s\nwant prefix:%s", s, got, want)
		}
	})
}
