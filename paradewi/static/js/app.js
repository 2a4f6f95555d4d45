/*
 * Small enhancements of the officers' pages (base.html loads this with htmx, signed-in only).
 *
 * - The unread counter polls only while the page is visible: a request of an element marked
 *   data-poll-visible-only is cancelled while the tab is hidden. (An htmx trigger filter would
 *   say the same, but filters are evaluated as script, which the Content-Security-Policy and
 *   htmx's allowEval=false forbid.)
 * - A table wider than the screen scrolls inside its .table-wrap; such a wrapper is made
 *   focusable (tabindex=0), so the keyboard can scroll it too (arrow keys), and stops being a
 *   tab stop again when it fits.
 * - Files are checked before they are sent: an <input type=file data-max-bytes> outside the
 *   requirement rows (uploads.js handles those) refuses a file that is too large or of a type
 *   the server does not accept, says why next to the field, and blocks the form's submission
 *   until another file is chosen. Without script the server still checks (413 before it reads
 *   the body).
 * - A button marked data-print prints the page (the training progress list for the rakor);
 *   without script the browser's own print does the same.
 */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeRequest", (event) => {
    const element = event.target;
    if (element instanceof Element && element.hasAttribute("data-poll-visible-only")) {
      if (document.visibilityState !== "visible") event.preventDefault();
    }
  });

  // --- tables that scroll sideways, reachable by keyboard ------------------------------------

  function markScrollable() {
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("data-scroll-focus");
      }
    }
  }

  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollable, 200);
  });
  document.addEventListener("htmx:afterSettle", markScrollable);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollable);
  } else {
    markScrollable();
  }

  // --- files checked before sending ---------------------------------------------------------

  function megabytes(bytes) {
    const lang = document.documentElement.lang || "id";
    const value = bytes / (1024 * 1024);
    return value.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " MB";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }

  /* What is wrong with the file for this input, or "" when it may be sent. */
  function problem(input, file) {
    const data = input.dataset;
    const types = (data.acceptTypes || "").split(",").filter(Boolean);
    if (types.length && file.type && !types.includes(file.type)) {
      return data.msgWrongType || "";
    }
    const limit = parseInt(data.maxBytes, 10);
    if (limit && file.size > limit) {
      return fill(data.msgTooBig || "", { size: megabytes(file.size), limit: megabytes(limit) });
    }
    return "";
  }

  function note(input) {
    let box = input.id ? document.getElementById(input.id + "-check") : null;
    if (!box) {
      box = document.createElement("p");
      box.className = "errorlist file-check";
      box.setAttribute("role", "alert");
      if (input.id) box.id = input.id + "-check";
      input.insertAdjacentElement("afterend", box);
    }
    return box;
  }

  function checkInput(input) {
    const messages = [];
    for (const file of Array.from(input.files || [])) {
      const text = problem(input, file);
      if (text) messages.push(text);
    }
    const text = messages.join(" ");
    input.setCustomValidity(text);
    if (text) {
      const box = note(input);
      box.textContent = text;
      box.hidden = false;
      input.setAttribute("aria-describedby", box.id);
    } else {
      const box = input.id ? document.getElementById(input.id + "-check") : null;
      if (box) box.hidden = true;
    }
    return text;
  }

  function plainFileInput(target) {
    return (
      target instanceof HTMLInputElement &&
      target.type === "file" &&
      target.hasAttribute("data-max-bytes") &&
      !target.closest("form[data-upload]")
    );
  }

  document.addEventListener("change", (event) => {
    if (plainFileInput(event.target)) checkInput(event.target);
  });

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      const inputs = Array.from(form.querySelectorAll("input[type=file]")).filter(plainFileInput);
      const wrong = inputs.find((input) => checkInput(input));
      if (wrong) {
        event.preventDefault();
        event.stopPropagation();
        wrong.focus();
      }
    },
    true,
  );
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
