package devserver

import (
	"strings"
	"testing"
)

// The fallback never serves what the deny rules hide, nor answers in
// their place: a navigation to a dotfile, a key file, a name Windows reads
// as another file, or a link that ends on one of them is still a 404, and
// a folder whose index.html is such a link is passed over for the next
// index.html up the path.
func TestSecuritySPA(t *testing.T) {
	_, root := securityFixture(t)
	for _, dotfiles := range []bool{false, true} {
		_, addr := startGuarded(t, Config{Root: root, SPA: SPA{On: true}, Security: Security{Dotfiles: dotfiles}})
		for _, c := range []struct {
			target, posix string
			status        int
		}{
			{"/.env/x", "", 404},
			{"/.git/x/y", "", 404},
			{"/sub/.env/x", "", 404},
			{"/.well-known/route", "", 404},
			{"/deploy/id_rsa/x", "", 404},
			{"/certs/key.pem/route", "", 404},
			{"/missing.pem", "", 404},
			{"/aux/route", "", 404},
			{"/GIT~1/route", "", 404},
			{"/x:y/route", "", 404},
			{"/page.html./route", "", 404},
			{"/__hotserve/route", "", 404},
			// Not denied, and no file: the app, never a secret.
			{"/../route", "", 200},
			{"/../secret.txt", "", 404}, // a .txt is an asset: no fallback
			{"/%2e%2e/%2e%2e/route", "", 200},
			{"/sub/up-cfg/x", needsLinks, 200},
			{"/site/route", needsLinks, 200}, // site/index.html -> ../key.pem
			{"/abs-link.txt/x", needsLinks, 200},
		} {
			if dotfiles && c.status == 200 {
				continue
			}
			t.Run(c.target, func(t *testing.T) {
				skipOnWindows(t, c.posix)
				r := request(t, addr, "GET", c.target, navigate...)
				if r.status != c.status {
					t.Errorf("dotfiles %v: status %d, want %d; body %.200q", dotfiles, r.status, c.status, r.body)
				}
				if c.status == 200 && !strings.Contains(r.body, indexHTML[:20]) {
					t.Errorf("dotfiles %v: not the root's index.html: %.200q", dotfiles, r.body)
				}
				for _, s := range secrets {
					if strings.Contains(r.body, s) || strings.Contains(r.body, "PRIVATE KEY") {
						t.Errorf("dotfiles %v: body leaks %q: %.200q", dotfiles, s, r.body)
					}
				}
			})
		}
	}
}
