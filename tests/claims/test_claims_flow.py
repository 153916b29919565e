"""A claim end to end on moto's server: filed through the handler, documents posted to S3 with the
presigned forms over HTTP, the bucket's notifications fed from SQS to the validator, status read back."""

from __future__ import annotations

import json
import logging
import time

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from dal import claims as repo
from domain.upload_refusals import REASONS
from helpers.claims import (
    FILE_NAMES,
    HTML,
    JPEG,
    PDF,
    PERSONAL,
    PNG,
    fresh_policy,
    get_status,
    lodging_claim,
    new_form,
    post_claim,
    upload,
)
from validator.handler import lambda_handler as validate


def run_validator(aws, records=None):
    records = aws.drain_queue() if records is None else records
    result = validate({"Records": records}, None)
    assert result == {"batchItemFailures": []}
    return records


def all_logs(capsys, caplog):
    """Everything logged: printed lines, and every log record with its structured fields."""
    out = capsys.readouterr()
    fields = " ".join(repr(vars(r)) for r in caplog.records)
    return out.out + out.err + caplog.text + fields


def claim_with_uploads(aws):
    """A filed claim with a PDF posted to every document form, and the notifications not yet judged."""
    claim = post_claim(lodging_claim()).json
    for doc in claim["documents"]:
        upload(doc["upload"], PDF)
    return claim, aws.drain_queue()


def item_of(aws, claim_id):
    return aws.client("dynamodb").get_item(
        TableName=aws.claims_table, Key={"claim_id": {"S": claim_id}}, ConsistentRead=True
    )["Item"]


def test_given_a_claim_when_every_document_is_uploaded_and_validated_then_status_shows_them_received(
    aws, capsys, caplog
):
    caplog.set_level(logging.INFO)  # the level the functions run at (botocore DEBUG would print request bodies)
    # Given a filed claim with two documents, the first on its policy
    filed = post_claim(lodging_claim(policy_number=fresh_policy()))
    assert filed.status == 201, filed.body
    claim = filed.json
    assert claim["estimate"]["amount"] == 140_000 and claim["payable"] is True
    assert [d["state"] for d in claim["documents"]] == ["awaiting_upload", "awaiting_upload"]

    # When each document is posted to S3 with its form over HTTP and the validator reads the queue
    for doc in claim["documents"]:
        sent = upload(doc["upload"], PDF, file_name="ignored-by-s3.pdf")
        assert sent.status_code in (200, 201, 204), sent.text
    records = run_validator(aws)
    assert len(records) == 2

    # Then the status shows every document received and the claim waiting for review
    status = get_status(claim["claim_id"], claim["access_token"])
    assert status.status == 200
    assert [d["state"] for d in status.json["documents"]] == ["received", "received"]
    assert status.json["status"] == "documents_received"
    assert [h["status"] for h in status.json["history"]] == ["awaiting_documents", "documents_received"]
    # the accepted copies sit under the claim's own accepted prefix, named by slot, encrypted with the
    # data key; no version of either upload is left where the forms post
    keys = aws.objects(f"accepted/{claim['claim_id']}/")
    assert keys == [f"accepted/{claim['claim_id']}/police_warning-1", f"accepted/{claim['claim_id']}/receipt-1"]
    head = aws.client("s3").head_object(Bucket=aws.bucket, Key=keys[0])
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == aws.data_key_arn
    assert aws.versions(f"claims/{claim['claim_id']}/") == []

    # And no log line holds the claimant's name, contact, policy number or file names
    logs = all_logs(capsys, caplog)
    assert "claim filed" in logs and "document judged" in logs  # the logs were captured
    for secret in (*PERSONAL, claim["access_token"]):
        assert secret not in logs


