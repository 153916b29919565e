// 請求状況: reads #id=…&token=… (then clears it from the address bar), shows the claim and each document's state (polling while any is still on its
// way), and lets the claimant send a document again when it was not accepted or its upload did not finish.
"use strict";

(function () {
  var root = document.getElementById("claim-status");
  if (!root) return;
  var TYPES = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", heic: "image/heic" };
  var POLL_MS = 3000;
  var POLL_LIMIT = 200; // about ten minutes, then the claimant reloads
  // The id and access key arrive in the address's fragment (#id=…&token=…), which browsers never send to a
  // server. They are kept for this tab only (sessionStorage, gone when the tab closes) and taken out of the
  // address bar at once, so they stay out of history, bookmarks and any address shared from the bar.
  var KEPT = "claim-status";
  var given = {};
  new URLSearchParams(window.location.hash.replace(/^#/, "")).forEach(function (v, k) { given[k] = v; });
  if (given.id && !given.token) {
    // from the e-mail: the number only; the key is typed (or kept from earlier in this tab)
    var kept = {};
    try { kept = JSON.parse(window.sessionStorage.getItem(KEPT) || "{}"); } catch (e) { kept = {}; }
    if (kept.id === given.id) given.token = kept.token;
  }
  if (given.id && given.token) {
    try { window.sessionStorage.setItem(KEPT, JSON.stringify({ id: given.id, token: given.token })); } catch (e) { /* private mode: this view only */ }
    window.history.replaceState(null, "", window.location.pathname);
  } else if (!given.id) {
    try { given = JSON.parse(window.sessionStorage.getItem(KEPT) || "{}"); } catch (e) { given = {}; }
  }
  var claimId = given.id || "";
  var token = given.token || "";
  var api = root.getAttribute("data-api-base");
  var message = root.querySelector(".claim-status__message");
  var polls = 0;
  var timer = null;
  var busy = {}; // doc_id -> true while a new upload runs

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function yen(n) { return Number(n).toLocaleString("ja-JP") + "円"; }

  function when(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" });
  }

  function typeOf(file) {
    if (file.type && Object.values(TYPES).indexOf(file.type) >= 0) return file.type;
    return TYPES[(file.name.split(".").pop() || "").toLowerCase()] || file.type || "application/octet-stream";
  }

  function call(method, path, body) {
    var headers = { "X-Claim-Token": token };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (res) { return res.json().then(function (data) { return { ok: res.ok, status: res.status, data: data }; }); });
  }

  function resend(doc, input, note, bar) {
    var file = input.files[0];
    if (!file) { note.textContent = "ファイルを選んでください。"; return; }
    var max = Number(root.getAttribute("data-max-bytes"));
    if (file.size > max) { note.textContent = "1ファイル" + Math.floor(max / 1048576) + "MBまでです。"; return; }
    busy[doc.doc_id] = true;
    note.textContent = "送信中";
    bar.hidden = false;
    call("POST", "/claims/" + encodeURIComponent(claimId) + "/documents",
      { doc_id: doc.doc_id, file_name: file.name, content_type: typeOf(file), size: file.size })
      .then(function (r) {
        if (!r.ok) throw new Error((r.data.errors && r.data.errors[0] && r.data.errors[0].message) || r.data.title);
        return window.uploadWithPresignedPost(r.data.upload, file, function (p) { bar.value = Math.round(100 * p); });
      })
      .then(function () { note.textContent = "送信しました。確認中です…"; bar.value = 100; })
      .catch(function (e) { note.textContent = (e && e.message) || "送信できませんでした。もう一度お試しください。"; })
      .then(function () { busy[doc.doc_id] = false; polls = 0; schedule(); });
  }

  function documentItem(doc) {
    var li = el("li");
    li.setAttribute("data-doc", doc.doc_id);
    li.appendChild(el("p", null, doc.label + (doc.required ? "" : "（任意）")));
    li.appendChild(el("span", "doc-state doc-state--" + doc.state, doc.state_label));
    if (doc.request && doc.state !== "received") li.appendChild(el("p", "doc-request", "担当者からのお願い: " + doc.request.message));
    if (doc.reason) li.appendChild(el("p", "doc-reason", doc.reason));
    if (doc.state !== "received") {
      var input = el("input");
      input.type = "file";
      input.accept = ".pdf,.jpg,.jpeg,.png,.heic,application/pdf,image/jpeg,image/png,image/heic";
      input.setAttribute("aria-label", doc.label + " を選ぶ");
      var button = el("button", "md-button claim-reupload",
        doc.state === "rejected" ? "再アップロード" : (doc.request ? "アップロードする" : "送り直す"));
      button.type = "button";
      var bar = el("progress");
      bar.max = 100;
      bar.value = 0;
      bar.hidden = true;
      var note = el("p", "claim-help");
      note.setAttribute("aria-live", "polite");
      button.addEventListener("click", function () { resend(doc, input, note, bar); });
      li.appendChild(input);
      li.appendChild(button);
      li.appendChild(bar);
      li.appendChild(note);
    }
    return li;
  }

  function figure(list, term, value) {
    var row = el("div");
    row.appendChild(el("dt", null, term));
    row.appendChild(el("dd", null, value));
    list.appendChild(row);
  }

  function day(iso) {
    var p = iso.split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  // The decision, once taken: what is paid (and when), or why not, and the handler's own words.
  function renderDecision(claim) {
    var box = root.querySelector(".claim-status__decision");
    var decision = claim.decision;
    box.hidden = !decision;
    if (!decision) return;
    box.querySelector(".claim-status__decision-state").textContent = decision.status_label;
    var figures = box.querySelector(".claim-status__decision-figures");
    figures.textContent = "";
    if (decision.status !== "declined") figure(figures, "お支払いする額", yen(decision.amount));
    if (decision.paid_for) figure(figures, "お支払いの対象", decision.paid_for);
    if (claim.payment) figure(figures, "お支払いした日", day(claim.payment.paid_on) + "（" + yen(claim.payment.amount) + "）");
    else if (decision.status !== "declined") figure(figures, "お支払いの日", "決まりしだい、このページでお知らせします");
    box.querySelector(".claim-status__decision-reason").textContent = decision.reason || "";
    box.querySelector(".claim-status__decision-message").textContent = decision.message ? "担当者より: " + decision.message : "";
  }

  function render(claim) {
    root.querySelector(".claim-status__body").hidden = false;
    root.querySelector(".claim-status__open").hidden = true;
    message.textContent = "";
    renderDecision(claim);
    root.querySelector(".claim-status__id").textContent = claim.claim_id;
    root.querySelector(".claim-status__state").textContent = claim.status_label;
    var estimate = root.querySelector(".claim-status__estimate");
    estimate.textContent =
      claim.payable ? yen(claim.estimate.amount) + "（" + claim.estimate.basis + "）" : "お支払いの対象外の見込みです";
    // the estimate follows the other claims on the same limit until this one is decided
    var filed = claim.estimate.filed_amount;
    if (!claim.decision && filed !== undefined && filed !== null) {
      estimate.appendChild(el("span", "claim-status__changed",
        "ご請求のときの見込み額は" + yen(filed) + "でした。同じ証券番号のほかのご請求の審査が進み、見込み額が変わりました。"));
    }
    var contact = claim.contact;
    root.querySelector(".claim-status__contact").hidden = !contact;
    if (contact) {
      root.querySelector(".claim-status__contact-label").textContent = contact.label;
      var phone = root.querySelector(".claim-status__contact-phone");
      phone.textContent = contact.phone ? "電話 " + contact.phone : "";
      if (contact.phone) phone.href = "tel:" + contact.phone.replace(/[^0-9]/g, "");
      root.querySelector(".claim-status__contact-hours").textContent = contact.hours ? "（受付 " + contact.hours + "）" : "";
    }
    // once decided, the decision's figures replace the estimate's
    root.querySelector(".claim-status__estimate-row").hidden = !!claim.decision;
    root.querySelector(".claim-status__todo").hidden = !claim.documents.some(function (d) {
      return d.request && d.state !== "received";
    });
    var limits = claim.decision ? null : claim.estimate.limits;
    root.querySelector(".claim-status__limits-row").hidden = !limits;
    root.querySelector(".claim-status__limits").textContent = limits ? limits.summary : "";
    var list = root.querySelector(".claim-status__documents");
    // a document being sent again keeps its row (and its progress) until the upload ends; rows stay in claim order
    var kept = {};
    Array.prototype.slice.call(list.children).forEach(function (li) {
      var id = li.getAttribute("data-doc");
      if (busy[id]) kept[id] = li;
      li.remove();
    });
    claim.documents.forEach(function (doc) {
      list.appendChild(kept[doc.doc_id] || documentItem(doc));
    });
    var history = root.querySelector(".claim-status__history");
    history.textContent = "";
    claim.history.forEach(function (h) {
      history.appendChild(el("li", null, when(h.at) + " " + h.label));
    });
  }

  function waiting(claim) {
    return claim.documents.some(function (d) { return d.state === "awaiting_upload"; });
  }

  function schedule() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(load, POLL_MS);
  }

  function load() {
    timer = null;
    call("GET", "/claims/" + encodeURIComponent(claimId))
      .then(function (r) {
        if (!r.ok) {
          root.querySelector(".claim-status__body").hidden = true;
          if (r.status === 404 || r.status === 422) {
            askForKey("請求番号かアクセスキーが違います。ご請求のときに表示したものを入れ直してください。");
          } else {
            message.textContent = r.data.title || "読み込めませんでした。";
          }
          return;
        }
        render(r.data);
        polls += 1;
        var anyBusy = Object.keys(busy).some(function (k) { return busy[k]; });
        if ((waiting(r.data) || anyBusy) && polls < POLL_LIMIT) schedule();
      })
      .catch(function () { message.textContent = "通信できませんでした。再読み込みしてください。"; });
  }

  // Opened from the e-mail (#id=… only), afresh, or with a key that did not match: the claimant types the
  // number and the access key.
  var openForm = root.querySelector(".claim-status__open");
  // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
  openForm.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
  openForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    claimId = openForm.elements.claim_id.value.trim();
    token = openForm.elements.token.value.trim();
    try { window.sessionStorage.setItem(KEPT, JSON.stringify({ id: claimId, token: token })); } catch (e) { /* this view only */ }
    message.textContent = "読み込み中です…";
    polls = 0;
    load();
  });

  function askForKey(text) {
    message.textContent = text || "";
    openForm.hidden = false;
    if (claimId) openForm.elements.claim_id.value = claimId;
    (claimId && !text ? openForm.elements.token : openForm.elements.claim_id).focus();
  }

  if (!claimId || !token) {
    askForKey();
    return;
  }
  load();
})();
