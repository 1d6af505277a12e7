package human

import (
	"strings"
	"unicode/utf8"
)

// Closest returns the option nearest to name (ignoring case) when it is near enough to be a typo: at most a
// third of its characters differ.
func Closest(name string, options []string) (string, bool) {
	best, bestDist := "", -1
	for _, o := range options {
		d := editDistance(strings.ToLower(name), strings.ToLower(o))
		if (bestDist < 0 || d < bestDist) && d*3 <= max(utf8.RuneCountInString(name), utf8.RuneCountInString(o)) {
			best, bestDist = o, d
		}
	}
	return best, bestDist >= 0
}

// editDistance is the number of characters to insert, delete, replace or swap with their neighbour to turn a
// into b (optimal string alignment distance).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// rows[i%3][j] is the distance between ra[:i] and rb[:j].
	var rows [3][]int
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur, prev, prev2 := rows[i%3], rows[(i-1)%3], rows[(i+1)%3]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
	}
	return rows[len(ra)%3][len(rb)]
}
