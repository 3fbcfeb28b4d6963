// Django admin, Periodic tasks: show the chosen crontab in words under the crontab field.
// Loaded by templates/admin/djcelery/change_periodictask_form.html (no inline script under the CSP).
(function () {
  "use strict";
  var script = document.getElementById("periodic-task-overrides");
  var data = document.getElementById("readable-crontabs");
  if (!script || !data) {
    return;
  }
  var readable = JSON.parse(data.textContent);
  var originalHelp = script.getAttribute("data-crontab-help") || "";
  var ready = function () {
    var translation = document.querySelector(".field-crontab_translation");
    if (translation) {
      translation.hidden = true;
    }
    var select = document.getElementById("id_crontab");
    var help = document.querySelector(".field-crontab .help");
    if (!select || !help) {
      return;
    }
    select.addEventListener("change", function () {
      var words = readable[select.value];
      help.textContent = originalHelp;
      if (words) {
        help.appendChild(document.createElement("br"));
        help.appendChild(document.createTextNode("Translation: " + words));
      }
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
