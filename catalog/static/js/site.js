// Small enhancements of the server-rendered pages; every page works without them.
"use strict";

(function () {
  function autosubmit() {
    // Forms marked data-autosubmit send themselves when a choice changes; their button hides.
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.hidden = true; }
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () { form.submit(); });
      });
    });
  }

  function localTimes() {
    // <time data-local-time datetime="..."> shows the moment in the browser's own time zone.
    var lang = document.documentElement.lang || undefined;
    document.querySelectorAll("time[data-local-time]").forEach(function (node) {
      var moment = new Date(node.getAttribute("datetime"));
      if (isNaN(moment.getTime())) { return; }
      try {
        node.textContent = new Intl.DateTimeFormat(lang, {
          dateStyle: "long", timeStyle: "short"
        }).format(moment);
        node.title = Intl.DateTimeFormat().resolvedOptions().timeZone;
      } catch (error) { /* keep the server's text */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    autosubmit();
    localTimes();
  });
})();
