// "Show me this" on a live show's page: a viewer finds a product in any language or script and
// asks the host to show it. Settings and labels sit on #ask-host.
"use strict";

(function () {
  var root = document.getElementById("ask-host");
  if (!root) { return; }
  var input = document.getElementById("ask-q");
  var results = document.getElementById("ask-results");
  var message = document.getElementById("ask-message");
  var timer = null;
  var latest = 0;

  function say(text) { message.textContent = text; }

  function ask(productId, button) {
    button.disabled = true;
    fetch(root.dataset.requestUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ product_id: productId })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          say(root.dataset.labelAsked);
          button.setAttribute("aria-pressed", "true");
          return;
        }
        button.disabled = false;
        say(root.dataset.labelRefused.replace("{reason}", body.detail || String(response.status)));
      });
    }, function () {
      button.disabled = false;
      say(root.dataset.labelRefused.replace("{reason}", "offline"));
    });
  }

  function show(items) {
    results.textContent = "";
    if (!items.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = root.dataset.labelNoResults;
      results.appendChild(none);
      return;
    }
    items.forEach(function (item) {
      var row = document.createElement("li");
      row.dataset.productId = String(item.id);
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = item.name;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = root.dataset.labelAsk;
      button.addEventListener("click", function () { ask(item.id, button); });
      row.appendChild(name);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(button);
      results.appendChild(row);
    });
  }

  function search() {
    var text = input.value.trim();
    var mine = ++latest;
    if (!text) { results.textContent = ""; return; }
    var url = root.dataset.searchUrl + "?limit=6&facets=&q=" + encodeURIComponent(text) +
      "&locale=" + encodeURIComponent(root.dataset.locale);
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (body) { if (mine === latest) { show(body.items || []); } })
      .catch(function () { /* a later search replaces this one */ });
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
  document.getElementById("ask-find").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
})();
