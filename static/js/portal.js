/* ICT Office Portal: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  // Demo logins on the login page: a click on a username fills the form.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-demo-username]");
    if (!target) return;
    var form = document.querySelector("form.portal-login-form");
    if (!form) return;
    form.querySelector("input[name=username]").value = target.dataset.demoUsername;
    var password = form.querySelector("input[name=password]");
    if (target.dataset.demoPassword) password.value = target.dataset.demoPassword;
    password.focus();
  });

  // htmx: a failed request says so instead of silently doing nothing.
  document.body.addEventListener("htmx:responseError", function (event) {
    var message = document.body.dataset.requestFailed || "Error";
    var box = document.createElement("div");
    box.className = "alert alert-danger alert-dismissible position-fixed bottom-0 end-0 m-3";
    box.setAttribute("role", "alert");
    box.textContent = message + " (" + event.detail.xhr.status + ")";
    document.body.appendChild(box);
    setTimeout(function () { box.remove(); }, 6000);
  });
})();
