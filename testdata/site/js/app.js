// Shows when the page was last (re)loaded, so live reloads are easy to spot.
(function () {
  var el = document.getElementById("loaded-at");
  if (!el) return;
  var now = new Date();
  function pad(n) { return String(n).padStart(2, "0"); }
  el.textContent = "Loaded at " + pad(now.getHours()) + ":" +
    pad(now.getMinutes()) + ":" + pad(now.getSeconds());
})();
