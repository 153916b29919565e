// 加入条件チェック: sends the answers to POST /api/v1/eligibility and shows the answer with the clause quoted.
// Nothing is stored (no cookies, no localStorage); the answers live only in the form.
"use strict";

(function () {
  var DECISIONS = {
    eligible: "お申し込みいただけます",
    refuse: "お申し込みいただけません",
    refer: "この内容ではオンラインでお答えできません（取扱代理店へお問い合わせください）"
  };
  var OUTCOMES = { refuse: "加入不可", refer: "要相談", condition: "ご注意" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function jdate(iso) {
    var p = iso.split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  function today() {
    var d = new Date();
    var m = String(d.getMonth() + 1).padStart(2, "0");
    var day = String(d.getDate()).padStart(2, "0");
    return d.getFullYear() + "-" + m + "-" + day;
  }

  function fieldShown(form, field) {
    var plans = field.getAttribute("data-plans");
    var plan = form.querySelector("[name=plan_id]");
    if (plans && plan && plans.split(" ").indexOf(plan.value) < 0) return false;
    var on = field.getAttribute("data-applies-fact");
    if (on) {
      var other = form.querySelector("[data-fact='" + on + "']");
      var value = other ? valueOf(other) : undefined;
      if ((field.getAttribute("data-applies-any") || "").split(" ").indexOf(String(value)) < 0) return false;
    }
    return true;
  }

  function refresh(form) {
    form.querySelectorAll(".elig-field[data-fact]").forEach(function (field) {
      field.hidden = !fieldShown(form, field);
    });
  }

  // The answer of one question as the API wants it, or undefined when unanswered.
  function valueOf(field) {
    var type = field.getAttribute("data-type");
    var inputs = Array.prototype.slice.call(field.querySelectorAll("input, select"));
    if (type === "bool") {
      var checked = inputs.filter(function (i) { return i.checked; })[0];
      return checked ? checked.value === "true" : undefined;
    }
    if (type === "enum_list") {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (type === "date_list") {
      return inputs.map(function (i) { return i.value; }).filter(function (v) { return v; });
    }
    var raw = inputs[0] ? inputs[0].value.trim() : "";
    if (!raw) return undefined;
    if (type === "int" || type === "yen") return /^\d+$/.test(raw) ? Number(raw) : raw;
    return raw;
  }

  function clearErrors(form) {
    form.querySelectorAll(".elig-error").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
  }

  function showProblem(form, problem) {
    var general = form.querySelector(".elig-error--form");
    var errors = (problem && problem.errors) || [];
    var placed = false;
    errors.forEach(function (e) {
      var name = String(e.field || "").replace(/^body\./, "");
      var field = form.querySelector(".elig-field[data-name='" + name + "']");
      if (field && !field.hidden) {
        field.querySelector(".elig-error").textContent = e.message;
        field.querySelectorAll("input, select").forEach(function (i) { i.setAttribute("aria-invalid", "true"); });
        placed = true;
      }
    });
    if (!placed) general.textContent = (problem && (problem.detail || problem.title)) || "確認できませんでした。";
    else general.textContent = "入力内容を確認してください。";
  }

  function reasonItem(reason, sources) {
    var item = el("div", "rule rule--" + reason.outcome);
    var line = el("p");
    line.appendChild(el("span", "badge badge--" + reason.outcome, OUTCOMES[reason.outcome] || reason.outcome));
    line.appendChild(document.createTextNode(" " + reason.message));
    item.appendChild(line);
    var quote = el("blockquote", "clause");
    quote.appendChild(el("p", null, "「" + reason.clause.text + "」"));
    var title = sources[reason.clause.source] || "";
    quote.appendChild(el("footer", null, "根拠：" + title + (reason.clause.section ? "（" + reason.clause.section + "）" : "")));
    item.appendChild(quote);
    return item;
  }

  function showResult(form, answer) {
    var box = form.querySelector(".elig-result");
    var sources = JSON.parse(form.getAttribute("data-sources") || "{}");
    box.textContent = "";
    box.className = "elig-result elig-result--" + answer.decision;
    box.appendChild(el("h4", "elig-result__decision", DECISIONS[answer.decision] || answer.decision));
    box.appendChild(el("p", "elig-result__start", "補償・サービスの開始日（見込み）: " + jdate(answer.coverage_start)));
    if (answer.reasons.length) {
      box.appendChild(el("p", "minor-heading", "理由"));
      answer.reasons.forEach(function (r) { box.appendChild(reasonItem(r, sources)); });
    }
    if (answer.conditions.length) {
      box.appendChild(el("p", "minor-heading", "ご加入にあたっての注意"));
      answer.conditions.forEach(function (r) { box.appendChild(reasonItem(r, sources)); });
    }
    box.appendChild(window.nextStep(answer.decision === "eligible"));
    box.hidden = false;
  }

  function submit(form, event) {
    event.preventDefault();
    clearErrors(form);
    var body = { product_id: form.getAttribute("data-product"), facts: {} };
    var plan = form.querySelector("[name=plan_id]");
    if (plan) body.plan_id = plan.value;
    body.application_date = form.querySelector("[name=application_date]").value;
    form.querySelectorAll(".elig-field[data-fact]").forEach(function (field) {
      if (field.hidden) return;
      var value = valueOf(field);
      if (value !== undefined) body.facts[field.getAttribute("data-fact")] = value;
    });
    var button = form.querySelector(".elig-submit");
    button.disabled = true;
    fetch(form.getAttribute("data-api") + "/eligibility", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store"
    })
      .then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      })
      .then(function (result) {
        var box = form.querySelector(".elig-result");
        if (result.ok) showResult(form, result.json);
        else {
          box.className = "elig-result"; // not a decision: no refuse/eligible colours
          if (!window.notPublished(box, result.json)) {
            box.hidden = true;
            showProblem(form, result.json);
          }
        }
      })
      .catch(function () {
        form.querySelector(".elig-error--form").textContent = "通信できませんでした。時間をおいてもう一度お試しください。";
      })
      .then(function () { button.disabled = false; });
  }

  function setUp(form) {
    var date = form.querySelector("[name=application_date]");
    if (date && !date.value) date.value = today();
    form.querySelectorAll(".elig-add-date").forEach(function (button) {
      button.addEventListener("click", function () {
        var list = button.parentNode.querySelector(".elig-dates");
        var first = list.querySelector("input");
        var next = first.cloneNode();
        next.value = "";
        next.setAttribute("aria-label", first.getAttribute("aria-label").replace(/（1件目）$/, "（" + (list.children.length + 1) + "件目）"));
        list.appendChild(next);
        next.focus();
      });
    });
    form.addEventListener("change", function () { refresh(form); });
    // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
    form.addEventListener("submit", function (event) { submit(form, event); });
    refresh(form);
  }

  function start() {
    document.querySelectorAll("form.elig-form").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