def test_given_a_pdf_that_is_really_html_when_validated_then_rejected_quarantined_and_reuploadable(aws):
    claim = post_claim(lodging_claim()).json
    warning, receipt = claim["documents"]
    # Given an HTML page sent as the PDF it claims to be
    upload(warning["upload"], HTML, file_name="warning.pdf")
    upload(receipt["upload"], PDF)
    run_validator(aws)

    # Then it is rejected with the reason, moved out of the claim's prefix into quarantine
    status = get_status(claim["claim_id"], claim["access_token"]).json
    doc = status["documents"][0]
    assert (doc["state"], doc["reason_code"]) == ("rejected", "content-mismatch")
    assert "PDF" in doc["reason"]
    key = f"claims/{claim['claim_id']}/{warning['doc_id']}"
    assert key not in aws.objects("claims/")
    assert f"quarantine/{key}" in aws.objects("quarantine/")
    assert status["status"] == "awaiting_documents"

    # When the claimant asks for a fresh form for that slot and sends the real PDF
    fresh = new_form(
        claim["claim_id"],
        claim["access_token"],
        {"doc_id": warning["doc_id"], "file_name": "warning.pdf", "content_type": "application/pdf", "size": len(PDF)},
    )
    assert fresh.status == 200, fresh.body
    assert fresh.json["state"] == "awaiting_upload" and fresh.json["reason_code"] is None
    upload(fresh.json["upload"], PDF)
    run_validator(aws)

    # Then it is received and the claim is complete
    status = get_status(claim["claim_id"], claim["access_token"]).json
    assert [d["state"] for d in status["documents"]] == ["received", "received"]
    assert status["status"] == "documents_received"


def test_given_a_received_document_when_a_fresh_form_is_asked_then_409_and_the_slot_stays_received(aws):
    claim = post_claim(lodging_claim()).json
    for doc in claim["documents"]:
        upload(doc["upload"], PDF)
    run_validator(aws)
    again = new_form(
        claim["claim_id"],
        claim["access_token"],
        {"doc_id": "receipt-1", "file_name": "r.pdf", "content_type": "application/pdf", "size": 10},
    )
    assert again.status == 409 and again.json["errors"][0]["field"] == "body.doc_id"


def test_given_an_extra_receipt_when_a_form_for_the_kind_is_asked_then_a_new_slot_is_added(aws):
    claim = post_claim(lodging_claim()).json
    extra = new_form(
        claim["claim_id"],
        claim["access_token"],
        {"kind": "receipt", "file_name": "second.png", "content_type": "image/png", "size": len(PNG)},
    )
    assert extra.status == 200, extra.body
    assert extra.json["doc_id"] == "receipt-2" and extra.json["required"] is False
    upload(extra.json["upload"], PNG)
    run_validator(aws)
    docs = {d["doc_id"]: d for d in get_status(claim["claim_id"], claim["access_token"]).json["documents"]}
    assert docs["receipt-2"]["state"] == "received"


def test_given_a_photo_carrying_markup_in_its_metadata_then_it_is_received_and_the_kept_copy_has_none(aws):
    from helpers.documents import png_with_text_chunk

    hostile = png_with_text_chunk(b"<img src=x onerror=alert(1)>")
    claim = post_claim(lodging_claim()).json
    extra = new_form(claim["claim_id"], claim["access_token"],
                     {"kind": "receipt", "file_name": "photo.png", "content_type": "image/png", "size": len(hostile)})
    upload(extra.json["upload"], hostile)
    run_validator(aws)
    docs = {d["doc_id"]: d for d in get_status(claim["claim_id"], claim["access_token"]).json["documents"]}
    assert docs["receipt-2"]["state"] == "received"
    key = f"accepted/{claim['claim_id']}/receipt-2"
    kept = aws.client("s3").get_object(Bucket=aws.bucket, Key=key)
    body = kept["Body"].read()
    assert b"onerror" not in body and b"tEXt" not in body and body.startswith(b"\x89PNG")
    assert kept["ContentType"] == "image/png" and kept["ServerSideEncryption"] == "aws:kms"
    assert kept["SSEKMSKeyId"] == aws.data_key_arn or aws.data_key_arn in kept["SSEKMSKeyId"]


