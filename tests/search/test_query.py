"""The query language: AND of terms, quoted phrases, case numbers, exclusion."""

from __future__ import annotations

import pytest

from search.api import QueryError
from search.query import (
    MAX_CLAUSE_UNITS,
    MAX_CLAUSES,
    CaseNumberClause,
    TextClause,
    parse_query,
)


def _shape(query: str) -> list[tuple[str, object, bool]]:
    out: list[tuple[str, object, bool]] = []
    for c in parse_query(query).clauses:
        if isinstance(c, CaseNumberClause):
            out.append(("case", c.number.canonical, c.negated))
        else:
            out.append(("exact" if c.exact else "text", "".join(c.units), c.negated))
    return out


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("合同纠纷", [("text", "合同纠纷", False)]),
        ("合同  纠纷", [("text", "合同", False), ("text", "纠纷", False)]),
        ("合同\u3000纠纷", [("text", "合同", False), ("text", "纠纷", False)]),
        ("合", [("text", "合", False)]),
        ('"合同 纠纷"', [("exact", "合同纠纷", False)]),
        ("“第12条，第3款”", [("exact", "第12_条第3_款", False)]),
        ("「违约金」 张三", [("exact", "违约金", False), ("text", "张三", False)]),
        ('"未闭合 引号', [("exact", "未闭合引号", False)]),
        ("ABC公司", [("text", "abc_公司", False)]),
        ("合同 -解除", [("text", "合同", False), ("text", "解除", True)]),
        ('合同 -"解除 合同"', [("text", "合同", False), ("exact", "解除合同", True)]),
        ("合同 合同", [("text", "合同", False)]),
        ("《民法典》", [("text", "民法典", False)]),
    ],
)
def test_terms_and_phrases(query: str, expected: list[tuple[str, object, bool]]) -> None:
    assert _shape(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "（2023）京0105民初12345号",
        "(2023)京0105民初12345号",
        "〔2023〕京0105民初12345",
        "( 2023 ) 京 0105 民初 12345 号",
        "（２０２３）京０１０５民初１２３４５号",
        "“（2023）京0105民初12345号”",
    ],
)
def test_case_number_variants_become_one_case_number_clause(query: str) -> None:
    assert _shape(query) == [("case", "（2023）京0105民初12345号", False)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("2023 苏州 3号楼", [("text", "2023_", False), ("text", "苏州", False), ("text", "3_号楼", False)]),
        (
            "2023 新增 股东 2名",
            [
                ("text", "2023_", False),
                ("text", "新增", False),
                ("text", "股东", False),
                ("text", "2_名", False),
            ],
        ),
        (
            "2023 内容 附件1号",
            [("text", "2023_", False), ("text", "内容", False), ("text", "附件1_号", False)],
        ),
        ("2023 苏州", [("text", "2023_", False), ("text", "苏州", False)]),
        ('"2023 苏州 3号"', [("exact", "2023_苏州3_号", False)]),
    ],
)
def test_words_after_a_bare_year_are_terms_not_a_case_number(
    query: str, expected: list[tuple[str, object, bool]]
) -> None:
    assert _shape(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "2023京0105民初12345号",
        "（2023） 京0105 民初 12345 号",
        "（2023）京0105民初第12345号",
        "〔2023〕京0105民初12345",
        "(2023)京0105民初12345号",
        "（２０２３）京０１０５民初１２３４５号",
    ],
)
def test_case_number_variants_among_other_terms(query: str) -> None:
    assert _shape(f"判决书 {query} 违约金") == [
        ("text", "判决书", False),
        ("case", "（2023）京0105民初12345号", False),
        ("text", "违约金", False),
    ]


def test_case_number_next_to_other_terms() -> None:
    assert _shape("判决书 (2023)京0105民初12345号 -裁定") == [
        ("text", "判决书", False),
        ("case", "（2023）京0105民初12345号", False),
        ("text", "裁定", True),
    ]


