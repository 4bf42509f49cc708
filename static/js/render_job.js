/* A document rendered in the background (core/templates/core/render_job.html): once its
   progress part says it is ready, start the download, once per browser tab, so coming back
   to the page later does not download it again. The big button stays for a second try. */
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

  document.addEventListener("DOMContentLoaded", startDownload);
  document.addEventListener("htmx:afterSettle", startDownload);
})();
