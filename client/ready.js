// The client starts at the top of <head> (devserver/inject.go), before the
// page's own scripts, so that their errors are seen; what it shows waits
// until there is a body to show it in.

// whenParsed runs fn once the page has been parsed: at once if it has,
// else at DOMContentLoaded.
function whenParsed(fn) {
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", fn, { once: true });
  else fn();
}

// showElement appends el (the badge, an overlay) to the page once it has
// been parsed, if shown still says it is wanted then: it may have been
// dismissed or replaced in the meantime.
function showElement(el, shown) {
  whenParsed(() => {
    if (shown()) (document.body || document.documentElement).append(el);
  });
}
