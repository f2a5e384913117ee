// Click-to-load players: an article's allowed embed (a link marked data-embed by
// the sanitiser) becomes a sandboxed frame only when the reader clicks it, so the
// player's host sees nothing before then. The CSP frame-src limits the hosts.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-embed]");
  if (!link) return;
  event.preventDefault();
  const frame = document.createElement("iframe");
  frame.src = link.href;
  frame.title = link.textContent;
  frame.className = "embed-frame";
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-presentation allow-popups");
  frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
  frame.setAttribute("allowfullscreen", "");
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  link.replaceWith(frame);
});
