// お申込みの受付状況: the application number comes from the address's fragment (#AM-7K3Q-9XHD, which browsers
// never send to a server) or is typed; the access code is typed and travels only in the X-Application-Secret
// header of GET /api/v1/applications/{number}. Nothing is stored in the browser.
"use strict";

(function () {
  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function jdate(iso) {
    var p = String(iso).slice(0, 10).split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  function row(dl, label, text) {
    var div = el("div");
    div.appendChild(el("dt", label));
    div.appendChild(el("dd", text));
    dl.appendChild(div);
  }

  function init(form) {
    var number = form.querySelector("[name=number]");
    var secret = form.querySelector("[name=secret]");
    var message = form.querySelector(".app-status__message");
    var box = form.querySelector(".app-status__body");
    var fromFragment = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (/^[A-Za-z]{2}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/.test(fromFragment)) {
      number.value = fromFragment.toUpperCase();
      secret.focus();
    }

    // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      box.hidden = true;
      if (!number.value.trim() || !secret.value.trim()) {
        message.textContent = "受付番号と確認コードの両方を入力してください。";
        return;
      }
      message.textContent = "確認しています…";
      var url = form.getAttribute("data-api") + "/applications/" + encodeURIComponent(number.value.trim());
      fetch(url, { headers: { "X-Application-Secret": secret.value.trim() }, cache: "no-store" })
        .then(function (r) { return r.json().then(function (json) { return { status: r.status, json: json }; }); })
        .then(function (r) {
          if (r.status !== 200) {
            message.textContent = r.json.detail || "受付の状況を表示できませんでした。";
            return;
          }
          var app = r.json;
          message.textContent = "";
          var dl = box.querySelector(".app-status__summary");
          dl.textContent = "";
          row(dl, "受付番号", app.application_number);
          row(dl, "状況", app.status_label);
          row(dl, "申込日", jdate(app.application_date));
          row(dl, "保険始期日", jdate(app.coverage_start));
          row(dl, "お支払い方法", app.payment_label);
          var next = box.querySelector(".app-status__next");
          next.textContent = "";
          app.next_steps.forEach(function (s) { next.appendChild(el("li", s)); });
          box.hidden = false;
        })
        .catch(function () { message.textContent = "通信できませんでした。電波の良いところで、もう一度お試しください。"; });
    });
  }

  document.querySelectorAll("form.app-status").forEach(init);
})();
