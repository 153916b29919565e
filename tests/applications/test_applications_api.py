"""POST /api/v1/applications and GET /api/v1/applications/{number} against moto (tables, queue, SES)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from api.applications_handler import lambda_handler
from devserver.template import Resolver, functions, load_template
from domain.reference_numbers import read_number
from helpers.applications import applicant, application, now_is
from helpers.events import call

JST = timezone(timedelta(hours=9))


def apply(body: dict[str, Any], key: str = "key-0000000000000001") -> Any:
    return call(lambda_handler, "POST", "/api/v1/applications", body=body, headers={"Idempotency-Key": key})


def status(number: str, secret: str | None) -> Any:
    headers = {"X-Application-Secret": secret} if secret is not None else {}
    return call(lambda_handler, "GET", f"/api/v1/applications/{number}", headers=headers)


def test_given_a_complete_application_when_sent_then_it_is_stored_queued_mailed_and_readable(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now_is(monkeypatch, datetime(2026, 12, 3, 10, 0, tzinfo=JST))
    r = apply(application(), key="key-complete-000000001")
    assert r.status == 201, r.json
    out = r.json
    number = out["application_number"]
    assert read_number(number) == number and number.startswith("AM-")
    assert out["application_date"] == "2026-12-03"
    assert out["coverage_start"] == "2027-01-01T00:00:00+09:00"  # day 30 counting 3 December
    assert out["payment_label"] == "クレジットカード払い（月払）"
    assert out["email_sent"] is True
    assert out["access_secret"]
    queued = [m["application"] for m in aws.intake()]
    assert [m["application_number"] for m in queued] == [number]
    assert queued[0]["applicant"]["name_kana"] == "アンド ハナコ"
    assert "secret_hash" not in queued[0]
    mail = aws.mails()[-1]
    assert mail.destinations["ToAddresses"] == ["hanako@example.jp"]
    assert number in mail.subject and "2027年1月1日" in mail.body and out["access_secret"] in mail.body
    assert "安堵 花子" not in mail.body  # the e-mail carries no name or address

    seen = status(number, out["access_secret"])
    assert seen.status == 200
    assert seen.json["coverage_start"] == out["coverage_start"]
    assert "applicant" not in seen.json and "access_secret" not in seen.json


# ---- the day an application counts for ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "day", "start"),
    [
        (datetime(2026, 12, 3, 23, 59, 59, tzinfo=JST), "2026-12-03", "2027-01-01"),
        (datetime(2026, 12, 4, 0, 0, 0, tzinfo=JST), "2026-12-04", "2027-01-02"),
        (datetime(2026, 12, 3, 14, 59, 59, tzinfo=UTC), "2026-12-03", "2027-01-01"),  # 23:59:59 JST
        (datetime(2026, 12, 3, 15, 0, 0, tzinfo=UTC), "2026-12-04", "2027-01-02"),  # 00:00 JST
    ],
)
def test_given_a_receipt_time_when_applied_then_the_day_in_tokyo_is_the_application_date(
    aws: Any, monkeypatch: pytest.MonkeyPatch, received: datetime, day: str, start: str
) -> None:
    now_is(monkeypatch, received)
    r = apply(application(), key=f"key-boundary-{received.timestamp():.0f}")
    assert r.status == 201, r.json
    assert r.json["application_date"] == day
    assert r.json["coverage_start"] == f"{start}T00:00:00+09:00"


# ---- idempotency --------------------------------------------------------------------------------------


def test_given_the_same_key_twice_when_applied_then_one_application_one_message_one_mail(aws: Any) -> None:
    aws.intake()
    mails_before = len(aws.mails())
    stored_before = len(aws.applications())
    first = apply(application(), key="key-twice-0000000001")
    again = apply(application(), key="key-twice-0000000001")
    assert first.status == again.status == 201
    assert again.json["application_number"] == first.json["application_number"]
    assert again.json["access_secret"] == first.json["access_secret"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(aws.applications()) == stored_before + 1
    assert len(aws.intake()) == 1
    assert len(aws.mails()) == mails_before + 1


def test_given_the_same_key_with_another_body_when_applied_then_422_and_nothing_new(aws: Any) -> None:
    apply(application(), key="key-reused-000000001")
    stored = len(aws.applications())
    other = application(applicant=applicant(name="別の 人"))
    r = apply(other, key="key-reused-000000001")
    assert r.status == 422
    assert r.json["type"].endswith("/idempotency-key-reused")
    assert len(aws.applications()) == stored


def test_given_one_key_sent_from_many_threads_at_once_when_applied_then_all_get_the_same_application(
    aws: Any,
) -> None:
    import threading

    from catalog import get_catalog
    from domain.applications import Applicant
    from schemas.intake import ApplicationIn
    from services import applications as service

    body = ApplicationIn.model_validate(application(applicant=applicant(name="同時 送信")))
    request = service.ApplicationRequest(
        product=get_catalog().product("and-me"),
        applicant=Applicant(**body.applicant.model_dump()),
        facts=body.facts, payment_method=body.payment_method, payment_frequency=body.payment_frequency,
        consents=body.consents, acknowledged=body.acknowledged, body=body.model_dump(mode="json"),
    )
    aws.intake()
    stored = len(aws.applications())
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def one() -> None:
        barrier.wait()
        try:
            numbers.append(service.take(request, "key-concurrent-00000001").view["application_number"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(set(numbers)) == 1 and len(numbers) == 8
    assert len(aws.applications()) == stored + 1
    assert {m["application"]["application_number"] for m in aws.intake()} == set(numbers)


def test_given_no_idempotency_key_when_applied_then_422_names_the_header(aws: Any) -> None:
    r = call(lambda_handler, "POST", "/api/v1/applications", body=application())
    assert r.status == 422
    assert any(e["field"].lower() == "header.idempotency-key" for e in r.json["errors"])


# ---- every field, named, with what to fix -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"name": ""}, "body.applicant.name", "入力してください"),
        ({"name": "   "}, "body.applicant.name", "入力してください"),
        ({"name": "花子\x00"}, "body.applicant.name", "使えない文字"),
        ({"name": "花子\u202egnp.exe"}, "body.applicant.name", "使えない文字"),
        ({"name": "<script>alert(1)</script>"}, "body.applicant.name", "使えない文字"),
        ({"name": "あ" * 41}, "body.applicant.name", "40文字以内"),
        ({"name_kana": "安堵"}, "body.applicant.name_kana", "カタカナ"),
        ({"name_kana": "ando"}, "body.applicant.name_kana", "カタカナ"),
        ({"birth_date": "2030-01-01"}, "body.applicant.birth_date", "今日より後"),
        ({"birth_date": "1850-01-01"}, "body.applicant.birth_date", "1900年から"),
        ({"postal_code": "16000"}, "body.applicant.postal_code", "7桁"),
        ({"address": ""}, "body.applicant.address", "入力してください"),
        ({"address": "東京都\n新宿区"}, "body.applicant.address", "使えない文字"),
        ({"phone": "12345"}, "body.applicant.phone", "10桁か11桁"),
        ({"phone": "090-1234-567８９"}, "body.applicant.phone", "10桁か11桁"),
        ({"email": "hanako@"}, "body.applicant.email", "メールアドレス"),
        ({"email": "はなこ@example.jp"}, "body.applicant.email", "メールアドレス"),
        ({"birth_date": "2012-01-01"}, "body.applicant.guardian_name", "親権者"),
    ],
)
def test_given_a_bad_applicant_field_when_applied_then_422_names_it_and_nothing_is_stored(
    aws: Any, monkeypatch: pytest.MonkeyPatch, changes: dict[str, Any], field: str, says: str
) -> None:
    now_is(monkeypatch, datetime(2026, 12, 3, 12, 0, tzinfo=JST))
    stored = len(aws.applications())
    r = apply(application(applicant=applicant(**changes)), key=f"key-field-{abs(hash(repr(changes)))}")
    assert r.status == 422, r.json
    assert r.headers["Content-Type"] == "application/problem+json"
    assert any(e["field"] == field and says in e["message"] for e in r.json["errors"]), r.json["errors"]
    assert len(aws.applications()) == stored


def test_given_full_width_digits_and_hiragana_when_applied_then_they_are_accepted_and_stored_plainly(
    aws: Any,
) -> None:
    aws.intake()
    body = application(applicant=applicant(phone="０９０ー１２３４ー５６７８", postal_code="１６０ー００２２",
                                           name_kana="あんど はなこ"))
    r = apply(body, key="key-fullwidth-0000001")
    assert r.status == 201, r.json
    stored = aws.intake()[0]["application"]["applicant"]
    assert stored["phone"] == "09012345678" and stored["postal_code"] == "160-0022"
    assert stored["name_kana"] == "アンド ハナコ"


def test_given_a_minor_with_a_guardian_who_agrees_when_applied_then_it_is_taken(aws: Any) -> None:
    body = application(applicant=applicant(birth_date="2014-05-05", guardian_name="安堵 太郎",
                                           guardian_consent=True))
    assert apply(body, key="key-minor-0000000001").status == 201


@pytest.mark.parametrize("value", ["yes", 1, "true"])
def test_given_a_guardian_consent_that_is_not_a_boolean_when_applied_then_422(aws: Any, value: Any) -> None:
    body = application(applicant=applicant(birth_date="2014-05-05", guardian_name="安堵 太郎",
                                           guardian_consent=value))
    r = apply(body, key=f"key-minor-bool-{value}-000")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body.applicant.guardian_consent"


# ---- consents, payment, answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("consent", ["important_matters", "personal_data"])
def test_given_a_consent_not_given_when_applied_then_422_names_it(aws: Any, consent: str) -> None:
    given = application()["consents"]
    given.pop(consent)
    r = apply(application(consents=given), key=f"key-consent-{consent}")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == f"body.consents.{consent}"
    assert "チェック" in r.json["errors"][0]["message"]


def test_given_a_consent_to_an_older_text_when_applied_then_422_asks_to_read_it_again(aws: Any) -> None:
    given = {**application()["consents"], "important_matters": "0000000000000000"}
    r = apply(application(consents=given), key="key-consent-stale-0001")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body.consents.important_matters"
    assert "読み込み直し" in r.json["errors"][0]["message"]


def test_given_each_consent_when_stored_then_the_version_agreed_to_is_recorded(aws: Any) -> None:
    aws.intake()
    assert apply(application(), key="key-consent-record-01").status == 201
    consents = aws.intake()[0]["application"]["consents"]
    assert {k: v["version"] for k, v in consents.items()} == application()["consents"]


@pytest.mark.parametrize(
    ("method", "frequency", "ok"),
    [
        ("credit_card", "monthly", True),
        ("credit_card", "annual", True),
        ("convenience_store", "annual", True),
        ("convenience_store", "monthly", False),
        ("carrier_billing", "monthly", True),
        ("carrier_billing", "annual", False),
        ("bank_transfer", "monthly", False),
    ],
)
def test_given_a_payment_choice_when_applied_then_the_seeds_method_and_frequency_rules_decide(
    aws: Any, method: str, frequency: str, ok: bool
) -> None:
    r = apply(application(payment_method=method, payment_frequency=frequency), key=f"key-pay-{method}-{frequency}")
    if ok:
        assert r.status == 201, r.json
        assert r.json["payment_method"] == method and r.json["payment_frequency"] == frequency
    else:
        assert r.status == 422
        assert r.json["errors"][0]["field"] in ("body.payment_method", "body.payment_frequency")


def test_given_spousal_dv_when_applied_then_422_says_why_with_the_clause_and_nothing_is_stored(aws: Any) -> None:
    stored = len(aws.applications())
    r = apply(application(facts={"police_consultations": [], "harm_is_spousal_dv": True}), key="key-dv-000000000001")
    assert r.status == 422
    assert r.json["type"].endswith("/not-eligible")
    assert "DV法" in r.json["reasons"][0]["message"] and r.json["reasons"][0]["clause"]["text"]
    assert len(aws.applications()) == stored


def test_given_a_consultation_within_a_year_when_not_yet_confirmed_then_409_shows_the_condition_then_it_is_taken(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now_is(monkeypatch, datetime(2026, 12, 3, 12, 0, tzinfo=JST))
    facts = {"police_consultations": ["2026-06-01"], "harm_is_spousal_dv": False}
    r = apply(application(facts=facts), key="key-prior-0000000001")
    assert r.status == 409
    assert r.json["type"].endswith("/conditions-not-confirmed")
    prior = next(c for c in r.json["conditions"] if c["code"] == "PRIOR_POLICE_CONSULTATION")
    assert "補償の対象になりません" in prior["message"] and "2026年6月1日" in prior["message"]

    seen = [c["code"] for c in r.json["conditions"]]
    taken = apply(application(facts=facts, acknowledged=seen), key="key-prior-0000000002")
    assert taken.status == 201
    assert any("補償の対象になりません" in c["message"] for c in taken.json["conditions"])


def test_given_a_consultation_dated_after_cover_starts_when_applied_then_422_names_the_answer(aws: Any) -> None:
    facts = {"police_consultations": ["2099-01-01"], "harm_is_spousal_dv": False}
    r = apply(application(facts=facts), key="key-prior-future-0001")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body.facts.police_consultations"


def test_given_an_unanswered_question_when_applied_then_422_names_it(aws: Any) -> None:
    r = apply(application(facts={"police_consultations": []}), key="key-unanswered-000001")
    assert r.status == 422
    assert r.json["errors"][0]["field"].startswith("body.facts.")


def test_given_an_answer_the_online_form_does_not_ask_when_applied_then_422(aws: Any) -> None:
    facts = {"police_consultations": [], "harm_is_spousal_dv": False, "guard_limit_reached": True}
    r = apply(application(facts=facts), key="key-assumed-00000001")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body.facts.guard_limit_reached"


@pytest.mark.parametrize("product_id", ["watashi-no-omamori", "smasapo-club", "home-alsok", "stalker-rider"])
def test_given_a_product_not_sold_online_when_applied_then_422_says_how_to_apply(aws: Any, product_id: str) -> None:
    r = apply(application(product_id=product_id, facts={}), key=f"key-channel-{product_id}")
    assert r.status == 422
    assert r.json["errors"][0]["field"] in ("body.product_id", "body.facts")


# ---- status ------------------------------------------------------------------------------------------------


def test_given_a_wrong_secret_an_unknown_or_malformed_number_when_asked_then_the_same_404(aws: Any) -> None:
    out = apply(application(), key="key-status-000000001").json
    number, secret = out["application_number"], out["access_secret"]
    assert status(number, secret).status == 200
    assert status(number.lower().replace("-", ""), secret.lower()).status == 200  # as a person may type it
    answers = [status(number, "AAAA-AAAA-AAAA-AAAA"), status(number, None),
               status("AM-3333-3333", secret), status("not-a-number", secret)]
    assert {a.status for a in answers} == {404}
    assert len({a.body for a in answers}) == 1
    in_query = call(lambda_handler, "GET", f"/api/v1/applications/{number}?secret={secret}")
    assert in_query.status == 404  # the secret is read from the header only


def test_given_a_wrong_secret_when_asked_then_an_existing_and_an_unknown_number_read_the_same(aws: Any) -> None:
    """A refusal must not tell by its time whether the number exists: both read the secret's hash alone,
    in the same calls, and get back the same few bytes or nothing; only a right secret reads the whole."""
    from dal import clients

    out = apply(application(), key="key-status-shape-0001").json
    number, secret = out["application_number"], out["access_secret"]
    seen: list[tuple[str, dict[str, Any]]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        seen.append((model.name, {k: v for k, v in params.items() if k != "Key"}))

    events = clients.dynamodb_client().meta.events
    events.register("provide-client-params.dynamodb.*", record)
    try:
        def reads(n: str, s: str | None) -> list[tuple[str, dict[str, Any]]]:
            seen.clear()
            assert status(n, s).status in (200, 404)
            return list(seen)

        existing = reads(number, "AAAA-AAAA-AAAA-AAAA")
        unknown = reads("AM-3333-3333", "AAAA-AAAA-AAAA-AAAA")
        malformed = reads("not-a-number", "AAAA-AAAA-AAAA-AAAA")
        right = reads(number, secret)
    finally:
        events.unregister("provide-client-params.dynamodb.*", record)
    assert existing == unknown == malformed
    assert [(op, p.get("ProjectionExpression")) for op, p in existing] == [("GetItem", "secret_hash")]
    assert len(right) == 2 and right[1][1].get("ProjectionExpression") is None  # the whole, only when it is yours


def test_given_an_application_when_taken_then_no_personal_data_reaches_the_logs(
    aws: Any, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.INFO)
    body = application(applicant=applicant(name="記録 されない", email="secret-person@example.jp",
                                           phone="080-9999-0000", address="大阪府大阪市北区9-9-9"))
    out = apply(body, key="key-logs-00000000001").json
    status(out["application_number"], out["access_secret"])
    printed = capsys.readouterr()
    logs = printed.out + printed.err + caplog.text + " ".join(repr(vars(r)) for r in caplog.records)
    assert "application received" in logs
    for personal in ("記録", "secret-person", "9999", "大阪", "1990-04-01", out["access_secret"]):
        assert personal not in logs


# ---- outages: a clear 503, nothing half-written, the retry finishes -------------------------------------


def _closed_port() -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_given_the_store_down_when_applied_then_503_with_retry_after_and_the_retry_stores_one(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from dal import clients

    aws.intake()
    stored = len(aws.applications())
    monkeypatch.setenv("AWS_ENDPOINT_URL", _closed_port())
    clients.reset()
    started = time.monotonic()
    down = apply(application(), key="key-outage-store-0001")
    waited = time.monotonic() - started
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint)
    clients.reset()
    assert down.status == 503
    assert down.headers["Retry-After"] == "5"
    assert down.headers["Content-Type"] == "application/problem+json"
    assert "二重のお申込みにはなりません" in down.json["detail"]
    assert waited < 10  # inside the function's timeout
    assert len(aws.applications()) == stored and aws.intake() == []

    again = apply(application(), key="key-outage-store-0001")
    assert again.status == 201
    assert len(aws.applications()) == stored + 1


def test_given_the_idempotency_table_missing_when_applied_then_503_and_no_application_is_written(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = len(aws.applications())
    monkeypatch.setenv("IDEMPOTENCY_TABLE", "no-such-table")
    r = apply(application(), key="key-outage-idem-00001")
    assert r.status == 503
    assert len(aws.applications()) == stored  # the application and its key record are one write


@pytest.mark.parametrize("broken", ["MAIL_FROM", "INTAKE_QUEUE_URL"])
def test_given_mail_or_queue_failing_after_the_store_when_applied_then_503_and_the_retry_delivers_once(
    aws: Any, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    aws.intake()
    mails = len(aws.mails())
    stored = len(aws.applications())
    bad = {"MAIL_FROM": "no-reply@not-verified.example", "INTAKE_QUEUE_URL": aws.env["INTAKE_QUEUE_URL"] + "-gone"}
    monkeypatch.setenv(broken, bad[broken])
    key = f"key-outage-{broken.lower().replace('_', '-')}"
    failed = apply(application(), key=key)
    assert failed.status == 503 and failed.headers["Retry-After"] == "5"
    assert len(aws.applications()) == stored + 1  # stored whole: the retry finds it
    monkeypatch.setenv(broken, aws.env[broken])

    done = apply(application(), key=key)
    assert done.status == 201 and done.json["email_sent"] is True
    assert len(aws.applications()) == stored + 1
    assert len(aws.intake()) == 1
    assert len(aws.mails()) == mails + 1


def test_given_a_deployment_without_a_domain_of_its_own_when_applied_then_201_queued_and_no_mail_is_tried(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = load_template()
    variables = functions(template)["ApplicationsFunction"]["Environment"]["Variables"]
    no_domain = Resolver(template, parameters={})  # the template's defaults: no domain, so no sender
    assert no_domain.resolve(variables["MAIL_FROM"]) == "" and no_domain.resolve(variables["SITE_URL"]) == ""
    monkeypatch.setenv("MAIL_FROM", "")
    aws.intake()
    mails = len(aws.mails())
    r = apply(application(), key="key-no-domain-000001")
    assert r.status == 201, r.json
    assert r.json["email_sent"] is False
    assert len(aws.intake()) == 1  # the insurer still gets it
    assert len(aws.mails()) == mails
    again = apply(application(), key="key-no-domain-000001")
    assert again.status == 201 and again.json["application_number"] == r.json["application_number"]
    assert len(aws.intake()) == 0 and len(aws.mails()) == mails


def test_given_check_only_when_sent_then_200_shows_the_start_and_conditions_and_nothing_is_stored(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now_is(monkeypatch, datetime(2026, 12, 3, 9, 0, tzinfo=JST))
    stored = len(aws.applications())
    facts = {"police_consultations": ["2026-06-01"], "harm_is_spousal_dv": False}
    r = apply(application(facts=facts, acknowledged=[], check_only=True), key="key-check-only-000001")
    assert r.status == 200, r.json
    assert r.json["coverage_start"] == "2027-01-01T00:00:00+09:00"
    assert "PRIOR_POLICE_CONSULTATION" in [c["code"] for c in r.json["conditions"]]
    assert "application_number" not in r.json
    assert len(aws.applications()) == stored
    bad = apply(application(applicant=applicant(email="x"), check_only=True), key="key-check-only-000002")
    assert bad.status == 422 and bad.json["errors"][0]["field"] == "body.applicant.email"
