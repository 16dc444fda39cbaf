// Package testenv is what hotserve's tests need from the machine they run
// on: free loopback ports, programs built for them, and Chromium. As in Go's
// own internal/testenv, it decides in one place when a test that lacks
// something skips and when it fails.
//
// It builds for every target: the tests that import it also run as
// windows binaries under Wine and as arm64 ones under qemu.
package testenv

import "testing"

// Run runs the tests and then removes the programs Build made. A package
// whose tests call Build or Backend runs them with it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }
func Run(m *testing.M) int {
	code := m.Run()
	removeBuilds()
	return code
}
