"""Court case numbers (案号): every variant people type meets one canonical form."""

from __future__ import annotations

import pytest

from search.casenumber import (
    CaseNumber,
    CaseNumberError,
    extend_to_opening,
    find_case_numbers,
    parse_case_number,
    variant_pattern,
)

CANONICAL = "（2023）京0105民初12345号"


@pytest.mark.parametrize(
    "variant",
    [
        "（2023）京0105民初12345号",
        "(2023)京0105民初12345号",
        "〔2023〕京0105民初12345号",
        "[2023]京0105民初12345号",
        "［2023］京0105民初12345号",
        "【2023】京0105民初12345号",
        "﹝2023﹞京0105民初12345号",
        "2023京0105民初12345号",
        " （2023） 京 0105 民初 12345 号 ",
        "(2023)京0105民初\n12345号",
        "（２０２３）京０１０５民初１２３４５号",
        "（2023）京0105民初12345",
        "〔2023〕京0105民初12345",
        "（2023）京0105民初第12345号",
        "（2023）京0105民初012345号",
        "（2023）京0105民初0012345",
    ],
)
def test_variants_meet_the_canonical_form(variant: str) -> None:
    assert parse_case_number(variant).canonical == CANONICAL


def test_parts_of_a_basic_court_number() -> None:
    assert parse_case_number("(2023)京0105民初012345号") == CaseNumber(
        canonical=CANONICAL,
        year=2023,
        court_code="京0105",
        level="基层",
        specialised_code="",
        type_code="民初",
        sequence=12345,
        suffix="",
        legacy=False,
    )


@pytest.mark.parametrize(
    ("text", "canonical", "court", "level", "specialised", "type_code", "sequence"),
    [
        ("（2017）京04民终367号", "（2017）京04民终367号", "京04", "中", "", "民终", 367),
        ("（2020）京民终1号", "（2020）京民终1号", "京", "高", "", "民终", 1),
        ("(2019)最高法知民终1号", "（2019）最高法知民终1号", "最高法", "最高", "知", "民终", 1),
        ("（2021）最高法民申5678号", "（2021）最高法民申5678号", "最高法", "最高", "", "民申", 5678),
        ("（2022）沪0115执恢3号", "（2022）沪0115执恢3号", "沪0115", "基层", "", "执恢", 3),
        ("（2022）粤03民辖终88号", "（2022）粤03民辖终88号", "粤03", "中", "", "民辖终", 88),
        ("（2020）京73民初100号", "（2020）京73民初100号", "京73", "中", "", "民初", 100),
        ("（2018）兵01刑初2号", "（2018）兵01刑初2号", "兵01", "中", "", "刑初", 2),
        ("（2023）京0105执12号", "（2023）京0105执12号", "京0105", "基层", "", "执", 12),
    ],
)
def test_court_levels_and_codes(
    text: str, canonical: str, court: str, level: str, specialised: str, type_code: str, sequence: int
) -> None:
    number = parse_case_number(text)
    assert (
        number.canonical,
        number.court_code,
        number.level,
        number.specialised_code,
        number.type_code,
        number.sequence,
    ) == (canonical, court, level, specialised, type_code, sequence)


@pytest.mark.parametrize(
    ("text", "canonical", "suffix"),
    [
        ("（2023）京0105民初12345号之一", "（2023）京0105民初12345号之一", "之一"),
        ("(2023)京0105民初12345之二", "（2023）京0105民初12345号之二", "之二"),
        ("（2023）京0105民初12345号 之 十一", "（2023）京0105民初12345号之十一", "之十一"),
    ],
)
def test_suffix_is_kept(text: str, canonical: str, suffix: str) -> None:
    number = parse_case_number(text)
    assert (number.canonical, number.suffix, number.base) == (canonical, suffix, CANONICAL)


