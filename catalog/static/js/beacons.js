// Analytics beacons from the viewer pages: nothing about the viewer is sent, only what was done
// (a card seen, a product page opened from a show, a "want" tap, a search result clicked).
"use strict";

(function () {
  function send(url, body) {
    // keepalive: the beacon is delivered even when the page is being left.
    return fetch(url, {
      method: "POST",
      keepalive: true,
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) { return response.ok; }, function () { return false; });
  }

  function showPage(box) {
    var url = box.dataset.beaconsUrl;
    var locale = box.dataset.beaconLocale;
    var card = document.getElementById("card");
    var link = document.getElementById("card-product-link");
    var want = document.getElementById("want");
    var status = document.getElementById("want-status");
    var lastSeen = null;

    function current() {
      return card && !card.hidden && card.dataset.productId ? Number(card.dataset.productId) : null;
    }
    function seen() {
      var productId = current();
      if (productId !== null && productId !== lastSeen) {
        lastSeen = productId;
        send(url, { kind: "seen", product_id: productId, locale: locale });
      }
      if (want) { want.disabled = productId === null; }
    }
    if (card) {
      new MutationObserver(seen).observe(card, { attributes: true, attributeFilter: ["data-product-id", "hidden"] });
      seen();
    }
    if (want) {
      want.addEventListener("click", function () {
        var productId = current();
        if (productId === null) { return; }
        want.disabled = true;
        send(url, { kind: "want", product_id: productId, locale: locale }).then(function (ok) {
          status.textContent = ok ? box.dataset.labelThanks : "";
          setTimeout(function () { want.disabled = current() === null; }, 1500);
        });
      });
    }
    if (link) {
      // The product page counts an opening for this show when the link says where it came from.
      var mark = function () {
        var target = new URL(link.href, window.location.href);
        target.searchParams.set("from", "stream:" + box.dataset.streamId);
        link.href = target.pathname + target.search;
      };
      link.addEventListener("click", mark);
      link.addEventListener("auxclick", mark);
    }
  }

  function productPage(box) {
    send(box.dataset.beaconsUrl, {
      kind: "opened",
      product_id: Number(box.dataset.productId),
      locale: box.dataset.beaconLocale
    });
  }

  function searchPage(box) {
    var results = document.querySelector("ol.results");
    if (!results) { return; }
    var first = Number(results.getAttribute("start") || "1");
    results.querySelectorAll("li.result").forEach(function (item, index) {
      var link = item.querySelector("a.result-link");
      var productId = Number(item.dataset.productId);
      if (!link || !productId) { return; }
      link.addEventListener("click", function () {
        send(box.dataset.clicksUrl, {
          q: box.dataset.query,
          locale: box.dataset.beaconLocale,
          position: first + index,
          product_id: productId
        });
      });
    });
  }

  function start() {
    var show = document.querySelector(".want[data-beacons-url]");
    if (show) { showPage(show); }
    var opened = document.querySelector("[data-opened-beacon]");
    if (opened) { productPage(opened); }
    var clicks = document.querySelector("[data-clicks-url]");
    if (clicks) { searchPage(clicks); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
