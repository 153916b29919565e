"""Every field error says what to type: the limit when there is one, never only what is wrong."""

from __future__ import annotations

import pytest

from api.problems import validation_errors

VAGUE = (
    "短すぎます", "長すぎます", "形式が正しくありません", "小さすぎます", "大きすぎます",
    "整数で指定", "項目が多すぎます",
)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "string_too_long", "ctx": {"max_length": 200}}, "200文字以内で入力してください。"),
        ({"type": "string_too_short", "ctx": {"min_length": 9}}, "9文字以上で入力してください。"),
        ({"type": "string_too_short", "ctx": {"min_length": 1}}, "入力してください。"),
        ({"type": "greater_than_equal", "ctx": {"ge": 0}}, "0以上の数を入力してください。"),
        ({"type": "less_than_equal", "ctx": {"le": 100_000_000}}, "100,000,000以下の数を入力してください。"),
        ({"type": "too_long", "ctx": {"max_length": 60}}, "60件までにしてください。"),
        ({"type": "int_from_float"}, "数字で入力してください（小数点は使えません）。"),
    ],
)
def test_given_a_field_outside_its_limit_then_the_message_says_the_limit(error, message):
    [found] = validation_errors([{"loc": ("body", "applicant", "name"), **error}])
    assert found == {"field": "body.applicant.name", "message": message}


@pytest.mark.parametrize(
    "kind",
    ["string_too_short", "string_too_long", "string_pattern_mismatch", "greater_than_equal", "greater_than",
     "less_than_equal", "less_than", "too_long", "too_short", "int_type", "int_parsing", "int_from_float"],
)
def test_given_any_limit_error_even_without_its_limit_then_no_vague_word(kind):
    [found] = validation_errors([{"loc": ("body", "x"), "type": kind}])
    assert not any(word in found["message"] for word in VAGUE), found
    assert found["message"].endswith("。")