@pytest.mark.parametrize(
    ("text", "canonical", "court", "sequence"),
    [
        ("（2015）朝民初字第12345号", "（2015）朝民初字第12345号", "朝民初", 12345),
        ("(2015)朝民初字第12345号", "（2015）朝民初字第12345号", "朝民初", 12345),
        ("〔2015〕京民一终字第000123号", "（2015）京民一终字第000123号", "京民一终", 123),
        ("（２０１４）海 民 初 字 第 ８８ 号", "（2014）海民初字第88号", "海民初", 88),
        ("（2015）朝民初字第12345", "（2015）朝民初字第12345号", "朝民初", 12345),
    ],
)
def test_legacy_numbers_are_kept_and_flagged(text: str, canonical: str, court: str, sequence: int) -> None:
    number = parse_case_number(text)
    assert (number.canonical, number.legacy, number.level, number.court_code, number.sequence) == (
        canonical,
        True,
        None,
        court,
        sequence,
    )


def test_modern_numbers_are_not_legacy() -> None:
    assert parse_case_number(CANONICAL).legacy is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "案号为空"),
        ("   ", "案号为空"),
        ("京0105民初12345号", "缺少 4 位收案年度，应形如（2023）京0105民初12345号"),
        ("2023", "只有收案年度，缺少法院代字、类型代字和案件编号"),
        ("（2023）港01民初1号", "无法识别法院代字，应为省份简称（如“京”）加数字，或“最高法”"),
        (
            "（2023）京105民初1号",
            "法院代字“京105”有误：省份简称后应为 2 位（中级法院）或 4 位（基层法院）数字",
        ),
        ("（2023）京01", "缺少类型代字（如“民初”“民终”“执”）"),
        ("（2023）京0105民初", "缺少案件编号，应以数字加“号”结尾，如 12345号"),
        ("（2023）京0105民初0号", "案件编号不能为 0"),
        ("（2023）京0105民初123456789号", "案件编号“123456789”超过 8 位"),
        ("（1900）京01民初1号", "收案年度“1900”不在 1949–2099 之间"),
        ("（2023）京0105民事初审12号", "类型代字“民事初审”过长（最多 3 个汉字）"),
        ("（2023）京0105民初12a45号", "格式不正确，应形如（2023）京0105民初12345号"),
        ("合同纠纷" * 20, "案号过长"),
    ],
)
def test_malformed_numbers_raise_a_chinese_error(text: str, message: str) -> None:
    with pytest.raises(CaseNumberError) as excinfo:
        parse_case_number(text)
    assert str(excinfo.value) == message


def test_case_number_error_is_a_value_error() -> None:
    assert issubclass(CaseNumberError, ValueError)


def test_find_case_numbers_in_free_text() -> None:
    text = (
        "本院受理原告张三诉被告李四（2023）京0105民初12345号买卖合同纠纷一案，"
        "二审案号(2024)京01民终 678 号；原审〔2015〕朝民初字第00012号。"
        "另见2023京0105民初012345号及（2023）京0105民初12345号之一。"
        "2023年京东公司支付12023京01民初5号"
    )
    assert [n.canonical for n in find_case_numbers(text)] == [
        "（2023）京0105民初12345号",
        "（2024）京01民终678号",
        "（2015）朝民初字第00012号",
        "（2023）京0105民初12345号之一",
    ]


def test_find_case_numbers_returns_nothing_in_plain_text() -> None:
    assert find_case_numbers("2023年5月1日，双方签订买卖合同，金额100000元。") == []


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("见（2023）京0105民初12345号", "（2023）京0105民初12345号"),
        ("见(2023)京0105民初12345号", "（2023）京0105民初12345号"),
        ("见〔2023〕京0105民初12345。", "（2023）京0105民初12345号"),
        ("见（２０２３）京０１０５民初１２３４５号", "（2023）京0105民初12345号"),
        ("见2023京0105民初12345号", "（2023）京0105民初12345号"),
        ("见（2023） 京0105 民初 12345 号", "（2023）京0105民初12345号"),
        ("见（2023）京 0105 民 初 1 2 3 4 5 号", "（2023）京0105民初12345号"),
        ("见( 2 0 2 3 )京0105民初\n12345号", "（2023）京0105民初12345号"),
        ("见（2023）京0105民初第12345号", "（2023）京0105民初12345号"),
        ("见2023京0105民初第12345号之一", "（2023）京0105民初12345号之一"),
        ("见2023最高法知民终1号", "（2023）最高法知民终1号"),
    ],
)
def test_finder_takes_bracketed_numbers_with_spaces_and_bare_numbers_written_solid(
    text: str, canonical: str
) -> None:
    assert [n.canonical for n in find_case_numbers(text)] == [canonical]


