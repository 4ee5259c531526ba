// The replay page: a click on a chapter or a product seeks the player to that moment; the
// chapter playing now is marked. Without script the links still name the moment (#t=seconds).
"use strict";

(function () {
  var video = document.getElementById("replay-video");
  if (!video) { return; }
  var chapters = Array.prototype.slice.call(document.querySelectorAll("#chapters [data-seek]"));

  function seek(seconds, play) {
    function go() {
      video.currentTime = seconds;
      if (play) {
        var playing = video.play();
        if (playing && playing.catch) { playing.catch(function () { /* the viewer presses play */ }); }
      }
    }
    if (video.readyState >= 1) { go(); } else { video.addEventListener("loadedmetadata", go, { once: true }); }
  }

  function fromHash() {
    var found = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    return found ? Number(found[1]) : null;
  }

  function markCurrent() {
    var now = video.currentTime;
    var current = null;
    chapters.forEach(function (link) { if (Number(link.dataset.seek) <= now + 0.05) { current = link; } });
    chapters.forEach(function (link) {
      if (link === current) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-seek]") : null;
    if (!link) { return; }
    event.preventDefault();
    var seconds = Number(link.dataset.seek);
    window.history.replaceState(null, "", "#t=" + Math.floor(seconds));
    seek(seconds, true);
  });
  window.addEventListener("hashchange", function () {
    var seconds = fromHash();
    if (seconds !== null) { seek(seconds, false); }
  });
  function showUnplayable() {
    // an HLS playlist in a browser without native HLS, a file it cannot decode, or a file gone
    document.getElementById("replay-unplayable").hidden = false;
  }
  video.addEventListener("error", showUnplayable);
  // the player may have failed before this script ran: its error event is gone by now
  if (video.error || video.networkState === video.NETWORK_NO_SOURCE) { showUnplayable(); }
  video.addEventListener("timeupdate", markCurrent);
  video.addEventListener("seeked", markCurrent);
  var start = fromHash();
  if (start !== null) { seek(start, false); }
})();
