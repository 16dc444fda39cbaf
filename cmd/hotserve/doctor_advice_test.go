package main

import (
	"strings"
	"testing"
)

func TestLinuxOpenFiles(t *testing.T) {
	for _, c := range []struct {
		name       string
		soft, hard uint64
		ok         bool
		want       string
	}{
		{"enough", 1048576, 1048576, true, "open files: the limit is 1048576"},
		{"soft below hard", 1024, 524288, false, "raise it with `ulimit -n 16384` (the hard limit is 524288)"},
		{"soft up to a low hard", 1024, 2048, false, "`ulimit -n 2048`"},
		{"hard limit low", 1024, 1024, false, "echo '* hard nofile 65536' | sudo tee -a /etc/security/limits.conf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, line := linuxOpenFiles(c.soft, c.hard)
			if ok != c.ok || !strings.Contains(line, c.want) {
				t.Errorf("have: %v %s\nwant: %v …%s…", ok, line, c.ok, c.want)
			}
		})
	}
}

func TestKqueueOpenFiles(t *testing.T) {
	big := tree{folders: 3000, files: 40000}
	unlimited := uint64(1<<63 - 1)
	for _, c := range []struct {
		name string
		goos string
		l    kqueueLimits
		t    tree
		ok   bool
		want []string
	}{
		{"small project on macOS's defaults", "darwin", kqueueLimits{hard: unlimited, perProc: 10240, system: 12288}, tree{folders: 50, files: 400}, true,
			[]string{"hotserve can hold 10240 (hard limit unlimited, kern.maxfilesperproc 10240, kern.maxfiles 12288)", "450 here"}},
		{"big tree on macOS's defaults", "darwin", kqueueLimits{hard: unlimited, perProc: 10240, system: 12288}, big, false,
			[]string{"43000 here; what does not fit is polled", "`sudo sysctl kern.maxfiles=131072 kern.maxfilesperproc=65536`", "`ulimit -n 65536`", "`sudo launchctl limit maxfiles 65536 131072`"}},
		{"hard limit is the bound", "darwin", kqueueLimits{hard: 4096, perProc: 245760, system: 491520}, tree{folders: 300, files: 4000}, false,
			[]string{"hotserve can hold 4096", "kern.maxfiles=491520 kern.maxfilesperproc=245760", "`ulimit -n 65536`", "`sudo launchctl limit maxfiles 65536 491520`"}},
		{"system-wide limit too small", "freebsd", kqueueLimits{hard: 1 << 20, perProc: 1 << 20, system: 8192}, tree{folders: 1000, files: 9000}, false,
			[]string{"kern.maxfiles 8192", "kern.maxfiles=131072 kern.maxfilesperproc=1048576", "(add both to /etc/sysctl.conf to keep them)"}},
		{"huge tree doubles the advice", "freebsd", kqueueLimits{hard: 1 << 20, perProc: 100000, system: 200000}, tree{folders: 10000, files: 150000}, false,
			[]string{"kern.maxfilesperproc=262144"}},
		{"sysctls unknown", "freebsd", kqueueLimits{hard: 1 << 20}, big, true,
			[]string{"kern.maxfilesperproc unknown, kern.maxfiles unknown"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, line := kqueueOpenFiles(c.goos, c.l, c.t)
			if ok != c.ok {
				t.Errorf("ok = %v, want %v: %s", ok, c.ok, line)
			}
			for _, w := range c.want {
				if !strings.Contains(line, w) {
					t.Errorf("have: %s\nwant: …%s…", line, w)
				}
			}
			if c.goos != "darwin" && strings.Contains(line, "launchctl") {
				t.Errorf("launchctl advised on %s: %s", c.goos, line)
			}
		})
	}
}

func TestWindowsPollFix(t *testing.T) {
	const home, reason = `C:\Users\ada`, "the root is polled"
	for _, c := range []struct {
		name string
		path string
		want string
	}{
		{"mapped network drive", `Z:\team\site`, "robocopy Z:\\team\\site C:\\Users\\ada\\src\\site /E"},
		{"root of a network drive", `Z:\`, `C:\Users\ada\src\project /E`},
		{"share", `\\fileserver\web\my site`, `robocopy "\\fileserver\web\my site" "C:\Users\ada\src\my site" /E`},
		{"long share form", `\\?\UNC\fileserver\web\site`, `C:\Users\ada\src\site /E`},
		{"WSL", `\\wsl$\Ubuntu\home\ada\site`, "`wsl -d Ubuntu --cd /home/ada/site hotserve`"},
		{"WSL by its newer name", `\\wsl.localhost\Ubuntu-22.04\home\ada\site\`, "`wsl -d Ubuntu-22.04 --cd /home/ada/site hotserve`"},
		{"WSL distribution root", `\\WSL$\Debian`, "`wsl -d Debian --cd / hotserve`"},
		{"WSL with forward slashes", `//wsl$/Ubuntu/srv/site`, "--cd /srv/site"},
	} {
		t.Run(c.name, func(t *testing.T) {
			have := windowsPollFix(c.path, reason, home)
			if !strings.Contains(have, c.want) || !strings.HasPrefix(have, reason+". ") {
				t.Errorf("have: %q\nwant: %s. …%s…", have, reason, c.want)
			}
		})
	}
}
