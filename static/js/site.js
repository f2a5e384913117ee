/* Reader pages: the dark-mode toggle, the current section in sight in the
   category bar, copy-link sharing and the read beacon
   that counts 热门 (pages are cached, so reads are counted here, not by the server's render). */
(function () {
  "use strict";
  var root = document.documentElement;
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  function isDark() {
    return root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches;
  }

  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    var show = function () { toggle.setAttribute("aria-pressed", String(isDark())); };
    toggle.addEventListener("click", function () {
      var theme = isDark() ? "light" : "dark";
      root.dataset.theme = theme;
      try { localStorage.setItem("theme", theme); } catch (e) { /* chosen for this page only */ }
      show();
    });
    systemDark.addEventListener("change", show);
    show();
    toggle.hidden = false;
  }

  // On a phone the category bar scrolls: bring the current section into sight.
  var current = document.querySelector(".site-nav [aria-current]");
  if (current) {
    var bar = current.closest("ul");
    bar.scrollLeft = current.offsetLeft - bar.offsetLeft - (bar.clientWidth - current.offsetWidth) / 2;
  }

  var copy = document.querySelector(".copy-link");
  if (copy && navigator.clipboard) {
    var status = document.querySelector(".share-status");
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.url).then(
        function () { status.textContent = "链接已复制"; },
        function () { status.textContent = "无法复制，请手动复制地址栏中的链接"; }
      );
    });
    copy.hidden = false;
  }

  var article = document.querySelector("[data-read-url]");
  if (article && navigator.sendBeacon) {
    navigator.sendBeacon(article.dataset.readUrl);
  }
})();
