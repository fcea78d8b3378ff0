"""The query language, parsed into an engine-neutral structure.

* Terms separated by blank space must all occur (AND).
* "Double quotes" (ASCII, “Chinese” or 「corner」) make one exact phrase, spaces included.
* A court case number, in any variant ``search.casenumber`` accepts, matches that case
  number exactly (never a longer or shorter number). It may hold spaces only after a
  bracketed year: ``（2023） 京0105 民初 12345 号`` is a case number, ``2023 苏州 3号楼`` three
  terms.
* A leading ``-`` excludes a term: ``合同 -解除``.
* Any other term is its sequence of units (see ``search.analysis``): the units must occur
  together and in order.

Engines turn a ``ParsedQuery`` into their own query objects.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from search.analysis import normalize_query, units
from search.api import QueryError
from search.casenumber import CaseNumber, CaseNumberError, iter_case_numbers, parse_case_number

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
MAX_INPUT_CHARS = MAX_QUERY_CHARS * 4  # read of the raw input at most; longer is cut at once
MAX_CLAUSES = 12
MAX_CLAUSE_UNITS = 48

_QUOTED_RE = re.compile(
    r'(?P<neg>-?)(?:"(?P<a>[^"]*)"?|“(?P<b>[^”]*)”?|「(?P<c>[^」]*)」?|『(?P<d>[^』]*)』?)'
)


@dataclass(frozen=True)
class TextClause:
    """Consecutive units, e.g. 合同纠纷 → ('合', '同', '纠', '纷')."""

    units: tuple[str, ...]
    text: str  # as typed (normalised), for messages and logs
    exact: bool = False  # written in quotes
    negated: bool = False

    def gram_plan(self) -> list[tuple[int, str]]:
        """The fewest bigrams (with their offsets) that pin every unit of a phrase of two
        or more units: 合同纠纷 → [(0, '合同'), (2, '纠纷')]; 合同纠 → [(0, '合同'), (1, '同纠')]."""
        u = self.units
        n = len(u)
        if n < 2:
            raise ValueError("a single unit has no bigrams")
        offsets = list(range(0, n - 1, 2))
        if offsets[-1] != n - 2:
            offsets.append(n - 2)
        return [(i, u[i] + u[i + 1]) for i in offsets]


@dataclass(frozen=True)
class CaseNumberClause:
    """A court case number, matched on its canonical form."""

    number: CaseNumber
    text: str
    negated: bool = False

    @property
    def units(self) -> tuple[str, ...]:
        """The units of the canonical number (for snippets: folding and letter case)."""
        return tuple(units(self.number.canonical))

    @property
    def fallback_units(self) -> tuple[str, ...] | None:
        """The phrase that also finds the number where the finder did not recognise it
        (engines match it besides the ``case_numbers`` term), or None: term only.

        It ends with 号, which is what makes it exact: units skip punctuation and blank
        space, so without 号 the phrase …民初 12345 would also match 民初12345-1号,
        12345.5号, 12345 6号 or 12345，6号 (another number). A suffixed number has no
        phrase: 号之一 would match 号之一百 (the Chinese numeral goes on as Han units)."""
        if self.number.suffix:
            return None
        return tuple(units(self.number.canonical))


Clause = TextClause | CaseNumberClause


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]
    # What of the query was left out (a limit above), in Chinese, for the user: the engines
    # hand it on in SearchResult.
    notes: tuple[str, ...] = ()

    @property
    def truncated(self) -> bool:
        """Whether part of the query was left out."""
        return bool(self.notes)

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)


def parse_query(text: str) -> ParsedQuery:
    """Parse what the user typed. Raises QueryError (Chinese message) when nothing
    searchable is left."""
    # Cut absurd input before normalising it; the real cut happens below, at a space.
    text = text or ""
    normalised = normalize_query(text[:MAX_INPUT_CHARS])
    notes: list[str] = []
    if len(normalised) > MAX_QUERY_CHARS or len(text) > MAX_INPUT_CHARS:
        cut = normalised.rfind(" ", MAX_QUERY_CHARS // 2, MAX_QUERY_CHARS + 1)
        normalised = normalised[: cut if cut > 0 else MAX_QUERY_CHARS]
        notes.append(f"查询过长：只使用了前 {len(normalised)} 个字符，其后的内容未参与检索。")
    clauses: list[Clause] = []
    pos = 0
    for m in _QUOTED_RE.finditer(normalised):
        clauses.extend(_bare_clauses(normalised[pos : m.start()]))
        phrase = next(g for g in (m["a"], m["b"], m["c"], m["d"]) if g is not None)
        clause = _quoted_clause(phrase, negated=bool(m["neg"]))
        if clause is not None:
            clauses.append(clause)
        pos = m.end()
    clauses.extend(_bare_clauses(normalised[pos:]))

    clauses = _dedupe(clauses)
    if len(clauses) > MAX_CLAUSES:
        rest = clauses[MAX_CLAUSES:]
        dropped = "、".join(f"“{'-' if c.negated else ''}{_shown(c.text)}”" for c in rest[:5])
        if len(rest) > 5:
            dropped += f" 等 {len(rest)} 个"
        notes.append(f"检索条件过多：只使用了前 {MAX_CLAUSES} 个，未使用 {dropped}。")
        clauses = clauses[:MAX_CLAUSES]
    limited: list[Clause] = []
    for c in clauses:
        if isinstance(c, TextClause) and len(c.units) > MAX_CLAUSE_UNITS:
            kept = c.units[:MAX_CLAUSE_UNITS]
            what = "引号内的短语" if c.exact else "检索词"
            tail = "".join(u.removesuffix("_") for u in kept[-8:])
            notes.append(
                f"{what}过长：只使用了前 {MAX_CLAUSE_UNITS} 个字（到“…{tail}”为止），其后的字未参与检索。"
            )
            c = TextClause(kept, c.text, c.exact, c.negated)
        limited.append(c)
    if notes:
        log.info("query truncated to %d clauses", len(limited))
    if not limited:
        raise QueryError("请输入检索词（汉字、字母或数字）")
    if not any(not c.negated for c in limited):
        raise QueryError("请至少输入一个不带“-”的检索词")
    return ParsedQuery(tuple(limited), tuple(notes))


def _shown(text: str, limit: int = 12) -> str:
    """A clause as typed, shortened for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted_clause(phrase: str, *, negated: bool) -> Clause | None:
    phrase = phrase.strip()
    try:
        return CaseNumberClause(parse_case_number(phrase, strict_spacing=True), phrase, negated)
    except CaseNumberError:
        pass
    unit_seq = tuple(units(phrase))
    if not unit_seq:
        return None
    return TextClause(unit_seq, phrase, exact=True, negated=negated)


def _bare_clauses(segment: str) -> list[Clause]:
    """Clauses of unquoted text: case numbers first (they may contain spaces), then terms."""
    out: list[Clause] = []
    pos = 0
    for start, end, number in iter_case_numbers(segment):
        before = segment[pos:start]
        negated = before.endswith("-") and (len(before) == 1 or before[-2] == " ")
        if negated:
            before = before[:-1]
        out.extend(_terms(before))
        out.append(CaseNumberClause(number, segment[start:end].strip(), negated))
        pos = end
    out.extend(_terms(segment[pos:]))
    return out


def _terms(segment: str) -> list[Clause]:
    out: list[Clause] = []
    for word in segment.split():
        negated = word.startswith("-") and len(word) > 1
        if negated:
            word = word[1:]
        unit_seq = tuple(units(word))
        if unit_seq:
            out.append(TextClause(unit_seq, word, exact=False, negated=negated))
    return out


def _dedupe(clauses: list[Clause]) -> list[Clause]:
    seen: set[tuple[object, ...]] = set()
    out: list[Clause] = []
    for c in clauses:
        key: tuple[object, ...] = (
            ("case", c.number.canonical, c.negated)
            if isinstance(c, CaseNumberClause)
            else ("text", c.units, c.negated)
        )
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
