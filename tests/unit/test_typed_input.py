"""What a person may type, as one pattern each: the code checks with it, the OpenAPI document publishes it,
and what it lets through is stored in one form (katakana, half-width digits, one @).

Hypothesis draws strings from each published pattern, as schemathesis does when it fuzzes the API, and
each must be stored in its one form; strings a pattern refuses are never stored.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import typed_text
from domain.typed_text import (
    APPLICANT_EMAIL_PATTERN,
    APPLICANT_PHONE_PATTERN,
    CONTACT_EMAIL_PATTERN,
    CONTACT_PHONE_PATTERN,
    KANA_PATTERN,
    POLICY_NUMBER_PATTERN,
    POSTAL_CODE_PATTERN,
    TEXT_PATTERN,
    digits_only,
    is_readable,
    katakana,
    matches,
    policy_number,
    to_ascii,
)
from schemas.fields import date_pattern, whole

QUICK = settings(max_examples=300, deadline=None)


def test_given_this_pythons_unicode_tables_then_the_refused_characters_are_exactly_their_controls_and_formats() -> None:
    assert typed_text.class_body(typed_text.refused_ranges()) + typed_text.MARKUP == typed_text._REFUSED


@pytest.mark.parametrize(
    ("text", "readable"),
    [
        ("山田 花子", True),
        ("東京都新宿区西新宿2-8-1 都庁第一本庁舎", True),
        ("\ue63e", True),  # a phone maker's emoji (private use): hides nothing
        ("\U0001fae8", True),  # an emoji newer than some tables: still text
        ("   ", False),
        ("", False),
        ("山田\u202e子花", False),  # right-to-left override
        ("山田\u200b花子", False),  # zero-width space
        ("山田\x00", False),
        ("a\nb", False),
        ("<b>山田</b>", False),
        ("\U000e0041", False),  # a tag character
    ],
)
def test_given_typed_text_then_only_what_hides_nothing_is_readable(text: str, readable: bool) -> None:
    assert is_readable(text) is readable
    assert matches(TEXT_PATTERN, text) is readable


@pytest.mark.parametrize(
    ("pattern", "typed", "stored"),
    [
        (KANA_PATTERN, "やまだ はなこ", "ヤマダ ハナコ"),
        (KANA_PATTERN, "ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダ ハナコ"),
        (KANA_PATTERN, "ｳﾞｨｸﾄﾙ･ﾊﾟｰｸ", "ヴィクトル・パーク"),
        (POSTAL_CODE_PATTERN, "１６０ー００２２", "1600022"),
        (APPLICANT_PHONE_PATTERN, "０９０（１２３４）５６７８", "09012345678"),
        (POLICY_NUMBER_PATTERN, "ａｍ－２０２５ ０４０１", "AM-20250401"),
    ],
)
def test_given_what_people_type_then_it_is_stored_in_one_form(pattern: str, typed: str, stored: str) -> None:
    assert matches(pattern, typed)
    normal = {KANA_PATTERN: katakana, POLICY_NUMBER_PATTERN: policy_number}.get(pattern, digits_only)
    assert normal(typed) == stored


@pytest.mark.parametrize(
    ("pattern", "typed"),
    [
        (KANA_PATTERN, "山田"),
        (KANA_PATTERN, "ﾟ"),  # a half-width mark with nothing to mark
        (KANA_PATTERN, "ｱﾞ"),  # a mark ア does not take
        (POSTAL_CODE_PATTERN, "١٦٠٠٠٢٢"),  # Arabic-Indic digits are digits to Python, not to Japan Post
        (POSTAL_CODE_PATTERN, "①⑥⓪⓪⓪②②"),
        (APPLICANT_PHONE_PATTERN, "90-1234-5678"),
        (APPLICANT_EMAIL_PATTERN, "花子@例え.jp"),
        (CONTACT_EMAIL_PATTERN, "hanako@@example.jp"),
        (CONTACT_EMAIL_PATTERN, "hanako＠ex@mple.jp"),
        (CONTACT_PHONE_PATTERN, "03-1234"),
        (POLICY_NUMBER_PATTERN, "-AM-2025"),
        (POLICY_NUMBER_PATTERN, "AM_2025"),
    ],
)
def test_given_what_is_no_such_value_then_its_pattern_refuses_it(pattern: str, typed: str) -> None:
    assert not matches(pattern, typed)


@QUICK
@given(st.from_regex(KANA_PATTERN, fullmatch=True))
def test_given_any_kana_the_document_allows_then_it_is_stored_as_katakana(typed: str) -> None:
    assert re.fullmatch(r"[ァ-ヶー・ 　]+", katakana(typed)), katakana(typed)


@QUICK
@given(st.from_regex(POSTAL_CODE_PATTERN, fullmatch=True))
def test_given_any_postal_code_the_document_allows_then_seven_digits_are_stored(typed: str) -> None:
    assert re.fullmatch(r"[0-9]{7}", digits_only(typed), flags=re.ASCII)


@QUICK
@given(st.from_regex(APPLICANT_PHONE_PATTERN, fullmatch=True))
def test_given_any_phone_the_document_allows_then_a_japanese_number_is_stored(typed: str) -> None:
    assert re.fullmatch(r"0[0-9]{9,10}", digits_only(typed), flags=re.ASCII)


@QUICK
@given(st.from_regex(POLICY_NUMBER_PATTERN, fullmatch=True))
def test_given_any_policy_number_the_document_allows_then_it_is_stored_as_printed(typed: str) -> None:
    assert re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,39}", policy_number(typed), flags=re.ASCII)


@QUICK
@given(st.from_regex(CONTACT_EMAIL_PATTERN, fullmatch=True))
def test_given_any_contact_email_the_document_allows_then_one_at_sign_is_stored(typed: str) -> None:
    assert to_ascii(typed).count("@") == 1


def test_given_the_years_of_a_date_field_then_its_pattern_admits_exactly_their_calendar_dates() -> None:
    pattern = re.compile(date_pattern(2000, 2098))
    day = date(1999, 1, 1)
    while day <= date(2099, 12, 31):
        assert bool(pattern.match(day.isoformat())) is (2000 <= day.year <= 2098), day
        day += timedelta(days=1)
    for impossible in ("2001-02-29", "2100-02-29", "2000-13-01", "2000-00-10", "2000-04-31", "2000-01-00"):
        assert not pattern.match(impossible)


@pytest.mark.parametrize(("sent", "read"), [(12000, 12000), (12000.0, 12000), (12000.5, 12000.5), (True, True)])
def test_given_a_json_number_then_only_a_whole_one_is_read_as_an_integer(sent: object, read: object) -> None:
    assert whole(sent) == read and type(whole(sent)) is type(read)
