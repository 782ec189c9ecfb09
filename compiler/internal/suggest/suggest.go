// Package suggest finds the candidate a misspelled name was meant to be,
// for "did you mean …" hints.
package suggest

import "strings"

// Closest returns the candidate nearest to name by edit distance,
// ignoring case, or "" when none is near enough to be a likely typo.
func Closest(name string, candidates []string) string {
	best, bestDist := "", -1
	ln := strings.ToLower(name)
	for _, c := range candidates {
		d := distance(ln, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > threshold(name) {
		return ""
	}
	return best
}

// threshold allows about one edit per three runes, at least one.
func threshold(name string) int {
	n := len([]rune(name))/3 + 1
	if n > 3 {
		n = 3
	}
	return n
}

// DidYouMean formats the hint ("; did you mean \"x\"?") or "" when none.
func DidYouMean(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" && c != name {
		return "; did you mean \"" + c + "\"?"
	}
	return ""
}

// distance is the Damerau-Levenshtein (optimal string alignment) distance.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
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
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
