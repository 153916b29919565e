// 申込書の送り先と締切: the plan and the day the forms reach JLSA come from the address's fragment
// (#plan=A&date=2025-07-20, set by the quote's link) or are chosen here; POST /api/v1/quotes gives the 掛金,
// the cover start, the arrival deadline and the debit date. The fragment follows the choice, so a saved or
// bookmarked page shows the same figures again. Nothing is stored.
"use strict";

(function () {
  var YEN = new Intl.NumberFormat("ja-JP");

  function jdate(iso) {
    var d = String(iso).slice(0, 10).split("-");
    return Number(d[0]) + "年" + Number(d[1]) + "月" + Number(d[2]) + "日";
  }

  function row(dl, label, text, key) {
    var div = document.createElement("div");
    if (key) div.className = "paper-summary__key";
    var dt = document.createElement("dt");
    dt.textContent = label;
    var dd = document.createElement("dd");
    dd.textContent = text;
    div.appendChild(dt);
    div.appendChild(dd);
    dl.appendChild(div);
  }

  function fromFragment() {
    var out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv.length === 2) out[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1]);
    });
    return out;
  }

  function init(root) {
    var form = root.querySelector("form");
    var plan = form.querySelector("[name=plan_id]");
    var date = form.querySelector("[name=application_date]");
    var error = form.querySelector(".paper-error");
    var box = root.querySelector(".paper-apply__result");
    var asked = fromFragment();
    if (asked.plan && plan.querySelector("option[value='" + asked.plan + "']")) plan.value = asked.plan;
    if (/^\d{4}-\d{2}-\d{2}$/.test(asked.date || "")) date.value = asked.date;

    function show() {
      error.textContent = "";
      if (!date.value) {
        error.textContent = "申込書がJLSAに届く日（予定）を入力してください。";
        return;
      }
      history.replaceState(null, "", "#plan=" + plan.value + "&date=" + date.value);
      fetch(root.getAttribute("data-api") + "/quotes", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ product_id: root.getAttribute("data-product"), plan_id: plan.value, application_date: date.value })
      }).then(function (r) {
        return r.json().then(function (json) { return { ok: r.ok, json: json }; });
      }).then(function (r) {
        box.textContent = "";
        if (!r.ok) {
          if (!window.notPublished(box, r.json)) { box.hidden = true; error.textContent = r.json.detail || r.json.title; }
          return;
        }
        var q = r.json;
        var dl = document.createElement("dl");
        dl.className = "paper-summary";
        row(dl, "プラン", plan.options[plan.selectedIndex].textContent.replace(/（.*$/, ""));
        row(dl, "掛金（口座振替額）", YEN.format(q.total) + "円", true);
        if (q.application_deadline) row(dl, "申込書の到着締切日", jdate(q.application_deadline) + "（この日までにJLSAに届くように）", true);
        row(dl, "保険開始日", jdate(q.coverage_start), true);
        if (q.coverage_end) row(dl, "保険期間の終わり", jdate(q.coverage_end));
        if (q.first_debit_date) row(dl, "口座振替日", jdate(q.first_debit_date));
        box.appendChild(dl);
        box.hidden = false;
      }).catch(function () {
        error.textContent = "通信できませんでした。時間をおいてもう一度お試しください。";
      });
    }

    // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
    form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
    root.querySelector(".paper-button--print").addEventListener("click", function () { window.print(); });
    if (date.value) show();
  }

  document.querySelectorAll("#paper-apply").forEach(init);
})();
