// Small progressive enhancements only; every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader users hear what went wrong.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });

  // Search as you type: a search form marked data-picker="RESULTS-ID" (its page works as a
  // plain GET form) reloads its own page with what is typed and takes over the element
  // RESULTS-ID from it; the polite status line (data-picker-status) says how many were found,
  // so a screen reader hears it while the focus stays in the search box. The box may sit among
  // another form's fields, joined to its search form by its form attribute (the lending form).
  function picker(form) {
    var input = Array.prototype.filter.call(form.elements, function (e) { return e.type === "search"; })[0];
    var resultsId = form.getAttribute("data-picker");
    var statusId = form.getAttribute("data-picker-status");
    var timer = null;
    var asked = 0;
    if (!input) { return; }
    function refresh() {
      var query = new URLSearchParams(new FormData(form)).toString();
      var address = form.getAttribute("action").split("#")[0];
      var url = address + (address.indexOf("?") < 0 ? "?" : "&") + query;
      var mine = ++asked;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || mine !== asked) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var results = document.getElementById(resultsId);
          var found = fresh.getElementById(resultsId);
          if (results && found) { results.innerHTML = found.innerHTML; }
          var status = statusId && document.getElementById(statusId);
          var said = statusId && fresh.getElementById(statusId);
          if (status && said) { status.textContent = said.textContent; }
          if (window.history && window.history.replaceState) {
            var hash = form.getAttribute("action").split("#")[1];
            window.history.replaceState(null, "", url + (hash ? "#" + hash : ""));
          }
        })
        .catch(function () { /* the Search button still works */ });
    }
    if (!form.contains(input)) {
      // Enter there would reload the page and lose what the other form holds: search in place.
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        window.clearTimeout(timer);
        refresh();
      });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      // One letter finds nearly everyone: wait for the second (the Search button still takes one).
      if (input.value.trim().length === 1) { return; }
      timer = window.setTimeout(refresh, 300);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-picker]"), picker);
  });
})();
