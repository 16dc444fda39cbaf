package devserver

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a plain command", "go run .", "go run ."},
		{"flags without secrets", "npm run dev -- --port 3000 --host=127.0.0.1", "npm run dev -- --port 3000 --host=127.0.0.1"},
		{"a path", "/home/user/Go2Projects/ServerApp/cmd/main.go", "/home/user/Go2Projects/ServerApp/cmd/main.go"},
		{"a URL", "http://localhost:3000/api?page=2", "http://localhost:3000/api?page=2"},
		{"a long word", "internationalization-configuration", "internationalization-configuration"},
		{"an env assignment", "API_TOKEN=s3cr3t go run .", "API_TOKEN=… go run ."},
		{"env assignments", "env A=1 B_2='x y' go run .", "env A=… B_2=… go run ."},
		{"an empty assignment stays", "A= go run .", "A= go run ."},
		{"inside sh -c", `sh -c 'DB_PASS=hunter2 ./server --password hunter2'`, `sh -c 'DB_PASS=… ./server --password …'`},
		{"--token=", "./server --token=abc123", "./server --token=…"},
		{"--password value", "./server --password hunter2 --port 8080", "./server --password … --port 8080"},
		{"--api-key", "./server --api-key xyz", "./server --api-key …"},
		{"-secret=", "./server -secret=xyz", "./server -secret=…"},
		{"--client-secret in quotes", `./server --client-secret "a b"`, `./server --client-secret …`},
		{"a bearer header", "curl -H 'Authorization: Bearer abc.def' http://x", "curl -H 'Authorization: Bearer …' http://x"},
		{"a header list", "[Authorization: Basic dXNlcjpwYXNz X-Frame-Options: DENY]", "[Authorization: Basic … X-Frame-Options: DENY]"},
		{"an API key header", "X-Api-Key: 12345", "X-Api-Key: …"},
		{"a URL password", "./server --db postgres://app:hunter2@db:5432/app", "./server --db postgres://app:…@db:5432/app"},
		{"a DSN password", "./server -dsn=root:hunter2@tcp(localhost:3306)/app", "./server -dsn=root:…@tcp(localhost:3306)/app"},
		{"a proxy URL password", "http://user:pw@127.0.0.1:3000", "http://user:…@127.0.0.1:3000"},
		{"a token in a query", "http://x/hook?access_token=abc&page=2", "http://x/hook?access_token=…&page=2"},
		{"a key in -ldflags", "go build -ldflags=-X=main.apiKey=abc -o x .", "go build -ldflags=-X=main.apiKey=… -o x ."},
		{"a password in a URL's query", "./server --dsn=postgres://db/app?sslmode=off&password=hunter2", "./server --dsn=postgres://db/app?sslmode=off&password=…"},
		{"pairs in quotes are assignments", "./server --dsn 'host=db password=hunter2'", "./server --dsn 'host=… password=…'"},
		{"a hex blob", "./server 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "./server …"},
		{"a base64 blob", "./server --config-data=dGhpcyBpcyBhIHNlY3JldCB0b2tlbjEyMw==", "./server --config-data=…"},
		{"a GitHub-like token", "gh ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "gh …"},
		{"a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk", "….….…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := redact(c.in); got != c.want {
				t.Errorf("redact(%q)\nhave: %s\nwant: %s", c.in, got, c.want)
			}
		})
	}
}

func TestClip(t *testing.T) {
	if got := clip("héllo", 2); got != "h…" {
		t.Errorf("clip cut inside a character: %q", got)
	}
	if got := clip(strings.Repeat("x", 10), 10); got != strings.Repeat("x", 10) {
		t.Errorf("clip cut a short string: %q", got)
	}
}
