// Small behaviours shared by every page. No inline script is allowed by the CSP, so pages
// opt in through data attributes.
(function () {
  "use strict";
  // <form data-confirm="Delete this risk?">: ask before a destructive action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // <select data-autosubmit> in filter bars: apply the filter on change.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit();
    }
  });
})();
