"""Normalisation and the unit/bigram tokenizer shared by index, query and snippets."""

from __future__ import annotations

import pytest

from search.analysis import grams, index_fields, normalize_query, normalize_text, phrase_pattern, units


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # width folding
        ("（２０２３）京０１０５民初１２３４５号", "(2023)京0105民初12345号"),
        ("ＡＢＣ公司", "ABC公司"),
        # whitespace between two Han characters disappears: PDF line wraps, ideographic
        # space (U+3000), no-break space, several lines
        ("买卖合同\n纠纷", "买卖合同纠纷"),
        ("买卖合同\r\n纠纷", "买卖合同纠纷"),
        ("买卖\u3000合同", "买卖合同"),
        ("买卖\u00a0合同", "买卖合同"),
        ("买卖 \n \n 合同", "买卖合同"),
        # elsewhere blank space collapses; a line break survives as one "\n"
        ("ABC   Co.,  Ltd", "ABC Co., Ltd"),
        ("判决如下。\n\n\n一、驳回", "判决如下。\n一、驳回"),
        ("金额 \t 100 元", "金额 100 元"),
        # zero-width characters and surrounding blanks vanish
        ("  合\u200b同  ", "合同"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_is_idempotent() -> None:
    raw = "原告：张三\n\n被告：李四\n买卖合同\n纠纷\u3000一案 ABC  Co.\n（２０２３）"
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_normalize_query_keeps_spaces_between_han() -> None:
    assert normalize_query("合同\u3000 纠纷  （２０２３）") == "合同 纠纷 (2023)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("合同纠纷", ["合", "同", "纠", "纷"]),
        # punctuation and spaces are dropped, letters lower-cased, runs marked with "_"
        ("(2023)京0105民初12345号", ["2023_", "京", "0105_", "民", "初", "12345_", "号"]),
        ("ABC Co., Ltd.", ["abc_", "co_", "ltd_"]),
        ("二〇二三年", ["二", "〇", "二", "三", "年"]),
        ("，。！", []),
    ],
)
def test_units(text: str, expected: list[str]) -> None:
    assert units(text) == expected


def test_long_runs_are_cut_every_64_characters() -> None:
    assert units("a" * 130) == ["a" * 64 + "_", "a" * 64 + "_", "aa_"]


def test_grams_are_overlapping_bigrams_of_units() -> None:
    assert grams(units("合同纠纷")) == ["合同", "同纠", "纠纷"]
    assert grams(units("民初12345号")) == ["民初", "初12345_", "12345_号"]
    assert grams(units("合")) == ["合"]


def test_adjacent_digit_runs_make_distinct_bigrams() -> None:
    # "1 2345" and "12 345" must not give the same bigram
    assert grams(units("1 2345")) != grams(units("12 345"))


def test_index_fields() -> None:
    assert index_fields("买卖合同，纠纷") == ("买卖 卖合 合同 同纠 纠纷", "买 卖 合 同 纠 纷")
    assert index_fields("合") == ("合", "合")
    assert index_fields("") == ("", "")


@pytest.mark.parametrize(
    ("query", "text", "found"),
    [
        ("合同纠纷", "买卖合同纠纷一案", "合同纠纷"),
        ("合同纠纷", "买卖合同，纠纷一案", "合同，纠纷"),
        ("100,000元", "人民币 100,000 元整", "100,000 元"),
        ("abc", "ABC公司", "ABC"),
        ("123", "民初12345号", None),  # a digit run matches only as a whole
        ("12345", "民初12345号", "12345"),
    ],
)
def test_phrase_pattern_matches_like_the_index(query: str, text: str, found: str | None) -> None:
    import re

    m = re.search(phrase_pattern(units(query)), text, re.IGNORECASE)
    assert (m.group() if m else None) == found
