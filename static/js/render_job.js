/* A document rendered in the background (core/templates/core/render_job.html): once its
   progress part says it is ready, start the download, once per browser tab, so coming back
   to the page later does not download it again. The big button stays for a second try.
   A page that waits for a file without a progress part (data-look-again="<seconds>", the
   public plan PDF) looks again by itself, for two minutes at most. */
(function () {
  "use strict";

  function startDownload() {
    var link = document.querySelector("[data-render-ready]");
    if (!link) return;
    var key = "render-job-downloaded-" + link.dataset.job;
    try {
      if (window.sessionStorage.getItem(key)) return;
      window.sessionStorage.setItem(key, "1");
    } catch (error) {
      // Storage refused (a private window): download anyway; the page shows the button.
    }
    window.location.assign(link.href);
  }

  function lookAgain() {
    var waiting = document.querySelector("[data-look-again]");
    if (!waiting) return;
    var key = "look-again-" + window.location.pathname;
    var tries = 0;
    try {
      tries = Number(window.sessionStorage.getItem(key) || 0);
      window.sessionStorage.setItem(key, String(tries + 1));
    } catch (error) {
      // Storage refused: look again anyway, the limit is then the person's patience.
    }
    if (tries >= 24) return;
    window.setTimeout(function () {
      window.location.reload();
    }, Number(waiting.dataset.lookAgain) * 1000);
  }

  document.addEventListener("DOMContentLoaded", startDownload);
  document.addEventListener("DOMContentLoaded", lookAgain);
  document.addEventListener("htmx:afterSettle", startDownload);
})();
