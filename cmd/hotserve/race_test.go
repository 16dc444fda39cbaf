//go:build race

package main

// The hotserve the tests run is built with the race detector when the tests
// are; elsewhere (linux/386, say) there is none to build with.
func init() { buildFlags = append(buildFlags, "-race") }
