"""Deterministic generator of realistic Chinese legal content.

``TextGenerator(seed)`` makes the pieces (names, companies, courts, 案号, amounts, dates, statutes, 案由),
``TextGenerator.case_facts()`` the facts of one case, :func:`document_paragraphs` the body of each
document type of 《案源案件管理办法》 §五(一), and :meth:`TextGenerator.plain_body` a fast plain document
body of about N characters assembled from a pre-generated sentence pool (for the search benchmark).
Everything draws from one seeded ``random.Random``: the same seed yields the same text.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from demodata import vocab
from demodata.numerals import amount_capital, amount_yuan, article, cn_date


@dataclass(frozen=True)
class Party:
    role: str  # 原告, 被告, 申请人, 被申请人, 第三人
    name: str
    is_company: bool
    address: str
    representative: str = ""  # 法定代表人 (companies)
    position: str = ""  # the representative's post
    gender: str = ""  # persons
    birth: dt.date | None = None
    agent: str = ""  # 委托诉讼代理人
    agent_firm: str = ""

    def line(self) -> str:
        """One 当事人 line as a CaseInput stores it: 原告：北京华信科技有限公司."""
        return f"{self.role}：{self.name}"

    def description(self) -> str:
        """The party paragraph at the head of a complaint or judgment."""
        if self.is_company:
            text = f"{self.role}：{self.name}，住所地{self.address}。"
            text += f"法定代表人：{self.representative}，{self.position}。"
        else:
            born = cn_date(self.birth) if self.birth else ""
            text = f"{self.role}：{self.name}，{self.gender}，{born}出生，汉族，住{self.address}。"
        if self.agent:
            text += f"委托诉讼代理人：{self.agent}，{self.agent_firm}律师。"
        return text


@dataclass(frozen=True)
class CaseFacts:
    """Everything the documents of one case mention, so they agree with each other."""

    cause: str
    plaintiff: Party
    defendant: Party
    we_represent: str  # "原告" or "被告"
    court: vocab.Court
    first_number: str
    appeal_court: vocab.Court | None
    appeal_number: str | None
    enforcement_number: str | None
    subject: str  # goods or services, premises, loan, shares …
    contract_name: str
    contract_no: str
    principal: Decimal
    penalty: Decimal
    court_fee: Decimal
    rate_text: str
    statutes: tuple[str, ...]
    procedure: tuple[str, ...]
    contract_date: dt.date
    breach_date: dt.date
    lead_date: dt.date
    filing_date: dt.date
    hearing_date: dt.date
    judgment_date: dt.date
    appeal_date: dt.date | None
    closing_date: dt.date
    presiding_judge: str
    judges: tuple[str, str]
    clerk: str
    owner: str  # 负责人 in our team
    department: str
    team: tuple[str, ...]
    history: tuple[tuple[dt.date, str], ...] = ()  # dated events between breach and filing
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ours(self) -> Party:
        return self.plaintiff if self.we_represent == "原告" else self.defendant

    @property
    def theirs(self) -> Party:
        return self.defendant if self.we_represent == "原告" else self.plaintiff

    @property
    def court_numbers(self) -> tuple[str, ...]:
        return tuple(n for n in (self.first_number, self.appeal_number, self.enforcement_number) if n)

    def money(self, amount: Decimal, *, capital: bool = False) -> str:
        text = amount_yuan(amount)
        return f"{text}（大写：{amount_capital(amount)}）" if capital else text


def court_case_number(year: int, court_code: str, kind: str, seq: int) -> str:
    """（2023）京0105民初12345号."""
    return f"（{year}）{court_code}{kind}{seq}号"


class TextGenerator:
    """All random choices of the demo corpus, from one seeded ``random.Random``."""

    def __init__(self, seed: int = 2024) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self._pool: list[str] | None = None
        self._used_names: set[str] = set()

    # --- pieces -------------------------------------------------------------------------------
    def person_name(self, *, unique: bool = True) -> str:
        """A Chinese personal name; unique within this generator unless ``unique`` is false."""
        if not unique:
            given = "".join(self.rng.choices(vocab.GIVEN_CHARS, k=self.rng.choice((1, 2, 2))))
            return self.rng.choice(vocab.SURNAMES) + given
        for _ in range(50):
            given = "".join(self.rng.choices(vocab.GIVEN_CHARS, k=self.rng.choice((1, 2, 2))))
            name = self.rng.choice(vocab.SURNAMES) + given
            if name not in self._used_names:
                self._used_names.add(name)
                return name
        return name

    def city(self) -> tuple[str, str, str]:
        return self.rng.choice(vocab.CITIES)

    def address(self, city: tuple[str, str, str]) -> str:
        name, district, _ = city
        return f"{name}市{district}{self.rng.choice(vocab.ROADS)}{self.rng.randint(1, 399)}号"

    def company_name(
        self, city: tuple[str, str, str], industry: str | None = None, *, unique: bool = True
    ) -> str:
        """A company name such as 北京华信科技有限公司; unique within this generator unless told not."""
        for _ in range(50 if unique else 1):
            trade = self.rng.choice(vocab.TRADE_NAMES)
            ind = industry or self.rng.choice(vocab.INDUSTRIES)
            name = f"{city[0]}{trade}{ind}{self.rng.choice(vocab.COMPANY_FORMS)}"
            if not unique:
                return name
            if name not in self._used_names:
                self._used_names.add(name)
                return name
        return name

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = max(0, (end - start).days)
        return start + dt.timedelta(days=self.rng.randint(0, span))

    def date(self) -> dt.date:
        """A date from 2019 to 2026."""
        return self.date_between(dt.date(2019, 1, 1), dt.date(2026, 12, 31))

    def amount(self, low: int = 10_000, high: int = 20_000_000) -> Decimal:
        """A plausible claim amount; often round, sometimes with cents."""
        value = self.rng.randint(low, high)
        if self.rng.random() < 0.5:
            value = value // 1000 * 1000
            return Decimal(value)
        return Decimal(value) + Decimal(self.rng.randint(0, 99)) / 100

    def cause(self) -> str:
        return self.rng.choice(list(vocab.CAUSES))

    def statute(self, cause: str | None = None) -> str:
        law, num = self.rng.choice(vocab.CAUSES[cause or self.cause()])
        return f"{law}{article(num)}"

    def court_case_number(self, year: int, court_code: str, kind: str) -> str:
        low = 100 if kind.startswith("执") or "终" in kind else 1000
        return court_case_number(
            year, court_code, kind, self.rng.randint(low, 39999 if low == 1000 else 9999)
        )

    def random_case_number(self) -> str:
        court = self.rng.choice(list(vocab.COURTS.values()))
        kind = "民终" if len(court.code) == 3 and self.rng.random() < 0.6 else self.rng.choice(("民初", "执"))
        return self.court_case_number(self.rng.randint(2019, 2026), court.code, kind)

    def party(
        self, role: str, *, company: bool, city: tuple[str, str, str], industry: str | None = None
    ) -> Party:
        agent = self.person_name() if self.rng.random() < 0.9 else ""
        firm = self.rng.choice(vocab.LAW_FIRMS) if agent else ""
        if company:
            return Party(
                role=role,
                name=self.company_name(city, industry),
                is_company=True,
                address=self.address(city),
                representative=self.person_name(),
                position=self.rng.choice(vocab.POSITIONS),
                agent=agent,
                agent_firm=firm,
            )
        return Party(
            role=role,
            name=self.person_name(),
            is_company=False,
            address=self.address(city),
            gender=self.rng.choice(("男", "女")),
            birth=self.date_between(dt.date(1962, 1, 1), dt.date(1998, 12, 31)),
            agent=agent,
            agent_firm=firm,
        )

    def case_facts(self, *, cause: str | None = None, department: str | None = None) -> CaseFacts:
        from demodata.facts import make_case_facts

        return make_case_facts(self, cause=cause, department=department)

    # --- plain bodies for benchmarks ----------------------------------------------------------------
    def sentence(self) -> str:
        from demodata.sentences import random_sentence

        return random_sentence(self)

    def sentence_pool(self, size: int = 4000) -> list[str]:
        if self._pool is None or len(self._pool) < size:
            self._pool = [self.sentence() for _ in range(size)]
        return self._pool

    def plain_body(self, n_chars: int = 3000, rng: random.Random | None = None) -> str:
        """A document body of about ``n_chars`` characters (at least, at most one sentence more).

        Assembled from a pre-generated pool of legal sentences, so it is fast (a few microseconds for
        3,000 characters once the pool exists). Pass ``rng`` to vary bodies independently of this
        generator's own state (e.g. ``random.Random(doc_id)`` for reproducible per-document bodies).
        """
        pool = self.sentence_pool()
        pick = (rng or self.rng).choice
        parts: list[str] = []
        total = 0
        while total < n_chars:
            s = pick(pool)
            parts.append(s)
            total += len(s)
        return "".join(parts)

    def page_text(self, page: int, n_chars: int = 1400) -> str:
        """Text for page ``page`` of a long document; the same (seed, page) gives the same text."""
        return self.plain_body(n_chars, random.Random(self.seed * 1_000_003 + page))


def document_paragraphs(
    doc_type: str, facts: CaseFacts, rng: random.Random, *, variant: str = ""
) -> tuple[str, list[str]]:
    """Title and body paragraphs of one document of ``doc_type`` (a DocType code) for a case.

    ``variant`` picks the kind of 法律文书 ("judgment", "complaint", "contract", "appeal",
    "preservation") or of 其他相关材料; empty picks a default.
    """
    from demodata.doctexts import generate

    return generate(doc_type, facts, rng, variant=variant)