def test_case_number_fallback_phrase_ends_with_hao_and_a_suffix_has_none() -> None:
    plain = parse_query("（2023）京0105民初12345").clauses[0]
    suffixed = parse_query("（2023）京0105民初12345号之一").clauses[0]
    assert isinstance(plain, CaseNumberClause) and isinstance(suffixed, CaseNumberClause)
    # 号 closes the digit run: the phrase cannot match 12345-1号, 12345 6号, 12345，6号 …
    assert plain.fallback_units == ("2023_", "京", "0105_", "民", "初", "12345_", "号")
    # 号之一 would match 号之一百: a suffixed number is matched by its term only.
    assert suffixed.fallback_units is None
    assert suffixed.units == ("2023_", "京", "0105_", "民", "初", "12345_", "号", "之", "一")


def test_a_number_without_year_is_a_text_phrase() -> None:
    assert _shape("京0105民初12345号") == [("text", "京0105_民初12345_号", False)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "请输入检索词（汉字、字母或数字）"),
        ("   ", "请输入检索词（汉字、字母或数字）"),
        ("，。！？", "请输入检索词（汉字、字母或数字）"),
        ('""', "请输入检索词（汉字、字母或数字）"),
        ("-合同", "请至少输入一个不带“-”的检索词"),
    ],
)
def test_nothing_to_search_is_a_query_error(query: str, message: str) -> None:
    with pytest.raises(QueryError) as excinfo:
        parse_query(query)
    assert str(excinfo.value) == message


def test_long_queries_are_truncated() -> None:
    many = " ".join(f"词{chr(0x4E00 + i)}" for i in range(40))
    parsed = parse_query(many)
    assert parsed.truncated is True
    assert len(parsed.clauses) == MAX_CLAUSES

    long_phrase = parse_query("合" * 150)
    assert long_phrase.truncated is True
    assert long_phrase.clauses[0].units == ("合",) * MAX_CLAUSE_UNITS


def test_truncation_notes_say_what_was_left_out() -> None:
    terms = "甲一 乙二 丙三 丁四 戊五 己六 庚七 辛八 壬九 癸十 子一 丑二 寅三 -卯四"
    assert parse_query(terms).notes == ("检索条件过多：只使用了前 12 个，未使用 “寅三”、“-卯四”。",)
    many = " ".join(f"词{chr(0x4E00 + i)}" for i in range(40))
    assert parse_query(many).notes == (
        "检索条件过多：只使用了前 12 个，未使用 “词丌”、“词不”、“词与”、“词丏”、“词丐” 等 28 个。",
    )
    phrase = (
        '"本合同自双方签字盖章之日起生效，任何一方不得擅自变更或者解除合同，'
        '否则应当向守约方支付违约金人民币伍万元整并赔偿全部损失"'
    )
    assert parse_query(phrase).notes == (
        "引号内的短语过长：只使用了前 48 个字（到“…付违约金人民币伍”为止），其后的字未参与检索。",
    )
    assert parse_query("合" * 150).notes == (
        "检索词过长：只使用了前 48 个字（到“…合合合合合合合合”为止），其后的字未参与检索。",
    )
    assert parse_query("合同 " * 100_000).notes == (
        "查询过长：只使用了前 200 个字符，其后的内容未参与检索。",
    )


def test_short_query_is_not_truncated() -> None:
    assert parse_query("合同 纠纷").truncated is False
    assert parse_query("合同 纠纷").notes == ()


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("合同", [(0, "合同")]),
        ("合同纠", [(0, "合同"), (1, "同纠")]),
        ("合同纠纷", [(0, "合同"), (2, "纠纷")]),
        ("合同纠纷案", [(0, "合同"), (2, "纠纷"), (3, "纷案")]),
    ],
)
def test_gram_plan_pins_every_unit_with_fewest_bigrams(text: str, plan: list[tuple[int, str]]) -> None:
    assert TextClause(tuple(text), text).gram_plan() == plan


def test_huge_input_is_cut_at_a_space() -> None:
    parsed = parse_query("合同 " * 100_000)
    assert parsed.truncated is True
    assert [c.units for c in parsed.clauses] == [("合", "同")]
