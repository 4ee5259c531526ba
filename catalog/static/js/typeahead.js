// Type-ahead for the search box over /api/v1/search/suggest (an ARIA combobox).
"use strict";

(function () {
  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var url = input.dataset.suggestUrl;
    var productUrl = input.dataset.productUrl;  // ends in /0: the id goes there
    var locale = input.dataset.locale;
    var timer = null;
    var controller = null;
    var active = -1;

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function options() { return list.querySelectorAll("[role=option]"); }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function show(suggestions) {
      list.textContent = "";
      if (!suggestions.length) { close(); return; }
      suggestions.forEach(function (suggestion, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var link = document.createElement("a");
        link.href = productUrl.replace(/\/0$/, "/" + encodeURIComponent(suggestion.product_id));
        link.textContent = suggestion.text;
        link.tabIndex = -1;
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      var query = "?q=" + encodeURIComponent(text) + "&limit=8" + (locale ? "&locale=" + encodeURIComponent(locale) : "");
      fetch(url + query, { signal: controller.signal, headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (body) { if (input.value.trim() === text) { show(body.suggestions || []); } })
        .catch(function (error) { if (error.name !== "AbortError") { close(); } });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(options()[active].querySelector("a").href);
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(setup);
  });
})();
