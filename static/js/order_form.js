// The appointment order's "Add a row" without a round trip: clones the empty row of the
// formset and counts it in TOTAL_FORMS. Without JavaScript the button submits the form and
// the server adds the row.
(function () {
  "use strict";
  var button = document.getElementById("member-add");
  var template = document.getElementById("member-empty");
  var rows = document.getElementById("member-rows");
  var total = document.getElementById("id_members-TOTAL_FORMS");
  if (!button || !template || !rows || !total) {
    return;
  }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var index = parseInt(total.value, 10);
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__row__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var inputs = rows.lastElementChild.querySelectorAll("input[type=text]");
    if (inputs.length) {
      inputs[0].focus();
    }
  });
})();
