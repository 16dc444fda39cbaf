package devserver

import (
	"bytes"
	"strings"
	"testing"
)

func TestInject(t *testing.T) {
	const tag = "<s/>"
	tests := []struct {
		name, page, want string
	}{
		{"after head", "<html><head><title>t</title></head><body>hi</body></html>", "<html><head><s/><title>t</title></head><body>hi</body></html>"},
		{"upper case head", "<HTML><HEAD></HEAD><BODY>hi</BODY></HTML>", "<HTML><HEAD><s/></HEAD><BODY>hi</BODY></HTML>"},
		{"mixed case head", "<hEaD></head>", "<hEaD><s/></head>"},
		{"attributes and newlines in tags", "<html\n  lang=en>\n<head\n data-x=\"a>b\"\n>\n<title>t</title>", "<html\n  lang=en>\n<head\n data-x=\"a>b\"\n><s/>\n<title>t</title>"},
		{"full document", "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>t</title>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n",
			"<!DOCTYPE html>\n<html lang=\"en\">\n<head><s/>\n<title>t</title>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n"},
		{"before the page's first script", "<head><script>throw new Error(1)</script></head>", "<head><s/><script>throw new Error(1)</script></head>"},
		{"after a meta charset, which must stay near the start", "<head>\n  <meta charset=\"utf-8\">\n<script>x()</script>", "<head>\n  <meta charset=\"utf-8\"><s/>\n<script>x()</script>"},
		{"after a content-type meta", `<head><META http-equiv="Content-Type" content="text/html; charset=utf-8"><base href="/x/">`, `<head><META http-equiv="Content-Type" content="text/html; charset=utf-8"><s/><base href="/x/">`},
		{"before any other meta, and before base", `<head><meta name="viewport" content="width=device-width"><base href="https://cdn.example/">`, `<head><s/><meta name="viewport" content="width=device-width"><base href="https://cdn.example/">`},
		{"no head: after html", "<!doctype html><html lang=en>\n<title>t</title><body>x", "<!doctype html><html lang=en>\n<s/><title>t</title><body>x"},
		{"no head: after html and its comments", "<html><!-- c --> <head>x", "<html><!-- c --> <head><s/>x"},
		{"no html or head: after the doctype", "<!DOCTYPE html>\n<title>t</title><script>x()</script>", "<!DOCTYPE html>\n<s/><title>t</title><script>x()</script>"},
		{"no html or head: before body", "<body><p>x</p></body>", "<s/><body><p>x</p></body>"},
		{"no tags at all: first", "hello", "<s/>hello"},
		{"a fragment: first", "<p>hi", "<s/><p>hi"},
		{"leading white space stays first", "\n  <p>hi", "\n  <s/><p>hi"},
		{"empty page", "", "<s/>"},
		{"never before the doctype (quirks mode)", "<!-- build 12 -->\n<!doctype html><p>x", "<!-- build 12 -->\n<!doctype html><s/><p>x"},
		{"after a byte order mark", "\uFEFF<!doctype html><p>x", "\uFEFF<!doctype html><s/><p>x"},
		{"processing instruction", `<?xml version="1.0"?><html><head></head></html>`, `<?xml version="1.0"?><html><head><s/></head></html>`},
		{"abruptly closed comments", "<!--><!---><head>x", "<!--><!---><head><s/>x"},
		{"unclosed comment: at the end", "<!-- <head>", "<!-- <head><s/>"},
		{"head in a comment is not the head", "<!-- <head> --><p>x", "<!-- <head> --><s/><p>x"},
		{"head in a script is not the head", `<script>"<head>"</script><head>`, `<s/><script>"<head>"</script><head>`},
		{"head start tag cut off at the end of the page", "<html><head", "<html><s/><head"},
		{"not mistaken: header", "<header>x</header></html>", "<s/><header>x</header></html>"},
		{"not mistaken: htmlx", "<htmlx><head>", "<s/><htmlx><head>"},
		{"not mistaken: a meta without charset", "<head><meta name=x>", "<head><s/><meta name=x>"},
		{"tag already present", "<body><s/></body>", "<body><s/></body>"},
		{"tag already present at the end", "<head></head>hello<s/>", "<head></head>hello<s/>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := []byte(tt.page)
			got := inject(page, []byte(tag))
			if string(got) != tt.want {
				t.Errorf("inject(%q)\nhave: %q\nwant: %q", tt.page, got, tt.want)
			}
			if string(page) != tt.page {
				t.Errorf("inject modified its input: %q", page)
			}
		})
	}
}

// TestInjectClientTag checks the real tag once, so a change to clientTag
// that breaks the already-present rule is caught.
func TestInjectClientTag(t *testing.T) {
	once := inject([]byte("<body></body>"), []byte(testTag))
	if got := inject(once, []byte(testTag)); !bytes.Equal(got, once) {
		t.Errorf("injected twice: %s", got)
	}
	if n := bytes.Count(once, []byte(testTag)); n != 1 {
		t.Errorf("have %d tags, want 1", n)
	}
}

// FuzzInject checks that any page comes back whole with the tag added
// exactly once, and that the scanner never panics.
func FuzzInject(f *testing.F) {
	for _, seed := range []string{"", "<body></body>", "<!--", "<script>", "<a b='", "<head", "<html><head><meta charset=x>", "<!doctype html>"} {
		f.Add(seed)
	}
	tag := []byte(testTag)
	f.Fuzz(func(t *testing.T, page string) {
		got := inject([]byte(page), tag)
		if strings.Contains(page, testTag) {
			if string(got) != page {
				t.Fatalf("changed a page that has the tag: %q", got)
			}
			return
		}
		i := bytes.Index(got, tag)
		if i < 0 || string(got[:i])+string(got[i+len(tag):]) != page {
			t.Fatalf("inject(%q) = %q", page, got)
		}
	})
}

func BenchmarkInject(b *testing.B) {
	for _, size := range []struct {
		name  string
		bytes int
	}{{"20KB", 20 << 10}, {"1MB", 1 << 20}} {
		page := benchPage(size.bytes)
		tag := []byte(testTag)
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				inject(page, tag)
			}
		})
	}
}

// benchPage returns a realistic page of about n bytes: a head with styles
// and scripts, then a body of articles with links, attributes and comments.
func benchPage(n int) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Benchmark page</title>
<link rel="stylesheet" href="/css/site.css">
<style>body { font: 16px/1.5 system-ui; } .card > a { color: #06c; }</style>
<script>window.dataLayer = window.dataLayer || []; if (a < b) { run("</div>"); }</script>
</head>
<body class="home">
`)
	const article = `<article class="card" data-id="42">
  <!-- card: teaser -->
  <h2><a href="/posts/a-post-title/" title="A post &amp; title">A post title</a></h2>
  <p>Lorem ipsum dolor sit amet, <em>consectetur</em> adipiscing elit, sed do eiusmod
  tempor incididunt ut <strong>labore</strong> et dolore magna aliqua.</p>
  <img src="/img/teaser.jpg" alt="teaser" width="640" height="360" loading="lazy">
</article>
`
	for b.Len() < n-len("</body>\n</html>\n") {
		b.WriteString(article)
	}
	b.WriteString("</body>\n</html>\n")
	return []byte(b.String())
}
