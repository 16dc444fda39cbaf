// Package treegen writes synthetic project trees for benchmarks: many small
// files spread over nested folders, the shape of a large web project.
package treegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// fanout is how many sub-folders each folder gets before the next level
// starts, so 10,000 folders are four levels deep.
const fanout = 10

// Generate creates dirs folders below dir (which must exist) and spreads
// files small files over them round-robin. Folder i (from 0) is named
// "d<i>"; the first fanout sit in dir, and folder i ≥ fanout sits in
// folder i/fanout-1. File j is "f<j>.txt" in folder j%dirs, with a line of
// content. With dirs == 0 every file goes straight into dir.
func Generate(dir string, files, dirs int) error {
	if files < 0 || dirs < 0 {
		return fmt.Errorf("treegen: files %d and dirs %d must not be negative", files, dirs)
	}
	paths := make([]string, dirs)
	for i := range dirs {
		parent := dir
		if i >= fanout {
			parent = paths[i/fanout-1]
		}
		paths[i] = filepath.Join(parent, "d"+strconv.Itoa(i))
		if err := os.Mkdir(paths[i], 0o755); err != nil {
			return fmt.Errorf("treegen: %w", err)
		}
	}
	content := []byte("body { color: #333; }\n")
	for j := range files {
		parent := dir
		if dirs > 0 {
			parent = paths[j%dirs]
		}
		if err := os.WriteFile(filepath.Join(parent, "f"+strconv.Itoa(j)+".txt"), content, 0o644); err != nil {
			return fmt.Errorf("treegen: %w", err)
		}
	}
	return nil
}
