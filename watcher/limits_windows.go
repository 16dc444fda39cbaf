package watcher

// nativeMode names the native source in Stats.Mode.
const nativeMode = "ReadDirectoryChangesW"

func (limits) overflowAdvice() string {
	return "Windows' change buffer overflowed (more changes at once than ReadDirectoryChangesW holds); the tree was rescanned and the changes found are reported"
}

func (limits) noNative(error) (reason, advice string) {
	return "ReadDirectoryChangesW cannot start", "cannot watch with ReadDirectoryChangesW; polling instead"
}
