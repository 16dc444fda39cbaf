package watcher

// writer is what the OS tells of a file's writers (writers_*.go).
type writer uint8

const (
	noWriter      writer = iota // nobody has the file open for writing
	writerOpen                  // some process has it open for writing
	writerUnknown               // the OS cannot tell: judge by whether it changes
)
