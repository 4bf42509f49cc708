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

  // A filter box with suggestions (data-autocomplete="<search URL>"): as one types, the
  // matching names fill its datalist; picking one puts its id in the hidden input named by
  // data-autocomplete-id. Typing anything else clears that id, so the typed text is what
  // filters (the server reads it as part of a name).
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    var options = document.getElementById(input.getAttribute("list"));
    var chosen = document.getElementById(input.dataset.autocompleteId);
    if (!options || !chosen) return;
    var timer = null;
    var asked = "";
    function pick() {
      var match = Array.prototype.find.call(options.options, function (option) {
        return option.value === input.value;
      });
      chosen.value = match ? match.dataset.id : "";
    }
    input.addEventListener("input", function () {
      pick();
      var typed = input.value.trim();
      clearTimeout(timer);
      if (!typed || typed === asked) return;
      timer = setTimeout(function () {
        asked = typed;
        var url = input.dataset.autocomplete + "?q=" + encodeURIComponent(typed);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            options.replaceChildren.apply(options, data.results.map(function (school) {
              var option = document.createElement("option");
              option.value = school.name;
              option.label = school.code;
              option.dataset.id = school.id;
              return option;
            }));
            pick();
          })
          .catch(function () { /* no suggestions; typing still filters by name */ });
      }, 200);
    });
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
