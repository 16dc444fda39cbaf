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
		{"lower case body", "<html><body>hi</body></html>", "<html><body>hi<s/></body></html>"},
		{"upper case body", "<HTML><BODY>hi</BODY></HTML>", "<HTML><BODY>hi<s/></BODY></HTML>"},
		{"mixed case body", "<body>hi</bOdY>", "<body>hi<s/></bOdY>"},
		{"whitespace before the end of the tag", "<body>hi</BODY >\n", "<body>hi<s/></BODY >\n"},
		{"newline inside the end tag", "<body>hi</body\n>", "<body>hi<s/></body\n>"},
		{"only html", "<html>hi</html>", "<html>hi<s/></html>"},
		{"only html, upper case", "hi</HTML>  ", "hi<s/></HTML>  "},
		{"neither: append", "<p>hi", "<p>hi<s/>"},
		{"empty page", "", "<s/>"},
		{"full document", "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>t</title>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n",
			"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>t</title>\n</head>\n<body>\n<p>x</p>\n<s/></body>\n</html>\n"},
		{"no doctype, html or head", "<body><p>x</p></body>", "<body><p>x</p><s/></body>"},
		{"tag already present", "<body><s/></body>", "<body><s/></body>"},
		{"tag already present without body", "<s/>hello", "<s/>hello"},
		{"last of two bodies", "<body>a</body><body>b</body>", "<body>a</body><body>b<s/></body>"},
		{"body in a comment before the real one", "<body><!-- </body> -->x</body>", "<body><!-- </body> -->x<s/></body>"},
		{"body in a comment after the real one", "<body>x</body><!-- </body> --></html>", "<body>x<s/></body><!-- </body> --></html>"},
		{"abruptly closed comments", "<body><!--><!--->x</body>", "<body><!--><!--->x<s/></body>"},
		{"unclosed comment hides everything after it", "<html><body>x<!-- </body></html>", "<html><body>x<!-- </body></html><s/>"},
		{"body in a script string", `<body><script>var s = "</body>";</script></body>`, `<body><script>var s = "</body>";</script><s/></body>`},
		{"body in a script after the real one", `<body></body><script>document.write("</body></html>")</script>`, `<body><s/></body><script>document.write("</body></html>")</script>`},
		{"script end tag in upper case", `<body><SCRIPT type="module">x("</body>")</SCRIPT ></body>`, `<body><SCRIPT type="module">x("</body>")</SCRIPT ><s/></body>`},
		{"body in a style", "<style>/* </body> */</style><body></body>", "<style>/* </body> */</style><body><s/></body>"},
		{"body in a title", "<title></body></title><body></body>", "<title></body></title><body><s/></body>"},
		{"body in a textarea", "<body><textarea></body></textarea></body>", "<body><textarea></body></textarea><s/></body>"},
		{"body in an attribute value", `<body><a title="</body>">x</a></body>`, `<body><a title="</body>">x</a><s/></body>`},
		{"body in a single-quoted attribute", `<p data-x = '</body>'></p>`, `<p data-x = '</body>'></p><s/>`},
		{"svg data url in a link", `<head><link rel="icon" href="data:image/svg+xml,<svg></svg></html>"></head>`, `<head><link rel="icon" href="data:image/svg+xml,<svg></svg></html>"></head><s/>`},
		{"attributes and newlines in tags", "<html\n  lang=en>\n<body\n class=\"a b\"\n data-x=1>x</body\n></html>", "<html\n  lang=en>\n<body\n class=\"a b\"\n data-x=1>x<s/></body\n></html>"},
		{"not mistaken: bodyx", "<bodyx>x</bodyx>", "<bodyx>x</bodyx><s/>"},
		{"not mistaken: header", "<header>x</header></html>", "<header>x</header><s/></html>"},
		{"not mistaken: htmlx", "</htmlx>", "</htmlx><s/>"},
		{"not mistaken: scripts is not script", "<scripts></body></scripts>", "<scripts><s/></body></scripts>"},
		{"end tag cut off at the end of the page", "<body>x</body", "<body>x</body<s/>"},
		{"processing instruction", `<?xml version="1.0"?><html></html>`, `<?xml version="1.0"?><html><s/></html>`},
		{"stray less-than signs", "<body>1 < 2 <</body>", "<body>1 < 2 <<s/></body>"},
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
	for _, seed := range []string{"", "<body></body>", "<!--", "<script>", "<a b='", "</body", "<title></body></title></html>"} {
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
