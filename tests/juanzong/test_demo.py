"""The demo corpus as `juanzong run` loads it: dated and attributed as real records would be."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from archive.db import session_scope
from archive.models import Case, Document, User
from demodata.corpus import build_corpus
from juanzong.demo import ensure_demo_users, load_demo


def test_demo_cases_and_documents_are_dated_and_recorded_by_the_archivist(runtime):
    ensure_demo_users(runtime)
    message = load_demo(runtime, n_cases=2)
    corpus = build_corpus(seed=2024, n_cases=2)
    n_docs = sum(len(c.docs) for c in corpus)
    assert message == f"已加载演示数据：2 个案件，{n_docs} 份文档已排队处理"
    with session_scope(runtime.sessions) as s:
        lina = s.scalar(select(User).where(User.username == "lina"))
        cases = list(s.scalars(select(Case).order_by(Case.id)))
        assert [c.internal_no for c in cases] == [c.internal_no for c in corpus]
        for case, spec in zip(cases, corpus, strict=True):
            opened = spec.facts.lead_date
            # 09:00 China time on the day the lead came in
            assert case.created_at.replace(tzinfo=UTC) == datetime(
                opened.year, opened.month, opened.day, 1, 0, tzinfo=UTC
            )
            docs = list(s.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id)))
            assert len(docs) == len(spec.docs)
            for doc, doc_spec in zip(docs, spec.docs, strict=True):
                assert doc.uploaded_by_id == lina.id
                day = max(doc_spec.date, opened)
                assert doc.created_at.replace(tzinfo=UTC) == datetime(
                    day.year, day.month, day.day, 8, 0, tzinfo=UTC
                )
    assert load_demo(runtime) == "已有案件数据，跳过演示数据加载。"


def test_demo_logins_cover_every_kind_of_user(runtime):
    logins = ensure_demo_users(runtime)
    password = (runtime.settings.data_dir / "demo-password.txt").read_text(encoding="utf-8").strip()
    assert logins == [
        ("admin", password, "系统管理员，信息部"),
        ("lina", password, "李娜，档案管理员，档案室"),
        ("wangfang", password, "王芳，律师，诉讼部"),
        ("zhaolei", password, "赵磊，部门负责人，法务部"),
        ("chenjing", password, "陈静，工作人员，诉讼部"),
        ("liuyang", password, "刘洋，公司管理层，总经理办公室"),
    ]
    assert ensure_demo_users(runtime) == logins  # a second run finds them and changes nothing
