// Keyboard shortcuts of the translation editor; the page works without them.
"use strict";

(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("translation-form");
    if (!form) { return; }
    function submit(then) {
      var button = form.querySelector("button[name=then][value=" + then + "]");
      if (button) { form.requestSubmit(button); }
    }
    // A suggestion from the memory goes into its field; a highlight replaces its own line.
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-insert-into]") : null;
      if (!button) { return; }
      var key = button.dataset.insertInto.split(".");
      var field = document.getElementById(key[0]);
      if (!field) { return; }
      if (key.length === 2) {
        var lines = field.value === "" ? [] : field.value.split("\n");
        var index = parseInt(key[1], 10);
        while (lines.length <= index) { lines.push(""); }
        lines[index] = button.dataset.text;
        field.value = lines.join("\n");
      } else {
        field.value = button.dataset.text;
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
    document.addEventListener("keydown", function (event) {
      var ctrl = event.ctrlKey || event.metaKey;
      if (ctrl && (event.key === "s" || event.key === "S")) { event.preventDefault(); submit("stay"); }
      else if (ctrl && event.key === "Enter") { event.preventDefault(); submit("next"); }
      else if (event.altKey && (event.key === "n" || event.key === "N" || event.code === "KeyN")) {
        var next = document.getElementById("next-in-queue");
        if (next) { event.preventDefault(); window.location.assign(next.href); }
      } else if (event.altKey && (event.key === "c" || event.key === "C" || event.code === "KeyC")) {
        var field = document.activeElement;
        var name = field && field.dataset ? field.dataset.copyFrom : null;
        var source = name ? document.querySelector("[data-source=" + name + "]") : null;
        if (source) { event.preventDefault(); field.value = source.textContent; }
      }
    });
  });
})();
