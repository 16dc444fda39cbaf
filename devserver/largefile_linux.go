package devserver

import "syscall"

// largeFile is added to every open of the root: os.Root (Go 1.26) leaves
// out O_LARGEFILE, which syscall.Open adds, so on 32-bit Linux a file of
// 2 GiB or more would fail to open with EOVERFLOW. On 64-bit Linux the
// kernel sets it anyway.
const largeFile = syscall.O_LARGEFILE
