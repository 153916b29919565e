"""Put the built site in the site bucket and clear CloudFront's copies of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devserver.server import site_content_type

ASSETS = "assets/"


@dataclass(frozen=True)
class Uploaded:
    files: int
    size: int
    removed: list[str]


def upload_site(s3: Any, bucket: str, site_dir: Path) -> Uploaded:
    """Every file of site_dir under its path, assets first (a page put before the assets it names would point
    at files not there yet); then the pages no longer built are removed. Old assets stay: a page that a
    browser or the edge still holds names them by their fingerprinted names."""
    files = {p.relative_to(site_dir).as_posix(): p for p in sorted(site_dir.rglob("*")) if p.is_file()}
    if "index.html" not in files:
        raise FileNotFoundError(f"{site_dir} holds no built site (no index.html)")
    size = 0
    for key in sorted(files, key=lambda k: (not k.startswith(ASSETS), k)):
        body = files[key].read_bytes()
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=site_content_type(key))
        size += len(body)
    stale = [
        obj["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for obj in page.get("Contents", [])
        if obj["Key"] not in files and not obj["Key"].startswith(ASSETS)
    ]
    for start in range(0, len(stale), 1000):  # DeleteObjects takes up to 1,000 keys
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start:start + 1000]],
                                                 "Quiet": True})
    return Uploaded(len(files), size, stale)


def invalidate(cloudfront: Any, distribution_id: str, reference: str) -> str:
    """Ask CloudFront to drop every cached file (pages are otherwise kept up to five minutes); the request id."""
    made = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": reference},
    )
    return str(made["Invalidation"]["Id"])
