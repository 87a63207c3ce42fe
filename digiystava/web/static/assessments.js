// The skill entry grid: keyboard-only entry, each row saved on its own through the JSON API.
// Without this file the grid still works: every row is a form posted to the server.
(function () {
  "use strict";

  var LEVEL_KEYS = { "0": "0", "1": "1", "2": "2", "3": "3", "4": "4" };
  var NO_ANSWER_KEYS = { "-": true, "x": true, "X": true };
  var SAVE_DELAY_MS = 1500;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function init(table) {
    var text = table.dataset;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var announcer = document.getElementById("grid-announcer");
    var methodSelect = document.getElementById("grid-method");
    var states = new Map();

    function cellsOf(row) { return Array.prototype.slice.call(row.querySelectorAll("select.level")); }
    function state(row) {
      if (!states.has(row)) { states.set(row, { dirty: false, saving: false, again: false, timer: null }); }
      return states.get(row);
    }
    function announce(message) {
      // Emptied first so that the same message twice in a row is read out twice.
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = message; }, 50);
    }
    function showStatus(row, kind, message) {
      var status = row.querySelector(".row-status");
      status.className = "row-status " + kind;
      status.textContent = message;
      row.classList.toggle("unsaved", kind !== "saved");
    }

    // The session ended: the typed answers wait in this tab's storage while the user signs in
    // again, and come back into the grid (and are saved) when the page opens after the login.
    var DRAFT_KEY = "digiystava-grid:" + text.cohortId + ":" + text.phase;
    var signingIn = false;

    function signInLink() {
      var link = document.createElement("a");
      link.href = "/login?ended=1&next=" + encodeURIComponent(window.location.pathname + window.location.search);
      link.textContent = text.textSignInLink;
      link.addEventListener("click", function () { signingIn = true; });
      return link;
    }

    function keepDrafts() {
      var kept = {};
      rows.forEach(function (row) {
        if (state(row).dirty) { kept[row.dataset.participantId] = answersOf(row); }
      });
      try { window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(kept)); } catch (e) { /* storage off: the page still says so */ }
    }

    function showSignedOut(row) {
      keepDrafts();
      showStatus(row, "error", text.textSignedOut + " ");
      row.querySelector(".row-status").appendChild(signInLink());
      announce(text.textRowError.replace("{name}", row.dataset.name) + ". " + text.textSignedOut);
    }

    function answersOf(row) {
      var answers = {};
      cellsOf(row).forEach(function (select) {
        answers[select.name] = select.value === "" ? null : parseInt(select.value, 10);
      });
      return answers;
    }

    function send(method, url, body) {
      return fetch(url, {
        method: method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
        body: body === undefined ? undefined : JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data };
        });
      });
    }

    // A row recorded meanwhile (another tab, a colleague): find it so the save becomes a correction.
    function findExisting(row) {
      var url = "/api/v1/assessments?cohort_id=" + text.cohortId + "&participant_id=" + row.dataset.participantId;
      return send("GET", url).then(function (result) {
        var items = (result.data && result.data.items) || [];
        for (var i = 0; i < items.length; i++) {
          if (items[i].phase === text.phase) { return items[i].id; }
        }
        return null;
      });
    }

    function problemText(data) {
      if (data && data.errors && data.errors.length) {
        return data.errors.map(function (e) { return e.field + ": " + e.message; }).join("; ");
      }
      return (data && data.detail) || "";
    }

    function save(row) {
      var st = state(row);
      window.clearTimeout(st.timer);
      if (!st.dirty) { return; }
      if (st.saving) { st.again = true; return; }
      st.saving = true;
      st.dirty = false;
      showStatus(row, "saving", text.textSaving);
      var answers = answersOf(row);
      var id = row.dataset.assessmentId;
      var request = id
        ? send("PUT", "/api/v1/assessments/" + id, { answers: answers })
        : send("POST", "/api/v1/assessments", {
            participant_id: parseInt(row.dataset.participantId, 10),
            cohort_id: parseInt(text.cohortId, 10),
            phase: text.phase,
            method: methodSelect ? methodSelect.value : "paper",
            answers: answers
          }).then(function (result) {
            if (result.status !== 409) { return result; }
            return findExisting(row).then(function (found) {
              if (!found) { return result; }
              row.dataset.assessmentId = found;
              return send("PUT", "/api/v1/assessments/" + found, { answers: answers });
            });
          });
      request.then(function (result) {
        st.saving = false;
        if (result.status === 200 || result.status === 201) {
          row.dataset.assessmentId = result.data.id;
          showStatus(row, "saved", text.textSaved);
          announce(text.textRowSaved.replace("{name}", row.dataset.name));
        } else if (result.status === 401 || (result.status === 403 && /CSRF/.test((result.data && result.data.detail) || ""))) {
          // Signed out, or signed in again in another tab (this page's form token is then stale).
          st.dirty = true;
          showSignedOut(row);
        } else {
          st.dirty = true;
          showStatus(row, "error", text.textError + " " + problemText(result.data));
          announce(text.textRowError.replace("{name}", row.dataset.name) + ". " + problemText(result.data));
        }
        if (st.again) { st.again = false; save(row); }
      }, function () {
        st.saving = false;
        st.dirty = true;
        showStatus(row, "error", text.textError + " " + text.textUnsaved);
        announce(text.textRowError.replace("{name}", row.dataset.name));
      });
    }

    function changed(row) {
      var st = state(row);
      st.dirty = true;
      showStatus(row, "pending", text.textUnsaved);
      window.clearTimeout(st.timer);
      st.timer = window.setTimeout(function () { save(row); }, SAVE_DELAY_MS);
    }

    function focusCell(r, c) {
      if (r < 0 || r >= rows.length) { return; }
      var cells = cellsOf(rows[r]);
      cells[Math.max(0, Math.min(c, cells.length - 1))].focus();
    }

    function position(select) {
      var row = select.closest("tr");
      return { row: row, r: rows.indexOf(row), c: cellsOf(row).indexOf(select), last: cellsOf(row).length - 1 };
    }

    function next(p) {
      if (p.c < p.last) { focusCell(p.r, p.c + 1); }
      else if (p.r + 1 < rows.length) { focusCell(p.r + 1, 0); }
      else { p.row.querySelector(".row-save button").focus(); }
    }

    // A digit (or "-"/"x") already moves on to the next cell. Spreadsheet users type a Tab
    // after each value as well; that Tab is taken as the end of the same entry, not as a
    // second move, so "2 Tab 1 Tab" and "2 1" fill the same cells.
    var movedTo = null;

    function advance(p) {
      next(p);
      movedTo = document.activeElement;
    }

    table.addEventListener("keydown", function (event) {
      var select = event.target;
      var justMoved = movedTo !== null && movedTo === select;
      movedTo = null;
      if (event.key === "Tab" && !event.shiftKey && justMoved && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        return;
      }
      if (!select.matches || !select.matches("select.level") || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var p = position(select);
      var key = event.key;
      if (LEVEL_KEYS.hasOwnProperty(key)) {
        select.value = LEVEL_KEYS[key];
        changed(p.row);
        advance(p);
      } else if (NO_ANSWER_KEYS.hasOwnProperty(key)) {
        select.value = "";
        changed(p.row);
        advance(p);
      } else if (key === "Delete" || key === "Backspace") {
        select.value = "";
        changed(p.row);
      } else if (key === "ArrowRight") {
        focusCell(p.r, p.c + 1);
      } else if (key === "ArrowLeft") {
        focusCell(p.r, p.c - 1);
      } else if (key === "ArrowDown") {
        focusCell(p.r + 1, p.c);
      } else if (key === "ArrowUp") {
        focusCell(p.r - 1, p.c);
      } else if (key === "Home") {
        focusCell(p.r, 0);
      } else if (key === "End") {
        focusCell(p.r, p.last);
      } else if (key === "Enter") {
        state(p.row).dirty = true;
        save(p.row);
      } else {
        return;
      }
      // Keeps the closed select from also changing its value or opening on these keys.
      event.preventDefault();
    });

    // A click elsewhere ends the entry: a Tab after it moves as usual.
    table.addEventListener("mousedown", function () { movedTo = null; });

    // Touch and mouse: the native picker opens on a tap; a choice is saved like a keystroke.
    table.addEventListener("change", function (event) {
      if (event.target.matches("select.level")) { changed(event.target.closest("tr")); }
    });

    // Leaving a row saves it at once.
    table.addEventListener("focusout", function (event) {
      var row = event.target.closest("tr");
      var to = event.relatedTarget;
      if (row && (!to || to.closest("tr") !== row) && state(row).dirty) { save(row); }
    });

    rows.forEach(function (row) {
      var form = row.querySelector(".row-save form");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        state(row).dirty = true;
        save(row);
      });
    });

    if (methodSelect) {
      methodSelect.addEventListener("change", function () {
        table.querySelectorAll('.row-save input[name="method"]').forEach(function (input) { input.value = methodSelect.value; });
      });
    }

    var restored = null;
    try { restored = JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) || "null"); } catch (e) { restored = null; }
    if (restored) {
      window.sessionStorage.removeItem(DRAFT_KEY);
      rows.forEach(function (row) {
        var answers = restored[row.dataset.participantId];
        if (!answers) { return; }
        cellsOf(row).forEach(function (select) {
          var value = answers[select.name];
          select.value = value === null || value === undefined ? "" : String(value);
        });
        changed(row);
      });
      announce(text.textRestored);
      var notice = document.getElementById("grid-restored");
      if (notice) { notice.hidden = false; }
    }

    window.addEventListener("beforeunload", function (event) {
      if (signingIn) { return; }
      var pending = rows.some(function (row) { var st = state(row); return st.dirty || st.saving; });
      if (pending) {
        rows.forEach(function (row) { if (state(row).dirty) { save(row); } });
        event.preventDefault();
        event.returnValue = text.textLeave;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("assessment-grid");
    if (table) { init(table); }
  });
})();
