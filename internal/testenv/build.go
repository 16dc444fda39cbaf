package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// BackendEnv names a build of testdata/backend, for a test binary run
// where there is no Go toolchain to build it: scripts/test hands the
// windows test binaries, run under Wine, the Windows path of one.
const BackendEnv = "HOTSERVE_TEST_BACKEND"

// module is the import path of hotserve, by which Build names what it
// builds from whichever package folder a test runs in.
const module = "github.com/hotserve/hotserve"

// builds are the programs built so far in this test binary, each once,
// by their package and build flags.
var builds struct {
	mu   sync.Mutex
	byID map[string]*build
}

// build is one program: built once, in a folder of its own.
type build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// Backend returns the path of testdata/backend, the program that the
// backend tests supervise and proxy to: the one $HOTSERVE_TEST_BACKEND
// names, or else a build of it (see Build).
func Backend(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv(BackendEnv); bin != "" {
		return bin
	}
	bin, err := built(module+"/testdata/backend", nil)
	if err != nil {
		t.Fatalf("%v(or set %s to a build of it)", err, BackendEnv)
	}
	return bin
}

// Build returns the path of the program in pkg (an import path) built by
// the go command with flags, for the target that GOOS and GOARCH name, as
// the tests were. Each is built once per test binary, in a temporary folder
// that Run removes.
func Build(t testing.TB, pkg string, flags ...string) string {
	t.Helper()
	bin, err := built(pkg, flags)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// built builds pkg with flags, or returns the build made before.
func built(pkg string, flags []string) (string, error) {
	id := strings.Join(append([]string{pkg}, flags...), " ")
	builds.mu.Lock()
	if builds.byID == nil {
		builds.byID = make(map[string]*build)
	}
	b := builds.byID[id]
	if b == nil {
		b = new(build)
		builds.byID[id] = b
	}
	builds.mu.Unlock()
	b.once.Do(func() { b.make(pkg, flags) })
	return b.bin, b.err
}

func (b *build) make(pkg string, flags []string) {
	if b.dir, b.err = os.MkdirTemp("", "hotserve-test-"); b.err != nil {
		return
	}
	b.bin = filepath.Join(b.dir, path.Base(pkg))
	if runtime.GOOS == "windows" {
		b.bin += ".exe"
	}
	args := append(append([]string{"build", "-o", b.bin}, flags...), pkg)
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		b.err = fmt.Errorf("building %s: %v\n%s", pkg, err, out)
	}
}

// removeBuilds removes every program built so far.
func removeBuilds() {
	builds.mu.Lock()
	defer builds.mu.Unlock()
	for _, b := range builds.byID {
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
	}
}
