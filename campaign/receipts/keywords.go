package receipts

import (
	"strings"
	"unicode"
)

// DefaultKeywords are the replies that opt a number out when they are the whole text, whatever the case.
var DefaultKeywords = []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}

// Keywords recognises opt-out replies: the default keywords and the config's optout_keywords.
type Keywords struct {
	words map[string]bool
}

// NewKeywords returns the default keywords plus extra (the config's optout_keywords).
func NewKeywords(extra []string) Keywords {
	k := Keywords{words: map[string]bool{}}
	for _, w := range append(append([]string(nil), DefaultKeywords...), extra...) {
		if w = normalizeReply(w); w != "" {
			k.words[w] = true
		}
	}
	return k
}

// Match reports whether a reply's whole text is an opt-out keyword: compared ignoring case, surrounding
// spaces and punctuation ("Stop." and " stop! " opt out; "stop sending me offers" does not).
func (k Keywords) Match(text string) bool {
	return k.words[normalizeReply(text)]
}

// normalizeReply folds a reply for comparison: upper case, without surrounding spaces and punctuation.
func normalizeReply(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	return strings.ToUpper(s)
}
