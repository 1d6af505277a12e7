package guards

import (
	"slices"
	"strconv"
)

// numberList is a set of normalized numbers held as sorted integers: 8 bytes a number, so a frequency cap
// over the million numbers of last week's campaign stays small. A normalized number has at most 15 digits
// and never starts with 0, so it fits a uint64 and two numbers never share a key.
type numberList struct {
	keys []uint64
}

// numberKey is a normalized number as an integer; ok is false for anything else.
func numberKey(number string) (uint64, bool) {
	k, err := strconv.ParseUint(number, 10, 64)
	return k, err == nil && k != 0
}

// add puts a number in the list; seal must be called before contains.
func (l *numberList) add(number string) {
	if k, ok := numberKey(number); ok {
		l.keys = append(l.keys, k)
	}
}

// seal sorts the list and drops repeats.
func (l *numberList) seal() {
	slices.Sort(l.keys)
	l.keys = slices.Compact(l.keys)
}

// contains reports whether number is in the (sealed) list.
func (l *numberList) contains(number string) bool {
	k, ok := numberKey(number)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(l.keys, k)
	return found
}

// len is how many distinct numbers the sealed list holds.
func (l *numberList) len() int { return len(l.keys) }
