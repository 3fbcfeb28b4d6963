// The bid form: word counts beside statements, autosave of drafts (debounced on change, and on leaving),
// a warning before leaving with unsaved changes, and the sections' progress. Our own file: the CSP allows no
// inline script. Without JavaScript the form still works (Save draft and Submit post the whole form).
(function () {
  "use strict";
  var form = document.querySelector("form[data-warn-unsaved]");
  if (!form) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var conflictBox = document.getElementById("autosave-conflict");
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var DELAY = 1200;
  var changes = 0; // edits made on this page
  var savedChanges = 0; // edits the server has confirmed
  var timer = null;
  var inflight = null;
  var stopped = false; // after a conflict: nothing more is sent from this page
  var leaving = false;

  // data-autosave on the form: "saved" when the server has every change, "pending" while some wait.
  function mark() {
    form.setAttribute("data-autosave", changes > savedChanges ? "pending" : "saved");
  }

  function say(text, bad) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.toggle("text-danger", !!bad);
  }

  // ---- word counts -------------------------------------------------------------------------
  function countWords(text) {
    var words = text.trim().split(/\s+/);
    return words[0] === "" ? 0 : words.length;
  }

  function wordCounter(area) {
    var limit = parseInt(area.getAttribute("data-word-limit") || "0", 10);
    var out = document.createElement("div");
    out.className = "form-text word-count";
    out.id = area.id + "_words";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
    function update() {
      var n = countWords(area.value);
      var text = n + (n === 1 ? " word" : " words");
      var over = limit && n > limit;
      if (limit) {
        text += over ? ": " + (n - limit) + " over the limit of " + limit : " of " + limit;
      }
      out.textContent = text;
      out.classList.toggle("text-danger", !!over);
      out.classList.toggle("fw-bold", !!over);
    }
    area.addEventListener("input", update);
    update();
  }

  Array.prototype.forEach.call(form.querySelectorAll("textarea[data-word-count]"), wordCounter);

  // ---- progress ----------------------------------------------------------------------------
  function showProgress(sections, started) {
    Object.keys(sections || {}).forEach(function (key) {
      var item = document.querySelector('[data-section-status="' + key + '"] [data-section-badge]');
      if (!item) {
        return;
      }
      var done = sections[key];
      var begun = started && started[key];
      item.textContent = done ? "Completed" : begun ? "In progress" : "Not started";
      item.className = "badge " + (done ? "text-bg-success" : begun ? "text-bg-warning" : "text-bg-light border");
    });
  }

  // ---- autosave ----------------------------------------------------------------------------
  function payload() {
    var data = new FormData(form);
    data.delete("submit");
    data.delete("save");
    return data;
  }

  function adopt(answer) {
    // The draft exists now: the page edits it (its version, its address), so a reload finds it.
    var version = form.querySelector("input[name=version]");
    if (version) {
      version.value = answer.version;
    }
    if (answer.edit_url && form.getAttribute("action") !== answer.edit_url) {
      form.setAttribute("action", answer.edit_url);
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", answer.edit_url);
      }
    }
    if (answer.autosave_url) {
      autosaveUrl = answer.autosave_url;
      form.setAttribute("data-autosave-url", autosaveUrl);
    }
  }

  function conflict(message) {
    stopped = true;
    if (conflictBox) {
      conflictBox.textContent = message + " Nothing more is saved from this page until you reload it.";
      conflictBox.classList.remove("d-none");
      conflictBox.focus();
    }
    say("Not saved: this draft was changed elsewhere.", true);
  }

  function save() {
    timer = null;
    if (!autosaveUrl || stopped) {
      return Promise.resolve();
    }
    if (inflight) {
      // One save at a time: the next starts when this one has answered.
      return inflight.then(save);
    }
    var upTo = changes;
    say("Saving…");
    inflight = fetch(autosaveUrl, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(
          function (answer) {
            return { ok: response.ok, status: response.status, answer: answer };
          },
          function () {
            return { ok: false, status: response.status, answer: {} };
          },
        );
      })
      .then(function (result) {
        var answer = result.answer || {};
        if (result.ok && answer.saved) {
          adopt(answer);
          savedChanges = Math.max(savedChanges, upTo);
          showProgress(answer.sections, answer.started);
          var unread = Object.keys(answer.errors || {});
          say(
            "Draft " +
              answer.reference +
              " saved at " +
              answer.saved_at +
              (unread.length ? ". Not saved until corrected: " + unread.length + " answer(s)." : "."),
            unread.length > 0,
          );
        } else if (result.status === 409 && answer.conflict) {
          conflict(answer.error || "This draft was changed elsewhere.");
        } else {
          say("Not saved: " + (answer.error || "the server did not answer (" + result.status + ")."), true);
        }
      })
      .catch(function () {
        say("Not saved: no connection. Your changes are kept on this page; Save draft when you are back online.", true);
      })
      .then(function () {
        inflight = null;
        mark();
      });
    return inflight;
  }

  function changed() {
    changes += 1;
    mark();
    if (!autosaveUrl || stopped) {
      return;
    }
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    // Text fields already counted on input; checkboxes, radios, selects and dates count here.
    if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text" && event.target.type !== "email") {
      changed();
    }
  });

  form.addEventListener("submit", function (event) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (inflight) {
      // Let the autosave that is under way answer first: the page then posts to the draft it made.
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        leaving = true;
        form.requestSubmit(submitter || undefined);
      });
      return;
    }
    leaving = true;
  });

  function unsaved() {
    return !leaving && changes > savedChanges;
  }

  // On leaving (tab closed, another page): send what is not saved yet, in a request that outlives the page.
  var flushed = -1;
  function flush() {
    // (An autosave under way carries the version: a second request now would be refused as out of date.)
    if (!unsaved() || !autosaveUrl || stopped || inflight || flushed === changes) {
      return;
    }
    flushed = changes;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    var body = payload();
    try {
      fetch(autosaveUrl, { method: "POST", body: body, credentials: "same-origin", keepalive: true });
    } catch (e) {
      if (navigator.sendBeacon) {
        navigator.sendBeacon(autosaveUrl, body);
      }
    }
  }

  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      flush();
      // The browser asks whether to leave: what was typed last may not have reached the server yet.
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
})();
