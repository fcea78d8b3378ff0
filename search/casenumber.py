"""Court case numbers (案号): parsing the variants people type into one canonical form.

The format is set by 最高法《关于人民法院案件案号的若干规定》(法〔2015〕137号, in force
2016-01-01, amended 法〔2018〕335号)::

    （2023）京0105民初12345号之一
     year   court  type seq     suffix
            京 = high court, 京01 = intermediate, 京0105 = basic court, 最高法 = Supreme Court;
            an optional specialised-court code (知) stands between the court and the type.

Accepted variants: half-width (), 〔〕, [], 【】 or no brackets; 年 inside the brackets
(（2023年）); spaces anywhere; full-width digits; a missing 号; a stray 第 before the number; a
zero-padded number; 之一/之二 … (the whole Chinese numeral: 之一百 is not 之一).

A number is the whole digit run: in free text ``民初12345-1号``, ``12345.5号``, ``12345/6号``,
``民初12345 6号`` (a PDF's letter-spaced 123456) and the list ``12345，6号`` are not the number
12345 (see ``_not_the_number``).

In free text and queries (``iter_case_numbers``, ``parse_case_number(strict_spacing=True)``)
blank space inside a number is accepted only after a bracketed year: ``（2023） 京0105 民初
12345 号`` is a case number, ``2023 苏州 3号楼`` is three words. Without brackets the number
must be written solid: ``2023京0105民初12345号``.

Pre-2016 numbers such as （2015）朝民初字第12345号 are kept as they are (brackets, width and
spaces folded, 号 ensured, 字第 written in full: people type 朝民初字12345号) and flagged
``legacy``: their court abbreviations are not codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import fold_text

# High-court codes: province abbreviations, plus 内 (Inner Mongolia), 军 (military courts)
# and 兵 (Xinjiang Production and Construction Corps courts).
HIGH_COURT_CODES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云藏陕甘青宁新内军兵"
SUPREME_COURT_CODE = "最高法"
# 专门审判代字 added by 法〔2018〕335号 (知 = the Supreme Court's IP tribunal).
SPECIALISED_CODES = "知"
MAX_TYPE_CHARS = 3
MAX_SEQUENCE_DIGITS = 8  # criminal review numbers are 8 digits
MIN_YEAR = 1949
MAX_YEAR = 2099

_OPEN = "(（〔[［【﹝"
_CLOSE = ")）〕]］】﹞"
_SUFFIX_NUMERALS = "〇零一二三四五六七八九十百千"
_HAN_TYPE_CHAR = "[\u4e00-\u9fff]"

_SPACE_RE = re.compile(r"\s+")

_MODERN_RE = re.compile(
    rf"""
    [{re.escape(_OPEN)}]? (?P<year>\d{{4}}) (?:年?[{re.escape(_CLOSE)}])?
    (?P<court>{SUPREME_COURT_CODE}|[{HIGH_COURT_CODES}](?P<digits>\d*))
    (?P<type>(?:(?!第|号|字){_HAN_TYPE_CHAR})+)
    第?
    (?P<seq>\d+)
    号?
    (?P<suffix>之[{_SUFFIX_NUMERALS}]+)?
    """,
    re.VERBOSE,
)

_LEGACY_RE = re.compile(
    rf"""
    [{re.escape(_OPEN)}]? (?P<year>\d{{4}}) (?:年?[{re.escape(_CLOSE)}])?
    (?P<body>(?:(?!字|号)[\u4e00-\u9fff\d×xX·]){{1,12}})
    字 第? (?P<seq>\d+) 号?
    (?P<suffix>之[{_SUFFIX_NUMERALS}]+)?
    """,
    re.VERBOSE,
)

# In free text and queries: the same shapes. Blank space (a line break, the letter-spacing of
# a PDF, spaces typed between the parts) is allowed between the parts only after a BRACKETED
# year: ``（2023） 京0105 民初 12345 号``. A bare year must be followed at once by the court code
# and the number written without blank space (``2023京0105民初12345号``), so that a query of
# ordinary words such as ``2023 苏州 3号楼`` stays an AND of its terms. The pattern starts at
# the year's first digit (fast to scan for); an opening bracket before it is picked up
# afterwards. The legacy form is only recognised after a bracketed year.
_S = r"\s*"


def _numeral(gap: str) -> str:
    """A whole Chinese numeral (一, 十一, 一百 …) with ``gap`` before each character."""
    return rf"(?:{gap}[{_SUFFIX_NUMERALS}])+"


def _modern_body(gap: str) -> str:
    """Court code, type code, 第, number and 号, with ``gap`` allowed between characters."""
    return rf"""
        (?:{SUPREME_COURT_CODE}|[{HIGH_COURT_CODES}](?:{gap}\d)*){gap}
        (?:(?!第|号|字){_HAN_TYPE_CHAR}{gap}){{1,4}}
        (?:第{gap})?
        \d(?:{gap}\d)*(?!{gap}\d)
        (?:{gap}号)?
        (?:{gap}之{_numeral(gap)})?
    """


_FIND_RE = re.compile(
    rf"""
    (?:
        \d{_S}\d{_S}\d{_S}\d{_S}(?:年{_S})?[{re.escape(_CLOSE)}]{_S}
        (?:
            {_modern_body(_S)}
          |
            (?:(?!字|号)[\u4e00-\u9fff\d×xX·]{_S}){{1,12}}
            字{_S}(?:第{_S})?\d(?:{_S}\d)*(?!{_S}\d)(?:{_S}号)?
            (?:{_S}之{_numeral(_S)})?
        )
      |
        \d{{4}}{_modern_body("")}
    )
    """,
    re.VERBOSE,
)
# What may follow a sequence number written without 号 (in width-folded text) and make it
# part of something else; see ``_not_the_number``.
_RANGE_SEPARATORS = "-‐‑‒–—―~〜"
_LIST_SEPARATORS = ",、;"
_CONTINUATION_RE = re.compile(
    rf"\s*(?P<sep>[{re.escape(_RANGE_SEPARATORS)}]|[{_LIST_SEPARATORS}]|[./:])?\s*(?P<more>\d+)(?P<hao>\s*号)?"
)
_BRACKETED_YEAR_RE = re.compile(
    rf"[{re.escape(_OPEN)}]?\s*\d(?:\s*\d){{3}}\s*(?:年\s*)?[{re.escape(_CLOSE)}]"
)
_OPEN_BEFORE_RE = re.compile(rf"[{re.escape(_OPEN)}]\s*$")


class CaseNumberError(ValueError):
    """The text is not a court case number. ``str(exc)`` is Chinese, for the user."""


@dataclass(frozen=True)
class CaseNumber:
    canonical: str  # （2023）京0105民初12345号之一
    year: int
    court_code: str  # 京0105, 京01, 京, 最高法; for legacy numbers the text between year and 字
    level: str | None  # 最高 / 高 / 中 / 基层; None for legacy numbers
    specialised_code: str  # 知, or ""
    type_code: str  # 民初, 执恢 …; "" for legacy numbers
    sequence: int
    suffix: str = ""  # 之一 …
    legacy: bool = False

    @property
    def base(self) -> str:
        """The canonical number without its 之一/之二 suffix: the case itself."""
        return self.canonical[: len(self.canonical) - len(self.suffix)] if self.suffix else self.canonical


def _fold(text: str) -> str:
    """Width folding and removal of every blank space."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", text))


