"""search.parts: long texts cut into bounded, overlapping parts."""

from __future__ import annotations

import random

import pytest

from search.analysis import MAX_UNIT_CHARS, indexed_part, units
from search.parts import LEAD_CHARS, Part, split_parts

ALPHABET = "合同纠纷原告被告本院认为，。、；：“”（）() 12345abcXYZ\n"


def random_text(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def pieces_of(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def offsets(parts: list[Part]) -> list[tuple[int, int]]:
    """(start, end) of each part's indexed text in the whole text."""
    return [(p.start + len(p.lead), p.start + len(p.lead) + len(p.text)) for p in parts]


def test_short_and_empty_texts_are_one_part() -> None:
    assert list(split_parts([""])) == [Part("", "", "", 0, last=True, more=False)]
    assert list(split_parts(["合同", "纠纷"])) == [Part("合同纠纷", "", "", 0, last=True, more=False)]


def test_parts_tile_the_text_with_the_overlap() -> None:
    text = "甲乙丙丁戊己庚辛壬癸" * 3  # 30 Han characters: every position is a place to cut
    parts = list(split_parts(pieces_of(text, 4), part_chars=10, overlap_chars=3))
    assert [p.text for p in parts] == [text[0:13], text[10:23], text[20:30]]
    # The tails reach the end of the text: no snippet of these parts needs a closing "…".
    assert [(p.start, p.last, p.more) for p in parts] == [
        (0, False, False),
        (0, False, False),
        (0, True, False),
    ]
    assert [p.lead for p in parts] == ["", text[0:10], text[0:20]]
    assert [p.tail for p in parts] == [text[13:30], text[23:30], ""]


@pytest.mark.parametrize("seed", range(20))
def test_every_stretch_within_the_overlap_lies_inside_one_part(seed: int) -> None:
    text = random_text(seed, 3000)
    parts = list(split_parts(pieces_of(text, 1 + seed * 13), part_chars=200, overlap_chars=50, limit=10**9))
    spans = offsets(parts)
    for p, (a, b) in zip(parts, spans, strict=True):
        assert text[a:b] == p.text
        assert len(p.text) <= 200 + 50 + 2 * MAX_UNIT_CHARS
        assert p.lead == text[max(0, a - LEAD_CHARS) : a]
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert [p.more for p in parts[:2]] == [True, True] and not parts[-1].more
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end - start >= 50  # the next part starts at least an overlap before this one ends
    rng = random.Random(seed)
    for _ in range(200):
        i = rng.randrange(len(text) - 50)
        assert any(a <= i and i + 50 <= b for a, b in spans)


@pytest.mark.parametrize("seed", range(10))
def test_a_cut_never_splits_a_unit(seed: int) -> None:
    text = random_text(seed, 2000)
    parts = list(split_parts([text], part_chars=100, overlap_chars=30, limit=10**9))
    for a, b in offsets(parts):
        for cut in (a, b):
            if 0 < cut < len(text):
                left, right = units(text[:cut]), units(text[cut:])
                whole = units(text)
                # The units on either side of the cut are exactly the units of the text.
                assert left + right == whole


def test_the_same_parts_whatever_the_pieces() -> None:
    text = random_text(99, 5000)
    expected = list(split_parts([text], part_chars=300, overlap_chars=40))
    for size in (1, 7, 299, 301, 4999):
        assert list(split_parts(pieces_of(text, size), part_chars=300, overlap_chars=40)) == expected


@pytest.mark.parametrize("limit", [1, 95, 100, 101, 2500])
def test_only_the_first_limit_characters_are_cut_into_parts(limit: int) -> None:
    text = ("审理查明 abc123 " * 400)[:3000]
    parts = list(split_parts(pieces_of(text, 64), part_chars=100, overlap_chars=10, limit=limit))
    spans = offsets(parts)
    assert text[: spans[-1][1]] == indexed_part(text, limit)
    assert parts[-1].last and not parts[-1].more


def test_a_long_letter_run_is_cut_on_the_index_s_unit_grid() -> None:
    # The index cuts a run into units of 64 from its start; a part must cut it there too.
    parts = list(split_parts(["x" * 1000], part_chars=100, overlap_chars=20))
    assert [p.start + len(p.lead) for p in parts] == [0, 128, 256, 384, 512, 640, 768, 896]
    assert [len(p.text) for p in parts] == [192] * 7 + [104]


@pytest.mark.parametrize("seed", range(10))
def test_parts_hold_only_and_all_the_units_of_runs_longer_than_a_unit(seed: int) -> None:
    rng = random.Random(seed)
    run = "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(65, 3000)))
    text = "合" * rng.randint(0, 300) + run + "本院认为" * 100
    parts = list(split_parts([text], part_chars=rng.randint(50, 400), overlap_chars=rng.randint(10, 90)))
    whole = units(text)
    found = [u for p in parts for u in units(p.text)]
    assert set(found) == set(whole)
