/* The caseload page, enhanced: sort by a column header's button, filter with the form.
   Without script the table is complete and in the order of `reunify caseload`. */
(function () {
  "use strict";
  var table = document.getElementById("caseload");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var RISK = { none: 0, low: 1, medium: 2, high: 3, severe: 4 };
  var shown = document.getElementById("shown");

  function stageKey(row) {
    var value = row.getAttribute("data-stage");
    if (/^\d+$/.test(value)) { return Number(value); }
    return value === "ended" ? 100 : value === "closed" ? 101 : 102;
  }
  function text(row, index) { return (row.cells[index].textContent || "").trim().toLowerCase(); }
  var KEYS = {
    child: function (row) { return text(row, 0); },
    reference: function (row) { return (row.getAttribute("data-reference") || "").toLowerCase(); },
    stage: stageKey,
    risk: function (row) { return RISK[row.getAttribute("data-risk")] || 0; },
    next: function (row) { return text(row, 4); },
    due: function (row) { return row.getAttribute("data-due") || "9999-99-99"; },
    overdue: function (row) { return Number(row.getAttribute("data-overdue") || 0); }
  };
  function order(row) { return Number(row.getAttribute("data-order")); }

  function sortBy(key, direction) {
    var get = KEYS[key];
    var sorted = rows.slice().sort(function (a, b) {
      var x = get(a), y = get(b);
      if (x < y) { return direction === "ascending" ? -1 : 1; }
      if (x > y) { return direction === "ascending" ? 1 : -1; }
      return order(a) - order(b);
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.querySelectorAll("thead button[data-sort]"), function (button) {
    button.addEventListener("click", function () {
      var header = button.parentNode;
      var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th) { th.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", direction);
      sortBy(button.getAttribute("data-sort"), direction);
    });
  });

  var form = document.getElementById("filters");
  function value(id) { var field = document.getElementById(id); return field ? field.value : ""; }
  function applyFilters() {
    var worker = value("filter-worker"), risk = value("filter-risk"), stage = value("filter-stage");
    var overdue = document.getElementById("filter-overdue");
    var onlyOverdue = overdue ? overdue.checked : false;
    var count = 0;
    rows.forEach(function (row) {
      var keep = (!worker || row.getAttribute("data-worker") === worker) &&
        (!risk || row.getAttribute("data-risk") === risk) &&
        (!stage || row.getAttribute("data-stage") === stage) &&
        (!onlyOverdue || Number(row.getAttribute("data-overdue")) > 0);
      row.hidden = !keep;
      if (keep) { count += 1; }
    });
    if (shown) { shown.textContent = "Showing " + count + " of " + rows.length + " cases"; }
  }
  if (form) {
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    applyFilters();
  }
}());
