// The card on air, live: the OBS overlay and the viewers' show page follow the stream's
// server-sent events with it. Its settings sit on the element with data-events-url.
"use strict";

(function () {
  var body = document.querySelector("[data-events-url]");
  if (!body) { return; }
  var delayMs = Number(body.dataset.delay || "0") * 1000;
  var locale = body.dataset.locale;
  var currency = body.dataset.currency;
  var card = document.getElementById("card");
  var productLink = document.getElementById("card-product-link");
  var source = null;
  var lastEventId = null;
  var retryMs = 1000;
  var shownMoves = -1;
  var swapTimer = null;

  function slot(name) { return card.querySelector("[data-slot=" + name + "]"); }

  function flag(code) {
    if (!code || code.length !== 2) { return ""; }
    return String.fromCodePoint(0x1F1E6 + code.charCodeAt(0) - 65, 0x1F1E6 + code.charCodeAt(1) - 65);
  }

  function picture(productId) {
    // The product's main picture, fetched when its card comes on (the text never waits for it).
    var img = card.querySelector("img[data-slot=picture]");
    if (!img || !body.dataset.imagesUrl) { return; }
    img.hidden = true;
    fetch(body.dataset.imagesUrl.replace(/\/0\/images$/, "/" + productId + "/images"), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (answer) {
        var first = answer.items && answer.items[0];
        if (first && card.dataset.productId === String(productId)) {
          img.src = first.renditions.card || first.renditions.thumb;
          img.hidden = false;
        }
      })
      .catch(function () { img.hidden = true; });
  }

  function fill(data) {
    var text = data.locales[locale] || data.locales[Object.keys(data.locales)[0]];
    slot("number").textContent = "#" + data.number;
    slot("name").textContent = text.name;
    slot("origin").textContent = (flag(data.product.origin_country) + " " + text.origin).trim();
    var regular = text.price && text.price[currency];
    slot("price").textContent = regular && regular.formatted ? regular.formatted : "";
    var flash = text.flash_price && text.flash_price[currency];
    var flashNode = slot("flash");
    flashNode.hidden = !(flash && flash.formatted);
    flashNode.textContent = flash && flash.formatted ? body.dataset.labelFlash + ": " + flash.formatted : "";
    slot("price").classList.toggle("struck", !flashNode.hidden);
    var list = slot("highlights");
    list.textContent = "";
    (text.highlights || []).slice(0, 3).forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    var refund = text.tax_refund && text.tax_refund.estimate[currency];
    var refundNode = slot("tax-refund");
    if (refundNode) {
      refundNode.hidden = !(refund && refund.formatted);
      refundNode.textContent = refund && refund.formatted ? body.dataset.labelTaxRefund + " ≈ " + refund.formatted : "";
    }
    var stock = slot("stock");
    stock.hidden = !(data.stock && (data.stock.sold_out || data.stock.low));
    stock.textContent = data.stock && data.stock.sold_out ? body.dataset.labelSoldOut : body.dataset.labelLowStock;
  }

  function show(envelope) {
    // A short transition: the old card fades out, the new one fades in.
    clearTimeout(swapTimer);
    if (!envelope.card || envelope.status === "ended") {
      card.classList.add("leaving");
      swapTimer = setTimeout(function () { card.hidden = true; }, 250);
      return;
    }
    var first = card.hidden;
    card.classList.add("leaving");
    swapTimer = setTimeout(function () {
      fill(envelope.card);
      card.dataset.position = envelope.position;
      card.dataset.productId = envelope.card.product.id;
      picture(envelope.card.product.id);
      if (productLink) {
        productLink.href = productLink.dataset.pattern.replace(/\/0$/, "/" + envelope.card.product.id);
        productLink.hidden = !envelope.card.product.available;
      }
      card.hidden = false;
      card.classList.remove("leaving");
    }, first ? 0 : 200);
  }

  function schedule(envelope) {
    if (typeof envelope.moves === "number" && envelope.moves < shownMoves) { return; }
    shownMoves = typeof envelope.moves === "number" ? envelope.moves : shownMoves;
    // Viewers see the stream late by the display delay; the card waits as long (never longer).
    var showAt = envelope.show_at ? Date.parse(envelope.show_at) : Date.now();
    var wait = Math.min(delayMs, Math.max(0, showAt - Date.now()));
    setTimeout(function () { show(envelope); }, wait);
  }

  function connect() {
    var url = body.dataset.eventsUrl + (lastEventId ? "?last_event_id=" + encodeURIComponent(lastEventId) : "");
    source = new EventSource(url);
    source.addEventListener("open", function () { retryMs = 1000; body.classList.remove("offline"); });
    source.addEventListener("card", function (event) {
      lastEventId = event.lastEventId || lastEventId;
      schedule(JSON.parse(event.data));
    });
    source.addEventListener("status", function (event) {
      lastEventId = event.lastEventId || lastEventId;
      var status = JSON.parse(event.data);
      if (status.status === "ended") { show({ card: null, status: "ended" }); }
    });
    source.addEventListener("error", function () {
      body.classList.add("offline");
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (the server refused or went away): try again, waiting longer each time.
        source.close();
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 15000);
      }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", connect); } else { connect(); }
})();
