// 請求担当: sign in to the staff user pool (Cognito's API, from the browser; the password goes to Cognito
// only), list claims by status and age, open one (its content, rule results, estimate, the policy's
// limits as they stand, history and documents) and act on it: ask for another document, decide, record
// the payment. Every action names the revision on screen; when another handler acted first the API
// answers 409 and the claim is shown again as it now is.
"use strict";

(function () {
  var root = document.getElementById("desk");
  if (!root) return;
  var api = root.getAttribute("data-api-base");
  var message = root.querySelector(".desk__message");
  var signin = root.querySelector(".desk__signin");
  var listView = root.querySelector(".desk__list");
  var claimView = root.querySelector(".desk__claim");
  var KEPT = "desk-session"; // the ID token, for this tab only (sessionStorage: gone when the tab closes)
  var settings = null;
  var session = null;
  var challenge = null; // {name, session, username}
  var cursor = null;

  try { session = JSON.parse(window.sessionStorage.getItem(KEPT) || "null"); } catch (e) { session = null; }

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

  function say(text) { message.textContent = text || ""; }

  function show(view) {
    signin.hidden = view !== "signin";
    listView.hidden = view !== "list";
    claimView.hidden = view !== "claim";
  }

  // ---- sign-in ---------------------------------------------------------------------------------------

  function cognito(target, body) {
    return fetch(settings.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService." + target },
      body: JSON.stringify(body)
    }).then(function (res) { return res.json().then(function (data) { return { ok: res.ok, data: data }; }); });
  }

  var SIGN_IN_ERRORS = {
    NotAuthorizedException: "ユーザー名かパスワードが違います。",
    CodeMismatchException: "コードが違います。認証アプリの新しいコードを入れてください。",
    ExpiredCodeException: "コードの期限が切れました。認証アプリの新しいコードを入れてください。",
    InvalidPasswordException: "新しいパスワードが条件を満たしていません。",
    PasswordResetRequiredException: "パスワードの再設定が必要です。管理者に連絡してください。",
    UserNotFoundException: "ユーザー名かパスワードが違います。",
    TooManyRequestsException: "試行が多すぎます。しばらくしてからお試しください。"
  };

  function failed(data) {
    var type = String(data.__type || "").split("#").pop();
    say(SIGN_IN_ERRORS[type] || "サインインできませんでした。時間をおいてお試しください。");
  }

  function signedIn(result, username) {
    session = { idToken: result.IdToken, user: username };
    try { window.sessionStorage.setItem(KEPT, JSON.stringify(session)); } catch (e) { /* this page view only */ }
    challenge = null;
    signin.reset();
    showChallenge(null);
    say("");
    route();
  }

  function showChallenge(name) {
    signin.querySelectorAll(".desk__challenge").forEach(function (box) {
      box.hidden = box.getAttribute("data-challenge") !== name;
    });
  }

  function answer(res, username) {
    if (!res.ok) { failed(res.data); return; }
    if (res.data.AuthenticationResult) { signedIn(res.data.AuthenticationResult, username); return; }
    challenge = { name: res.data.ChallengeName, session: res.data.Session, username: username };
    if (challenge.name === "MFA_SETUP") {
      cognito("AssociateSoftwareToken", { Session: challenge.session }).then(function (r) {
        if (!r.ok) { failed(r.data); return; }
        challenge.session = r.data.Session;
        signin.querySelector(".desk__secret").textContent = r.data.SecretCode;
        showChallenge("MFA_SETUP");
        say("はじめてのサインインです。認証アプリを登録してください。");
      });
      return;
    }
    showChallenge(challenge.name);
    say(challenge.name === "NEW_PASSWORD_REQUIRED" ? "新しいパスワードを決めてください。" : "認証アプリのコードを入れてください。");
  }

  signin.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
  signin.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = signin.elements;
    var username = f.username.value.trim();
    say("サインインしています…");
    if (!challenge) {
      cognito("InitiateAuth", {
        AuthFlow: "USER_PASSWORD_AUTH", ClientId: settings.client_id,
        AuthParameters: { USERNAME: username, PASSWORD: f.password.value }
      }).then(function (r) { answer(r, username); }, function () { say("通信できませんでした。"); });
      return;
    }
    var responses = { USERNAME: challenge.username };
    var step = Promise.resolve(challenge.session);
    if (challenge.name === "SOFTWARE_TOKEN_MFA") responses.SOFTWARE_TOKEN_MFA_CODE = f.code.value.trim();
    if (challenge.name === "NEW_PASSWORD_REQUIRED") responses.NEW_PASSWORD = f.new_password.value;
    if (challenge.name === "MFA_SETUP") {
      step = cognito("VerifySoftwareToken", { Session: challenge.session, UserCode: f.setup_code.value.trim() })
        .then(function (r) { if (!r.ok) throw r.data; return r.data.Session; });
    }
    step.then(function (sessionToken) {
      return cognito("RespondToAuthChallenge", {
        ChallengeName: challenge.name, ClientId: settings.client_id, Session: sessionToken, ChallengeResponses: responses
      });
    }).then(function (r) { answer(r, challenge.username); }, failed);
  });

  function signOut(text) {
    session = null;
    challenge = null;
    try { window.sessionStorage.removeItem(KEPT); } catch (e) { /* nothing kept */ }
    showChallenge(null);
    show("signin");
    say(text || "");
    signin.elements.username.focus();
  }

  root.querySelector(".desk__signout").addEventListener("click", function () { signOut("サインアウトしました。"); });

  // ---- the desk's API --------------------------------------------------------------------------------

  function call(method, path, body) {
    var headers = { Authorization: session.idToken };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (res) {
        return res.json().then(function (data) {
          if (res.status === 401) { signOut("サインインの期限が切れました。もう一度サインインしてください。"); throw new Error("signed out"); }
          return { ok: res.ok, status: res.status, data: data };
        });
      });
  }

  function problemText(data) {
    var first = data.errors && data.errors[0];
    return (first && first.message) || data.detail || data.title || "できませんでした。";
  }

  // ---- the list --------------------------------------------------------------------------------------

  var filters = root.querySelector(".desk__filters");
  var rows = listView.querySelector("tbody");

  function loadList(more) {
    show("list");
    root.querySelector(".desk__user").textContent = session.user + " さん";
    var f = filters.elements;
    var query = new URLSearchParams({ status: f.status.value, older_than_days: f.older_than_days.value || "0" });
    if (f.product_id.value) query.set("product_id", f.product_id.value);
    if (more && cursor) query.set("cursor", cursor);
    if (!more) rows.textContent = "";
    say("読み込み中です…");
    call("GET", "/desk/claims?" + query.toString()).then(function (r) {
      if (!r.ok) { say(problemText(r.data)); return; }
      say("");
      r.data.claims.forEach(function (c) {
        var tr = el("tr");
        var link = el("a", null, c.claim_id);
        link.href = "#claim=" + encodeURIComponent(c.claim_id);
        var first = el("td");
        first.appendChild(link);
        tr.appendChild(first);
        tr.appendChild(el("td", null, c.product_name + " / " + c.benefit_name));
        tr.appendChild(el("td", null, when(c.created_at)));
        tr.appendChild(el("td", null, c.age_days + "日"));
        tr.appendChild(el("td", "desk__num", yen(c.estimate)));
        rows.appendChild(tr);
      });
      cursor = r.data.next_cursor;
      listView.querySelector(".desk__more").hidden = !cursor;
      listView.querySelector(".desk__empty").hidden = rows.children.length > 0;
    }).catch(function () { /* signed out */ });
  }

  filters.querySelectorAll("[data-needs-script]").forEach(function (b) { b.disabled = false; });
  filters.addEventListener("submit", function (ev) { ev.preventDefault(); cursor = null; loadList(false); });
  listView.querySelector(".desk__more").addEventListener("click", function () { loadList(true); });

  // ---- one claim -------------------------------------------------------------------------------------

  function section(parent, title) {
    var box = el("section", "desk__section");
    box.appendChild(el("h2", null, title));
    parent.appendChild(box);
    return box;
  }

  function facts(parent, pairs) {
    var dl = el("dl", "desk__facts");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") return;
      var row = el("div");
      row.appendChild(el("dt", null, p[0]));
      row.appendChild(el("dd", null, String(p[1])));
      dl.appendChild(row);
    });
    parent.appendChild(dl);
  }

  function field(form, label, input) {
    var l = el("label", null, label);
    l.appendChild(input);
    form.appendChild(l);
    return input;
  }

  function input(name, type) {
    var i = el("input");
    i.name = name;
    if (type) i.type = type;
    return i;
  }

  function textarea(name) {
    var t = el("textarea");
    t.name = name;
    t.rows = 3;
    t.maxLength = 400;
    return t;
  }

  function submitButton(form, text) {
    var b = el("button", "md-button md-button--primary", text);
    b.type = "submit";
    form.appendChild(b);
    var note = el("p", "desk__note");
    note.setAttribute("role", "status");
    form.appendChild(note);
    return note;
  }

  var NOTICES = {
    sent: "お客さまにメールでお知らせしました（請求番号だけを書いたメール）。",
    queued: "お客さまへのメールはいま送れませんでした。このあと自動で送ります。お急ぎのときはお電話でお知らせください。",
    not_sent: "お客さまにメールをお送りできません。お電話でお知らせください。"
  };

  function act(claim, action, body, note) {
    body.revision = claim.revision;
    note.textContent = "送信しています…";
    call("POST", "/desk/claims/" + encodeURIComponent(claim.claim_id) + "/" + action, body).then(function (r) {
      if (!r.ok) {
        note.textContent = problemText(r.data);
        if (r.status === 409 && r.data.type && /claim-changed$/.test(r.data.type)) {
          say("ほかの担当者が先に更新しました。いまの内容を表示しています。");
          loadClaim(claim.claim_id);
        }
        return;
      }
      renderClaim(r.data);
      say("記録しました。" + (NOTICES[r.data.notice] || ""));
      window.scrollTo(0, 0);
    }).catch(function () { /* signed out */ });
  }

  function requestForm(claim) {
    var form = el("form", "desk__form");
    var kind = el("select");
    kind.name = "kind";
    var kinds = {};
    claim.documents.forEach(function (d) { kinds[d.kind] = d.label; });
    Object.keys(kinds).forEach(function (k) { var o = el("option", null, kinds[k]); o.value = k; kind.appendChild(o); });
    var other = el("option", null, "その他（お願いの文で説明）");
    other.value = "other";
    kind.appendChild(other);
    field(form, "書類", kind);
    var text = field(form, "お客さまへのお願い（何を・なぜ）", textarea("message"));
    var note = submitButton(form, "書類をお願いする");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      act(claim, "document-requests", { kind: kind.value, message: text.value }, note);
    });
    return form;
  }

  function decisionForm(claim) {
    var form = el("form", "desk__form");
    var outcome = el("select");
    outcome.name = "outcome";
    [["approve", "全額お支払い"], ["approve_in_part", "一部お支払い"], ["decline", "お支払いできない"]].forEach(function (o) {
      var opt = el("option", null, o[1]);
      opt.value = o[0];
      outcome.appendChild(opt);
    });
    field(form, "判断", outcome);
    var now = claim.payable_now || { amount: claim.estimate.amount, unit: null, units: [] };
    // by the night or the day, a payment in part names the nights or days it pays (all ticked to start)
    var units = null;
    if (now.unit && now.units.length) {
      units = el("fieldset", "desk__units");
      units.appendChild(el("legend", null, "お支払いする" + now.unit + "（一部のとき）"));
      now.units.forEach(function (u) {
        var l = el("label", "desk__unit");
        var box = input("paid_dates", "checkbox");
        box.value = u.date;
        box.checked = true;
        l.appendChild(box);
        l.appendChild(document.createTextNode(" " + u.label));
        units.appendChild(l);
      });
      form.appendChild(units);
    }
    var amount = field(form, units ? "お支払いする額（円、一部のとき。空欄なら選んだ" + now.unit + "の額）" : "お支払いする額（円、一部のとき）",
      input("amount", "number"));
    amount.min = "1";
    amount.inputMode = "numeric";
    function partOnly() {
      var part = outcome.value === "approve_in_part";
      if (units) units.hidden = !part;
      amount.parentNode.hidden = !part;
    }
    outcome.addEventListener("change", partOnly);
    partOnly();
    var reason = el("select");
    reason.name = "reason_code";
    reason.appendChild(el("option", null, "（一部・お支払いできないときに選ぶ）"));
    reason.firstChild.value = "";
    reason.appendChild(document.getElementById("desk-reasons").content.cloneNode(true));
    field(form, "理由", reason);
    var text = field(form, "お客さまへの説明", textarea("message"));
    var note = submitButton(form, "判断を記録する");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = { outcome: outcome.value };
      // 全額 is the figure on screen: if the ledger moved since, the API names the new one instead of paying it
      if (outcome.value === "approve") body.amount = now.amount;
      if (outcome.value === "approve_in_part") {
        if (amount.value) body.amount = Number(amount.value);
        if (units) {
          body.paid_dates = Array.prototype.filter.call(units.querySelectorAll("input"), function (b) { return b.checked; })
            .map(function (b) { return b.value; });
        }
      }
      if (reason.value) body.reason_code = reason.value;
      if (text.value.trim()) body.message = text.value;
      act(claim, "decision", body, note);
    });
    return form;
  }

  function paymentForm(claim) {
    var form = el("form", "desk__form");
    var day = field(form, "お支払いした日", input("paid_on", "date"));
    day.value = new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" });
    var note = submitButton(form, "お支払いを記録する");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      act(claim, "payment", { paid_on: day.value }, note);
    });
    return form;
  }

  function renderClaim(claim) {
    show("claim");
    var body = claimView.querySelector(".desk__claim-body");
    body.textContent = "";
    body.appendChild(el("h2", "desk__claim-title", claim.claim_id + " " + claim.status_label));
    facts(body, [
      ["商品・給付", claim.product_name + " / " + claim.benefit_name],
      ["受付", when(claim.created_at) + "（" + claim.age_days + "日前）"],
      ["証券番号", claim.policy_number],
      ["補償の開始日", claim.coverage_start],
      ["出来事", (claim.trigger.label || claim.trigger.type) + "（" + claim.trigger.date + "）"],
      ["お名前", claim.contact.name],
      ["電話", claim.contact.phone],
      ["メール", claim.contact.email],
      ["版", claim.revision]
    ]);

    // Until the decision, the claim is judged again on the ledger as it stands now: that figure is what
    // 全額お支払い pays, shown beside the estimate at filing and why the two differ.
    var now = claim.payable_now;
    var judged = section(body, "判定と見込み額");
    facts(judged, [
      ["判定", (now ? now.payable : claim.check.payable) ? "支払対象" : "支払対象外"],
      ["いまお支払いできる額", now ? yen(now.amount) : null],
      [now ? "請求時の見込み額" : "見込み額", yen(claim.estimate.amount) + "（請求 " + yen(claim.estimate.claimed) + "）"],
      ["計算の基準", claim.estimate.basis]
    ]);
    if (now && now.why) judged.appendChild(el("p", "desk__why", now.why));
    var reasons = el("ul");
    (now ? now.reasons : claim.check.reasons).forEach(function (r) {
      reasons.appendChild(el("li", null, r.code + ": " + r.message));
    });
    (now ? now.lines : claim.estimate.lines).forEach(function (l) {
      reasons.appendChild(el("li", null, (l.date || "") + " " + yen(l.amount) + " → " + yen(l.paid) + "（" + l.note + "）"));
    });
    judged.appendChild(reasons);

    if (claim.ledger) {
      var ledger = section(body, "限度額（" + claim.ledger.scope + "）");
      var own = claim.ledger.this_claim;
      facts(ledger, [
        ["ほかの請求", claim.ledger.others.claims + "件 " + yen(claim.ledger.others.yen) +
          (claim.ledger.others.nights ? " " + claim.ledger.others.nights + "泊" : "") +
          (claim.ledger.others.days ? " " + claim.ledger.others.days + "日" : "")],
        ["この請求に払える上限", yen(claim.ledger.remaining_before_this.yen)],
        ["この請求", own ? ({ reserved: "確保中 ", paid: "支払済み " }[own.state] || "") + yen(own.yen) : "なし"]
      ]);
    }

    if (claim.decision) {
      var decided = section(body, "判断");
      facts(decided, [
        ["結果", { approved: "全額お支払い", partly_approved: "一部お支払い", declined: "お支払いできない" }[claim.decision.status]],
        ["額", yen(claim.decision.amount)],
        ["対象の" + (claim.decision.unit || "泊・日"), claim.decision.paid_dates ? claim.decision.paid_dates.length +
          (claim.decision.unit || "") + "（" + claim.decision.paid_dates.join("、") + "）" : null],
        ["請求時の見込み額", claim.decision.filed_estimate !== undefined && claim.decision.filed_estimate !== null &&
          claim.decision.filed_estimate !== claim.decision.most_payable ? yen(claim.decision.filed_estimate) : null],
        ["理由", claim.decision.reason],
        ["お客さまへの説明", claim.decision.message],
        ["担当", claim.decision.by + " " + when(claim.decision.at)],
        ["お支払い", claim.payment ? claim.payment.paid_on + " " + yen(claim.payment.amount) : null]
      ]);
    }

    var docs = section(body, "書類");
    var list = el("ul", "desk__documents");
    claim.documents.forEach(function (d) {
      var li = el("li");
      li.appendChild(el("span", null, d.label + "（" + d.state_label + "）"));
      if (d.request) li.appendChild(el("p", "desk__note", "お願い: " + d.request.message));
      if (d.open) {
        var a = el("a", "md-button", "開く");
        a.href = d.open.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
      }
      list.appendChild(li);
    });
    docs.appendChild(list);

    var history = section(body, "経過");
    var ol = el("ol");
    claim.history.forEach(function (h) {
      ol.appendChild(el("li", null, when(h.at) + " " + h.label + (h.by ? "（" + h.by + "）" : "")));
    });
    history.appendChild(ol);

    var open = ["awaiting_documents", "documents_received"].indexOf(claim.status) >= 0;
    if (open) section(body, "書類をお願いする").appendChild(requestForm(claim));
    if (claim.status === "documents_received") section(body, "判断する").appendChild(decisionForm(claim));
    if (claim.status === "approved" || claim.status === "partly_approved") {
      section(body, "お支払いを記録する").appendChild(paymentForm(claim));
    }
  }

  function loadClaim(id) {
    say("読み込み中です…");
    call("GET", "/desk/claims/" + encodeURIComponent(id)).then(function (r) {
      if (!r.ok) { say(problemText(r.data)); show("list"); return; }
      say("");
      renderClaim(r.data);
    }).catch(function () { /* signed out */ });
  }

  // ---- where we are ----------------------------------------------------------------------------------

  function route() {
    if (!session) { signOut(); return; }
    var found = /^#claim=(.+)$/.exec(window.location.hash);
    if (found) loadClaim(decodeURIComponent(found[1]));
    else loadList(false);
  }

  window.addEventListener("hashchange", route);
  claimView.querySelector(".desk__back").addEventListener("click", function (ev) {
    ev.preventDefault();
    window.history.pushState(null, "", window.location.pathname);
    loadList(false);
  });

  fetch(api + "/desk/sign-in").then(function (r) { return r.json(); }).then(function (data) {
    settings = data;
    route();
  }, function () { say("設定を読み込めませんでした。再読み込みしてください。"); });
})();
