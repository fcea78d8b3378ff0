"""SQLAlchemy models. Identifiers in English, labels (in templates) in Chinese.

Changing a model means adding an Alembic revision under ``archive/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    ADMIN = "admin"  # 系统管理员
    MANAGEMENT = "management"  # 公司管理层
    ARCHIVIST = "archivist"  # 档案管理员
    HEAD = "head"  # 部门负责人
    LAWYER = "lawyer"  # 律师 / 案件承办人
    STAFF = "staff"  # 一般工作人员

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def sees_all_cases(self) -> bool:
        return self in (Role.ADMIN, Role.MANAGEMENT, Role.ARCHIVIST)


ROLE_LABELS = {
    Role.ADMIN: "系统管理员",
    Role.MANAGEMENT: "公司管理层",
    Role.ARCHIVIST: "档案管理员",
    Role.HEAD: "部门负责人",
    Role.LAWYER: "律师",
    Role.STAFF: "工作人员",
}


class CaseStage(StrEnum):
    ACCEPTED = "accepted"
    INVESTIGATION = "investigation"
    STRATEGY = "strategy"
    EXECUTION = "execution"
    TRACKING = "tracking"
    CLOSED = "closed"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    CaseStage.ACCEPTED: "案件受理",
    CaseStage.INVESTIGATION: "案件调查",
    CaseStage.STRATEGY: "分析与策略制定",
    CaseStage.EXECUTION: "处理实施",
    CaseStage.TRACKING: "跟踪与反馈",
    CaseStage.CLOSED: "已结案",
    CaseStage.ARCHIVED: "已归档",
}


class DocStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    INDEXED = "indexed"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DocStatus.QUEUED: "排队中",
    DocStatus.PROCESSING: "处理中",
    DocStatus.INDEXED: "已索引",
    DocStatus.FAILED: "失败",
}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=Role.STAFF.value)
    department: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # 名称
    internal_no: Mapped[str] = mapped_column(String(64), unique=True, index=True)  # 内部编号
    cause: Mapped[str] = mapped_column(String(200), default="")  # 案由
    department: Mapped[str] = mapped_column(String(64), default="", index=True)  # 承办部门
    owner: Mapped[str] = mapped_column(String(64), default="")  # 负责人
    parties: Mapped[str] = mapped_column(Text, default="")  # 当事人, one per line
    stage: Mapped[str] = mapped_column(String(20), default=CaseStage.ACCEPTED.value)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    documents: Mapped[list[Document]] = relationship(back_populates="case", order_by="Document.id")
    court_numbers: Mapped[list[CourtCaseNumber]] = relationship(
        back_populates="case", order_by="CourtCaseNumber.id", cascade="all, delete-orphan"
    )

    @property
    def stage_enum(self) -> CaseStage:
        return CaseStage(self.stage)


class CourtCaseNumber(Base):
    """A court case number (案号) of a case, stored in canonical form."""

    __tablename__ = "court_case_numbers"
    __table_args__ = (UniqueConstraint("case_id", "canonical"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    canonical: Mapped[str] = mapped_column(String(80), index=True)
    raw: Mapped[str] = mapped_column(String(120), default="")

    case: Mapped[Case] = relationship(back_populates="court_numbers")


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("case_id", "sha256", name="uq_document_case_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(300))
    original_filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    sniffed_kind: Mapped[str] = mapped_column(String(20), default="")  # pdf | docx | text | …
    page_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    doc_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # 文档日期 (成文日期), if known
    status: Mapped[str] = mapped_column(String(16), default=DocStatus.QUEUED.value, index=True)
    error_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)  # Chinese, for users
    notes: Mapped[str] = mapped_column(Text, default="")  # e.g. extension did not match content
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    case: Mapped[Case] = relationship(back_populates="documents")
    text: Mapped[DocumentText | None] = relationship(
        back_populates="document", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> DocStatus:
        return DocStatus(self.status)


class DocumentText(Base):
    """Extracted, normalised text: derived data, kept so the index can be rebuilt fast.

    The text itself is in ``DocumentTextChunk`` rows (see ``archive.texts``), so no reader
    ever holds a long document whole; this row is written after the last chunk, and its
    existence means the text is complete (chunks without it are an unfinished extraction)."""

    __tablename__ = "document_texts"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    extractor: Mapped[str] = mapped_column(String(40))
    char_count: Mapped[int] = mapped_column(Integer)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[Document] = relationship(back_populates="text")


class DocumentTextChunk(Base):
    """One bounded piece of a document's text, in order of ``seq`` (0, 1, …); at most
    ``archive.texts.TEXT_CHUNK_CHARS`` characters. Written and read with Core statements,
    one row at a time (``archive.texts``), never as a relationship."""

    __tablename__ = "document_text_chunks"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text)


class AuditEvent(Base):
    """Append-only record of who did what. Never updated or deleted by the product."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")


class WorkerHeartbeat(Base):
    """Each running worker updates its row every few seconds (see ingest.worker)."""

    __tablename__ = "worker_heartbeats"

    hostname: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    pid: Mapped[int] = mapped_column(Integer, default=0)
