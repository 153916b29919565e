"""What a person may type, as one pattern each: the code checks with it, the OpenAPI document publishes it,
and what it lets through is stored in one form (katakana, half-width digits, one @).

Hypothesis draws strings from each published pattern, as schemathesis does when it fuzzes the API, and
each must be stored in its one form; strings a pattern refuses are never stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


# Each published pattern, what stores a value it allows, and the one form stored.
STORED_FORMS = [
    pytest.param(KANA_PATTERN, katakana, r"[ァ-ヶー・ 　]+", id="kana-as-katakana"),
    pytest.param(POSTAL_CODE_PATTERN, digits_only, r"[0-9]{7}", id="postal-code-as-seven-digits"),
    pytest.param(APPLICANT_PHONE_PATTERN, digits_only, r"0[0-9]{9,10}", id="phone-as-a-japanese-number"),
    pytest.param(POLICY_NUMBER_PATTERN, policy_number, r"[A-Z0-9][A-Z0-9-]{0,39}", id="policy-number-as-printed"),
    pytest.param(CONTACT_EMAIL_PATTERN, to_ascii, r"[^@]+@[^@]+", id="contact-email-with-one-at-sign"),
]


@pytest.mark.parametrize(("pattern", "store", "stored"), STORED_FORMS)
@QUICK
@given(data=st.data())
def test_given_any_value_the_document_allows_then_it_is_stored_in_its_one_form(
    pattern: str, store: Callable[[str], str], stored: str, data: st.DataObject
) -> None:
    typed = data.draw(st.from_regex(pattern, fullmatch=True))
    assert re.fullmatch(stored, store(typed), flags=re.ASCII | re.DOTALL), (typed, store(typed))


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
