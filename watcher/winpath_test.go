package watcher

import "testing"

func TestWindowsPathShapes(t *testing.T) {
	for _, c := range []struct {
		path, share, distro, linux string
	}{
		{path: `C:\Users\ada\site`},
		{path: `\\?\C:\Users\ada\site`},
		{path: `\\.\pipe\x`},
		{path: `\\fileserver\web\my site`, share: `\\fileserver\web`},
		{path: `\\?\UNC\fileserver\web\site`, share: `\\fileserver\web`},
		{path: `\\wsl$\Ubuntu\home\ada\site`, share: `\\wsl$\Ubuntu`, distro: "Ubuntu", linux: "/home/ada/site"},
		{path: `\\wsl.localhost\Ubuntu-22.04\home\ada\site\`, share: `\\wsl.localhost\Ubuntu-22.04`, distro: "Ubuntu-22.04", linux: "/home/ada/site"},
		{path: `\\WSL$\Debian`, share: `\\WSL$\Debian`, distro: "Debian", linux: "/"},
		{path: `//wsl$/Ubuntu/srv/site`, share: `\\wsl$\Ubuntu`, distro: "Ubuntu", linux: "/srv/site"},
	} {
		share, isShare := shareOf(c.path)
		if share != c.share || isShare != (c.share != "") {
			t.Errorf("shareOf(%q) = %q, %v; want %q", c.path, share, isShare, c.share)
		}
		distro, linux, ok := WSLPath(c.path)
		if distro != c.distro || linux != c.linux || ok != (c.distro != "") {
			t.Errorf("WSLPath(%q) = %q, %q, %v; want %q, %q", c.path, distro, linux, ok, c.distro, c.linux)
		}
	}
}