def _scan_result(aws, key: str, status: str = "NO_THREATS_FOUND") -> dict:
    """GuardDuty's scan result for an upload, as EventBridge puts it on the validator's queue."""
    version = aws.versions(key)[-1][1]
    event = {"version": "0", "source": "aws.guardduty",
             "detail-type": "GuardDuty Malware Protection Object Scan Result",
             "detail": {"scanStatus": "COMPLETED", "resourceType": "S3_OBJECT",
                        "s3ObjectDetails": {"bucketName": aws.bucket, "objectKey": key, "versionId": version},
                        "scanResultDetails": {"scanResultStatus": status}}}
    return {"messageId": f"scan-{version}", "receiptHandle": "r", "body": json.dumps(event), "attributes": {},
            "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:ap-northeast-1:123456789012:UploadQueue", "awsRegion": "ap-northeast-1"}


def test_given_an_upload_not_yet_scanned_then_it_waits_and_is_judged_when_the_scans_result_comes(aws):
    from devserver.scanner import scan_notified

    claim = post_claim(lodging_claim()).json
    warning = claim["documents"][0]
    upload(warning["upload"], PDF)
    records = aws.drain_queue(scan=False)
    # the S3 notification before the scan: nothing judged, nothing failed (no alarm for a scan's usual delay)
    run_validator(aws, records)
    slot = item_of(aws, claim["claim_id"])["documents"]["M"][warning["doc_id"]]["M"]
    assert slot["state"]["S"] == "awaiting_upload" and aws.objects(f"accepted/{claim['claim_id']}/") == []
    key = f"claims/{claim['claim_id']}/{warning['doc_id']}"
    # the scan's result before its tag can be read: handed back to the queue
    early = _scan_result(aws, key)
    handed_back = validate({"Records": [early, *records]}, None)
    assert handed_back == {"batchItemFailures": [{"itemIdentifier": early["messageId"]}]}
    # tagged, and the result comes again: judged
    scan_notified(aws.client("s3"), [r["body"] for r in records], ("claims/",))
    run_validator(aws, [early])
    slot = item_of(aws, claim["claim_id"])["documents"]["M"][warning["doc_id"]]["M"]
    assert slot["state"]["S"] == "received"


@pytest.mark.parametrize(("status", "code"), [("THREATS_FOUND", "malware"), ("UNSUPPORTED", "not-scanned"),
                                              ("FAILED", "not-scanned"), ("ACCESS_DENIED", "not-scanned")])
def test_given_a_scan_that_did_not_find_the_upload_clean_then_it_is_refused_unread_and_quarantined(
    aws, status, code
):
    claim = post_claim(lodging_claim()).json
    warning = claim["documents"][0]
    upload(warning["upload"], PDF)
    records = aws.drain_queue(scan=False)
    key = f"claims/{claim['claim_id']}/{warning['doc_id']}"
    aws.client("s3").put_object_tagging(Bucket=aws.bucket, Key=key, Tagging={
        "TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": status}]})
    run_validator(aws, records)
    docs = {d["doc_id"]: d for d in get_status(claim["claim_id"], claim["access_token"]).json["documents"]}
    assert docs[warning["doc_id"]]["state"] == "rejected"
    assert docs[warning["doc_id"]]["reason"] == REASONS[code]
    assert aws.objects(f"quarantine/claims/{claim['claim_id']}/") and not aws.objects(f"accepted/{claim['claim_id']}/")


def test_given_the_eicar_test_file_then_the_local_scan_finds_it_and_the_claimant_is_told(aws):
    from devserver.scanner import EICAR

    claim = post_claim(lodging_claim()).json
    warning = claim["documents"][0]
    upload(warning["upload"], PDF[:-6] + EICAR + PDF[-6:])
    run_validator(aws)
    docs = {d["doc_id"]: d for d in get_status(claim["claim_id"], claim["access_token"]).json["documents"]}
    assert docs[warning["doc_id"]]["state"] == "rejected" and docs[warning["doc_id"]]["reason"] == REASONS["malware"]


def test_given_the_same_notification_twice_when_validated_then_the_second_changes_nothing(aws):
    claim = post_claim(lodging_claim()).json
    warning, receipt = claim["documents"]
    upload(warning["upload"], PDF)
    upload(receipt["upload"], HTML)
    records = run_validator(aws)
    before = item_of(aws, claim["claim_id"])
    objects_before = aws.objects()

    # When the same messages are delivered again (SQS delivers at least once)
    run_validator(aws, records)

    # Then neither the claim nor the bucket changes
    assert item_of(aws, claim["claim_id"]) == before
    assert aws.objects() == objects_before
    assert before["documents"]["M"]["police_warning-1"]["M"]["verdicts"]["N"] == "1"


