"""The demo corpus: cases with their documents, as specs (pure data) and as real files.

``build_corpus(seed, n_cases)`` decides everything (case fields, document texts, formats, file names)
without touching the disk; ``write_corpus(corpus, out_dir)`` writes one sub-directory per case.
The same seed gives the same specs and byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from demodata import files, vocab
from demodata.text import CaseFacts, TextGenerator, document_paragraphs

if TYPE_CHECKING:
    from archive.cases import CaseInput

log = logging.getLogger(__name__)

DocFormat = Literal["pdf-cid", "pdf-ttf", "docx", "txt-utf8", "txt-gb18030"]
FORMATS: tuple[DocFormat, ...] = ("pdf-cid", "pdf-ttf", "docx", "txt-utf8", "txt-gb18030")
EXTENSIONS: dict[str, str] = {
    "pdf-cid": ".pdf",
    "pdf-ttf": ".pdf",
    "docx": ".docx",
    "txt-utf8": ".txt",
    "txt-gb18030": ".txt",
}
CAUSE_ORDER = (
    "买卖合同纠纷",
    "民间借贷纠纷",
    "劳动争议",
    "股权转让纠纷",
    "建设工程施工合同纠纷",
    "房屋租赁合同纠纷",
    "侵害商标权纠纷",
    "服务合同纠纷",
    "借款合同纠纷",
    "承揽合同纠纷",
    "技术服务合同纠纷",
    "保证合同纠纷",
)


@dataclass(frozen=True)
class DocSpec:
    doc_type: str  # an archive.doctypes.DocType value, e.g. "legal_doc"
    title: str
    filename: str  # Chinese, with extension
    format: DocFormat
    paragraphs: tuple[str, ...]
    date: dt.date
    variant: str = ""  # kind of 法律文书 / 其他相关材料 ("judgment", "complaint", "contract", …)
    table_rows: tuple[tuple[str, ...], ...] = ()  # DOCX only
    header_text: str = ""  # DOCX only
    nested_table: bool = False  # DOCX only

    @property
    def text(self) -> str:
        """Title and body as written to a text file (PDF and DOCX carry the same words)."""
        return self.title + "\n\n" + "\n".join(self.paragraphs) + "\n"


@dataclass(frozen=True)
class CaseSpec:
    name: str
    internal_no: str
    cause: str
    department: str
    owner: str
    parties: str  # one party per line, 原告：… / 被告：…
    court_numbers: str  # one canonical 案号 per line
    docs: tuple[DocSpec, ...]
    facts: CaseFacts

    def case_input(self) -> CaseInput:
        """The fields as archive.cases.create_case takes them."""
        from archive.cases import CaseInput

        return CaseInput(
            name=self.name,
            internal_no=self.internal_no,
            cause=self.cause,
            department=self.department,
            owner=self.owner,
            parties=self.parties,
            court_numbers=self.court_numbers,
        )


# Documents of every case: (doc_type, variant, preferred formats rotated over the cases).
_CORE: tuple[tuple[str, str, tuple[DocFormat, ...]], ...] = (
    ("lead_form", "", ("docx", "txt-utf8")),
    ("analysis", "", ("docx", "pdf-ttf", "txt-utf8")),
    ("legal_doc", "complaint", ("pdf-cid", "docx", "txt-gb18030")),
    ("hearing", "", ("pdf-cid", "txt-gb18030", "pdf-ttf")),
    ("legal_doc", "judgment", ("pdf-cid", "pdf-ttf")),
    ("closing", "", ("pdf-ttf", "docx", "txt-utf8")),
)
# Two of these per case, rotating, so every type and variant occurs in a 12-case corpus.
_EXTRAS: tuple[tuple[str, str, tuple[DocFormat, ...]], ...] = (
    ("plan", "", ("txt-utf8", "docx", "txt-gb18030")),
    ("investigation", "", ("pdf-ttf", "txt-gb18030")),
    ("strategy", "", ("docx", "pdf-cid")),
    ("legal_doc", "contract", ("docx", "pdf-ttf")),
    ("tracking", "", ("txt-utf8", "docx", "txt-gb18030")),
    ("other", "lawyer_letter", ("txt-gb18030", "docx")),
    ("legal_doc", "preservation", ("txt-gb18030", "pdf-cid")),
    ("other", "power_of_attorney", ("pdf-cid", "txt-utf8")),
    ("other", "evidence_list", ("docx", "txt-gb18030")),
)
_APPEAL: tuple[tuple[str, str, tuple[DocFormat, ...]], ...] = (
    ("legal_doc", "appeal", ("docx", "pdf-cid")),
    ("legal_doc", "appeal_judgment", ("pdf-ttf", "pdf-cid")),
)


def _doc_date(f: CaseFacts, doc_type: str, variant: str) -> dt.date:
    days = dt.timedelta
    return {
        ("lead_form", ""): f.lead_date,
        ("plan", ""): f.lead_date + days(10),
        ("investigation", ""): f.lead_date + days(12),
        ("analysis", ""): f.filing_date + days(10),
        ("strategy", ""): f.filing_date - days(10),
        ("legal_doc", "contract"): f.contract_date,
        ("legal_doc", "complaint"): f.filing_date - days(7),
        ("legal_doc", "preservation"): f.filing_date + days(3),
        ("legal_doc", "judgment"): f.judgment_date,
        ("legal_doc", "appeal"): f.judgment_date + days(12),
        ("legal_doc", "appeal_judgment"): (f.appeal_date or f.judgment_date) + days(75),
        ("hearing", ""): f.hearing_date,
        ("tracking", ""): f.judgment_date + days(3),
        ("closing", ""): f.closing_date,
        ("other", "lawyer_letter"): f.lead_date + days(14),
        ("other", "power_of_attorney"): f.filing_date - days(5),
        ("other", "evidence_list"): f.filing_date + days(20),
    }[(doc_type, variant)]


def _filename(title: str, doc_type: str, variant: str, f: CaseFacts, internal_no: str, fmt: DocFormat) -> str:
    if variant == "judgment":
        stem = f"民事判决书{f.first_number}"
    elif variant == "appeal_judgment":
        stem = f"民事判决书{f.appeal_number}"
    elif doc_type == "hearing":
        stem = f"庭审笔录{f.first_number}"
    elif variant in ("complaint", "preservation", "appeal", "evidence_list"):
        stem = f"{title}-{f.first_number}"
    else:
        stem = f"{title}-{internal_no}"
    return stem + EXTENSIONS[fmt]


def _docx_extras(f: CaseFacts, spec_title: str, index: int) -> tuple[tuple[tuple[str, ...], ...], str, bool]:
    """(table rows, header text, nested table?) for a DOCX document."""
    parties = [("诉讼地位", "名称/姓名", "住所地", "法定代表人/代理人")]
    for p in (f.plaintiff, f.defendant):
        parties.append((p.role, p.name, p.address, p.representative or p.agent or "—"))
    header = (
        f"{f.court.name}　{f.first_number}"
        if "判决" in spec_title
        else f"{f.ours.name}　{f.department}　内部资料"
    )
    return tuple(parties), header, index % 2 == 0


def _build_case(gen: TextGenerator, seed: int, index: int, cause: str) -> CaseSpec:
    department = vocab.DEPARTMENTS[index % len(vocab.DEPARTMENTS)]
    f = gen.case_facts(cause=cause, department=department)
    internal_no = f"FW-{f.lead_date.year}-{index + 1:04d}"
    plan = list(_CORE)
    plan += [_EXTRAS[(2 * index) % len(_EXTRAS)], _EXTRAS[(2 * index + 1) % len(_EXTRAS)]]
    if f.appeal_number:
        plan += _APPEAL
    docs: list[DocSpec] = []
    used: set[str] = set()
    for j, (doc_type, variant, prefs) in enumerate(plan):
        doc_rng = random.Random(seed * 1_000_003 + index * 1009 + j)
        title, paragraphs = document_paragraphs(doc_type, f, doc_rng, variant=variant)
        fmt = prefs[(index + j) % len(prefs)]
        name = _filename(title, doc_type, variant, f, internal_no, fmt)
        while name in used:
            name = name.replace(".", "（副本）.", 1)
        used.add(name)
        table_rows, header, nested = _docx_extras(f, title, index + j) if fmt == "docx" else ((), "", False)
        docs.append(
            DocSpec(
                doc_type=doc_type,
                title=title,
                filename=name,
                format=fmt,
                paragraphs=tuple(paragraphs),
                date=_doc_date(f, doc_type, variant),
                variant=variant,
                table_rows=table_rows,
                header_text=header,
                nested_table=nested,
            )
        )
    return CaseSpec(
        name=f"{f.plaintiff.name}诉{f.defendant.name}{cause}案",
        internal_no=internal_no,
        cause=cause,
        department=department,
        owner=f.owner,
        parties="\n".join(p.line() for p in (f.plaintiff, f.defendant)),
        court_numbers="\n".join(f.court_numbers),
        docs=tuple(docs),
        facts=f,
    )


def build_corpus(seed: int = 2024, n_cases: int = 12) -> list[CaseSpec]:
    """Specs of ``n_cases`` cases with 8–10 documents each; no file is written."""
    gen = TextGenerator(seed)
    return [_build_case(gen, seed, i, CAUSE_ORDER[i % len(CAUSE_ORDER)]) for i in range(n_cases)]


def write_document(doc: DocSpec, path: str | Path) -> Path:
    """Write one document in its format to ``path``."""
    path = Path(path)
    if doc.format in ("pdf-cid", "pdf-ttf"):
        files.write_pdf(path, doc.title, doc.paragraphs, font="cid" if doc.format == "pdf-cid" else "ttf")
    elif doc.format == "docx":
        files.write_docx(
            path,
            doc.title,
            doc.paragraphs,
            table_rows=doc.table_rows or None,
            header_text=doc.header_text or None,
            nested_table=doc.nested_table,
        )
    elif doc.format == "txt-utf8":
        files.write_text(path, doc.text, "utf-8")
    elif doc.format == "txt-gb18030":
        files.write_text(path, doc.text, "gb18030")
    else:
        raise ValueError(f"unknown document format {doc.format!r}")
    return path


def write_corpus(
    corpus: Sequence[CaseSpec], out_dir: str | Path
) -> list[tuple[CaseSpec, list[tuple[DocSpec, Path]]]]:
    """Write every document, one sub-directory per case (named by its 内部编号)."""
    out = Path(out_dir)
    written: list[tuple[CaseSpec, list[tuple[DocSpec, Path]]]] = []
    for case in corpus:
        case_dir = out / case.internal_no
        case_dir.mkdir(parents=True, exist_ok=True)
        docs = [(doc, write_document(doc, case_dir / doc.filename)) for doc in case.docs]
        written.append((case, docs))
    log.info(
        "wrote demo corpus: %d cases, %d documents under %s",
        len(written),
        sum(len(d) for _, d in written),
        out,
    )
    return written
