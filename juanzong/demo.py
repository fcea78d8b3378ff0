"""Demo users and the demo corpus for ``juanzong run``. Loaded once: a second run reuses the data."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from archive.cases import create_case
from archive.db import session_scope
from archive.doctypes import DocType
from archive.models import Case, Document, Role, User
from archive.users import create_user
from juanzong.runtime import Runtime

log = logging.getLogger(__name__)

DEMO_USERS = (
    # username, display name, role, department
    ("admin", "系统管理员", Role.ADMIN, "信息部"),
    ("lina", "李娜", Role.ARCHIVIST, "档案室"),  # records the demo cases and uploads their files
    ("wangfang", "王芳", Role.LAWYER, "诉讼部"),
    ("zhaolei", "赵磊", Role.HEAD, "法务部"),
    ("chenjing", "陈静", Role.STAFF, "诉讼部"),  # read-only, her department's cases
    ("liuyang", "刘洋", Role.MANAGEMENT, "总经理办公室"),  # read-only, every case
)


def ensure_demo_users(rt: Runtime) -> list[tuple[str, str, str]]:
    """Create the demo users on first run with a random password kept in the data directory.

    Returns (username, password, role label) for printing. Existing users are left alone.
    """
    pw_file = rt.settings.data_dir / "demo-password.txt"
    with session_scope(rt.sessions) as s:
        if s.scalar(select(func.count(User.id))) and not pw_file.exists():
            return []  # a real installation: never invent logins for it
        if pw_file.exists():
            password = pw_file.read_text(encoding="utf-8").strip()
        else:
            password = secrets.token_urlsafe(9)
            pw_file.write_text(password + "\n", encoding="utf-8")
            pw_file.chmod(0o600)
        out = []
        for username, name, role, dept in DEMO_USERS:
            if s.scalar(select(User.id).where(User.username == username)) is None:
                create_user(
                    s, username=username, password=password, display_name=name, role=role, department=dept
                )
            who = role.label if name == role.label else f"{name}，{role.label}"
            out.append((username, password, f"{who}，{dept}"))
        return out


DEMO_RECORDER = "lina"


def _at_work(day: date, hour: int) -> datetime:
    """``day`` at ``hour`` o'clock China time (UTC+8), in UTC as the database keeps it."""
    return datetime.combine(day, time(hour)).replace(tzinfo=UTC) - timedelta(hours=8)


def load_demo(rt: Runtime, *, seed: int = 2024, n_cases: int = 12) -> str:
    """Generate the demo corpus and ingest it, unless the installation already has cases."""
    from demodata.corpus import build_corpus, write_corpus
    from ingest.service import Outcome, ingest_path

    with session_scope(rt.sessions) as s:
        if s.scalar(select(func.count(Case.id))):
            return "已有案件数据，跳过演示数据加载。"
    corpus = build_corpus(seed=seed, n_cases=n_cases)
    out_dir = rt.settings.data_dir / "demo-files"
    written = write_corpus(corpus, out_dir)
    queued = failed = 0
    with rt.sessions() as s:
        recorder = s.scalar(select(User).where(User.username == DEMO_RECORDER))
    for case_spec, docs in written:
        # Dated as if recorded when the lead came in, not on the day the demo was loaded.
        opened = case_spec.facts.lead_date
        with session_scope(rt.sessions) as s:
            case = create_case(s, case_spec.case_input())
            case.created_at = _at_work(opened, 9)
            case_id = case.id
        for doc_spec, path in docs:
            result = ingest_path(
                rt,
                case_id=case_id,
                path=path,
                doc_type=DocType(doc_spec.doc_type),
                user=recorder,
                title=doc_spec.title,
                doc_date=doc_spec.date,
            )
            if result.outcome is Outcome.QUEUED:
                queued += 1
                if doc_spec.date is not None:  # (an undated one is faceted by upload year: left as is)
                    with session_scope(rt.sessions) as s:
                        doc = s.get(Document, result.document_id)
                        assert doc is not None
                        doc.created_at = _at_work(max(doc_spec.date, opened), 16)
            else:
                failed += 1
                log.warning("demo document %s not queued: %s", path.name, result.outcome)
    return f"已加载演示数据：{len(written)} 个案件，{queued} 份文档已排队处理" + (
        f"，{failed} 份未能排队" if failed else ""
    )
