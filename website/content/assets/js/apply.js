// オンラインのお申込み: three steps on one page. The form; the confirmation, from POST /api/v1/applications
// with check_only (what would be taken, the conditions in plain words, nothing stored); then the application,
// answered with the application number and the access code. One Idempotency-Key per content: a retry (a lost
// answer, a double tap, a 503) sends the same key and never makes a second application.
// Nothing is kept in the browser: no cookies, no storage; the answers live in the form until it is sent.
"use strict";

(function () {
  var RETRIES = 3;
  var problems = window.formProblems("apply", "入力内容をご確認ください");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function jdate(iso) {
    var p = String(iso).slice(0, 10).split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function value(form, name) {
    var node = form.querySelector("[name=" + name + "]");
    return node ? node.value : "";
  }

  function checked(form, name) {
    var node = form.querySelector("input[name='" + name + "']:checked");
    return node ? node.value : null;
  }

  function ageOn(birth, day) {
    var b = birth.split("-").map(Number);
    var age = day.getFullYear() - b[0];
    if (day.getMonth() + 1 < b[1] || (day.getMonth() + 1 === b[1] && day.getDate() < b[2])) age -= 1;
    return age;
  }

  // ---- the answers as the API wants them ------------------------------------------------------------

  function facts(form) {
    var out = {};
    form.querySelectorAll(".apply-field[data-fact]").forEach(function (field) {
      var id = field.getAttribute("data-fact");
      var type = field.getAttribute("data-type");
      if (type === "date_list") {
        var any = checked(form, id + "-any");
        if (any === null) return;
        out[id] = any === "true"
          ? Array.prototype.map.call(field.querySelectorAll(".apply-date-list input"), function (i) { return i.value; })
            .filter(function (v) { return v; })
          : [];
      } else if (type === "bool") {
        var yes = checked(form, id);
        if (yes !== null) out[id] = yes === "true";
      } else {
        var raw = value(form, id).trim();
        if (raw) out[id] = raw;
      }
    });
    return out;
  }

  function body(form, checkOnly, acknowledged) {
    var consents = {};
    form.querySelectorAll("input[data-consent]").forEach(function (box) {
      if (box.checked) consents[box.getAttribute("data-consent")] = box.value;
    });
    var guardian = !form.querySelector(".apply-guardian").hidden;
    var applicant = {
      name: value(form, "name"),
      name_kana: value(form, "name_kana"),
      birth_date: value(form, "birth_date"),
      postal_code: value(form, "postal_code"),
      address: value(form, "address"),
      phone: value(form, "phone"),
      email: value(form, "email")
    };
    if (guardian) {
      applicant.guardian_name = value(form, "guardian_name");
      applicant.guardian_consent = !!form.querySelector("input[name=guardian_consent]:checked");
    }
    return {
      product_id: form.getAttribute("data-product"),
      applicant: applicant,
      facts: facts(form),
      payment_method: checked(form, "payment_method") || "",
      payment_frequency: checked(form, "payment_frequency") || "",
      consents: consents,
      acknowledged: acknowledged || [],
      check_only: !!checkOnly
    };
  }

  // What the browser can say before asking: a question left open (the server judges everything else).
  function unanswered(form) {
    var errors = [];
    form.querySelectorAll(".apply-field[data-fact]").forEach(function (field) {
      var id = field.getAttribute("data-fact");
      var type = field.getAttribute("data-type");
      var name = type === "date_list" ? id + "-any" : id;
      var answer = checked(form, name);
      if (answer === null && (type === "date_list" || type === "bool")) {
        errors.push({ field: "body.facts." + id, message: "「はい・いいえ」のどちらかを選んでください。" });
      } else if (type === "date_list" && answer === "true" && !facts(form)[id].length) {
        errors.push({ field: "body.facts." + id, message: "相談した日を入力してください。" });
      }
    });
    return errors;
  }

  // ---- talking to the API, with the retries a 503 asks for -----------------------------------------

  function send(form, payload, key, attempt) {
    return fetch(form.getAttribute("data-api") + "/applications", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": key },
      body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) {
        if (r.status === 503 && attempt < RETRIES) {
          var wait = Number(r.headers.get("Retry-After")) || 5;
          setStatus(form, "ただいま混み合っています。" + wait + "秒後に自動でもう一度送信します（二重のお申込みにはなりません）。");
          return new Promise(function (resolve) { setTimeout(resolve, wait * 1000); })
            .then(function () { return send(form, payload, key, attempt + 1); });
        }
        return { status: r.status, json: json };
      });
    });
  }

  function setStatus(form, text) {
    form.querySelectorAll(".apply-error--form").forEach(function (p) {
      if (!p.closest("[hidden]")) p.textContent = text;
    });
  }

  function step(form, name) {
    form.querySelectorAll(".apply-step").forEach(function (s) {
      s.hidden = s.getAttribute("data-step") !== name;
    });
    var shown = form.querySelector('.apply-step[data-step="' + name + '"]');
    if (name !== "input") shown.focus();
    shown.scrollIntoView({ block: "start" });
  }

  function busy(button, on) {
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
  }

  // ---- the confirmation -----------------------------------------------------------------------------

  function row(dl, label, text) {
    var div = el("div");
    div.appendChild(el("dt", null, label));
    div.appendChild(el("dd", null, text));
    dl.appendChild(div);
  }

  function answerText(form, id, answer) {
    if (Array.isArray(answer)) return answer.length ? "ある（" + answer.map(jdate).join("、") + "）" : "ない";
    if (answer === true) return "はい";
    if (answer === false) return "いいえ";
    return String(answer);
  }

  function showConditions(box, conditions) {
    var list = box.querySelector(".apply-conditions__list");
    list.textContent = "";
    conditions.forEach(function (c) {
      list.appendChild(el("li", c.general ? "" : "apply-conditions__key", c.message));
    });
  }

  function confirm(form, preview) {
    var view = form.querySelector('[data-step="confirm"]');
    showConditions(view, preview.conditions);
    var dl = view.querySelector(".apply-summary");
    dl.textContent = "";
    var payload = body(form, false);
    var a = payload.applicant;
    row(dl, "お名前", a.name + "（" + a.name_kana + "）");
    row(dl, "生年月日", jdate(a.birth_date));
    if (a.guardian_name) row(dl, "親権者", a.guardian_name);
    row(dl, "ご住所", "〒" + a.postal_code + " " + a.address);
    row(dl, "電話番号", a.phone);
    row(dl, "メールアドレス", a.email);
    form.querySelectorAll(".apply-field[data-fact]").forEach(function (field) {
      var id = field.getAttribute("data-fact");
      var legend = field.querySelector("legend, label");
      row(dl, legend ? legend.textContent.trim() : id, answerText(form, id, payload.facts[id]));
    });
    row(dl, "お支払い方法", preview.payment_label);
    row(dl, "申込日", jdate(preview.application_date));
    row(dl, "保険始期日（補償の始まる日）", jdate(preview.coverage_start));
    form._preview = preview;
    view.querySelector(".apply-error--form").textContent = "";
    step(form, "confirm");
  }

  function done(form, app) {
    var view = form.querySelector('[data-step="done"]');
    view.querySelector(".apply-number__value").textContent = app.application_number;
    view.querySelector(".apply-number__secret").textContent = app.access_secret;
    var dl = view.querySelector(".apply-summary--done");
    dl.textContent = "";
    row(dl, "申込日", jdate(app.application_date));
    row(dl, "保険始期日", jdate(app.coverage_start));
    row(dl, "お支払い方法", app.payment_label);
    row(dl, "受付のお知らせ", app.email_sent ? "入力したメールアドレスへお送りしました。届かないときは迷惑メールのフォルダもご確認ください。"
      : "メールではお送りしていません。上の受付番号と確認コードを控えてください。");
    if (!app.email_sent) {  // the note under the number speaks of the e-mail: without one, only of the number
      view.querySelector(".apply-number__note").textContent = "お問い合わせのときは受付番号をお伝えください。";
    }
    var next = view.querySelector(".apply-next");
    next.textContent = "";
    app.next_steps.forEach(function (s) { next.appendChild(el("li", null, s)); });
    var link = view.querySelector(".apply-status-link");
    link.href = form.getAttribute("data-status-page") + "#" + app.application_number;
    step(form, "done");
  }

  // ---- wiring -------------------------------------------------------------------------------------

  function init(form) {
    var guardian = form.querySelector(".apply-guardian");
    var birth = form.querySelector("[name=birth_date]");
    birth.addEventListener("change", function () {
      guardian.hidden = !(birth.value && ageOn(birth.value, new Date()) < 18);
    });

    form.querySelectorAll(".apply-field[data-type=date_list]").forEach(function (field) {
      var id = field.getAttribute("data-fact");
      var dates = field.querySelector(".apply-dates");
      field.querySelectorAll("input[name='" + id + "-any']").forEach(function (radio) {
        radio.addEventListener("change", function () { dates.hidden = checked(form, id + "-any") !== "true"; });
      });
      field.querySelector(".apply-add-date").addEventListener("click", function () {
        var list = field.querySelector(".apply-date-list");
        var input = document.createElement("input");
        input.type = "date";
        input.name = id;
        input.setAttribute("aria-label", list.querySelector("input").getAttribute("aria-label")
          .replace(/（1件目）$/, "（" + (list.children.length + 1) + "件目）"));
        list.appendChild(input);
        input.focus();
      });
    });

    // A method allows only its own frequencies (the seed's rules); one allowed is chosen for the applicant.
    form.querySelectorAll("input[name=payment_method]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var allowed = radio.getAttribute("data-frequencies").split(" ");
        var choices = form.querySelectorAll("input[name=payment_frequency]");
        choices.forEach(function (f) {
          var ok = allowed.indexOf(f.value) >= 0;
          f.disabled = !ok;
          if (!ok) f.checked = false;
        });
        if (allowed.length === 1) form.querySelector("input[name=payment_frequency][value=" + allowed[0] + "]").checked = true;
      });
    });

    var key = null;
    var keyFor = null;

    // sent only by this script: until it is here the button stays disabled (nothing goes in a URL)
    form.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      problems.clear(form);
      var early = unanswered(form);
      var button = form.querySelector('[data-step="input"] button[type=submit]');
      if (early.length) {
        problems.show(form, { title: "入力内容をご確認ください", errors: early });
        return;
      }
      busy(button, true);
      send(form, body(form, true), newKey(), 0).then(function (r) {
        busy(button, false);
        if (r.status === 200) return confirm(form, r.json);
        problems.show(form, r.json && r.json.errors ? r.json : { title: "送信できませんでした", errors: [],
          detail: "時間をおいてもう一度お試しいただくか、お電話でお申し込みください。" });
        var first = form.querySelector(".apply-field--invalid input");
        if (first) first.focus();
      }).catch(function () {
        busy(button, false);
        problems.show(form, { title: "通信できませんでした", errors: [],
          detail: "電波の良いところで、もう一度お試しください。入力した内容はそのまま残っています。" });
      });
    });

    form.querySelector(".apply-back").addEventListener("click", function () { step(form, "input"); });

    form.querySelector(".apply-send").addEventListener("click", function () {
      var button = this;
      var preview = form._preview;
      var payload = body(form, false, preview.conditions.map(function (c) { return c.code; }));
      var text = JSON.stringify(payload);
      if (text !== keyFor) { key = newKey(); keyFor = text; }
      var line = form.querySelector('[data-step="confirm"] .apply-error--form');
      line.textContent = "送信しています…";
      busy(button, true);
      send(form, payload, key, 0).then(function (r) {
        busy(button, false);
        line.textContent = "";
        if (r.status === 201) return done(form, r.json);
        if (r.status === 409 && r.json.conditions) {
          // what applies changed (the answers, or the day): show the conditions again before sending
          preview.conditions = r.json.conditions;
          showConditions(form.querySelector('[data-step="confirm"]'), r.json.conditions);
          line.textContent = "補償の条件が変わりました。上の内容をお読みのうえ、もう一度「この内容で申し込む」を押してください。";
          return;
        }
        if (r.status === 422 && r.json.errors && r.json.errors.length) {
          step(form, "input");
          problems.show(form, r.json);
          return;
        }
        line.textContent = (r.json.detail || "お申込みを送信できませんでした。") + " お急ぎの方はお電話でお申し込みください。";
      }).catch(function () {
        busy(button, false);
        line.textContent = "通信できませんでした。もう一度「この内容で申し込む」を押してください（二重のお申込みにはなりません）。";
      });
    });
  }

  document.querySelectorAll("form.apply-form").forEach(init);
})();
