package store

import (
	"encoding/binary"
	"errors"
)

// appendFields appends the compact encoding of fields to dst: the count, then each cell's length and bytes,
// lengths as unsigned varints.
func appendFields(dst []byte, fields []string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(fields)))
	for _, f := range fields {
		dst = binary.AppendUvarint(dst, uint64(len(f)))
		dst = append(dst, f...)
	}
	return dst
}

// decodeFields reverses appendFields; the cells share one string allocation.
func decodeFields(b []byte) ([]string, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, errors.New("stored cells are corrupt")
	}
	all := string(b)
	fields := make([]string, n)
	for i := range fields {
		size, m := binary.Uvarint(b[k:])
		if m <= 0 || size > uint64(len(b)-k-m) {
			return nil, errors.New("stored cells are corrupt")
		}
		k += m
		fields[i] = all[k : k+int(size)]
		k += int(size)
	}
	if k != len(b) {
		return nil, errors.New("stored cells are corrupt")
	}
	return fields, nil
}
