// A counter that keeps its count across edits: save a change to this file
// and hotserve runs the new version in place of the old one.
const label = "Clicked";

let count = import.meta.hot?.data.count ?? 0;

export function mount(el) {
  const button = document.createElement("button");
  const render = () => {
    button.textContent = `${label} ${count} ${count === 1 ? "time" : "times"}`;
  };
  button.addEventListener("click", () => {
    count++;
    render();
  });
  render();
  el.replaceChildren(button);
}

// Guarded, so the module works the same from any other server.
if (import.meta.hot) {
  import.meta.hot.dispose((data) => {
    data.count = count;
  });
  import.meta.hot.accept((next) => next?.mount(document.getElementById("counter")));
}