@pytest.mark.parametrize(
    ("declared", "sent_type", "content", "reason"),
    [
        ("application/pdf", "image/png", PNG, "type-mismatch"),  # the form's type changed by the client
        ("image/png", "image/png", JPEG, "content-mismatch"),  # a JPEG sent as PNG
        ("image/jpeg", "image/jpeg", b"", "empty"),
    ],
)
def test_given_an_upload_the_policy_forbids_when_moto_lets_it_through_then_the_validator_refuses_it(
    aws, declared, sent_type, content, reason
):
    # Given a slot declared as `declared` and an upload that breaks the form's conditions
    # (moto does not enforce POST policies; S3 would refuse these, and the validator refuses them too)
    body = lodging_claim()
    body["documents"][1] = {"kind": "receipt", "file_name": "x", "content_type": declared, "size": 100}
    claim = post_claim(body).json
    receipt = claim["documents"][1]
    fields = {**receipt["upload"]["fields"], "Content-Type": sent_type}
    upload({"url": receipt["upload"]["url"], "fields": fields}, content)
    run_validator(aws)
    doc = get_status(claim["claim_id"], claim["access_token"]).json["documents"][1]
    assert (doc["state"], doc["reason_code"]) == ("rejected", reason)
    assert f"quarantine/claims/{claim['claim_id']}/receipt-1" in aws.objects("quarantine/")


def test_given_an_upload_over_the_catalog_limit_when_validated_then_rejected_as_too_large(aws):
    from catalog import get_catalog

    limit = get_catalog().upload_limit_bytes
    claim = post_claim(lodging_claim()).json
    receipt = claim["documents"][1]
    upload(receipt["upload"], b"%PDF-1.7\n" + b"0" * (limit - 8))  # one byte over
    run_validator(aws)
    doc = get_status(claim["claim_id"], claim["access_token"]).json["documents"][1]
    assert (doc["state"], doc["reason_code"]) == ("rejected", "too-large")


def test_given_an_object_outside_any_slot_when_validated_then_quarantined_and_no_claim_changes(aws):
    claim = post_claim(lodging_claim()).json
    before = item_of(aws, claim["claim_id"])
    s3 = aws.client("s3")
    for key in (f"claims/{claim['claim_id']}/not-a-slot", "claims/unknown-claim-id-000000000000/receipt-1"):
        s3.put_object(Bucket=aws.bucket, Key=key, Body=PDF, ContentType="application/pdf")
    run_validator(aws)
    assert not [k for k in aws.objects("claims/") if "not-a-slot" in k or "unknown-claim" in k]
    assert f"quarantine/claims/{claim['claim_id']}/not-a-slot" in aws.objects("quarantine/")
    assert item_of(aws, claim["claim_id"]) == before


def test_given_a_record_that_fails_when_the_batch_runs_then_only_that_record_is_reported_for_retry(aws, monkeypatch):
    # Given two notifications, and the claims table failing for the second document only
    claim, records = claim_with_uploads(aws)
    real_record = repo.record_verdict

    def failing_for_receipts(table, claim_id, doc_id, **kw):
        if doc_id.startswith("receipt"):
            raise RuntimeError("table unavailable")
        return real_record(table, claim_id, doc_id, **kw)

    monkeypatch.setattr(repo, "record_verdict", failing_for_receipts)
    result = validate({"Records": records}, None)

    # Then the batch reports only the failed message for retry; the other document is judged
    failed = [r["messageId"] for r in records if "receipt" in r["body"]]
    assert result == {"batchItemFailures": [{"itemIdentifier": failed[0]}]}
    docs = get_status(claim["claim_id"], claim["access_token"]).json["documents"]
    assert [d["state"] for d in docs] == ["received", "awaiting_upload"]

    # And when SQS delivers it again with the table back, it is judged
    monkeypatch.setattr(repo, "record_verdict", real_record)
    run_validator(aws, [r for r in records if r["messageId"] in failed])
    docs = get_status(claim["claim_id"], claim["access_token"]).json["documents"]
    assert [d["state"] for d in docs] == ["received", "received"]


