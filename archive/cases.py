"""Cases (案件): creation and look-up. A rule about cases lives here, nowhere else."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import audit
from archive.models import Case, CaseStage, CourtCaseNumber, Document, User
from search.casenumber import CaseNumberError, parse_case_number


class CaseError(ValueError):
    """Message in Chinese, for the user."""


@dataclass(frozen=True)
class CaseInput:
    name: str
    internal_no: str
    cause: str = ""
    department: str = ""
    owner: str = ""
    parties: str = ""
    court_numbers: str = ""  # one or more 案号, separated by new lines, commas or 、


def _split_numbers(raw: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[\n\r,，;；、]+", raw) if p.strip()]


def clean_internal_no(raw: str) -> str:
    """An internal number as stored: full-width letters and digits made half-width (ＦＷ－２０２４
    is FW-2024), blank space at either end removed. Compared without regard to case."""
    return unicodedata.normalize("NFKC", raw).strip()


def create_case(session: Session, data: CaseInput, *, user: User | None = None) -> Case:
    name = data.name.strip()
    internal_no = clean_internal_no(data.internal_no)
    if not name:
        raise CaseError("案件名称不能为空")
    if not internal_no:
        raise CaseError("内部编号不能为空")
    if len(name) > 200:
        raise CaseError("案件名称不能超过 200 个字符")
    taken = session.scalar(
        select(Case.internal_no).where(func.upper(Case.internal_no) == internal_no.upper())
    )
    if taken is not None:
        raise CaseError(
            f"内部编号“{internal_no}”已被其他案件使用" + ("" if taken == internal_no else f"（“{taken}”）")
        )
    numbers: list[CourtCaseNumber] = []
    seen: set[str] = set()
    for raw in _split_numbers(data.court_numbers):
        try:
            parsed = parse_case_number(raw)
        except CaseNumberError as exc:
            raise CaseError(f"案号“{raw}”无法识别：{exc}") from None
        if parsed.canonical not in seen:
            seen.add(parsed.canonical)
            numbers.append(CourtCaseNumber(canonical=parsed.canonical, raw=raw))
    case = Case(
        name=name,
        internal_no=internal_no,
        cause=data.cause.strip(),
        department=data.department.strip(),
        owner=data.owner.strip(),
        parties=data.parties.strip(),
        stage=CaseStage.ACCEPTED.value,
        created_by_id=user.id if user else None,
        court_numbers=numbers,
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        user_id=user.id if user else None,
        action="case.create",
        object_type="case",
        object_id=case.id,
        internal_no=internal_no,
    )
    return case


def find_case(session: Session, ref: str | int) -> Case | None:
    """A case by id, by 内部编号, or by exact name."""
    ref_s = str(ref).strip()
    number = clean_internal_no(ref_s)
    case = session.scalar(select(Case).where(Case.internal_no == number))
    if case is None:  # fw-2024-001 for FW-2024-001
        case = session.scalar(select(Case).where(func.upper(Case.internal_no) == number.upper()))
    if case is None and ref_s.isdigit():
        case = session.get(Case, int(ref_s))
    if case is None:
        case = session.scalar(select(Case).where(Case.name == ref_s))
    return case


def document_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    if not case_ids:
        return {}
    rows = session.execute(
        select(Document.case_id, func.count(Document.id))
        .where(Document.case_id.in_(case_ids))
        .group_by(Document.case_id)
    ).all()
    return {case_id: n for case_id, n in rows}