def parse_case_number(text: str, *, strict_spacing: bool = False) -> CaseNumber:
    """Parse one case number in any accepted variant; raise CaseNumberError if it is not one.

    With ``strict_spacing`` (text typed in a query) blank space inside the number is accepted
    only after a bracketed year, as in free text (see ``iter_case_numbers``)."""
    if strict_spacing:
        text = unicodedata.normalize("NFKC", text).strip()
        if _SPACE_RE.search(text) and not _BRACKETED_YEAR_RE.match(text):
            raise CaseNumberError("案号中有空格时，收案年度须带括号，如（2023） 京0105 民初 12345 号")
    return _parse_folded(_fold(text))


@lru_cache(maxsize=4096)  # the same numbers recur across the documents of a case
def _parse_folded(folded: str) -> CaseNumber:
    if not folded:
        raise CaseNumberError("案号为空")
    if len(folded) > 60:
        raise CaseNumberError("案号过长")
    legacy = _LEGACY_RE.fullmatch(folded)
    if legacy:
        return _legacy(legacy)
    modern = _MODERN_RE.fullmatch(folded)
    if modern is None:
        raise CaseNumberError(_explain(folded))
    return _modern(modern)


def _check_year(raw: str) -> int:
    year = int(raw)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CaseNumberError(f"收案年度“{raw}”不在 {MIN_YEAR}–{MAX_YEAR} 之间")
    return year