@pytest.mark.parametrize(
    "text",
    [
        # Ordinary words after a bare year: not （2023）苏州3号, （2023）新增股东2号 …
        "2023 苏州 3号楼",
        "2023 新增 股东 2名",
        "2023 内容 附件1号",
        "2023 苏州3号楼",
        # A bare year does not take blank space anywhere after it.
        "2023 京0105民初12345号",
        "2023京0105 民初 12345 号",
        "2 0 2 3京0105民初12345号",
        "（2023 京0105民初12345号",
    ],
)
def test_finder_takes_no_blank_space_after_a_bare_year(text: str) -> None:
    assert find_case_numbers(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "（2023） 京0105 民初 12345 号",
        "2023京0105民初12345号",
        "〔2023〕京0105民初12345",
        "（２０２３）京０１０５民初１２３４５号",
    ],
)
def test_strict_spacing_keeps_the_typed_variants(text: str) -> None:
    assert parse_case_number(text, strict_spacing=True).canonical == CANONICAL


@pytest.mark.parametrize("text", ["2023 苏州 3号", "2023 京0105民初12345号", "2023京0105 民初12345号"])
def test_strict_spacing_refuses_blank_space_after_a_bare_year(text: str) -> None:
    assert parse_case_number(text).year == 2023  # a case number when typed in the case form
    with pytest.raises(CaseNumberError) as excinfo:
        parse_case_number(text, strict_spacing=True)
    assert str(excinfo.value) == "案号中有空格时，收案年度须带括号，如（2023） 京0105 民初 12345 号"


@pytest.mark.parametrize(
    ("number", "text", "found"),
    [
        (CANONICAL, "见(2023)京0105民初12345号判决", "(2023)京0105民初12345号"),
        (CANONICAL, "见〔2023〕京0105民初第012345号判决", "〔2023〕京0105民初第012345号"),
        (CANONICAL, "见2023 京0105 民初 12345", "2023 京0105 民初 12345"),
        (CANONICAL, "见(2023)京0105民初12345号之一", "(2023)京0105民初12345号"),
        (CANONICAL, "见(2023)京0105民初123456号", None),
        (CANONICAL, "见(2023)京0105民初1234号", None),
        ("（2023）京0105民初12345号之一", "见(2023)京0105民初12345号之一", "(2023)京0105民初12345号之一"),
        ("（2023）京0105民初12345号之一", "见(2023)京0105民初12345号之二", None),
        ("（2015）朝民初字第00012号", "据〔2015〕朝民初字第00012号", "〔2015〕朝民初字第00012号"),
    ],
)
def test_variant_pattern_finds_the_number_as_written(number: str, text: str, found: str | None) -> None:
    import re

    m = re.search(variant_pattern(parse_case_number(number)), text)
    assert (m.group() if m else None) == found


def test_variant_pattern_without_opening_starts_at_the_year() -> None:
    import re

    text = "见【 2023】京0105民初12345号"
    m = re.search(variant_pattern(parse_case_number(CANONICAL), opening=False), text)
    assert m is not None and m.group() == "2023】京0105民初12345号"
    assert text[extend_to_opening(text, m.start()) : m.end()] == "【 2023】京0105民初12345号"


# -- edges: where the number ends, 年 in the brackets, 之N, legacy 字第 ---------------------


@pytest.mark.parametrize(
    "text",
    [
        "本院审理的（2023）京0105民初12345-1号一案",  # a sub-number
        "本院审理的（2023）京0105民初12345－1号一案",
        "本院审理的（2023）京0105民初12345.5号一案",  # a decimal
        "本院审理的（2023）京0105民初12345.6一案",
        "本院审理的（2023）京0105民初12345/6号一案",  # a fraction
        "本院审理的（2023）京0105民初12345，6号一案",  # a list written short: 12345 and 12346?
        "本院审理的（2023）京0105民初12345、6号一案",
        "本院审理的2023京0105民初12345 6号一案",  # letter-spaced 123456
        "本院审理的2023京0105民初12345-1号一案",
    ],
)
def test_a_digit_run_that_goes_on_after_a_separator_is_not_the_number(text: str) -> None:
    assert [n.canonical for n in find_case_numbers(text)] == []


