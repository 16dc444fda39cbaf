//go:build !linux

package backend

import "runtime"

// canRunOutOfMemory: the test caps the process's memory with RLIMIT_DATA,
// sized from /proc, which Linux has. (On Windows a job's memory limit
// would do, but Wine, where the Windows tests run, does not enforce it:
// the allocation succeeds.)
const canRunOutOfMemory = false

var noOutOfMemory = "the out-of-memory crash is made under RLIMIT_DATA sized from /proc, which " + runtime.GOOS + " does not have; the other crashes show the backend dies with hotserve"

func outOfMemory() {}
