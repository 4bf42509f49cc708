/* Process designer: show the parts of a step form that fit its kind, add formset rows, and
   reorder steps by drag and drop. Every page works without this file (the up/down buttons
   reorder, and every section is simply shown). */
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  // --- kinds and field types ------------------------------------------------------------
  function applyKinds(form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) return;
    form.querySelectorAll("[data-kinds]").forEach(function (part) {
      part.hidden = part.dataset.kinds.split(" ").indexOf(kind.value) === -1;
    });
  }

  // Parts that fit one time model only (days, the activity field, the case date).
  function applyModels(form) {
    var model = form.querySelector("select[name=time_model]");
    var kind = form.querySelector("select[name=kind]");
    if (!model) return;
    var value = kind && kind.value === "wait_until" ? "until_case_date" : model.value;
    form.querySelectorAll("[data-models]").forEach(function (part) {
      if (part.hidden && part.dataset.kinds && kind &&
          part.dataset.kinds.split(" ").indexOf(kind.value) === -1) return;
      part.hidden = part.dataset.models.split(" ").indexOf(value) === -1;
    });
  }

  function applyTypes(root) {
    root.querySelectorAll("[data-type-row]").forEach(function (row) {
      var type = row.querySelector("select[name$='-type']");
      if (!type) return;
      row.querySelectorAll("[data-types]").forEach(function (part) {
        part.hidden = part.dataset.types.split(" ").indexOf(type.value) === -1;
      });
    });
  }

  var stepForm = document.getElementById("designer-step-form");
  if (stepForm) {
    applyKinds(stepForm);
    applyModels(stepForm);
    applyTypes(stepForm);
    stepForm.addEventListener("change", function (event) {
      if (event.target.name === "kind" || event.target.name === "time_model") {
        applyKinds(stepForm);
        applyModels(stepForm);
      }
      if (/-type$/.test(event.target.name || "")) applyTypes(stepForm);
    });
    stepForm.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-row]");
      if (!button) return;
      var set = button.closest("[data-formset]");
      var prefix = set.dataset.formset;
      var total = set.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var template = set.querySelector("template[data-empty]");
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, total.value);
      var number = holder.querySelector("[data-row-number]");
      if (number) number.textContent = String(Number(total.value) + 1);
      var row = holder.firstElementChild;
      set.querySelector("[data-rows]").appendChild(row);
      total.value = String(Number(total.value) + 1);
      applyTypes(set);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  // --- drag and drop of steps ---------------------------------------------------------
  var list = document.getElementById("designer-steps");
  if (!list || !list.dataset.reorderUrl) return;
  var dragged = null;

  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("li[data-key]");
    if (!dragged) return;
    dragged.classList.add("designer-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.key);
  });

  list.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var over = event.target.closest("li[data-key]");
    if (!over || over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });

  list.addEventListener("drop", function (event) {
    event.preventDefault();
  });

  list.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("designer-dragging");
    dragged = null;
    var body = new FormData();
    list.querySelectorAll("li[data-key]").forEach(function (item) {
      body.append("order", item.dataset.key);
    });
    fetch(list.dataset.reorderUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      var picture = document.getElementById("designer-picture");
      if (picture) picture.innerHTML = html;
      var items = list.querySelectorAll("li[data-key]");
      items.forEach(function (item, index) {
        var up = item.querySelector("button[value=up]");
        var down = item.querySelector("button[value=down]");
        if (up) up.disabled = index === 0;
        if (down) down.disabled = index === items.length - 1;
      });
    }).catch(function () {
      window.location.reload();
    });
  });
})();