def test_given_refusals_and_rejections_when_logged_then_no_personal_data_reaches_any_log_line(aws, capsys, caplog):
    caplog.set_level(logging.INFO)
    # Given a claim refused for bad input, a wrong token, a rejected upload and a fresh form
    bad = post_claim(lodging_claim(coverage_start="2025-02-30"))
    assert bad.status == 422
    claim = post_claim(lodging_claim()).json
    assert get_status(claim["claim_id"], "wrong").status == 404
    upload(claim["documents"][0]["upload"], HTML)
    run_validator(aws)
    fresh = new_form(
        claim["claim_id"],
        claim["access_token"],
        {"doc_id": "police_warning-1", "file_name": FILE_NAMES[0], "content_type": "application/pdf", "size": 9},
    )
    assert fresh.status == 200
    # Then the logs say what happened, by ids and codes only
    logs = all_logs(capsys, caplog)
    assert "content-mismatch" in logs and "upload form issued" in logs
    for secret in (*PERSONAL, claim["access_token"]):
        assert secret not in logs


# --- an accepted document cannot be replaced, and no crash strands a claim ------------------------


def accepted_bytes(aws, claim_id, doc_id):
    got = aws.client("s3").get_object(Bucket=aws.bucket, Key=f"accepted/{claim_id}/{doc_id}")
    return got["Body"].read()


def test_given_an_accepted_document_when_its_still_valid_form_is_posted_again_then_the_accepted_copy_stays(aws):
    # Given a claim whose police warning was accepted
    claim = post_claim(lodging_claim()).json
    warning = claim["documents"][0]
    upload(warning["upload"], PDF)
    run_validator(aws)
    before = item_of(aws, claim["claim_id"])["documents"]["M"][warning["doc_id"]]

    # When the attacker posts an HTML page with script to the same form within its 15 minutes
    sent = upload(warning["upload"], HTML, file_name="warning.pdf")
    assert sent.status_code in (200, 201, 204)
    assert run_validator(aws)  # the bucket announced the new object

    # Then the accepted copy still holds the bytes that were judged, the slot is unchanged,
    # and the new object is out of the claim's prefix, in quarantine
    assert accepted_bytes(aws, claim["claim_id"], warning["doc_id"]) == PDF
    assert item_of(aws, claim["claim_id"])["documents"]["M"][warning["doc_id"]] == before
    key = f"claims/{claim['claim_id']}/{warning['doc_id']}"
    assert aws.versions(key) == []
    quarantined = aws.client("s3").get_object(Bucket=aws.bucket, Key=f"quarantine/{key}")["Body"].read()
    assert quarantined == HTML
    doc = get_status(claim["claim_id"], claim["access_token"]).json["documents"][0]
    assert doc["state"] == "received"


def test_given_two_posts_to_one_form_before_the_validator_runs_then_each_version_is_judged_as_sent(aws):
    # Given a real PDF and then an HTML page posted to the same form, both before the validator runs
    claim = post_claim(lodging_claim()).json
    warning = claim["documents"][0]
    upload(warning["upload"], PDF)
    upload(warning["upload"], HTML)
    records = aws.drain_queue()
    assert len(records) == 2

    # When the notifications are judged, even in the opposite order from the posts
    run_validator(aws, list(reversed(records)))

    # Then the slot holds exactly one judged version, and its accepted copy is that version's bytes
    slot = item_of(aws, claim["claim_id"])["documents"]["M"][warning["doc_id"]]["M"]
    copy = accepted_bytes(aws, claim["claim_id"], warning["doc_id"]) if slot["state"]["S"] == "received" else None
    assert slot["state"]["S"] == "received" and copy == PDF
    assert aws.versions(f"claims/{claim['claim_id']}/") == []


