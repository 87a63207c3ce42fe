// Scanner desk: a barcode or QR scanner types the asset tag and presses Enter.
// On the lending form, Enter in the tag field moves on to the senior instead of
// submitting a half-filled form. Without this file the form still works.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var scan = document.querySelector("[data-scan-field]");
    if (!scan) { return; }
    scan.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      var next = document.getElementById("field-enrolment");
      if (next && !next.value) {
        event.preventDefault();
        next.focus();
      }
    });
  });
})();
