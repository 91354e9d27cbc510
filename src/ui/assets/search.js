/* global fetch */
// Suggestions as the user types in any search box marked data-suggest="<locale>". Without this
// script the box is a plain form that goes to the results page.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(boxes, function (input, n) {
    var locale = input.getAttribute("data-suggest");
    var list = document.createElement("ul");
    var timer = 0;
    var asked = "";
    var active = -1;
    list.className = "suggest";
    list.id = "suggest-" + n;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function show(items) {
      list.textContent = "";
      items.forEach(function (s, i) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        li.setAttribute("role", "option");
        a.id = list.id + "-" + i;
        a.href = s.url;
        a.textContent = s.title;
        a.dir = "auto";
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (q.length < 2) return close();
      fetch("/api/v1/search/suggest?locale=" + locale + "&q=" + encodeURIComponent(q))
        .then(function (r) {
          return r.ok ? r.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (input.value.trim() === q) show(body.suggestions);
        })
        .catch(close);
    }
    function move(step) {
      var links = list.querySelectorAll("a");
      if (!links.length) return;
      if (active >= 0) links[active].removeAttribute("aria-selected");
      active = (active + step + links.length) % links.length;
      links[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", links[active].id);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        move(e.key === "ArrowDown" ? 1 : -1);
      } else if (e.key === "Escape") close();
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        list.querySelectorAll("a")[active].click();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 200);
    });
  });
})();
