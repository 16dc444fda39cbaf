package devserver_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/internal/testenv"
)

// formPage is a form whose fields are found by id or by name; %s is a
// comment in its script, which an edit changes so that the page reloads.
const formPage = `<!doctype html><html><head><title>form</title></head><body>
<form id="signup">
<input name="user">
<input id="pw" type="password">
<input name="pw2" autocomplete="new-password">
<input type="hidden" name="csrf" value="server-token">
<textarea id="notes"></textarea>
<input type="checkbox" name="agree">
<select id="color"><option>red</option><option>green</option><option>blue</option></select>
</form>
<form><input name="user"></form>
<script>/* %s */ sessionStorage.loads = (+sessionStorage.loads || 0) + 1;</script>
</body></html>`

func TestBrowserReloadRestoresFormValuesButNoPassword(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(formPage, "v1"))
	_, tab := openSite(t, dir)

	if err := chromedp.Do(tab,
		chromedp.SendKeys(`#signup input[name="user"]`, "ada"),
		chromedp.SendKeys(`form:not(#signup) input[name="user"]`, "grace"),
		chromedp.SendKeys("#pw", "hunter2"),
		chromedp.SendKeys(`input[name="pw2"]`, "secret2"),
		chromedp.Click(`input[name="agree"]`),
		chromedp.SendKeys("#notes", "line one"),
	); err != nil {
		t.Fatal(err)
	}
	evalJS[bool](t, tab, `
		document.querySelector("#color").selectedIndex = 2;
		document.querySelector('input[name="csrf"]').value = "changed";
		const notes = document.querySelector("#notes");
		notes.focus();
		notes.setSelectionRange(2, 4);
		window.marker = 42;
		// Keep a copy of what the client writes down, which outlives the
		// reload (the fresh page removes the original once restored).
		const setItem = Storage.prototype.setItem;
		Storage.prototype.setItem = function (k, v) {
			if (k.startsWith("hotserve:forms")) setItem.call(this, "copy:" + k, v);
			return setItem.call(this, k, v);
		};
		true`)

	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(formPage, "v2"))
	testenv.WaitJS(t, tab, `window.marker === undefined && sessionStorage.loads === "2" && document.readyState === "complete"`, 10*time.Second)

	checks := []struct{ what, expr, want string }{
		{"the name in the first form", `document.querySelector('#signup input[name="user"]').value`, "ada"},
		{"the same name in the second form", `document.querySelector('form:not(#signup) input[name="user"]').value`, "grace"},
		{"the textarea", `document.querySelector("#notes").value`, "line one"},
		{"the checkbox", `String(document.querySelector('input[name="agree"]').checked)`, "true"},
		{"the select", `document.querySelector("#color").value`, "blue"},
		{"the focus", `document.activeElement.id`, "notes"},
		{"the selection", `[document.activeElement.selectionStart, document.activeElement.selectionEnd].join()`, "2,4"},
		{"the password", `document.querySelector("#pw").value`, ""},
		{"the autocomplete=new-password field", `document.querySelector('input[name="pw2"]').value`, ""},
		{"the hidden input", `document.querySelector('input[name="csrf"]').value`, "server-token"},
	}
	for _, c := range checks {
		if got := evalJS[string](t, tab, c.expr); got != c.want {
			t.Errorf("%s after the reload: %q, want %q", c.what, got, c.want)
		}
	}
	written := evalJS[string](t, tab, `sessionStorage.getItem("copy:hotserve:forms:/") || ""`)
	if !strings.Contains(written, "line one") {
		t.Errorf("what the client wrote down, %q, lacks the textarea's value", written)
	}
	for _, secret := range []string{"hunter2", "secret2", "changed"} {
		if strings.Contains(written, secret) {
			t.Errorf("the client wrote down %q (a password or a hidden input): %s", secret, written)
		}
	}
	if stored := evalJS[string](t, tab, `JSON.stringify(Object.keys(sessionStorage).filter((k) => k.startsWith("hotserve:forms")))`); stored != "[]" {
		t.Errorf("form values still in sessionStorage after the restore: %s", stored)
	}

	// What a reload the user made keeps nothing: the fields are as the
	// page made them.
	if err := chromedp.Do(tab, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, tab, `sessionStorage.loads === "3" && document.readyState === "complete"`, 10*time.Second)
	if got := evalJS[string](t, tab, `document.querySelector("#notes").value`); got != "" {
		t.Errorf("the textarea after a reload the user made: %q, want it empty", got)
	}
}
