/* Competence badges — small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  /* A table that is wider than its box scrolls inside it. Keyboard users can scroll it only
     when it can take focus, and screen readers name it after its caption or heading; a table
     that fits gets no extra tab stop. */
  function labelOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim();
    }
    var section = wrap.closest("section");
    var heading = section && section.querySelector("h1, h2, h3, h4");
    return heading ? heading.textContent.trim() : document.title;
  }

  function updateScrollers() {
    document.querySelectorAll(".table-wrap, .scroll-region").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", labelOf(wrap));
          wrap.dataset.labelled = "script";
        }
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        if (wrap.dataset.labelled === "script") wrap.removeAttribute("aria-label");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(updateScrollers);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateScrollers);
  } else {
    updateScrollers();
  }
})();
