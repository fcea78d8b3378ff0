"""Case records: internal numbers are identifiers people type in many ways."""

from __future__ import annotations

import pytest

from archive.cases import CaseError, CaseInput, create_case, find_case
from archive.db import session_scope


def test_internal_numbers_are_unique_whatever_their_case_and_width(runtime):
    with session_scope(runtime.sessions) as s:
        first = create_case(s, CaseInput(name="甲诉乙买卖合同纠纷", internal_no=" FW-2024-101 "))
        assert first.internal_no == "FW-2024-101"
        wide = create_case(s, CaseInput(name="丙诉丁借款纠纷", internal_no="ＦＷ－２０２４－１０２"))
        assert wide.internal_no == "FW-2024-102"
        for typed, message in [
            ("fw-2024-101", "内部编号“fw-2024-101”已被其他案件使用（“FW-2024-101”）"),
            ("FW-2024-101", "内部编号“FW-2024-101”已被其他案件使用"),
            ("ｆｗ-2024-102", "内部编号“fw-2024-102”已被其他案件使用（“FW-2024-102”）"),
        ]:
            with pytest.raises(CaseError) as err:
                create_case(s, CaseInput(name="另一个案件", internal_no=typed))
            assert str(err.value) == message


def test_a_case_is_found_by_its_internal_number_typed_in_any_case(runtime):
    with session_scope(runtime.sessions) as s:
        case_id = create_case(s, CaseInput(name="甲诉乙买卖合同纠纷", internal_no="FW-2024-101")).id
    with runtime.sessions() as s:
        for ref in (
            "FW-2024-101",
            "fw-2024-101",
            " ｆｗ－２０２４－１０１ ",
            str(case_id),
            "甲诉乙买卖合同纠纷",
        ):
            found = find_case(s, ref)
            assert found is not None and found.id == case_id, ref
        assert find_case(s, "FW-2024-10") is None
