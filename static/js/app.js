/* Competence badges — small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  /* Loaded in <head>: styles that need scripts (the folding menu) apply from the first paint. */
  document.documentElement.classList.add("js");

  /* A table (or example text) wider than its box scrolls inside it. Keyboard users can
     scroll it only when it can take focus, and screen readers name it after its caption or
     heading; a table that fits gets no extra tab stop. */
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
    document.querySelectorAll(".table-wrap, .scroll-region, pre").forEach(function (wrap) {
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

  /* Phones: the Menu button opens and closes the menu; Escape closes it again. */
  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    if (!toggle) return;
    function set(open) {
      header.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () {
      set(toggle.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        set(false);
        toggle.focus();
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(updateScrollers);
  });
  /* A form sent back with errors: the first field in error takes the focus (or, for an error
     about the whole form, its message), so keyboard and screen-reader users start there. */
  function focusFirstError() {
    var field = document.querySelector(
      "main [aria-invalid='true'], main .field-error input, main .field-error select, " +
      "main .field-error textarea");
    if (field) {
      field.focus();
      return;
    }
    var summary = document.querySelector("main .form-errors, main .errorlist.nonfield");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }

  function start() {
    setUpMenu();
    focusFirstError();
    updateScrollers();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