def _check_sequence(raw: str) -> int:
    sequence = int(raw)
    if sequence == 0:
        raise CaseNumberError("案件编号不能为 0")
    if len(str(sequence)) > MAX_SEQUENCE_DIGITS:
        raise CaseNumberError(f"案件编号“{raw}”超过 {MAX_SEQUENCE_DIGITS} 位")
    return sequence


def _modern(m: re.Match[str]) -> CaseNumber:
    year = _check_year(m["year"])
    court = m["court"]
    digits = m["digits"] or ""
    if court == SUPREME_COURT_CODE:
        level = "最高"
    elif len(digits) == 0:
        level = "高"
    elif len(digits) == 2:
        level = "中"
    elif len(digits) == 4:
        level = "基层"
    else:
        raise CaseNumberError(
            f"法院代字“{court}”有误：省份简称后应为 2 位（中级法院）或 4 位（基层法院）数字"
        )
    type_code = m["type"]
    specialised = ""
    if len(type_code) > 1 and type_code[0] in SPECIALISED_CODES:
        specialised, type_code = type_code[0], type_code[1:]
    if len(type_code) > MAX_TYPE_CHARS:
        raise CaseNumberError(f"类型代字“{type_code}”过长（最多 {MAX_TYPE_CHARS} 个汉字）")
    sequence = _check_sequence(m["seq"])
    suffix = m["suffix"] or ""
    canonical = f"（{year}）{court}{specialised}{type_code}{sequence}号{suffix}"
    return CaseNumber(
        canonical=canonical,
        year=year,
        court_code=court,
        level=level,
        specialised_code=specialised,
        type_code=type_code,
        sequence=sequence,
        suffix=suffix,
    )


def _legacy(m: re.Match[str]) -> CaseNumber:
    year = _check_year(m["year"])
    body = m["body"]
    seq_text = m["seq"]
    sequence = _check_sequence(seq_text)
    suffix = m["suffix"] or ""
    # Kept as written (zero padding included); brackets, width, spaces and 号 fold, and 字第
    # is written in full: the official form has it, people often type 朝民初字12345号.
    canonical = f"（{year}）{body}字第{seq_text}号{suffix}"
    return CaseNumber(
        canonical=canonical,
        year=year,
        court_code=body,
        level=None,
        specialised_code="",
        type_code="",
        sequence=sequence,
        suffix=suffix,
        legacy=True,
    )


def _explain(folded: str) -> str:
    """The most helpful reason why ``folded`` is not a case number."""
    year = re.match(rf"[{re.escape(_OPEN)}]?\d{{4}}(?!\d)(?:年?[{re.escape(_CLOSE)}])?", folded)
    if year is None:
        return "缺少 4 位收案年度，应形如（2023）京0105民初12345号"
    rest = folded[year.end() :]
    if not rest:
        return "只有收案年度，缺少法院代字、类型代字和案件编号"
    court = re.match(rf"{SUPREME_COURT_CODE}|[{HIGH_COURT_CODES}]\d*", rest)
    if court is None:
        return "无法识别法院代字，应为省份简称（如“京”）加数字，或“最高法”"
    rest = rest[court.end() :]
    if not re.match(_HAN_TYPE_CHAR, rest):
        return "缺少类型代字（如“民初”“民终”“执”）"
    if not re.search(rf"\d+号?(?:之[{_SUFFIX_NUMERALS}]+)?$", rest):
        return "缺少案件编号，应以数字加“号”结尾，如 12345号"
    return "格式不正确，应形如（2023）京0105民初12345号"


