package backend

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

const canRunOutOfMemory = true

// noOutOfMemory is unused where canRunOutOfMemory.
const noOutOfMemory = ""

// outOfMemory makes the Go runtime die of "fatal error: out of memory",
// as it does when the kernel refuses it memory: it caps the process's
// writable private memory (RLIMIT_DATA) at what it has now plus 256 MiB,
// then asks for 1 GiB. RLIMIT_DATA, not RLIMIT_AS: the runtime reserves
// address space before it uses it, and a failed reservation under -race
// dies of "address space collisions" instead. Nothing is touched, so no
// real memory is used.
func outOfMemory() {
	statm, err := os.ReadFile("/proc/self/statm") // size resident shared text lib data dirty, in pages
	if err != nil {
		panic(err)
	}
	pages, err := strconv.ParseUint(string(bytes.Fields(statm)[5]), 10, 64)
	if err != nil {
		panic(err)
	}
	limit := pages*uint64(os.Getpagesize()) + 256<<20
	if err := unix.Setrlimit(unix.RLIMIT_DATA, &unix.Rlimit{Cur: limit, Max: limit}); err != nil {
		panic(err)
	}
	var got unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_DATA, &got); got.Cur != limit {
		// qemu-user takes the call and keeps the limit from the guest,
		// since it would bind the emulator itself.
		fmt.Fprintln(os.Stderr, unlimited)
		os.Exit(3)
	}
	runtime.KeepAlive(make([]byte, 1<<30))
}
