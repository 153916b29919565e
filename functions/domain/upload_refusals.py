"""Why an uploaded claim document was refused: a stable code and the reason the claimant reads.

The upload validator decides; the claims API shows the reason beside the document. Both read it here,
so the claims function does not ship the validator.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "unexpected-key": "請求の書類として予定されていないファイルです。",
    "empty": "ファイルが空です。",
    "too-large": "ファイルが大きすぎます。",
    "type-mismatch": "申告したファイルの種類と、送られたファイルの種類が違います。",
    "content-mismatch": "ファイルの中身が申告した種類（PDF・JPEG・PNG・HEIC）ではありません。",
    "damaged": "ファイルが壊れているか、途中までしか届いていません。元のファイルをもう一度お送りください。",
    "active-content": (
        "ファイルにプログラム（スクリプトなど）や別のファイルが埋め込まれているため、お受けできません。"
        "書類を写真に撮るか、印刷用のPDFとして保存し直してお送りください。"
    ),
    "encrypted": "パスワードのかかったPDFは開けません。パスワードを外して保存し直したファイルをお送りください。",
    "malware": (
        "ファイルからウイルスなどの有害なプログラムが見つかったため、お受けできません。"
        "お使いの端末を確かめたうえで、書類を写真に撮り直してお送りください。"
    ),
    "not-scanned": "ファイルの安全を確かめられなかったため、お受けできません。もう一度お送りください。",
}
