// Show an API problem (application/problem+json) next to the fields it names, for the forms whose
// fields follow "<prefix>-field" / "<prefix>-error" markup (quote and refund forms). What names no
// field goes to the form's general error line with the problem's Japanese title.
"use strict";

window.formProblems = function (prefix, fallbackTitle) {
  return {
    clear: function (form) {
      form.querySelectorAll("." + prefix + "-error").forEach(function (p) { p.textContent = ""; });
      form.querySelectorAll("." + prefix + "-field--invalid").forEach(function (f) {
        f.classList.remove(prefix + "-field--invalid");
      });
    },
    show: function (form, problem) {
      var general = form.querySelector("." + prefix + '-error[data-name="form"]');
      var shown = false;
      (problem.errors || []).forEach(function (e) {
        var name = String(e.field || "").replace(/^body\.?/, "");
        var field = name && form.querySelector("." + prefix + '-field[data-name="' + name + '"]');
        if (field) {
          field.classList.add(prefix + "-field--invalid");
          field.querySelector("." + prefix + "-error").textContent = e.message;
          shown = true;
        }
      });
      general.textContent = (problem.title || fallbackTitle) + (shown ? "" : "：" + (problem.detail || ""));
    },
  };
};
