package check

import "strconv"

// numberSet remembers the numbers seen so far and the row of each, for duplicate detection over files of
// millions of rows. A normalized number has at most 15 digits and fits a uint64 (never 0: country codes do not
// start with 0), so the set is an open-addressing table of parallel key and row arrays: 12 bytes a slot, a third
// of what a Go map of the same entries holds.
type numberSet struct {
	keys  []uint64
	rows  []int32
	count int
	shift uint
}

const numberSetMinBits = 10

func newNumberSet() *numberSet {
	s := &numberSet{}
	s.resize(numberSetMinBits)
	return s
}

func (s *numberSet) resize(bits uint) {
	old, oldRows := s.keys, s.rows
	s.keys, s.rows, s.shift, s.count = make([]uint64, 1<<bits), make([]int32, 1<<bits), 64-bits, 0
	for i, k := range old {
		if k != 0 {
			s.insert(k, oldRows[i])
		}
	}
}

// slot is where key is, or the empty slot where it would go (linear probing after a Fibonacci hash).
func (s *numberSet) slot(key uint64) int {
	mask := len(s.keys) - 1
	i := int((key * 0x9E3779B97F4A7C15) >> s.shift)
	for s.keys[i] != 0 && s.keys[i] != key {
		i = (i + 1) & mask
	}
	return i
}

func (s *numberSet) insert(key uint64, row int32) {
	i := s.slot(key)
	s.keys[i], s.rows[i] = key, row
	s.count++
}

// add records number at row and returns the first row that had it and whether this is a repeat.
func (s *numberSet) add(number string, row int) (int, bool) {
	key, err := strconv.ParseUint(number, 10, 64)
	if err != nil || key == 0 {
		return 0, false
	}
	i := s.slot(key)
	if s.keys[i] == key {
		return int(s.rows[i]), true
	}
	s.keys[i], s.rows[i] = key, int32(row)
	s.count++
	if s.count*5 > len(s.keys)*4 { // keep the load under 0.8 so probes stay short
		s.resize(uint(64-s.shift) + 1)
	}
	return row, false
}
