// お見積もりフォーム: POST /api/v1/quotes (same origin) and show total, breakdown, dates and basis in Japanese.
// Errors (application/problem+json) are shown next to the field they name; nothing typed is stored or logged.
"use strict";
(function () {
  var YEN = new Intl.NumberFormat("ja-JP");
  var TAX = { tax_included: "税込", not_taxable: "非課税", not_stated: "" };
  var KIND = { table: "表", rule: "規定", reading: "ご案内" };

  function yen(n) { return YEN.format(n) + "円"; }
  function jdate(iso) {
    if (!iso) return "";
    var d = iso.slice(0, 10).split("-");
    var s = Number(d[0]) + "年" + Number(d[1]) + "月" + Number(d[2]) + "日";
    if (iso.length <= 10) return s;
    var h = Number(iso.slice(11, 13)), m = Number(iso.slice(14, 16));
    return s + " " + (h < 12 ? "午前" + h : "午後" + (h - 12)) + "時" + (m ? m + "分" : "");
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function today() {
    var d = new Date(Date.now() + 9 * 3600 * 1000); // the date in Japan
    return d.toISOString().slice(0, 10);
  }

  var problems = window.formProblems("quote", "お見積もりできませんでした");
  var clearErrors = problems.clear;
  var showProblem = problems.show;

  function row(cells) {
    return el("tr", {}, cells.map(function (c, i) { return el("td", i === 1 ? { class: "num" } : {}, [c]); }));
  }
  // The quote's own next step where the site takes the application further: the online form, or the
  // paper forms' page with this plan and day (in the fragment, which no server sees).
  function applyLink(form, body) {
    var page = form.dataset.applyPage;
    if (!page) return null;
    var fragment = body.plan_id ? "#plan=" + encodeURIComponent(body.plan_id) + "&date=" + body.application_date : "";
    return el("p", { class: "quote-apply" }, [el("a", { class: "action action--apply", href: page + fragment },
      [form.dataset.applyLabel])]);
  }

  function render(box, q, link) {
    box.textContent = "";
    box.appendChild(el("p", {}, ["最初にお支払いいただく額"]));
    box.appendChild(el("p", { class: "quote-total", "data-total": String(q.total) }, [yen(q.total) + (q.from_price ? "〜" : "")]));
    var dates = el("table", { class: "quote-dates" }, [el("tbody", {}, [
      row(["補償・サービスの開始", jdate(q.coverage_start)]),
      row(["終了", q.coverage_end ? jdate(q.coverage_end) : "—"]),
    ].concat(q.application_deadline ? [row(["申込締切日", jdate(q.application_deadline)])] : [])
     .concat(q.first_debit_date ? [row(["口座振替日", jdate(q.first_debit_date)])] : []))]);
    box.appendChild(dates);
    box.appendChild(el("h4", {}, ["内訳"]));
    box.appendChild(el("table", { class: "quote-breakdown" }, [el("tbody", {}, q.breakdown.map(function (l) {
      var tax = TAX[l.tax] ? "（" + TAX[l.tax] + (l.tax_amount != null ? "、うち消費税" + yen(l.tax_amount) : "") + "）" : "";
      return row([l.label + tax, yen(l.amount), l.note || ""]);
    }))]));
    if (q.schedule && q.schedule.length) {
      box.appendChild(el("h4", {}, ["その後のお支払い"]));
      box.appendChild(el("table", { class: "quote-schedule" }, [el("tbody", {}, q.schedule.map(function (d) {
        return row([d.label, yen(d.amount), d.due_date ? jdate(d.due_date) + "まで" : ""]);
      }))]));
    }
    box.appendChild(el("h4", {}, ["根拠"]));
    box.appendChild(el("ul", { class: "quote-basis" }, q.basis.map(function (b) {
      return el("li", {}, ["【" + (KIND[b.kind] || b.kind) + "】" + b.title + (b.row ? "（" + b.row + "）" : "") + "：" + b.text + (b.document ? "（根拠：" + b.document + "）" : "")]);
    })));
    box.appendChild(link || window.nextStep(true));
    box.hidden = false;
  }

  function attach(form) {
    var date = form.querySelector('input[name="application_date"]');
    if (date && !date.value) date.value = today();
    // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearErrors(form);
      var box = form.querySelector(".quote-result");
      var body = { product_id: form.dataset.product };
      new FormData(form).forEach(function (value, key) { if (value !== "") body[key] = value; });
      if (body.enrollment === "new") delete body.enrollment;
      if (!body.application_date) {
        showProblem(form, { title: "入力内容に誤りがあります", errors: [{ field: "body.application_date", message: "お申込み日を入力してください。" }] });
        return;
      }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(form.dataset.api + "/quotes", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, application/problem+json" },
        body: JSON.stringify(body),
      }).then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      }).then(function (r) {
        if (r.ok) render(box, r.data, applyLink(form, body));
        else if (!window.notPublished(box, r.data)) { box.hidden = true; showProblem(form, r.data); }
      }).catch(function () {
        showProblem(form, { title: "通信できませんでした", detail: "時間をおいてもう一度お試しください。" });
      }).then(function () { button.disabled = false; });
    });
  }

  document.querySelectorAll("form.quote-form").forEach(attach);
})();
