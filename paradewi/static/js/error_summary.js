// After a refused submit: focus the error summary at the top of the form (so a screen
// reader reads it and a phone shows it), and let each of its links focus its field.
(function () {
  "use strict";
  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) { return false; }
    var label = document.querySelector('label[for="' + id + '"]');
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
    return true;
  }
  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("[data-error-link]");
      if (link && focusField(link.getAttribute("data-error-link"))) {
        event.preventDefault();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
