// Keyboard shortcuts of the translation editor; the page works without them.
"use strict";

(function () {
  // While the name or highlights change, ask whether they fit the on-air card; show what is cut short.
  function watchFit(form) {
    var section = document.getElementById("card-fit");
    var name = document.getElementById("name");
    var highlights = document.getElementById("highlights");
    if (!section || !name || !highlights || !form.dataset.fitUrl) { return; }
    var timer = null;
    var asked = 0;
    var previewUrl = null;
    function post(url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
        body: JSON.stringify(body)
      });
    }
    function show(fit, draft, turn) {
      var list = document.getElementById("card-fit-warnings");
      list.textContent = "";
      document.querySelectorAll("[data-fit-field]").forEach(function (note) {
        var messages = fit.warnings.filter(function (w) { return w.field === note.dataset.fitField; });
        note.textContent = messages.map(function (w) { return w.message; }).join(" ");
        note.hidden = messages.length === 0;
        var field = document.getElementById(note.dataset.fitField);
        if (messages.length) { field.setAttribute("aria-describedby", note.id); }
        else if (field.getAttribute("aria-describedby") === note.id) { field.removeAttribute("aria-describedby"); }
      });
      fit.warnings.forEach(function (w) {
        var item = document.createElement("li");
        item.className = "check check-warning";
        item.dataset.field = w.field;
        item.dataset.layout = w.layout;
        item.textContent = w.message;
        list.appendChild(item);
      });
      section.hidden = fit.fits;
      if (fit.fits) { return; }
      var layout = fit.warnings[0].layout;
      post(form.dataset.previewUrl + "?layout=" + encodeURIComponent(layout), draft).then(function (response) {
        return response.ok ? response.blob() : null;
      }).then(function (blob) {
        if (!blob || turn !== asked) { return; }
        var image = document.getElementById("card-fit-preview");
        if (previewUrl) { URL.revokeObjectURL(previewUrl); }
        previewUrl = URL.createObjectURL(blob);
        image.src = previewUrl;
        image.dataset.layout = layout;
        image.hidden = false;
      });
    }
    function ask() {
      var draft = {
        name: name.value.trim(),
        highlights: highlights.value.split("\n").filter(function (line) { return line.trim() !== ""; })
      };
      if (!draft.name) { return; }
      var turn = ++asked;
      post(form.dataset.fitUrl, draft).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (fit) {
        if (fit && turn === asked) { show(fit, draft, turn); }
      }, function () { /* offline: the next keystroke asks again */ });
    }
    function later() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(ask, 300);
    }
    name.addEventListener("input", later);
    highlights.addEventListener("input", later);
    ask();
  }

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
    watchFit(form);
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
