// 解約・退会のときの返還額: POST /api/v1/refunds (same origin) and show what comes back, what is still due, the
// breakdown and the rule it rests on with its source document. Every figure shown is the API's answer.
// Errors (application/problem+json) are shown next to the field they name; nothing typed is stored or logged.
"use strict";
(function () {
  var YEN = new Intl.NumberFormat("ja-JP");
  var TAX = { tax_included: "税込", not_taxable: "非課税", not_stated: "" };
  var KIND = { table: "表", rule: "規定", reading: "ご案内" };
  var INTEGERS = ["base_refund", "unexpired_months"];

  function yen(n) { return YEN.format(n) + "円"; }
  function jdate(iso) {
    if (!iso) return "";
    var d = iso.slice(0, 10).split("-");
    return Number(d[0]) + "年" + Number(d[1]) + "月" + Number(d[2]) + "日";
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  var problems = window.formProblems("refund", "計算できませんでした");
  var clearErrors = problems.clear;
  var showProblem = problems.show;

  // The request body from the form: integers as JSON numbers; the yen amount may be typed with commas or
  // full-width digits. Anything else is sent as typed, so the API names the field in its answer.
  function bodyOf(form) {
    var body = { product_id: form.dataset.product };
    new FormData(form).forEach(function (value, key) {
      var v = String(value).trim();
      if (v === "") return;
      if (key === "installment_amount") {
        v = v.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
             .replace(/[,，円\s]/g, "");
        body[key] = /^\d+$/.test(v) ? Number(v) : v;
      } else if (INTEGERS.indexOf(key) >= 0) {
        body[key] = Number(v);
      } else {
        body[key] = v;
      }
    });
    return body;
  }

  // Dates left empty are named at once, next to the field, with the field's own label.
  function missingDates(form, body) {
    var errors = [];
    ["contract_start", "cancellation_date"].forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (input && !input.disabled && !body[name]) {
        var label = form.querySelector('label[for="' + input.id + '"]');
        errors.push({ field: "body." + name, message: (label ? label.textContent : "日付") + "を入力してください。" });
      }
    });
    return errors;
  }

  function row(cells) {
    return el("tr", {}, cells.map(function (c, i) { return el("td", i === 1 ? { class: "num" } : {}, [c]); }));
  }
  function render(box, r, sources) {
    box.textContent = "";
    box.appendChild(el("p", {}, ["返還される額"]));
    box.appendChild(el("p", { class: "refund-total", "data-refund": String(r.refund) }, [yen(r.refund)]));
    if (r.due > 0) {
      box.appendChild(el("p", {}, ["解約に伴いお支払いいただく額"]));
      box.appendChild(el("p", { class: "refund-total refund-due", "data-due": String(r.due) }, [yen(r.due)]));
    }
    box.appendChild(el("p", { class: "refund-reason" }, [r.reason]));
    if (r.early_termination) {
      // the seed names a fee for leaving mid-term without a figure: say so, and whom to call for the amount
      var fee = r.early_termination;
      var call = el("a", { href: "tel:" + fee.phone.replace(/[^0-9]/g, "") }, [fee.phone]);
      box.appendChild(el("div", { class: "refund-fee", role: "note" }, [
        el("p", {}, [fee.message]),
        el("p", {}, [fee.ask + "　", call, fee.hours ? "（" + fee.hours + "）" : ""])
      ]));
    }
    var facts = [];
    if (r.unexpired_months != null) facts.push(row(["未経過月数", r.unexpired_months + "か月" + (r.column ? "（" + r.column + "の列）" : "")]));
    if (r.paid != null) facts.push(row(["払込保険料（返還額の上限）", yen(r.paid)]));
    if (facts.length) box.appendChild(el("table", { class: "refund-facts" }, [el("tbody", {}, facts)]));
    if (r.breakdown.length) {
      box.appendChild(el("h4", {}, ["内訳"]));
      box.appendChild(el("table", { class: "refund-breakdown" }, [el("tbody", {}, r.breakdown.map(function (l) {
        var tax = TAX[l.tax] ? "（" + TAX[l.tax] + (l.tax_amount != null ? "、うち消費税" + yen(l.tax_amount) : "") + "）" : "";
        return row([l.label + tax, yen(l.amount), l.note || ""]);
      }))]));
    }
    if (r.schedule.length) {
      box.appendChild(el("h4", {}, ["解約後のお支払い"]));
      box.appendChild(el("table", { class: "refund-schedule" }, [el("tbody", {}, r.schedule.map(function (d) {
        return row([d.label, yen(d.amount), d.due_date ? jdate(d.due_date) + "まで" : ""]);
      }))]));
    }
    box.appendChild(el("h4", {}, ["根拠"]));
    box.appendChild(el("ul", { class: "refund-basis" }, r.basis.map(function (b) {
      var source = b.document || sources[b.source] || "";
      return el("li", {}, ["【" + (KIND[b.kind] || b.kind) + "】" + b.title + (b.row ? "（" + b.row + "）" : "") + "：" + b.text + (source ? "（根拠：" + source + "）" : "")]);
    })));
    box.hidden = false;
  }

  function attach(form) {
    var sources = JSON.parse(form.dataset.sources || "{}");
    // A chosen 未経過月数 replaces the dates: they are disabled so they are neither sent nor required.
    var months = form.querySelector('select[name="unexpired_months"]');
    function toggleDates() {
      form.querySelectorAll('[name="contract_start"], [name="cancellation_date"]').forEach(function (input) {
        input.disabled = months.value !== "";
      });
    }
    if (months) { months.addEventListener("change", toggleDates); toggleDates(); }

    // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearErrors(form);
      var box = form.querySelector(".refund-result");
      var body = bodyOf(form);
      var missing = missingDates(form, body);
      if (missing.length) {
        box.hidden = true;
        showProblem(form, { title: "入力内容に誤りがあります", errors: missing });
        return;
      }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(form.dataset.api + "/refunds", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, application/problem+json" },
        body: JSON.stringify(body),
      }).then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      }).then(function (r) {
        if (r.ok) render(box, r.data, sources);
        else if (!window.notPublished(box, r.data)) { box.hidden = true; showProblem(form, r.data); }
      }).catch(function () {
        showProblem(form, { title: "通信できませんでした", detail: "時間をおいてもう一度お試しください。" });
      }).then(function () { button.disabled = false; });
    });
  }

  document.querySelectorAll("form.refund-form").forEach(attach);
})();
