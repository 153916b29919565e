// 請求フォーム: asks POST /api/v1/claims/estimate what the claim would be paid; a claim that would be paid
// something is filed at once (POST /api/v1/claims), one that would be paid nothing is explained first and
// filed only if the claimant chooses to. Then the estimate and the claim number stay on screen while each
// file goes straight to storage with its presigned form (XMLHttpRequest, with progress), until the claimant
// opens the status page.
// Nothing is kept in the browser except the claim's id and access key, passed to the status page in the
// address's fragment (never sent to a server).
"use strict";

(function () {
  var TYPES = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", heic: "image/heic" };
  var OUTCOMES = { refuse: "お支払いできません", refer: "要確認", condition: "ご注意" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function yen(n) {
    return Number(n).toLocaleString("ja-JP") + "円";
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // The content type of a file: the browser's, or from its extension (HEIC often comes without one).
  function typeOf(file) {
    if (file.type && Object.values(TYPES).indexOf(file.type) >= 0) return file.type;
    var ext = (file.name.split(".").pop() || "").toLowerCase();
    return TYPES[ext] || file.type || "application/octet-stream";
  }

  function active(form) {
    return form.querySelector(".claim-benefit-fields:not([hidden])");
  }

  function showBenefit(form) {
    var chosen = form.querySelector(".claim-benefit").value;
    form.querySelectorAll(".claim-benefit-fields").forEach(function (fs) {
      var on = fs.getAttribute("data-benefit") === chosen;
      fs.hidden = !on;
      fs.disabled = !on;
    });
  }

  // A document asked only on some triggers (a burglary's theft report, a stalker case's warning)
  // shows, and is sent, only when its trigger is chosen.
  function showDocuments(fs) {
    var trigger = value(fs, "trigger_type");
    fs.querySelectorAll(".claim-document[data-triggers]").forEach(function (slot) {
      var on = slot.getAttribute("data-triggers").split(" ").indexOf(trigger) >= 0;
      slot.hidden = !on;
      slot.querySelector("input[type=file]").disabled = !on;
    });
  }

  // A question asked only for some answers (the mediation questions for ⑤⑥) shows only then.
  function showFacts(fs) {
    fs.querySelectorAll(".claim-field[data-applies-fact]").forEach(function (field) {
      var other = fs.querySelector(".claim-field[data-fact='" + field.getAttribute("data-applies-fact") + "']");
      var answer = other ? factValue(other) : undefined;
      field.hidden = field.getAttribute("data-applies-any").split(" ").indexOf(String(answer)) < 0;
    });
  }

  function addExpense(box) {
    var tpl = box.querySelector(".claim-expense-template");
    var row = tpl.content.firstElementChild.cloneNode(true);
    row.querySelector(".claim-remove-expense").addEventListener("click", function () { row.remove(); });
    box.querySelector(".claim-expense-list").appendChild(row);
  }

  function factValue(field) {
    var type = field.getAttribute("data-type");
    var inputs = Array.prototype.slice.call(field.querySelectorAll("input, select"));
    if (type === "bool") {
      var checked = inputs.filter(function (i) { return i.checked; })[0];
      return checked ? checked.value === "true" : undefined;
    }
    if (type === "enum_list") return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    var raw = inputs[0] ? inputs[0].value.trim() : "";
    if (!raw) return undefined;
    if (type === "int" || type === "yen") return /^\d+$/.test(raw) ? Number(raw) : raw;
    return raw;
  }

  function numberOrText(raw) {
    raw = (raw || "").trim();
    if (raw === "") return undefined;
    return /^\d+$/.test(raw) ? Number(raw) : raw;
  }

  function value(scope, name) {
    var input = scope.querySelector("[name=" + name + "]");
    return input ? input.value.trim() : "";
  }

  // The request body and, in the same order as body.documents, the files to send.
  function build(form) {
    var fs = active(form);
    var body = {
      product_id: form.getAttribute("data-product"),
      benefit_id: fs.getAttribute("data-benefit"),
      policy_number: value(form, "policy_number"),
      coverage_start: value(form, "coverage_start") || null,
      trigger: { type: value(fs, "trigger_type"), date: value(fs, "trigger_date") || null },
      expenses: [],
      facts: {},
      contact: { name: value(form, "name"), phone: value(form, "phone"), email: value(form, "email") },
      documents: []
    };
    var address = value(form, "address");
    if (address) body.contact.address = address;
    var plan = fs.querySelector("[name=plan_id]");
    if (plan) body.plan_id = plan.value;
    fs.querySelectorAll(".claim-field[data-fact]:not([hidden])").forEach(function (field) {
      var v = factValue(field);
      if (v !== undefined) body.facts[field.getAttribute("data-fact")] = v;
    });
    fs.querySelectorAll(".claim-expense").forEach(function (row) {
      // a benefit paid by the day asks no yen (the form has no amount): its days decide the sum
      var asksAmount = row.querySelector("[name=amount]") !== null;
      var e = { kind: value(row, "kind"), date: value(row, "date") || null,
                amount: asksAmount ? numberOrText(value(row, "amount")) : 0 };
      ["nights", "days", "hours"].forEach(function (n) {
        var v = numberOrText(value(row, n));
        if (v !== undefined) e[n] = v;
      });
      // each night's cost, when the receipt itemises them: "12000、8000" → [12000, 8000]
      var perNight = value(row, "night_amounts");
      if (perNight) e.night_amounts = perNight.split(/[,、，\s]+/).filter(Boolean).map(numberOrText);
      var item = row.querySelector("[name=item]");
      if (item) e.item = item.value;
      if (e.amount === undefined) e.amount = null;
      body.expenses.push(e);
    });
    var files = [];
    fs.querySelectorAll(".claim-document:not([hidden])").forEach(function (slot) {
      Array.prototype.forEach.call(slot.querySelector("input[type=file]").files, function (file) {
        body.documents.push({
          kind: slot.getAttribute("data-kind"), file_name: file.name, content_type: typeOf(file), size: file.size
        });
        files.push({ file: file, slot: slot });
      });
    });
    return { body: body, files: files };
  }

  function clearErrors(form) {
    form.querySelectorAll(".claim-error").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
  }

  function mark(container, message) {
    if (!container) return false;
    var slot = container.querySelector(":scope > .claim-error") || container.querySelector(".claim-error");
    slot.textContent = slot.textContent ? slot.textContent + " " + message : message;
    var input = container.querySelector("input, select");
    if (input) input.setAttribute("aria-invalid", "true");
    return true;
  }

  // Put each problem's message next to its field: body.expenses[0].amount, body.documents.1.size, body.facts.x ...
  function showProblem(form, problem, built) {
    var fs = active(form);
    var general = form.querySelector(".claim-error--form");
    var errors = (problem && problem.errors) || [];
    errors.forEach(function (e) {
      var field = String(e.field || "").replace(/\.(\d+)(?=\.|$)/g, "[$1]");
      var m = /^body\.(expenses|documents)\[(\d+)\]\.?(\w*)/.exec(field);
      var placed = false;
      if (m && m[1] === "expenses") {
        var row = fs.querySelectorAll(".claim-expense")[Number(m[2])];
        placed = mark(row && (row.querySelector("[data-part=" + m[3] + "]") || row), e.message);
      } else if (m && m[1] === "documents") {
        var entry = built.files[Number(m[2])];
        placed = mark(entry && entry.slot, e.message);
      } else {
        var target = null;
        [fs, form].some(function (scope) {
          scope.querySelectorAll("[data-error-for]").forEach(function (c) {
            if (!target && c.getAttribute("data-error-for") === field) target = c;
          });
          return !!target;
        });
        placed = mark(target, e.message);
      }
      if (!placed) general.textContent += (general.textContent ? " " : "") + e.message;
    });
    if (!errors.length) general.textContent = (problem && (problem.detail || problem.title)) || "送信できませんでした。";
    var first = form.querySelector("[aria-invalid]");
    if (first) first.focus();
  }

  function showEstimate(box, claim) {
    box.textContent = "";
    box.removeAttribute("data-state");
    box.appendChild(el("h4", null, claim.payable ? "お支払いの見込み額: " + yen(claim.estimate.amount) : "この内容ではお支払いの対象になりません"));
    if (claim.claim_id) box.appendChild(el("p", "claim-number", "請求番号: " + claim.claim_id + "（お問い合わせの際にお伝えください）"));
    box.appendChild(el("p", "claim-help", "計算の基準: " + claim.estimate.basis + "（請求額 " + yen(claim.estimate.claimed) + "）"));
    if (claim.estimate.limits) box.appendChild(el("p", "claim-limits", claim.estimate.limits.summary));
    if (claim.estimate.lines.length) {
      var ul = el("ul");
      claim.estimate.lines.forEach(function (l) {
        ul.appendChild(el("li", null, (l.date || "") + " " + yen(l.amount) + " → " + yen(l.paid) + "（" + l.note + "）"));
      });
      box.appendChild(ul);
    }
    var reasons = claim.reasons.slice();
    (claim.expenses || []).forEach(function (e) { reasons = reasons.concat(e.reasons); });
    if (reasons.length) {
      var rl = el("ul");
      reasons.forEach(function (r) { rl.appendChild(el("li", null, "【" + (OUTCOMES[r.outcome] || r.outcome) + "】" + r.message)); });
      box.appendChild(rl);
    }
    box.appendChild(el("p", "claim-help", "見込み額は入力内容による目安です。お支払い額は書類を確認のうえ決まります。"));
  }

  function uploadAll(box, claim, built) {
    var list = el("div", "claim-uploads");
    box.appendChild(el("p", "claim-subhead", "書類の送信"));
    box.appendChild(list);
    var jobs = claim.documents.map(function (doc, i) {
      var entry = built.files[i];
      var row = el("div", "claim-upload");
      var label = el("span", null, doc.label + "（" + (i + 1) + "）: ");
      var state = el("span", "claim-upload__state", "送信中");
      var bar = el("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", doc.label + " の送信状況");
      row.appendChild(label);
      row.appendChild(state);
      row.appendChild(bar);
      list.appendChild(row);
      if (!entry || !doc.upload) { state.textContent = "送信済み"; bar.value = 100; return Promise.resolve(true); }
      return window.uploadWithPresignedPost(doc.upload, entry.file, function (p) { bar.value = Math.round(p * 100); })
        .then(function () { bar.value = 100; state.textContent = "送信しました"; return true; })
        .catch(function () { state.textContent = "送信できませんでした（状況ページから再送できます）"; return false; });
    });
    return Promise.all(jobs);
  }

  // The id and the access key go in the fragment: browsers never send it to a server (no access log, no
  // Referer), and the status page takes them out of the address bar at once.
  function statusUrl(formEl, claim) {
    return formEl.getAttribute("data-status-page") + "#id=" + encodeURIComponent(claim.claim_id) +
      "&token=" + encodeURIComponent(claim.access_token);
  }

  function init(form) {
    var key = null; // one Idempotency-Key per content: a retry of the same claim reuses it
    var sending = false;
    form.querySelector(".claim-benefit").addEventListener("change", function () { showBenefit(form); key = null; });
    // an answer changed: a new claim (a new key), and a 0円 estimate shown for the old answers no longer holds
    form.addEventListener("input", function () {
      if (!sending) key = null;
      var box = form.querySelector(".claim-result");
      if (box.getAttribute("data-state") === "choice") { box.hidden = true; box.removeAttribute("data-state"); }
    });
    form.querySelectorAll(".claim-expenses").forEach(function (box) {
      addExpense(box);
      box.querySelector(".claim-add-expense").addEventListener("click", function () { addExpense(box); });
    });
    form.querySelectorAll(".claim-benefit-fields").forEach(function (fs) {
      var trigger = fs.querySelector("[name=trigger_type]");
      if (trigger) trigger.addEventListener("change", function () { showDocuments(fs); });
      fs.addEventListener("change", function () { showFacts(fs); });
      showDocuments(fs);
      showFacts(fs);
    });
    showBenefit(form);
    // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (sending) return;
      clearErrors(form);
      var built = build(form);
      var max = Number(form.getAttribute("data-max-bytes"));
      var tooBig = built.files.filter(function (f) { return f.file.size > max; });
      if (tooBig.length) {
        tooBig.forEach(function (f) { mark(f.slot, "1ファイル" + Math.floor(max / 1048576) + "MBまでです。"); });
        return;
      }
      key = key || newKey();
      sending = true;
      var button = form.querySelector(".claim-submit");
      button.disabled = true;
      var box = form.querySelector(".claim-result");
      box.hidden = true;
      var preview = Object.assign({}, built.body);
      delete preview.contact;
      delete preview.documents;
      post(form, "/claims/estimate", preview)
        .then(function (r) {
          if (!r.ok) { showProblem(form, r.data, built); return; }
          if (r.data.payable && r.data.estimate.amount > 0) return fileClaim(form, built, key);
          askBeforeFiling(form, box, r.data, function () { return fileClaim(form, built, key); });
        })
        .catch(function () { offline(form); })
        .then(function () { sending = false; button.disabled = false; });
    });
  }

  function post(form, path, body, headers) {
    return fetch(form.getAttribute("data-api") + path, {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, headers || {}),
      body: JSON.stringify(body)
    }).then(function (res) { return res.json().then(function (data) { return { ok: res.ok, data: data }; }); });
  }

  function offline(form) {
    form.querySelector(".claim-error--form").textContent = "通信できませんでした。もう一度お試しください（同じ請求が二重になることはありません）。";
  }

  // A claim that would be paid nothing: why, and the claimant's choice to file it anyway or to look again.
  function askBeforeFiling(form, box, preview, file) {
    showEstimate(box, preview);
    box.setAttribute("data-state", "choice");
    box.hidden = false;
    box.insertBefore(el("p", "claim-choice__lead",
      "この内容では、お支払いの見込み額は0円です。理由をご確認のうえ、入力を見直すか、このまま請求するかをお選びください。" +
      "このまま請求すると、書類を確認して最終的に判断します。"), box.children[1]);
    var choice = el("div", "claim-choice");
    var again = el("button", "md-button", "入力を見直す");
    again.type = "button";
    var anyway = el("button", "md-button md-button--primary", "このまま請求する");
    anyway.type = "button";
    choice.appendChild(again);
    choice.appendChild(anyway);
    box.appendChild(choice);
    again.addEventListener("click", function () {
      box.hidden = true;
      var first = active(form).querySelector("input, select");
      if (first) first.focus();
    });
    anyway.addEventListener("click", function () {
      anyway.disabled = true;
      again.disabled = true;
      file().catch(function () { offline(form); anyway.disabled = false; again.disabled = false; });
    });
    box.scrollIntoView({ block: "start" });
  }

  // The access key opens the status page later, from the e-mail or another phone: shown once, here.
  function showAccessKey(box, claim) {
    var keep = el("div", "claim-key");
    keep.appendChild(el("p", "claim-subhead", "アクセスキー（控えてください）"));
    keep.appendChild(el("code", "claim-key__value", claim.access_token));
    keep.appendChild(el("p", "claim-help", "審査の結果などをメールでお知らせしたとき、請求状況のページで請求番号と一緒に入れます。" +
      "メモかスクリーンショットで控えてください。この画面を閉じると、もう表示できません。"));
    if (navigator.clipboard) {
      var copy = el("button", "md-button", "アクセスキーをコピー");
      copy.type = "button";
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(claim.access_token).then(function () { copy.textContent = "コピーしました"; });
      });
      keep.appendChild(copy);
    }
    box.appendChild(keep);
  }

  function fileClaim(form, built, key) {
    var box = form.querySelector(".claim-result");
    return post(form, "/claims", built.body, { "Idempotency-Key": key }).then(function (r) {
      if (!r.ok) { box.hidden = true; showProblem(form, r.data, built); return; }
      var claim = r.data;
      box.hidden = false;
      showEstimate(box, claim);
      showAccessKey(box, claim);
      box.scrollIntoView({ block: "start" });
      return uploadAll(box, claim, built).then(function (results) {
        // the estimate stays on screen: the claimant opens the status page when ready
        box.appendChild(el("p", "claim-help", results.every(Boolean)
          ? "書類を送信しました。受付の状況は、請求状況のページで確認できます。"
          : "送信できなかった書類は、請求状況のページから送り直せます。"));
        var link = el("a", "md-button md-button--primary", "請求状況を見る");
        link.href = statusUrl(form, claim);
        box.appendChild(link);
      });
    });
  }

  document.querySelectorAll("form.claim-form").forEach(init);
})();
