"""Answers to a benefit's questions under which its claim is paid, for the tests that need a "yes" to
vary one answer from."""

from __future__ import annotations

# and ME: the case was first reported to the police after cover began
NOT_BEFORE_COVER = {"case_reported_before_cover": "none"}
ALSOK_USED = {"vendor_is_alsok": True, **NOT_BEFORE_COVER}
LICENSED_LODGING = {"lodging_is_licensed_in_japan": True, **NOT_BEFORE_COVER}

# スマサポ お見舞金: the answer each question needs for it to be paid (第13条, 第15条)
MIMAI_OK = {
    "moved_via_partner_agent": True,
    "moving_to_family_or_friend_home": False,
    "police_report_filed": True,
    "stalker_warning_or_complaint": True,
    "home_was_locked": True,
    "others_at_home": False,
    "first_damage_this_term": True,
    "burglar_got_in": True,
}

# わたしのお守り 弁護士費用: none of 【全トラブルに共通の事由】⑤⑦⑧⑨⑩ applies
LEGAL_COMMON_OK = {
    "trouble_from_earthquake": False,
    "trouble_over_work_property": False,
    "trouble_over_debt_or_loan": False,
    "trouble_over_insurance_contract": False,
}
