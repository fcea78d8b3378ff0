"""Normalisation and the unit/bigram tokenizer shared by index, query and snippets."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import pytest

from search import analysis
from search.analysis import (
    CJK_RADICAL_FOLD,
    MAX_INDEXED_CHARS,
    SAME_LENGTH_FOLD,
    fold_same_length,
    fold_text,
    grams,
    index_fields,
    indexed_part,
    is_han,
    normalize_query,
    normalize_text,
    phrase_pattern,
    units,
)
from search.radical_fold import EQUIVALENT_UNIFIED_IDEOGRAPH


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the characters stay as extracted: no width folding (full-width punctuation,
        # digits and letters are what Chinese readers expect to see)
        ("（２０２３）京０１０５民初１２３４５号", "（２０２３）京０１０５民初１２３４５号"),
        ("案源编号：AY-2020-0103，合同（三）", "案源编号：AY-2020-0103，合同（三）"),
        ("ＡＢＣ公司", "ＡＢＣ公司"),
        # NFC only: a combining accent joins its letter; compatibility ideographs unify
        ("cafe\u0301", "café"),
        ("\uf900", "\u8c48"),
        # horizontal blank space between two Han characters collapses like any other (only
        # the PDF extractor removes it): ideographic space (U+3000), no-break space, tabs
        ("买卖\u3000合同", "买卖 合同"),
        ("买卖\u00a0\u3000合同", "买卖 合同"),
        ("民 事 判 决 书", "民 事 判 决 书"),
        ("证据名称\t证明目的", "证据名称 证明目的"),
        # a line break stays, also between two Han characters (a heading without final
        # punctuation, a paragraph of a DOCX, a line of a text file); blank lines and the
        # blank space around a break collapse into one "\n"
        ("买卖合同\n纠纷", "买卖合同\n纠纷"),
        ("买卖合同\r\n纠纷", "买卖合同\n纠纷"),
        ("买卖合同\r纠纷\u2029争议", "买卖合同\n纠纷\n争议"),
        ("买卖 \n \n 合同", "买卖\n合同"),
        ("案件分析报告\n\n一、案件基本情况", "案件分析报告\n一、案件基本情况"),
        ("判决如下。\n\n\n一、驳回", "判决如下。\n一、驳回"),
        # elsewhere blank space collapses to one space
        ("ABC   Co.,  Ltd", "ABC Co., Ltd"),
        ("金额 \t 100 元", "金额 100 元"),
        # zero-width characters and surrounding blanks vanish
        ("  合\u200b同  ", "合同"),
        ("\n\n合同\n", "合同"),
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_is_idempotent() -> None:
    raw = "原告：张三\n\n被告：李四\n买卖合同\n纠纷\u3000一案 ABC  Co.\n（２０２３）"
    once = normalize_text(raw)
    assert once == "原告：张三\n被告：李四\n买卖合同\n纠纷 一案 ABC Co.\n（２０２３）"
    assert normalize_text(once) == once


def test_normalize_query_keeps_spaces_between_han_and_folds_width() -> None:
    assert normalize_query("合同\u3000 纠纷  （２０２３）ＡＹ") == "合同 纠纷 (2023)AY"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("（２０２３）京０１０５民初１２３４５号", "(2023)京0105民初12345号"),
        ("案源编号：AY-2020-0103，合同（三）", "案源编号:AY-2020-0103,合同(三)"),
        ("ＡＢＣ\u3000公司", "ABC 公司"),
        ("⽣效", "生效"),  # Kangxi radical U+2F63 → 生
        ("第①条㈠", "第1条(一)"),  # NFKC, so not always of the same length
    ],
)
def test_fold_text(raw: str, folded: str) -> None:
    assert fold_text(raw) == folded


# Stored texts with the characters a document may hold; their index tokens must be those
# of their folded form, i.e. exactly what the index held when the stored text was folded.
STORED_TEXTS = [
    "案源编号：AY-2020-0103，合同（三）关于违约金",
    "合同总价款人民币7,282,563.04元，成都博远",
    "（２０２３）京０１０５民初１２３４５号 合同 纠纷\n判决如下：",
    "ＡＢＣ公司 Ｃｏ．，Ｌｔｄ． 第①条 ㈠ ™ ﬁle …… “引号”《民法典》 ⽣效 ⺠事 ⻓期 ⻔店",
    "Σσς ÄÖÜ straße " + "ａ" * 70,
]


@pytest.mark.parametrize("text", STORED_TEXTS)
def test_index_tokens_of_stored_and_folded_text_are_identical(text: str) -> None:
    stored = normalize_text(text)
    assert index_fields(stored) == index_fields(fold_text(stored))
    assert units(stored) == units(fold_text(stored))


def test_index_tokens_of_full_width_text() -> None:
    assert index_fields(normalize_text("案源编号：ＡＹ-２０２０，合同（三）")) == (
        "案源 源编 编号 号ay_ ay_2020_ 2020_合 合同 同三",
        "案 源 编 号 ay_ 2020_ 合 同 三",
    )


def test_same_length_fold_keeps_offsets() -> None:
    text = "案源编号：ＡＹ-２０２０，⽣效\u3000（三）"
    folded = fold_same_length(text)
    assert folded == "案源编号：AY-2020，生效\u3000（三）"
    assert len(folded) == len(text)
    plain = "案源编号：AY-2020-0103，合同（三）"
    assert fold_same_length(plain) is plain  # nothing that changes a match: no copy


def test_same_length_fold_agrees_with_the_index() -> None:
    # Every character it folds, it folds as the index does (one character to one): full-width
    # forms and U+3000 as NFKC does, the 214 Kangxi radicals and the 114 radicals of the
    # supplement that have an equivalent ideograph (all but U+2E80) as CJK_RADICAL_FOLD does.
    assert len(SAME_LENGTH_FOLD) == 94 + 1 + 214 + 114
    for code, folded in SAME_LENGTH_FOLD.items():
        if code in CJK_RADICAL_FOLD:
            assert folded == CJK_RADICAL_FOLD[code]
        else:
            assert unicodedata.normalize("NFKC", chr(code)) == folded
        assert fold_text(chr(code)) == folded


def test_kangxi_radicals_fold_as_nfkc_does() -> None:
    kangxi = [code for code in range(0x2F00, 0x2FE0) if unicodedata.category(chr(code)) != "Cn"]
    assert len(kangxi) == 214
    for code in kangxi:
        assert CJK_RADICAL_FOLD[code] == unicodedata.normalize("NFKC", chr(code))


def test_every_radical_of_the_supplement_with_an_ideograph_is_folded() -> None:
    supplement = [code for code in range(0x2E80, 0x2F00) if unicodedata.category(chr(code)) != "Cn"]
    assert [hex(code) for code in supplement if code not in CJK_RADICAL_FOLD] == ["0x2e80"]
    assert all(is_han(ideograph) for ideograph in CJK_RADICAL_FOLD.values())


@pytest.mark.parametrize(
    ("stored", "folded"),
    [
        ("\u2ed3期", "长期"),  # ⻓ CJK RADICAL C-SIMPLIFIED LONG
        ("\u2ed4店", "门店"),  # ⻔ CJK RADICAL C-SIMPLIFIED GATE
        ("详\u2ec5附件", "详见附件"),  # ⻅ CJK RADICAL C-SIMPLIFIED SEE
        ("\u2ee2某某", "马某某"),  # ⻢ CJK RADICAL C-SIMPLIFIED HORSE
        ("\u2f63效", "生效"),  # ⽣ KANGXI RADICAL LIFE (NFKC's fold)
        ("\u2e9f\u2ef3", "母龟"),  # the two of the supplement that NFKC folds
        ("\u2e80", "\u2e80"),  # CJK RADICAL REPEAT: no equivalent ideograph
    ],
)
def test_radicals_of_the_supplement_fold_to_ideographs(stored: str, folded: str) -> None:
    assert fold_text(stored) == folded
    assert fold_same_length(stored) == folded
    assert units(stored) == units(folded)
    assert index_fields(stored) == index_fields(folded)
    assert normalize_query(stored) == folded


RADICALS_FILE = Path("/usr/share/unicode/EquivalentUnifiedIdeograph.txt")


@pytest.mark.skipif(
    not RADICALS_FILE.exists(),
    reason=f"{RADICALS_FILE} absent (apt-get install unicode-data) to check search/radical_fold.py",
)
def test_radical_fold_table_is_the_unicode_file() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_radical_fold", Path(__file__).parents[2] / "scripts" / "gen_radical_fold.py"
    )
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    _, table = gen.parse(RADICALS_FILE.read_text(encoding="utf-8"))
    assert table == EQUIVALENT_UNIFIED_IDEOGRAPH


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
    assert index_fields("，合。") == ("合", "合")
    assert index_fields("") == ("", "")
    assert index_fields("，。") == ("", "")


def test_a_line_break_does_not_change_the_index_tokens() -> None:
    assert index_fields("案件分析报告\n一、案件基本情况") == index_fields("案件分析报告一、案件基本情况")
    assert index_fields("合同\n纠纷") == ("合同 同纠 纠纷", "合 同 纠 纷")


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_index_fields_in_pieces_gives_the_same_tokens(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    # Pieces are cut only after a character that ends a letter/digit run, and the bigram
    # spanning a cut is kept: the result does not depend on the piece size.
    text = "甲方ABC公司，\n于2023年支付" + "9" * 70 + "元。合" + "、" * 10 + "同Σσ"
    expected = (
        "甲方 方abc_ abc_公 公司 司于 于2023_ 2023_年 年支 支付 付"
        + "9" * 64
        + "_ "
        + "9" * 64
        + "_999999_ 999999_元 元合 合同 同σσ_",
        "甲 方 abc_ 公 司 于 2023_ 年 支 付 " + "9" * 64 + "_ 999999_ 元 合 同 σσ_",
    )
    monkeypatch.setattr(analysis, "INDEX_CHUNK_CHARS", chunk)
    assert index_fields(text) == expected
    assert index_fields("合") == ("合", "合")
    assert index_fields("，" * 10 + "合") == ("合", "合")


def test_index_fields_of_a_long_text_match_units_and_grams(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "原告张三与被告李四（2023）京0105民初12345号买卖合同纠纷一案，ABC Co. 付款100,000元。\n" * 50
    monkeypatch.setattr(analysis, "INDEX_CHUNK_CHARS", 100)
    unit_seq = units(text)
    assert index_fields(text) == (" ".join(grams(unit_seq)), " ".join(unit_seq))
    assert len(unit_seq) == 50 * 31


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("合同纠纷", 10, "合同纠纷"),
        ("合同纠纷", 3, "合同纠"),
        # the cut would split the digit run 12345: it is left out whole
        ("合同12345号", 4, "合同"),
        ("合同12345号", 7, "合同12345"),
        ("合同 ABC", 4, "合同 "),
    ],
)
def test_indexed_part(text: str, limit: int, expected: str) -> None:
    assert indexed_part(text, limit) == expected


def test_indexed_part_keeps_short_texts_as_they_are() -> None:
    text = "合同" * 10
    assert indexed_part(text) is text
    assert MAX_INDEXED_CHARS == 2_000_000


@pytest.mark.parametrize(
    ("query", "text", "found"),
    [
        ("合同纠纷", "买卖合同纠纷一案", "合同纠纷"),
        ("合同纠纷", "买卖合同，纠纷一案", "合同，纠纷"),
        ("ay 2020", "案源编号：AY-2020-0103", "AY-2020"),
        ("12345", fold_same_length("民初１２３４５号"), "12345"),
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
