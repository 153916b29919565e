// Show an API problem (application/problem+json) next to the fields it names, for the forms whose
// fields follow "<prefix>-field" / "<prefix>-error" markup (quote and refund forms). What names no
// field goes to the form's general error line with the problem's Japanese title.
"use strict";

// The step after a quote or an eligibility check: the product's way to apply, or a call when the
// answer is not a plain yes. Both targets are on every product page (#apply, #contact).
window.nextStep = function (canApply) {
  var p = document.createElement("p");
  p.className = "next-step";
  var apply = document.getElementById("apply");
  var a = document.createElement("a");
  if (canApply && apply) {
    a.href = "#apply";
    a.textContent = "次へ：" + apply.textContent.trim();
  } else {
    a.href = "#contact";
    a.textContent = "ご不明な点は、お電話でご相談ください";
  }
  p.appendChild(a);
  return p;
};

// Figures asked for a time that is not published (type .../not-published): shown in the result box as
// information with the number to call, not as an error on a field. Returns whether it was that answer.
window.notPublished = function (box, problem) {
  if (!problem || !/\/not-published$/.test(String(problem.type || ""))) return false;
  box.textContent = "";
  var wrap = document.createElement("div");
  wrap.className = "not-published";
  wrap.setAttribute("role", "status");
  var title = document.createElement("p");
  title.className = "not-published__title";
  title.textContent = problem.title;
  var detail = document.createElement("p");
  detail.textContent = problem.detail;
  wrap.appendChild(title);
  wrap.appendChild(detail);
  var contact = problem.contact;
  if (contact && contact.phone) {
    var call = document.createElement("a");
    call.className = "not-published__call";
    call.href = "tel:" + contact.phone.replace(/[^0-9+]/g, "");
    call.textContent = "電話で問い合わせる " + contact.phone;
    wrap.appendChild(call);
  }
  box.appendChild(wrap);
  box.hidden = false;
  return true;
};

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
