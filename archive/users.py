"""Users and what they may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from archive.models import Case, Role, User


class UserError(ValueError):
    """Message in Chinese, for the user."""


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    display_name: str,
    role: Role | str = Role.STAFF,
    department: str = "",
) -> User:
    username = username.strip()
    if not username:
        raise UserError("用户名不能为空")
    if len(password) < 8:
        raise UserError("密码至少需要 8 个字符")
    if session.scalar(select(User).where(User.username == username)):
        raise UserError(f"用户名“{username}”已存在")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=generate_password_hash(password),
        role=Role(role).value,
        department=department.strip(),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        # Spend the same time as a real check so user names cannot be probed by timing.
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


_DUMMY_HASH = generate_password_hash("juanzong-dummy-password")


def visible_case_ids(session: Session, user: User) -> frozenset[int] | None:
    """None when the user may see every case; otherwise the ids of the cases they may see.

    Rule: administrators, management and archivists see every case; everyone else sees the
    cases of their own department.
    """
    if user.role_enum.sees_all_cases:
        return None
    ids = session.scalars(select(Case.id).where(Case.department == user.department)).all()
    return frozenset(ids)


def can_see_case(session: Session, user: User, case: Case) -> bool:
    return user.role_enum.sees_all_cases or case.department == user.department


# Roles that may create cases and add documents; staff and management only read.
CASE_EDITOR_ROLES = frozenset({Role.ADMIN, Role.ARCHIVIST, Role.HEAD, Role.LAWYER})


def can_edit_cases(user: User) -> bool:
    """Whether ``user`` may create cases and upload (or retry) documents."""
    return user.role_enum in CASE_EDITOR_ROLES


def may_file_case_in(user: User, department: str) -> bool:
    """Whether ``user`` may create a case handled by ``department``.

    Users who see every case may file a case in any department; everyone else only in their own,
    so that they can still see the case they have just created.
    """
    return user.role_enum.sees_all_cases or department.strip() == user.department


# Roles whose department decides which cases they see: a department "exists" when one of them
# belongs to it (or a case is already filed there).
_DEPARTMENT_ROLES = (Role.HEAD.value, Role.LAWYER.value, Role.STAFF.value)


def known_departments(session: Session) -> list[str]:
    """The departments cases can be filed in, sorted: those of the people who see their own
    department's cases, and those cases are already filed in."""
    staffed = session.scalars(
        select(User.department).where(User.role.in_(_DEPARTMENT_ROLES), User.department != "").distinct()
    )
    filed = session.scalars(select(Case.department).where(Case.department != "").distinct())
    return sorted({*staffed, *filed})
