// The people of a family known from earlier requests (requests/selectors/people.py): a tap
// fills the mother's, the father's or the reporter's NIK (and their names) instead of
// typing them; "the father reports" copies the father's NIK to the reporter. Without this
// script the buttons stay hidden and every field is typed as before.
(function () {
  "use strict";
  function field(name) { return document.getElementById("id_" + name); }
  function put(name, value) {
    var input = field(name);
    if (!input || value === undefined || value === null) { return; }
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function known(nik, what) {
    var button = document.querySelector('[data-pick][data-nik="' + nik + '"][data-' + what + "]");
    return button ? button.getAttribute("data-" + what) : "";
  }
  function parentOf(nik) {
    var mother = field("mother_nik"), father = field("father_nik");
    return (mother && mother.value === nik) || (father && father.value === nik);
  }
  function reporter(nik, relationship) {
    put("reporter_nik", nik);
    var name = known(nik, "name"), phone = known(nik, "phone"), field_phone = field("reporter_phone");
    if (name) { put("reporter_name", name); }
    if (phone && field_phone && !field_phone.value) { put("reporter_phone", phone); }
    if (relationship) { put("reporter_relationship", relationship); }
  }
  // One pressed button per role: the mother, the father, the reporter.
  function role(button) {
    var pick = button.getAttribute("data-pick");
    return pick === "mother" || pick === "father" ? pick : "reporter";
  }
  function press(button) {
    document.querySelectorAll("[data-pick],[data-copy-parent]").forEach(function (other) {
      if (role(other) === role(button)) { other.setAttribute("aria-pressed", "false"); }
    });
    button.setAttribute("aria-pressed", "true");
  }
  function start() {
    document.querySelectorAll("[data-pick-buttons]").forEach(function (box) { box.hidden = false; });
    document.addEventListener("click", function (event) {
      var button = event.target instanceof Element && event.target.closest("[data-pick],[data-copy-parent]");
      if (!button) { return; }
      var pick = button.getAttribute("data-pick");
      var nik = button.getAttribute("data-nik") || "";
      if (pick === "mother" || pick === "father") {
        put(pick + "_nik", nik);
        // F-2.01 prints the parent's name: the known one, unless one was typed already.
        var name_field = field(pick + "_name");
        if (name_field && !name_field.value && known(nik, "name")) {
          put(pick + "_name", known(nik, "name"));
        }
      } else if (pick === "reporter") {
        reporter(nik, parentOf(nik) ? "parent" : "");
      } else {
        var parent = field(button.getAttribute("data-copy-parent") + "_nik");
        if (!parent || !parent.value) { parent && parent.focus(); return; }
        reporter(parent.value, "parent");
        if (!known(parent.value, "name")) { field("reporter_name").focus(); }
      }
      press(button);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
