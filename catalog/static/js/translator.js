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