def test_given_a_crash_after_the_verdict_when_redelivered_then_the_claim_is_complete_and_nothing_is_left(
    aws, monkeypatch
):
    from validator import handler

    # Given the validator dying after writing the verdict, before removing the upload
    claim, records = claim_with_uploads(aws)
    real_delete = handler.Upload.delete

    def crash(self):
        raise RuntimeError("killed")

    monkeypatch.setattr(handler.Upload, "delete", crash)
    with pytest.raises(BatchProcessingError):  # every record failed: Lambda hands the batch back to SQS
        validate({"Records": records}, None)

    # Then the claim is already complete: verdict and status were one write
    status = get_status(claim["claim_id"], claim["access_token"]).json
    assert status["status"] == "documents_received"
    assert [h["status"] for h in status["history"]] == ["awaiting_documents", "documents_received"]

    # And when SQS delivers the messages again, the uploads go and nothing else changes
    monkeypatch.setattr(handler.Upload, "delete", real_delete)
    before = item_of(aws, claim["claim_id"])
    run_validator(aws, records)
    assert item_of(aws, claim["claim_id"]) == before
    assert aws.versions(f"claims/{claim['claim_id']}/") == []
    assert len(aws.objects(f"accepted/{claim['claim_id']}/")) == 2


def test_given_a_crash_between_the_copy_and_the_verdict_when_redelivered_then_the_document_is_received(
    aws, monkeypatch
):
    claim, records = claim_with_uploads(aws)
    real_record = repo.record_verdict

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(repo, "record_verdict", crash)
    with pytest.raises(BatchProcessingError):
        validate({"Records": records}, None)
    assert get_status(claim["claim_id"], claim["access_token"]).json["status"] == "awaiting_documents"

    monkeypatch.setattr(repo, "record_verdict", real_record)
    run_validator(aws, records)
    status = get_status(claim["claim_id"], claim["access_token"]).json
    assert status["status"] == "documents_received"
    assert [d["state"] for d in status["documents"]] == ["received", "received"]


def test_given_two_documents_judged_at_once_when_both_read_the_claim_first_then_the_claim_still_completes(
    aws, monkeypatch
):
    from validator import handler

    # Given both documents judged from the same read of the claim: the second write happens while
    # the first validator still holds its stale copy
    claim, records = claim_with_uploads(aws)
    by_doc = {("police_warning" if "police_warning" in r["body"] else "receipt"): r for r in records}
    real_record = repo.record_verdict
    nested = []

    def interleaved(table, claim_item, doc_id, **kw):
        if doc_id.startswith("police_warning") and not nested:
            nested.append(doc_id)
            assert validate({"Records": [by_doc["receipt"]]}, None) == {"batchItemFailures": []}
        return real_record(table, claim_item, doc_id, **kw)

    monkeypatch.setattr(handler.repo, "record_verdict", interleaved)
    assert validate({"Records": [by_doc["police_warning"]]}, None) == {"batchItemFailures": []}

    # Then the stale write was retried on the fresh claim: both received, complete exactly once
    status = get_status(claim["claim_id"], claim["access_token"]).json
    assert [d["state"] for d in status["documents"]] == ["received", "received"]
    assert [h["status"] for h in status["history"]] == ["awaiting_documents", "documents_received"]


def test_given_the_store_unreachable_when_a_document_is_judged_then_it_is_handed_back_and_judged_later(
    aws, store_down
):
    claim, records = claim_with_uploads(aws)
    # When the validator runs while the claims table cannot be reached
    with store_down():
        started = time.monotonic()
        # Then the invocation fails, so the queue hands every message back for a later try (and the
        # function's error count shows the outage), well inside the validator's 30 s timeout
        with pytest.raises(BatchProcessingError, match="All records failed"):
            validate({"Records": records}, None)
        waited = time.monotonic() - started
    assert waited < 30
    status = get_status(claim["claim_id"], claim["access_token"]).json
    assert [d["state"] for d in status["documents"]] == ["awaiting_upload", "awaiting_upload"]
    # And when the queue delivers them again, with the store back, both are received
    run_validator(aws, records)
    status = get_status(claim["claim_id"], claim["access_token"]).json
    assert [d["state"] for d in status["documents"]] == ["received", "received"]
    assert status["status"] == "documents_received"
