// Package words holds the small English the command and the server both
// print.
package words

// Plural picks one or many by n: "1 tab", "3 tabs" are
// fmt.Sprintf("%d %s", n, Plural(n, "tab", "tabs")).
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
