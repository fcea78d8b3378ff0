"""Streaming normalisation: ``normalize_pieces`` of a text cut anywhere gives exactly
``normalize_text`` of the whole."""

from __future__ import annotations

import random
import unicodedata

import pytest

from search import analysis
from search.analysis import MAX_PIECE_CHARS, TextNormalizer, nfc_boundary, normalize_pieces, normalize_text

# Pieces of text where a cut is delicate: line breaks of every kind (\r\n split in two), blank
# runs and blank lines, the ideographic and no-break spaces, combining marks (in and out of
# canonical order, after a zero-width space that blocks NFC), Hangul jamo (L + V + T compose),
# starters that compose with the character before them (Bengali ে + া → ো), characters that
# NFC replaces (U+F900, U+0958, U+2000), zero-width and control characters.
TOKENS = [
    "合同纠纷",
    "（２０２３）京0105民初12345号",
    "ABC Co.",
    "判决如下：",
    "e",
    "a",
    "\u0301",
    "\u0302",
    "\u0323",
    "\u0307",
    "\u1e0b",
    "cafe\u0301",
    "a\u0302\u0323",
    "\u1100",
    "\u1161",
    "\u11a8",
    "\uac00",
    "\u1100\u1161\u11a8",
    "\u09c7",
    "\u09be",
    "\u0f71\u0f72",
    "\u0f73",
    "\u0958",
    "\uf900",
    "\u2000",
    "\r",
    "\n",
    "\r\n",
    "\n\n",
    " \n ",
    " ",
    "  ",
    "\t",
    "\u3000",
    "\u00a0",
    "\x0b",
    "\x0c",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00ad",
    "\x00",
    "\x07",
    "\x1c",
    "\x1f",
    "\x7f",
]


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))


def _random_split(rng: random.Random, text: str) -> list[str]:
    """``text`` cut at random places, empty pieces included."""
    cuts = sorted(rng.randint(0, len(text)) for _ in range(rng.randint(0, max(1, len(text) // 2))))
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def test_any_split_gives_the_normalised_whole() -> None:
    rng = random.Random(20240611)
    for _ in range(2000):
        text = _random_text(rng)
        pieces = _random_split(rng, text)
        max_chars = rng.choice([1, 2, 3, 7, MAX_PIECE_CHARS])
        out = list(normalize_pieces(pieces, max_chars))
        assert "".join(out) == normalize_text(text), (pieces, max_chars)
        assert all(0 < len(p) <= max_chars for p in out), (pieces, out)


def test_every_cut_of_a_tricky_text() -> None:
    text = " \u200b\r\n甲e\u0301\r\n\r\n\u3000乙\u1100\u1161\u11a8 \u09c7\u09be\x07丙a\u0302\u0323\r"
    expected = normalize_text(text)
    assert expected == "甲é\n乙\uac01 \u09cb 丙\u1ead"
    for i in range(len(text) + 1):
        for j in range(i, len(text) + 1):
            assert "".join(normalize_pieces([text[:i], text[i:j], text[j:]])) == expected, (i, j)


@pytest.mark.parametrize(
    ("pieces", "out"),
    [
        # The last character of a piece is held back until the next shows that NFC leaves
        # it alone (or the end comes): an accent in the next piece joins its letter.
        (["cafe", "\u0301 au lait"], ["caf", "é au lai", "t"]),
        # a blank run cut between pieces, \r | \n included, collapses to one line break
        (["原告 \r", "\n \n被告"], ["原告", "\n被", "告"]),
        (["原告 ", " 被告"], ["原告", " 被", "告"]),
        # Hangul jamo cut apart compose as in the whole text
        (["\u1100", "\u1161", "\u11a8"], ["\uac01"]),
        # blank space at either end goes, also when it comes in pieces of its own
        (["\n", " \u3000", "合同", "\u200b ", "\n"], ["合", "同"]),
        (["\u200b", "\x00 ", ""], []),
        ([], []),
    ],
)
def test_pieces(pieces: list[str], out: list[str]) -> None:
    assert list(normalize_pieces(pieces)) == out


def test_only_what_nfc_may_still_change_is_held_back() -> None:
    normalizer = TextNormalizer()
    assert normalizer.feed("买卖合同纠纷") == ["买卖合同纠"]
    assert normalizer.feed("一案\n\n") == ["纷一案"]  # the blank run waits for what follows
    assert normalizer.feed("e") == []  # "\n" and "e": "e" may take an accent
    assert normalizer.feed("\u0301\u0323") == []
    assert normalizer.feed("x") == ["\n\u1eb9\u0301"]  # NFC: ẹ́ (dot below first, then acute)
    assert normalizer.finish() == ["x"]


def test_long_pieces_are_cut() -> None:
    text = "甲" * (2 * MAX_PIECE_CHARS + 5)
    out = list(normalize_pieces([text]))
    # cut in slices of MAX_PIECE_CHARS, each one's last character held for the next
    assert [len(p) for p in out] == [MAX_PIECE_CHARS - 1, MAX_PIECE_CHARS, 5, 1]
    assert "".join(out) == text
    out = list(normalize_pieces(["  " + "乙" * 10 + "  "] * 3, max_chars=4))
    assert "".join(out) == " ".join(["乙" * 10] * 3)
    assert max(map(len, out)) == 4


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError):
        TextNormalizer(0)


def _joining_starters() -> frozenset[str]:
    """Recomputed from Python's Unicode data: starters that are the second character of a
    canonical composition (with the Hangul jamo that compose by rule), and starters whose
    decomposition begins with one of these or with a combining mark."""
    second: set[str] = set()
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code)).split()
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            char = chr(int(decomposition[1], 16))
            if not unicodedata.combining(char):
                second.add(char)
    second.update(map(chr, range(0x1161, 0x1176)))
    second.update(map(chr, range(0x11A8, 0x11C3)))
    joining = set(second)
    for code in range(0x300, 0x110000):
        char = chr(code)
        if not unicodedata.combining(char):
            first = unicodedata.normalize("NFD", char)[0]
            if unicodedata.combining(first) or first in second:
                joining.add(char)
    return frozenset(joining)


def test_joining_starters_match_the_unicode_data() -> None:
    assert analysis._NFC_JOINING_STARTERS == _joining_starters()
    assert not nfc_boundary("\u0301") and not nfc_boundary("\u1161") and not nfc_boundary("\u09be")
    assert nfc_boundary("甲") and nfc_boundary("\n") and nfc_boundary("\uac00") and nfc_boundary("\uf900")


def test_a_boundary_separates_what_nfc_does() -> None:
    # For each starter that NFC composes with a character before it, a text cut before it
    # would be normalised wrongly: such characters are never boundaries.
    for first, second in [("\u1100", "\u1161"), ("\uac00", "\u11a8"), ("\u09c7", "\u09be"), ("e", "\u0301")]:
        whole = unicodedata.normalize("NFC", first + second)
        assert len(whole) == 1
        assert not nfc_boundary(second)
