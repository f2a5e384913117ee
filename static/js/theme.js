/* Runs in <head>, before the page is drawn: the reader's chosen theme (so the
   other one never flashes), and pictures that fail to load marked "failed" so
   the stylesheet shows a neutral placeholder instead of a broken-image icon. */
(function () {
  try {
    var theme = localStorage.getItem("theme");
    if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage blocked: follow the system setting */ }
  document.addEventListener("error", function (event) {
    if (event.target.tagName === "IMG") event.target.classList.add("failed");
  }, true);
})();
