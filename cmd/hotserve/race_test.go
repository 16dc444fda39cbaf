//go:build race

package main

// raceEnabled says the tests run with the race detector, and so should the
// hotserve they start.
const raceEnabled = true
