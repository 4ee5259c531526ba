// Bulk review from the keyboard: J/K move, A approves, R opens a comment that Enter sends back.
"use strict";

(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("review-entries");
    if (!root) { return; }
    var entries = Array.prototype.slice.call(root.querySelectorAll(".review-entry"));
    var current = -1;

    function focusEntry(index) {
      if (index < 0 || index >= entries.length) { return; }
      if (current >= 0) { entries[current].classList.remove("current"); }
      current = index;
      entries[index].classList.add("current");
      entries[index].focus();
      entries[index].scrollIntoView({ block: "nearest" });
    }
    function step(direction) {
      var index = current;
      do { index += direction; } while (index >= 0 && index < entries.length && entries[index].classList.contains("done"));
      if (index >= 0 && index < entries.length) { focusEntry(index); }
    }
    function say(entry, text) { entry.querySelector(".review-result").textContent = text; }

    function send(entry, url, body) {
      body.etag = entry.dataset.etag;
      if (entry.dataset.revision) { body.revision = parseInt(entry.dataset.revision, 10); }
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": root.dataset.csrf },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { say(entry, data.detail || String(response.status)); return; }
          entry.dataset.etag = data.etag;
          entry.classList.add("done", "state-" + data.state);
          entry.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
          entry.querySelector(".reject-box").hidden = true;
          say(entry, data.message);
          step(1);
        });
      }, function () { say(entry, "offline"); });
    }
    function approve(entry) {
      if (entry.dataset.own === "true" || entry.classList.contains("done")) { return; }
      if (parseInt(entry.dataset.errors, 10) > 0 && entry.dataset.confirmed !== "true") {
        entry.dataset.confirmed = "true";
        say(entry, root.dataset.labelConfirm);
        return;
      }
      send(entry, entry.dataset.approveUrl, {});
    }
    function openReject(entry) {
      if (entry.dataset.own === "true" || entry.classList.contains("done")) { return; }
      var box = entry.querySelector(".reject-box");
      box.hidden = false;
      box.querySelector("textarea").focus();
    }
    function sendReject(entry) {
      var note = entry.querySelector(".reject-note").value.trim();
      if (note) { send(entry, entry.dataset.rejectUrl, { note: note }); }
    }

    root.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) { return; }
      var entry = button.closest(".review-entry");
      focusEntry(entries.indexOf(entry));
      if (button.dataset.action === "approve") { approve(entry); }
      else if (button.dataset.action === "reject") { openReject(entry); }
      else if (button.dataset.action === "send") { sendReject(entry); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var target = event.target;
      if (target.classList && target.classList.contains("reject-note")) {
        var owner = target.closest(".review-entry");
        if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); sendReject(owner); }
        else if (event.key === "Escape") { owner.querySelector(".reject-box").hidden = true; owner.focus(); }
        return;
      }
      if (target.matches && target.matches("input, select, textarea")) { return; }
      var entry = entries[current];
      var key = event.key.toLowerCase();
      if (key === "j" || event.key === "ArrowDown") { event.preventDefault(); step(1); }
      else if (key === "k" || event.key === "ArrowUp") { event.preventDefault(); step(-1); }
      else if (key === "a" && entry) { event.preventDefault(); approve(entry); }
      else if (key === "r" && entry) { event.preventDefault(); openReject(entry); }
    });
    step(1);
  });
})();
