"""Cases (案件): the list with its filter, the create form, and the case page."""

from __future__ import annotations

import logging
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from werkzeug.wrappers import Response

from archive.cases import CaseError, CaseInput, create_case, document_counts
from archive.models import Case, CourtCaseNumber, Document
from archive.users import known_departments, may_file_case_in, visible_case_ids
from search.casenumber import parse_case_number
from web.access import case_or_404, require_case_editor, signed_in_user
from web.db import get_db
from web.forms import CaseForm, UploadForm
from web.paging import page_arg, page_window

log = logging.getLogger(__name__)

bp = Blueprint("cases", __name__)

CASES_PER_PAGE = 30
MAX_FILTER_CHARS = 100


def _filter_condition(text: str) -> ColumnElement[bool]:
    """Cases whose name, 内部编号, 案由 or 法院案号 contains ``text`` (or whose 案号 equals it)."""
    number_matches = [CourtCaseNumber.raw.contains(text, autoescape=True)]
    try:
        number_matches.append(CourtCaseNumber.canonical == parse_case_number(text).canonical)
    except ValueError:
        pass  # not a court case number: match the text only
    return or_(
        Case.name.contains(text, autoescape=True),
        Case.internal_no.contains(text, autoescape=True),
        Case.cause.contains(text, autoescape=True),
        Case.id.in_(select(CourtCaseNumber.case_id).where(or_(*number_matches))),
    )


@bp.get("/cases")
@bp.get("/cases/")
def index_alias():
    """The case list lives at the root; /cases is what people type (and what its pages nest under)."""
    query = request.query_string.decode("latin-1")  # as sent, percent-encoded: passed on untouched
    return redirect(url_for("cases.index") + (f"?{query}" if query else ""), 301)


@bp.get("/")
def index() -> str:
    db = get_db()
    user = signed_in_user()
    query = request.args.get("q", "").strip()[:MAX_FILTER_CHARS]
    page = page_arg()
    stmt = select(Case)
    visible = visible_case_ids(db, user)
    if visible is not None:
        stmt = stmt.where(Case.id.in_(visible))
    if query:
        stmt = stmt.where(_filter_condition(query))
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // CASES_PER_PAGE))
    page = min(page, pages)
    cases = db.scalars(
        stmt.order_by(Case.created_at.desc(), Case.id.desc())
        .offset((page - 1) * CASES_PER_PAGE)
        .limit(CASES_PER_PAGE)
    ).all()
    counts = document_counts(db, [c.id for c in cases])
    return render_template(
        "cases/list.html",
        cases=cases,
        counts=counts,
        query=query,
        total=total,
        page=page,
        pages=pages,
        window=page_window(page, pages),
    )


@bp.route("/cases/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    require_case_editor()
    user = signed_in_user()
    form = CaseForm()
    if request.method == "GET":
        form.department.data = user.department
    error = None
    if form.validate_on_submit():
        data = CaseInput(
            name=form.name.data or "",
            internal_no=form.internal_no.data or "",
            cause=form.cause.data or "",
            department=form.department.data or "",
            owner=form.owner.data or "",
            parties=form.parties.data or "",
            court_numbers=form.court_numbers.data or "",
        )
        db = get_db()
        try:
            if not may_file_case_in(user, data.department):
                raise CaseError(f"您只能为本部门（{user.department or '未设置部门'}）创建案件")
            departments = known_departments(db)
            if data.department.strip() and data.department.strip() not in departments:
                # Filed there, the case would be seen by no one who works on cases.
                raise CaseError(
                    f"承办部门“{data.department.strip()}”没有成员，请选择现有部门："
                    + "、".join(departments)
                    + "（新部门需先添加成员：juanzong user create … --department 部门名）"
                )
            case = create_case(db, data, user=user)
            db.commit()
        except CaseError as exc:
            db.rollback()
            error = str(exc)
        except IntegrityError:
            # Another request took the same 内部编号 between the check and the commit.
            db.rollback()
            log.info("case create lost a race on internal number %r", data.internal_no)
            error = f"内部编号“{data.internal_no.strip()}”已被其他案件使用"
        else:
            log.info("case %s created by %s", case.id, user.username)
            flash(f"已创建案件“{case.name}”。", "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    elif request.method == "POST":
        error = "表单无效，请重试"
    status = 400 if error else 200
    return render_template(
        "cases/new.html", form=form, error=error, departments=known_departments(get_db())
    ), status


def in_file_order(documents: list[Document]) -> list[Document]:
    """A case's documents in the order of the file: by their own date (成文日期), those without
    one after them, each group in the order they were added."""
    return sorted(documents, key=lambda d: (d.doc_date is None, d.doc_date or date.min, d.id))


@bp.get("/cases/<int:case_id>")
def detail(case_id: int) -> str:
    case = case_or_404(case_id)
    return render_template(
        "cases/detail.html",
        case=case,
        documents=in_file_order(case.documents),
        upload_form=UploadForm(),
        parties=[p.strip() for p in case.parties.splitlines() if p.strip()],
    )
