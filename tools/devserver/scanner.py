"""What GuardDuty Malware Protection for S3 does to an uploaded object, on loopback: scan it and tag it with
GuardDutyMalwareScanStatus. moto has no GuardDuty; as the local authorizer stands in for Cognito's, this
stands in for the scan, so the validator's rule (a document counts only with NO_THREATS_FOUND) is exercised
locally. Its "engine" knows one signature, the EICAR anti-virus test file, which any scanner reports.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from validator.checks import NO_THREATS_FOUND, SCAN_TAG, THREATS_FOUND

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def scan_object(s3: Any, bucket: str, key: str, version_id: str | None, prefixes: tuple[str, ...]) -> str | None:
    """Scan one object under the plan's prefixes and tag it with the result; None for one outside them."""
    if not key.startswith(prefixes):
        return None
    pinned = {"VersionId": version_id} if version_id else {}
    try:
        body = s3.get_object(Bucket=bucket, Key=key, **pinned)["Body"].read()
    except s3.exceptions.ClientError:
        return None  # gone already (judged and removed by an earlier delivery)
    status = THREATS_FOUND if EICAR in body else NO_THREATS_FOUND
    s3.put_object_tagging(Bucket=bucket, Key=key, **pinned, Tagging={"TagSet": [{"Key": SCAN_TAG, "Value": status}]})
    return status


def scan_notified(s3: Any, message_bodies: list[str], prefixes: tuple[str, ...]) -> None:
    """Scan every object the S3 notifications in these SQS message bodies announce. moto's notifications
    name no version (S3's do): then every version of the key is scanned, as GuardDuty scans each upload."""
    for body in message_bodies:
        for record in json.loads(body).get("Records", []):
            if not str(record.get("eventName", "")).startswith("ObjectCreated"):
                continue
            bucket, obj = record["s3"]["bucket"]["name"], record["s3"]["object"]
            key = unquote_plus(obj["key"])
            versions = [obj["versionId"]] if obj.get("versionId") else [
                v["VersionId"] for v in s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])
                if v["Key"] == key
            ]
            for version_id in versions or [None]:
                scan_object(s3, bucket, key, None if version_id == "null" else version_id, prefixes)


def plan_prefixes(template: dict[str, Any]) -> tuple[str, ...]:
    """The object prefixes the template's malware protection plans scan."""
    out: list[str] = []
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::GuardDuty::MalwareProtectionPlan":
            out += resource["Properties"]["ProtectedResource"]["S3Bucket"].get("ObjectPrefixes", [""])
    return tuple(out)
