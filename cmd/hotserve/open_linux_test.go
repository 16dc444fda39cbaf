package main

import "testing"

func TestInWSL(t *testing.T) {
	for _, c := range []struct {
		name, osrelease, distro string
		want                    bool
	}{
		{"WSL 2", "5.15.153.1-microsoft-standard-WSL2\n", "", true},
		{"WSL 1", "4.4.0-19041-Microsoft\n", "", true},
		{"distribution name alone", "6.6.36.3-custom\n", "Ubuntu", true},
		{"Debian", "6.1.0-18-amd64\n", "", false},
		{"no /proc", "", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if have := inWSL(c.osrelease, c.distro); have != c.want {
				t.Errorf("inWSL(%q, %q) = %v, want %v", c.osrelease, c.distro, have, c.want)
			}
		})
	}
}
