package check

import (
	"strconv"
	"testing"
)

func TestNumberSetRemembersFirstRowAcrossGrowth(t *testing.T) {
	s := newNumberSet()
	const n = 50000 // many resizes from 1,024 slots
	for i := 0; i < n; i++ {
		if first, dup := s.add(strconv.Itoa(447400000000+i*7), i+2); dup || first != i+2 {
			t.Fatalf("number %d reported as a repeat of row %d", i, first)
		}
	}
	for i := 0; i < n; i++ {
		if first, dup := s.add(strconv.Itoa(447400000000+i*7), n+i+2); !dup || first != i+2 {
			t.Fatalf("number %d: first row %d dup %v, want %d true", i, first, dup, i+2)
		}
	}
	if s.count != n {
		t.Fatalf("count %d", s.count)
	}
	if _, dup := s.add("", 1); dup {
		t.Fatal("an empty number is never a duplicate")
	}
}
