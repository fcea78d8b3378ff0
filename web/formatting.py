"""Chinese formatting for templates: dates, file sizes, numbers, labels and status badges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from flask import Flask
from markupsafe import Markup

from archive.doctypes import DocType
from archive.models import CaseStage, DocStatus, Role
from web.paging import url_with

try:
    from zoneinfo import ZoneInfo

    CHINA_TIME: tzinfo = ZoneInfo("Asia/Shanghai")
except Exception:  # no tz database on this machine: China has kept UTC+8 without DST since 1991
    CHINA_TIME = timezone(timedelta(hours=8), "CST")

_UNITS = ("KB", "MB", "GB", "TB")
_STATUS_VALUES = frozenset(s.value for s in DocStatus)


def _china(value: datetime) -> datetime:
    """``value`` in China time; a naive value (SQLite drops the zone) is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA_TIME)


def date_cn(value: datetime | date | None) -> str:
    """2026年12月3日 (a datetime is shown in China time; a date as it is)"""
    if value is None:
        return ""
    local = _china(value) if isinstance(value, datetime) else value
    return f"{local.year}年{local.month}月{local.day}日"


def datetime_cn(value: datetime | None) -> str:
    """2026年12月3日 14:05 (China time), the date written as ``date_cn`` writes it"""
    if value is None:
        return ""
    local = _china(value)
    return f"{date_cn(local)} {local:%H:%M}"


# What people call a stored file's format (from its sniffed content, not its name).
_FORMAT_LABELS = {
    "pdf": "PDF 文档",
    "docx": "Word 文档（DOCX）",
    "text": "纯文本",
    "xlsx": "Excel 表格（XLSX）",
    "pptx": "PowerPoint 演示文稿（PPTX）",
    "zip": "ZIP 压缩包",
    "ole2": "旧版 Office 文件（DOC/XLS）",
    "rtf": "RTF 文档",
    "image": "图片",
    "binary": "无法识别的二进制文件",
}


def format_label(kind: str | None) -> str:
    """Word 文档（DOCX） for a sniffed kind; an unknown kind as it is."""
    return _FORMAT_LABELS.get(kind or "", kind or "")


def filesize(value: int | None) -> str:
    """Bytes for people: 512 B, 856 KB, 1.2 MB, 3.4 GB (binary multiples, as file managers show)."""
    if value is None:
        return ""
    if value < 1024:
        return f"{value} B"
    size = value / 1024
    if round(size) < 1024:
        return f"{round(size)} KB"
    for unit in _UNITS[1:]:
        size /= 1024
        if round(size, 1) < 1024 or unit == _UNITS[-1]:
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


def number(value: int | None) -> str:
    """12,345"""
    return "" if value is None else f"{value:,}"


def doc_type_label(value: str) -> str:
    try:
        return DocType(value).label
    except ValueError:
        return value


def stage_label(value: str) -> str:
    try:
        return CaseStage(value).label
    except ValueError:
        return value


def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


def status_label(value: str) -> str:
    try:
        return DocStatus(value).label
    except ValueError:
        return value


def status_badge(value: str) -> Markup:
    """A coloured badge for a document status; the poller in static/js/status.js updates it."""
    known = value if value in _STATUS_VALUES else "unknown"
    return Markup('<span class="badge badge-{}" data-status="{}">{}</span>').format(
        known, value, status_label(value)
    )


FILTERS = {
    "date_cn": date_cn,
    "datetime_cn": datetime_cn,
    "filesize": filesize,
    "number": number,
    "format_label": format_label,
    "doc_type_label": doc_type_label,
    "stage_label": stage_label,
    "role_label": role_label,
    "status_label": status_label,
    "status_badge": status_badge,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(url_with=url_with, doc_types=list(DocType))
