// The host console: moves the card on air from the keyboard, keeps the run-sheet, shows clocks.
"use strict";

(function () {
  var root, urls, labels, state, locale, currency;
  var numberBuffer = "";
  var source = null;
  var retryMs = 1000;
  var dragId = null;

  function $(id) { return document.getElementById(id); }
  function label(name, values) {
    var text = root.dataset["label" + name] || "";
    Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
    return text;
  }
  function say(text) { $("message").textContent = text; }
  function offline(flag) { $("connection").hidden = !flag; }

  function call(url, body) {
    return fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf, "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (response) {
      offline(false);
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          say(label("Failed", { reason: data.detail || response.status }));
          if (response.status === 409) { refresh(); }
          return null;
        }
        if (body !== undefined) { say(""); }  // a refresh keeps the last refusal in view
        apply(data);
        return data;
      });
    }, function () { offline(true); return null; });
  }

  function refresh() { return call(urls.state); }
  function move(action, position) {
    var body = { action: action };
    if (position !== undefined) { body.position = position; }
    return call(urls.cursor, body);
  }

  function row(position) { return state.lineup[position - 1] || null; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function renderOnAir() {
    var box = $("on-air-card");
    box.textContent = "";
    var envelope = state.envelope;
    var card = envelope && envelope.card;
    $("pin-badge").hidden = !state.pinned;
    $("pin").setAttribute("aria-pressed", state.pinned ? "true" : "false");
    if (!card) { box.appendChild(el("p", "muted", label("Nothing"))); return; }
    var text = card.locales[locale] || card.locales[Object.keys(card.locales)[0]];
    box.dataset.position = envelope.position;
    box.appendChild(el("p", "number", "#" + card.number));
    box.appendChild(el("p", "name", text.name));
    box.appendChild(el("p", "origin", text.origin));
    var price = text.price && text.price[currency];
    var flash = text.flash_price && text.flash_price[currency];
    box.appendChild(el("p", "price", price && price.formatted ? price.formatted : ""));
    if (flash && flash.formatted) { box.appendChild(el("p", "flash", flash.formatted)); }
    var list = el("ul", "highlights");
    (text.highlights || []).forEach(function (line) { list.appendChild(el("li", null, line)); });
    box.appendChild(list);
    box.appendChild(el("p", "stock" + (card.stock.low ? " low" : ""), label("Stock", { count: card.stock.count })));
    var item = row(envelope.position);
    var sw = $("flash-switch");
    sw.disabled = !(item && item.flash);
    sw.checked = !!(item && item.flash && item.flash.phase === "running");
  }

  function renderNext() {
    var box = $("next-card");
    box.textContent = "";
    var position = state.position + 1;
    while (row(position) && !row(position).available) { position += 1; }
    var item = row(position);
    if (!item) { box.appendChild(el("p", "muted", label("Last"))); return; }
    box.dataset.position = position;
    box.appendChild(el("p", "number", "#" + item.number));
    box.appendChild(el("p", "name", item.name));
    box.appendChild(el("p", "price", item.price));
    if (item.notes) { box.appendChild(el("p", "notes", item.notes)); }
  }

  function renderLineup() {
    var list = $("lineup");
    // Keep the keyboard focus on the same item across a re-render (moves and pushed updates).
    var focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest("li.lineup-item") : null;
    var focusedId = focused && list.contains(focused) ? focused.dataset.itemId : null;
    list.textContent = "";
    state.lineup.forEach(function (item) {
      var li = el("li", "lineup-item" + (item.position === state.position ? " on-air" : "") + (item.available ? "" : " unavailable"));
      li.draggable = true;
      li.tabIndex = 0;
      li.dataset.itemId = item.id;
      li.dataset.position = item.position;
      li.dataset.number = item.number;
      li.appendChild(el("span", "number", "#" + item.number));
      li.appendChild(el("span", "name", item.name));
      li.appendChild(el("span", "sku muted", item.sku));
      li.appendChild(el("span", "item-price", item.price));
      if (item.flash) { li.appendChild(el("span", "badge flash-badge", item.flash.price)); }
      if (!item.available) { li.appendChild(el("span", "badge", label("Unavailable"))); }
      if (item.position === state.position) {
        li.setAttribute("aria-current", "true");
        li.appendChild(el("span", "badge live-badge", label("OnAir")));
      }
      list.appendChild(li);
    });
    if (focusedId) {
      var again = list.querySelector("[data-item-id='" + focusedId + "']");
      if (again) { again.focus(); }
    }
  }

  function apply(data) {
    if (!data || !data.lineup) { return; }
    state = data;
    $("status-badge").textContent = state.status;
    $("status-badge").className = "badge status-badge status-" + state.status;
    $("start-show").hidden = state.status !== "scheduled";
    $("end-show").hidden = state.status !== "live";
    if ($("readiness")) { $("readiness").hidden = state.status !== "scheduled"; }
    renderOnAir();
    renderNext();
    renderLineup();
  }

  function order(ids) { call(urls.order, { item_ids: ids, version: state.version }); }

  function currentIds() { return state.lineup.map(function (item) { return item.id; }); }

  function setupLineup() {
    var list = $("lineup");
    list.addEventListener("click", function (event) {
      var li = event.target.closest("li.lineup-item");
      if (li) { move("goto", Number(li.dataset.position)); }
    });
    list.addEventListener("keydown", function (event) {
      var li = event.target.closest("li.lineup-item");
      if (!li) { return; }
      if (event.key === "Enter") { event.preventDefault(); event.stopPropagation(); move("goto", Number(li.dataset.position)); return; }
      if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
        event.preventDefault();
        event.stopPropagation();
        var ids = currentIds();
        var from = ids.indexOf(Number(li.dataset.itemId));
        var to = from + (event.key === "ArrowUp" ? -1 : 1);
        if (to < 0 || to >= ids.length) { return; }
        ids.splice(to, 0, ids.splice(from, 1)[0]);
        var focusId = li.dataset.itemId;
        call(urls.order, { item_ids: ids, version: state.version }).then(function () {
          var again = list.querySelector("[data-item-id='" + focusId + "']");
          if (again) { again.focus(); }
        });
      }
    });
    list.addEventListener("dragstart", function (event) {
      var li = event.target.closest("li.lineup-item");
      dragId = li ? Number(li.dataset.itemId) : null;
      if (li) { event.dataTransfer.effectAllowed = "move"; event.dataTransfer.setData("text/plain", String(dragId)); li.classList.add("dragging"); }
    });
    list.addEventListener("dragover", function (event) { if (dragId !== null) { event.preventDefault(); } });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
      var target = event.target.closest("li.lineup-item");
      if (dragId === null || !target) { return; }
      var ids = currentIds();
      var from = ids.indexOf(dragId);
      var to = ids.indexOf(Number(target.dataset.itemId));
      dragId = null;
      if (from === to) { renderLineup(); return; }
      ids.splice(to, 0, ids.splice(from, 1)[0]);
      order(ids);
    });
    list.addEventListener("dragend", function () { dragId = null; renderLineup(); });
  }

  function setupFind() {
    var input = $("find-q");
    var results = $("find-results");
    var timer = null;
    var controller = null;
    function add(productId) {
      call(urls.insert, { product_id: productId }).then(function (data) {
        if (data) { input.value = ""; results.textContent = ""; input.blur(); }
      });
    }
    function search() {
      var text = input.value.trim();
      if (text.length < 2) { results.textContent = ""; return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      fetch(urls.search + "?limit=8&facets=&q=" + encodeURIComponent(text) + "&locale=" + encodeURIComponent(locale),
            { signal: controller.signal, headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) {
          results.textContent = "";
          if (!body.items.length) { results.appendChild(el("li", "muted", label("NoResults"))); return; }
          body.items.forEach(function (item) {
            var li = el("li", "find-result");
            li.appendChild(el("span", "name", item.name));
            li.appendChild(el("span", "sku muted", item.sku));
            var button = el("button", "secondary", label("Add"));
            button.type = "button";
            button.dataset.productId = item.id;
            button.addEventListener("click", function () { add(item.id); });
            li.appendChild(button);
            results.appendChild(li);
          });
        })
        .catch(function () { /* a newer search replaced this one */ });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    $("find").addEventListener("submit", function (event) {
      event.preventDefault();
      var first = results.querySelector("button[data-product-id]");
      if (first) { add(Number(first.dataset.productId)); }
    });
    input.addEventListener("keydown", function (event) { if (event.key === "Escape") { input.value = ""; results.textContent = ""; input.blur(); } });
  }

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
  }

  function showJump() {
    $("jump").textContent = numberBuffer ? label("Jump", { number: numberBuffer }) : "";
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "ArrowRight") { event.preventDefault(); numberBuffer = ""; showJump(); move("next"); }
    else if (key === "ArrowLeft") { event.preventDefault(); numberBuffer = ""; showJump(); move("prev"); }
    else if (key === "p" || key === "P") { event.preventDefault(); move(state.pinned ? "unpin" : "pin"); }
    else if (key === "/") { event.preventDefault(); $("find-q").focus(); }
    else if (/^[0-9]$/.test(key)) { numberBuffer = (numberBuffer + key).slice(-4); showJump(); }
    else if (key === "Backspace" && numberBuffer) { numberBuffer = numberBuffer.slice(0, -1); showJump(); }
    else if (key === "Escape") { numberBuffer = ""; showJump(); }
    else if (key === "Enter" && numberBuffer) {
      event.preventDefault();
      var wanted = Number(numberBuffer);
      numberBuffer = "";
      showJump();
      var item = state.lineup.filter(function (entry) { return entry.number === wanted; })[0];
      if (item) { move("goto", item.position); } else { say(label("UnknownNumber", { number: wanted })); }
    }
  }

  function clocks() {
    var zones = JSON.parse(root.dataset.clocks);
    var list = $("clocks");
    var nodes = zones.map(function (clock) {
      var li = el("li", "clock");
      li.appendChild(el("span", "clock-label", clock.label));
      var time = el("time", "clock-time");
      li.appendChild(time);
      list.appendChild(li);
      var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        timeZone: clock.zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
      });
      return { node: time, format: format, zone: clock.zone };
    });
    function tick() {
      var now = new Date();
      nodes.forEach(function (clock) { clock.node.textContent = clock.format.format(now); clock.node.title = clock.zone; });
    }
    tick();
    setInterval(tick, 1000);
  }

  function recheck() {
    var shown = $("readiness");
    if (!shown || state.status !== "scheduled") { return; }
    fetch(urls.readiness, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.status === 200 ? response.text() : ""; })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("readiness");
        if (fresh) { shown.replaceWith(document.importNode(fresh, true)); } else { shown.hidden = true; }
      })
      .catch(function () { offline(true); });
  }

  function listen() {
    source = new EventSource(urls.events);
    source.addEventListener("open", function () { retryMs = 1000; offline(false); refresh(); });
    ["card", "lineup", "status"].forEach(function (kind) {
      source.addEventListener(kind, function () { refresh(); });
    });
    ["readiness", "lineup"].forEach(function (kind) {
      source.addEventListener(kind, recheck);
    });
    source.addEventListener("error", function () {
      offline(true);
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(listen, retryMs);
        retryMs = Math.min(retryMs * 2, 15000);
      }
    });
    window.addEventListener("offline", function () { offline(true); });
    window.addEventListener("online", function () { refresh(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = $("console");
    if (!root) { return; }
    urls = JSON.parse(root.dataset.urls);
    state = JSON.parse(root.dataset.state);
    locale = root.dataset.locale;
    currency = root.dataset.currency;
    apply(state);
    setupLineup();
    setupFind();
    clocks();
    $("prev").addEventListener("click", function () { move("prev"); });
    $("next").addEventListener("click", function () { move("next"); });
    $("pin").addEventListener("click", function () { move(state.pinned ? "unpin" : "pin"); });
    $("flash-switch").addEventListener("change", function (event) { call(urls.flash, { on: event.target.checked }); });
    ["start-show", "end-show"].forEach(function (id) {
      $(id).addEventListener("click", function (event) { call(urls.status, { action: event.target.dataset.action }); });
    });
    root.addEventListener("click", function (event) {  // the readiness section is swapped as it changes
      if (event.target.id === "force-start") { call(urls.status, { action: "start", force: true }); }
    });
    document.addEventListener("keydown", onKey);
    listen();
  });
})();
