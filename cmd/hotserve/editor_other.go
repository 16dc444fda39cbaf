//go:build !windows

package main

// runnable reports why argv cannot be run safely; elsewhere than Windows
// a program gets its arguments as they are.
func runnable([]string) error { return nil }
