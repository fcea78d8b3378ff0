"""Who is signed in, and what they may see or change.

The rules themselves live in ``archive.users``; these helpers apply them to a request and answer
with 404 (a case the user may not see does not exist for them) or 403 (seen, but read-only).
"""

from __future__ import annotations

from flask import abort
from flask_login import UserMixin, current_user

from archive.models import Case, Document, User
from archive.users import can_edit_cases, can_see_case
from web.db import get_db


class SignedInUser(UserMixin):
    """Flask-Login's view of an ``archive.models.User`` (the model stays free of web concerns)."""

    def __init__(self, record: User):
        self.record = record

    def get_id(self) -> str:
        return str(self.record.id)

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return bool(self.record.active)

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def username(self) -> str:
        return self.record.username

    @property
    def display_name(self) -> str:
        return self.record.display_name

    @property
    def department(self) -> str:
        return self.record.department

    @property
    def role_label(self) -> str:
        return self.record.role_enum.label

    @property
    def sees_all_cases(self) -> bool:
        return self.record.role_enum.sees_all_cases

    @property
    def can_edit_cases(self) -> bool:
        return can_edit_cases(self.record)


def signed_in_user() -> User:
    """The ``User`` record of the signed-in user (every non-public view has one)."""
    return current_user.record


MAX_ID = 2**63 - 1  # larger numbers in a URL cannot be a row id (and would overflow the driver)


def case_or_404(case_id: int) -> Case:
    if not 0 < case_id <= MAX_ID:
        abort(404)
    case = get_db().get(Case, case_id)
    if case is None or not can_see_case(get_db(), signed_in_user(), case):
        abort(404)
    return case


def document_or_404(document_id: int) -> Document:
    if not 0 < document_id <= MAX_ID:
        abort(404)
    document = get_db().get(Document, document_id)
    if document is None or not can_see_case(get_db(), signed_in_user(), document.case):
        abort(404)
    return document


def require_case_editor() -> None:
    if not can_edit_cases(signed_in_user()):
        abort(403)
