"""The text generator: deterministic, realistic pieces, and documents of every type."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from archive.doctypes import DocType
from demodata import vocab
from demodata.doctexts import LEGAL_DOC_VARIANTS, OTHER_VARIANTS
from demodata.text import TextGenerator, court_case_number, document_paragraphs

CASE_NUMBER = re.compile(r"（20(19|2[0-6])）[京沪粤浙苏川鄂津]\d{2,4}(民初|民终|执)\d+号")


def test_same_seed_same_facts_and_bodies() -> None:
    a, b = TextGenerator(42), TextGenerator(42)

    assert a.case_facts() == b.case_facts()
    assert a.plain_body(3000) == b.plain_body(3000)
    assert TextGenerator(43).case_facts() != TextGenerator(42).case_facts()


def test_court_case_number_format() -> None:
    assert court_case_number(2023, "京0105", "民初", 12345) == "（2023）京0105民初12345号"
    gen = TextGenerator(1)
    numbers = [gen.random_case_number() for _ in range(200)]
    assert all(CASE_NUMBER.fullmatch(n) for n in numbers), numbers


def test_case_facts_are_consistent() -> None:
    gen = TextGenerator(5)
    for cause in vocab.CAUSES:
        f = gen.case_facts(cause=cause)
        assert f.cause == cause
        assert len(f.court_numbers) in (1, 2)
        assert f.first_number.startswith(f"（{f.filing_date.year}）{f.court.code}民初")
        assert all(CASE_NUMBER.fullmatch(n) for n in f.court_numbers)
        assert (
            f.contract_date < f.breach_date < f.lead_date < f.filing_date < f.hearing_date < f.judgment_date
        )
        assert f.judgment_date < f.closing_date <= dt.date(2026, 12, 31)
        assert len(set(f.statutes)) == 4 and all(s.startswith("《") and s.endswith("条") for s in f.statutes)
        assert f.plaintiff.name != f.defendant.name


def test_plain_body_length() -> None:
    gen = TextGenerator(9)
    longest = max(len(s) for s in gen.sentence_pool())
    for n in (100, 3000, 10000):
        body = gen.plain_body(n, random.Random(n))
        assert n <= len(body) < n + longest
    assert gen.plain_body(3000, random.Random(1)) == gen.plain_body(3000, random.Random(1))


def test_page_text_depends_only_on_seed_and_page() -> None:
    a, b = TextGenerator(3), TextGenerator(3)
    b.plain_body(5000)  # advancing b's own state must not change page texts

    assert a.page_text(7) == b.page_text(7)
    assert a.page_text(7) != a.page_text(8)


def _all_kinds() -> list[tuple[str, str]]:
    kinds = [(dt.value, "") for dt in DocType if dt.value not in ("legal_doc", "other")]
    kinds += [("legal_doc", v) for v in LEGAL_DOC_VARIANTS]
    kinds += [("other", v) for v in OTHER_VARIANTS]
    return kinds


@pytest.mark.parametrize(("doc_type", "variant"), _all_kinds())
def test_every_document_kind_reads_like_a_case_document(doc_type: str, variant: str) -> None:
    gen = TextGenerator(2024)
    for cause in ("买卖合同纠纷", "劳动争议", "侵害商标权纠纷"):
        f = gen.case_facts(cause=cause)
        title, paragraphs = document_paragraphs(doc_type, f, random.Random(1), variant=variant)
        body = "".join(paragraphs)

        assert 1500 <= len(title) + len(body) <= 5000
        assert f.plaintiff.name in body and f.defendant.name in body
        assert f.first_number in title + body
        assert "人民币" in body and "年" in body
        assert any(s in body for s in f.statutes)


def test_judgment_has_the_parts_of_a_judgment() -> None:
    f = TextGenerator(8).case_facts(cause="买卖合同纠纷")
    title, paragraphs = document_paragraphs("legal_doc", f, random.Random(1), variant="judgment")
    body = "\n".join(paragraphs)

    assert title == f"民事判决书{f.first_number}"
    assert paragraphs[:3] == [f.court.name, "民 事 判 决 书", f.first_number]
    for part in ("本院认为", "判决如下：", "审 判 长", "书 记 员", f"案件受理费{f.court_fee:,}元"):
        assert part in body


def test_hearing_record_is_a_dialogue() -> None:
    f = TextGenerator(8).case_facts()
    _, lines = document_paragraphs("hearing", f, random.Random(1))
    speakers = {line.split("：", 1)[0] for line in lines}

    assert {"审判长", "原告代理人", "被告代理人", "书记员"} <= speakers


def test_unknown_type_or_variant_is_refused() -> None:
    f = TextGenerator(1).case_facts()
    with pytest.raises(ValueError, match="unknown document type"):
        document_paragraphs("memo", f, random.Random(1))
    with pytest.raises(ValueError, match="unknown legal_doc variant"):
        document_paragraphs("legal_doc", f, random.Random(1), variant="memo")