def variant_pattern(number: CaseNumber, *, opening: bool = True) -> str:
    """A regular expression that finds ``number`` in width-folded text in any accepted
    variant: brackets of any kind or none, blank space anywhere, 第, zero padding, 号 or
    not. Without a suffix it also finds the number followed by one (之一 …).

    With ``opening=False`` the match starts at the year's first digit, which lets ``re``
    scan for that digit (about 20 times faster); see ``extend_to_opening``."""
    gap = r"\s*"

    def spaced(chars: str) -> str:
        return gap.join(re.escape(c) for c in chars)

    year = rf"{spaced(str(number.year))}{gap}(?:(?:年{gap})?[{re.escape(_CLOSE)}]{gap})?"
    if opening:
        year = rf"(?:[{re.escape(_OPEN)}]{gap})?" + year
    # The number ends where its digit run ends, and is not followed by what makes it part
    # of another number (``_not_the_number``) unless 号 closes it first.
    n = len(str(number.sequence))
    other = rf"(?!\d{{{n}}}(?!\d))\d"  # a digit run of another length
    end = (
        rf"(?!{gap}(?:[./:]{gap})?\d)"
        rf"(?!{gap}[{re.escape(_RANGE_SEPARATORS)}]{gap}{other})"
        rf"(?!{gap}[{_LIST_SEPARATORS}]{gap}{other}\d*{gap}号)"
    )
    if number.legacy:
        zi = number.canonical.index("字第", len(f"（{number.year}）"))
        digits = number.canonical[zi + 2 :].removesuffix(number.suffix).removesuffix("号")
        head = rf"{year}{spaced(number.court_code)}{gap}字{gap}(?:第{gap})?{spaced(digits)}{end}"
    else:
        code = spaced(number.court_code + number.specialised_code + number.type_code)
        head = rf"{year}{code}{gap}(?:第{gap})?(?:0{gap})*{spaced(str(number.sequence))}{end}"
    tail = rf"(?:{gap}号)?"
    if number.suffix:
        tail += gap + spaced(number.suffix) + rf"(?!{gap}[{_SUFFIX_NUMERALS}])"
    return head + tail


def _not_the_number(text: str, end: int, sequence: int) -> bool:
    """Whether the sequence number ``sequence``, written without 号 and ending at ``end`` in
    width-folded ``text``, is really part of a longer number, so the text does not name it:

    * ``12345 6号`` — blank space inside a digit run is a PDF's letter spacing of 123456 (in
      the bracketed form the finder has already read the run whole);
    * ``12345.5号``, ``12345/6号``, ``12345:6`` — a decimal, a fraction, a sub-number;
    * ``12345-1号``, ``12345~2号`` — a sub-number, or a range written short: not clearly
      12345. A range of full numbers (``12345-12350号``) does name 12345;
    * ``12345，6号``, ``12345、6号`` — a list written short (12345 and 12346?) or a mangled
      123456: ambiguous, and a wrong match is worse than a missed one. A list of full numbers
      (``12345、12346号``) names 12345; so does a sentence going on (``12345，2024年…``).
    """
    m = _CONTINUATION_RE.match(text, end)
    if m is None:
        return False
    sep = m["sep"]
    full = len(str(int(m["more"]))) == len(str(sequence))
    if sep is None or sep in "./:":
        return True
    if sep in _RANGE_SEPARATORS:
        return not full
    return bool(m["hao"]) and not full


def extend_to_opening(text: str, start: int) -> int:
    """``start`` moved back over an opening bracket (and blank space) just before it."""
    opening = _OPEN_BEFORE_RE.search(text, max(0, start - 8), start)
    return opening.start() if opening else start


def iter_case_numbers(text: str) -> Iterator[tuple[int, int, CaseNumber]]:
    """(start, end, case number) for every case number in free, width-folded ``text``
    (``search.analysis.fold_text``), in order.

    Offsets are into ``text`` as given. Candidates that fail to parse are skipped."""
    for match in _FIND_RE.finditer(text):
        start = match.start()
        if start and text[start - 1].isdigit():
            continue  # the "year" is the tail of a longer number
        start = extend_to_opening(text, start)
        try:
            number = parse_case_number(text[start : match.end()])
        except CaseNumberError:
            continue
        if text[match.end() - 1].isdigit() and _not_the_number(text, match.end(), number.sequence):
            continue
        yield start, match.end(), number


def find_case_numbers(text: str) -> list[CaseNumber]:
    """Every distinct case number in ``text`` (by canonical form), in order of appearance.
    ``text`` may be as stored, with full-width digits and brackets: it is folded here."""
    seen: set[str] = set()
    found: list[CaseNumber] = []
    for _, _, number in iter_case_numbers(fold_text(text)):
        if number.canonical not in seen:
            seen.add(number.canonical)
            found.append(number)
    return found
