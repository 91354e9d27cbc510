// Checks the comment form before it is sent, with the same messages the server gives,
// so a reader on a slow link does not wait for a round trip to learn a field is empty.
// Without this script the server does the same check.
(function () {
  "use strict";
  var form = document.querySelector("form[data-comment-form]");
  if (!form) return;
  var checks = [
    { field: "comment", message: form.getAttribute("data-msg-comment") },
    { field: "author", message: form.getAttribute("data-msg-name") },
  ];
  function show(name, message) {
    var input = form.elements[name];
    var slot = document.getElementById("e-" + name);
    if (!input || !slot) return;
    if (message) {
      slot.textContent = message;
      slot.hidden = false;
      slot.setAttribute("role", "alert");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "e-" + name);
    } else {
      slot.textContent = "";
      slot.hidden = true;
      slot.removeAttribute("role");
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }
  form.addEventListener("submit", function (event) {
    var first = null;
    checks.forEach(function (c) {
      var input = form.elements[c.field];
      var empty = !input || input.value.trim() === "";
      show(c.field, empty ? c.message : "");
      if (empty && !first) first = input;
    });
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });
  checks.forEach(function (c) {
    var input = form.elements[c.field];
    if (input) {
      input.addEventListener("input", function () {
        if (input.value.trim() !== "") show(c.field, "");
      });
    }
  });
})();
