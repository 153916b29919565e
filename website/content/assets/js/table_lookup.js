// A lookup over a published table on the page: pick the row and the column, read the one figure where
// they cross. The figure is read from the table itself (shown in full under the lookup), never computed.
"use strict";
(function () {
  document.querySelectorAll("form.table-lookup").forEach(function (form) {
    var table = document.getElementById(form.dataset.table);
    var output = form.querySelector("output");
    if (!table || !output) return;
    function show() {
      var row = table.tBodies[0].rows[Number(form.elements.row.value)];
      var cell = row && row.querySelectorAll("td")[Number(form.elements.col.value)];
      output.textContent = cell ? cell.textContent : "";
    }
    form.addEventListener("change", show);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    show();
  });
})();
