"""Differential test: an index that cuts every document into small parts answers every query
exactly as an index that keeps each document whole (same hits, totals, facets, paging)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from search.analysis import normalize_text
from search.api import FacetCount, IndexDoc, QueryError, SearchRequest
from search.engines.tantivy_engine import TantivyIndex

WORDS = [
    "合同",
    "违约金",
    "原告",
    "被告",
    "本院",
    "判决",
    "借款",
    "利息",
    "上诉",
    "驳回",
    "张三",
    "李四",
    "（2023）京0105民初12号",
    "第577条",
    "100,000元",
    "ABC公司",
]
GLUE = "，。；：、 \n的了和与"


def random_text(rng: random.Random, n_words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(GLUE) for _ in range(n_words))


def random_query(rng: random.Random) -> str:
    terms = []
    for _ in range(rng.randint(1, 3)):
        word = rng.choice(WORDS)
        if rng.random() < 0.3:  # a run across two words
            word = word + rng.choice(WORDS)[:2]
        if rng.random() < 0.2:
            word = f'"{word}"'
        if terms and rng.random() < 0.25:
            word = "-" + word
        terms.append(word)
    return " ".join(terms)


@pytest.mark.parametrize("seed", range(6))
def test_parts_answer_as_whole_documents(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    docs = [
        IndexDoc(
            doc_id=i,
            case_id=rng.randint(1, 4),
            case_name="案件",
            case_internal_no="FW",
            doc_type=rng.choice(["legal_doc", "hearing", "closing"]),
            title=rng.choice(["判决书", "庭审笔录", "结案报告", "借款合同"]),
            filename="f.pdf",
            text=normalize_text(random_text(rng, rng.choice([3, 20, 80, 300]))),
            year=rng.choice([2021, 2022, 2023]),
        )
        for i in range(1, 41)
    ]
    whole = TantivyIndex(tmp_path / "whole")
    parts = TantivyIndex(tmp_path / "parts", part_chars=40, overlap_chars=30)
    whole.upsert(docs)
    parts.upsert(docs)
    assert parts._refresh().index.searcher().num_docs > 2 * len(docs)  # really in parts
    compared = 0
    for _ in range(60):
        query = random_query(rng)
        request = SearchRequest(query, per_page=100, case_id=rng.choice([None, None, 2]))
        try:
            expected = whole.search(request)
        except QueryError:
            continue
        got = parts.search(request)
        assert (got.total, got.facets) == (expected.total, expected.facets), query
        assert {h.doc_id for h in got.hits} == {h.doc_id for h in expected.hits}, query
        compared += 1
    assert compared >= 40


def test_facets_add_up_beyond_the_top_values(tmp_path: Path) -> None:
    # 60 cases: the one-part documents of case 60 rank below the top 50, its long ones do not.
    docs = [
        IndexDoc(i, case, "案件", "FW", "legal_doc", "判决书", "f.pdf", "合同纠纷", 2023)
        for i, case in enumerate([c for c in range(1, 56) for _ in range(2)] + list(range(56, 61)), start=1)
    ]
    docs += [
        IndexDoc(200 + i, 60, "案件", "FW", "hearing", "笔录", "f.pdf", "合同纠纷" + "本院认为" * 40, 2023)
        for i in range(5)
    ]
    whole = TantivyIndex(tmp_path / "whole")
    parts = TantivyIndex(tmp_path / "parts", part_chars=60, overlap_chars=20)
    whole.upsert(docs)
    parts.upsert(docs)
    expected = whole.search(SearchRequest("合同"))
    got = parts.search(SearchRequest("合同"))
    assert got.facets["case_id"][0] == expected.facets["case_id"][0] == FacetCount("60", 6)
    assert (got.total, got.facets) == (expected.total, expected.facets)