def test_letter_spaced_digits_are_one_number() -> None:
    text = "本院审理的（2023）京0105民初 12345 6号一案"
    assert [n.canonical for n in find_case_numbers(text)] == ["（2023）京0105民初123456号"]


@pytest.mark.parametrize(
    "text",
    [
        "见（2023）京0105民初12345、12346号",  # a list of full numbers
        "见（2023）京0105民初12345-12350号",  # a range of full numbers
        "见（2023）京0105民初12345，2024年1月立案",  # the sentence goes on
        "见（2023）京0105民初12345号-1",  # 号 closes the number
        "见（2023）京0105民初12345号、6号",
    ],
)
def test_a_number_followed_by_a_full_number_or_other_text_is_the_number(text: str) -> None:
    assert [n.canonical for n in find_case_numbers(text)][:1] == [CANONICAL]


@pytest.mark.parametrize(
    "text",
    ["（2023年）京0105民初12345号", "(2023年)京0105民初12345", "〔 2023 年 〕京0105民初12345号"],
)
def test_nian_inside_the_brackets(text: str) -> None:
    assert parse_case_number(text).canonical == CANONICAL
    assert parse_case_number(text, strict_spacing=True).canonical == CANONICAL
    assert [n.canonical for n in find_case_numbers("本院审理的" + text + "一案")] == [CANONICAL]


def test_nian_without_brackets_is_not_a_case_number_in_text() -> None:
    assert find_case_numbers("2023年京0105民初12345号") == []


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("本院（2023）京0105民初12345号之一百", "之一百"),
        ("本院（2023）京0105民初12345号 之 一 百", "之一百"),
        ("本院（2023）京0105民初12345号之十一", "之十一"),
        ("本院（2023）京0105民初12345号之一", "之一"),
    ],
)
def test_the_suffix_is_the_whole_chinese_numeral(text: str, suffix: str) -> None:
    [number] = find_case_numbers(text)
    assert (number.canonical, number.base) == (CANONICAL + suffix, CANONICAL)


@pytest.mark.parametrize(
    "text",
    [
        "（2015）朝民初字第12345号",
        "（2015）朝民初字12345号",
        "(2015)朝民初字12345",
        "（2015年）朝民初字 第 12345 号",
    ],
)
def test_legacy_numbers_are_written_with_zi_di(text: str) -> None:
    assert parse_case_number(text).canonical == "（2015）朝民初字第12345号"
    assert [n.canonical for n in find_case_numbers("本院" + text + "。")] == ["（2015）朝民初字第12345号"]


@pytest.mark.parametrize(
    ("number", "text", "found"),
    [
        (CANONICAL, "见(2023)京0105民初12345-1号", None),
        (CANONICAL, "见(2023)京0105民初12345.5号", None),
        (CANONICAL, "见(2023)京0105民初12345/6号", None),
        (CANONICAL, "见(2023)京0105民初12345 6号", None),
        (CANONICAL, "见(2023)京0105民初12345,6号", None),
        (CANONICAL, "见(2023)京0105民初12345、12346号", "(2023)京0105民初12345"),
        (CANONICAL, "见(2023年)京0105民初12345号", "(2023年)京0105民初12345号"),
        (CANONICAL + "之一", "见(2023)京0105民初12345号之一百", None),
        (CANONICAL + "之一", "见(2023)京0105民初12345号之一。", "(2023)京0105民初12345号之一"),
        ("（2015）朝民初字12345号", "据（2015）朝民初字12345号", "（2015）朝民初字12345号"),
        ("（2015）朝民初字12345号", "据（2015）朝民初字第12345号", "（2015）朝民初字第12345号"),
        ("（2015）朝民初字12345号", "据（2015）朝民初字第123456号", None),
    ],
)
def test_variant_pattern_edges(number: str, text: str, found: str | None) -> None:
    import re

    m = re.search(variant_pattern(parse_case_number(number)), text)
    assert (m.group() if m else None) == found
