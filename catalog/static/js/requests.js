// The host console's queue of viewers' requests: redrawn when a viewer asks (a "requests" event)
// or the run-sheet changes; "Show next" inserts a product after the card on air.
"use strict";

(function () {
  var root = null;
  var source = null;
  var pending = null;

  function $(id) { return document.getElementById(id); }

  function render(items) {
    var list = $("requests-list");
    list.textContent = "";
    $("requests-empty").hidden = items.length > 0;
    items.forEach(function (item) {
      var row = document.createElement("li");
      row.className = "request-item";
      row.dataset.productId = String(item.product_id);
      var count = document.createElement("span");
      count.className = "badge request-count";
      count.textContent = "×" + item.count;
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = item.name;
      row.appendChild(count);
      row.appendChild(name);
      if (item.on_run_sheet) {
        var note = document.createElement("span");
        note.className = "muted on-sheet";
        note.textContent = root.dataset.labelOnSheet;
        row.appendChild(note);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = root.dataset.labelInsert;
      button.addEventListener("click", function () { insert(item.product_id, button); });
      row.appendChild(button);
      list.appendChild(row);
    });
  }

  function load() {
    fetch(root.dataset.queueUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) { render(body.items || []); } })
      .catch(function () { /* the next event or reconnect reloads it */ });
  }

  function soon() {
    // a burst of requests redraws the queue once
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; load(); }, 150);
  }

  function insert(productId, button) {
    button.disabled = true;
    fetch(root.dataset.insertUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ product_id: productId })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        button.disabled = false;
        $("requests-message").textContent = response.ok ? "" :
          root.dataset.labelFailed.replace("{reason}", body.detail || String(response.status));
        load();
      });
    }, function () { button.disabled = false; });
  }

  function listen() {
    source = new EventSource(root.dataset.eventsUrl);
    source.addEventListener("open", load);
    ["requests", "lineup"].forEach(function (kind) { source.addEventListener(kind, soon); });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) { source.close(); setTimeout(listen, 3000); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = $("requests");
    if (!root) { return; }
    load();
    listen();
  });
})();
