// The host console's live analytics panel: polls the figures of the card on air and the most
// wanted products, and shows them by viewer language.
"use strict";

(function () {
  var panel = document.getElementById("analytics-panel");
  if (!panel) { return; }
  var seconds = Math.max(0.2, Number(panel.dataset.seconds || "5"));
  var locales = document.getElementById("analytics-locales");
  var wanted = document.getElementById("analytics-wanted");

  function cell(tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    return node;
  }

  function render(data) {
    locales.textContent = "";
    if (!data.locales.length) {
      var empty = document.createElement("tr");
      var note = cell("td", panel.dataset.labelNothing);
      note.colSpan = 3;
      empty.appendChild(note);
      locales.appendChild(empty);
    }
    data.locales.forEach(function (row) {
      var line = document.createElement("tr");
      line.dataset.locale = row.locale;
      line.appendChild(cell("th", row.locale)).scope = "row";
      line.appendChild(cell("td", String(row.views_per_minute))).dataset.count = "views";
      line.appendChild(cell("td", String(row.wants_per_minute))).dataset.count = "wants";
      locales.appendChild(line);
    });
    wanted.textContent = "";
    data.most_wanted.forEach(function (item) {
      var entry = cell("li", item.name + " · " + item.wants);
      entry.dataset.productId = item.product_id;
      wanted.appendChild(entry);
    });
  }

  function poll() {
    fetch(panel.dataset.url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); } }, function () {})
      .then(function () { setTimeout(poll, seconds * 1000); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", poll); } else { poll(); }
})();
