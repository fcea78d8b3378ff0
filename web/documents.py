"""Documents: upload into a case, the document page, retry, download, and the status JSON."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from archive import audit, texts
from archive.doctypes import DocType, parse_doc_type
from archive.models import DocStatus, User
from archive.storage import ObjectNotFound, StorageError
from ingest.service import MSG_QUEUED, IngestResult, Outcome, ingest_stream, retry_document
from search.analysis import MAX_INDEXED_CHARS
from search.api import QueryError
from search.query import MAX_INPUT_CHARS, parse_query
from search.snippets import SnippetMaker
from web.access import case_or_404, document_or_404, require_case_editor, signed_in_user
from web.db import current_runtime, get_db
from web.download import content_disposition, safe_content_type
from web.forms import UploadForm
from web.paging import page_arg

log = logging.getLogger(__name__)

bp = Blueprint("documents", __name__)

# Upload results are flashed (kept in the session cookie until shown), so a big batch is
# summarised rather than listed file by file.
MAX_FLASHED_RESULTS = 5
MAX_NAME_IN_MESSAGE = 60
TEXT_PAGE_ARG = "p"  # ?p=N: which page of the extracted text (one stored chunk a page)
HIGHLIGHT_ARG = "q"  # ?q=…: the search that led here; its words are marked in the text
HIT_ANCHOR = "hit"  # the first marked word: search results link to #hit
RETRY_QUEUED = "已重新加入处理队列，请稍候。"

_CATEGORY = {
    Outcome.QUEUED: "success",
    Outcome.DUPLICATE: "warning",
    Outcome.REJECTED: "error",
    Outcome.FAILED: "error",
}
FINAL_STATUSES = frozenset({DocStatus.INDEXED.value, DocStatus.FAILED.value})


# The quoted file name of a multipart part's Content-Disposition, as sent (not filename*=).
_RAW_FILENAME = re.compile(r'(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"', re.IGNORECASE)
# A backslash that escapes nothing: the name was sent as browsers do, unescaped.
_LITERAL_BACKSLASH = re.compile(r'\\(?![\\"])')


def upload_filename(upload: FileStorage) -> str:
    """The file's name as the client sent it. Werkzeug reads the quoted name as an escaped
    string, so the backslashes of a Windows path (``C:\\案卷\\起诉状.pdf``, which some
    browsers send whole) vanish and the folders run into the name; the raw header keeps them,
    and ``clean_filename`` then keeps the last component. A name escaped as curl does
    (``\\\\``, ``\\"``) is read right by Werkzeug already."""
    raw = _RAW_FILENAME.search(upload.headers.get("Content-Disposition", ""))
    if raw and _LITERAL_BACKSLASH.search(raw.group(1)):
        return raw.group(1)
    return upload.filename or ""


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME_IN_MESSAGE else name[: MAX_NAME_IN_MESSAGE - 1] + "…"


def _result_message(filename: str, message: str) -> str:
    """The service's message, naming the file it concerns."""
    name = _short(filename)
    return message if filename and filename in message else f"{name}：{message}"


def _ingest_one(
    case_id: int, upload: FileStorage, doc_type: DocType, title: str | None, doc_date, user: User
) -> IngestResult:
    try:
        return ingest_stream(
            current_runtime(),
            case_id=case_id,
            stream=upload.stream,
            filename=upload_filename(upload),
            doc_type=doc_type,
            user=user,
            title=title,
            doc_date=doc_date,
        )
    except Exception:  # one file's failure must never stop the others in its batch
        log.exception("ingest of an uploaded file into case %s raised", case_id)
        return IngestResult(
            outcome=Outcome.FAILED,
            filename=upload_filename(upload),
            message="处理该文件时发生内部错误，请稍后重试或联系管理员",
        )
    finally:
        upload.close()


@bp.post("/cases/<int:case_id>/documents")
def upload(case_id: int) -> Response:
    case = case_or_404(case_id)
    require_case_editor()
    user = signed_in_user()
    back = redirect(url_for("cases.detail", case_id=case.id))
    form = UploadForm()
    uploads = [f for f in request.files.getlist(form.files.name) if f.filename]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return back
    try:
        doc_type = parse_doc_type(form.doc_type.data)
    except ValueError as exc:
        flash(str(exc), "error")
        return back
    if not uploads:
        flash("请选择要上传的文件。", "error")
        return back
    title = (form.title.data or "").strip() or None
    results = [_ingest_one(case.id, f, doc_type, title, form.parsed_doc_date, user) for f in uploads]
    log.info("user %s uploaded %d file(s) into case %s", user.username, len(results), case.id)
    if len(results) > MAX_FLASHED_RESULTS:
        counts = {o: sum(1 for r in results if r.outcome == o) for o in _CATEGORY}
        flash(
            f"共上传 {len(results)} 个文件：已加入处理队列 {counts[Outcome.QUEUED]} 个，"
            f"重复 {counts[Outcome.DUPLICATE]} 个，未接收 {counts[Outcome.REJECTED]} 个，"
            f"失败 {counts[Outcome.FAILED]} 个。",
            "info",
        )
        # Listed: what did not go as plain "queued" (refused, failed, or queued with a note).
        results = [r for r in results if r.outcome != Outcome.QUEUED or r.message != MSG_QUEUED]
        results = results[:MAX_FLASHED_RESULTS]
    for result in results:
        flash(_result_message(result.filename, result.message), _CATEGORY.get(result.outcome, "info"))
    return back


@bp.get("/documents/<int:document_id>")
def detail(document_id: int) -> str:
    document = document_or_404(document_id)
    db = get_db()
    uploader = db.get(User, document.uploaded_by_id) if document.uploaded_by_id else None
    stored = document.text  # counts only; the text itself is read a page (chunk) at a time
    pages = max(stored.chunk_count, 1) if stored is not None else 1
    page = min(page_arg(TEXT_PAGE_ARG), pages)  # missing, not a number or too small: 1; too big: the last
    highlight = request.args.get(HIGHLIGHT_ARG, "").strip()[:MAX_INPUT_CHARS]
    marker = _marker(highlight)
    text = None
    if marker is not None and stored is not None and TEXT_PAGE_ARG not in request.args:
        page, text = _first_page_with_a_match(db, document.id, pages, marker) or (page, None)
    if text is None and stored is not None:
        text = texts.read_chunk(db, document.id, page - 1)
    text_length = stored.char_count if stored is not None else 0
    marked, mark_count = (None, 0)
    if marker is not None and text is not None:
        marked, mark_count = marker.mark_all(text, anchor=HIT_ANCHOR)
    return render_template(
        "documents/detail.html",
        document=document,
        case=document.case,
        uploader=uploader,
        text=text,
        marked_text=marked,
        mark_count=mark_count,
        highlight=highlight if marker else "",
        text_length=text_length,
        text_page=page,
        text_pages=pages,
        searchable_chars=MAX_INDEXED_CHARS,
        partly_searchable=text is not None and text_length > MAX_INDEXED_CHARS,
        is_final=document.status in FINAL_STATUSES,
    )


def _marker(query: str) -> SnippetMaker | None:
    """What marks the searched words in a document's text (None: no query, or one that
    searches nothing)."""
    if not query:
        return None
    try:
        parsed = parse_query(query)
    except QueryError:
        return None
    return SnippetMaker(parsed) if parsed.positive else None


def _first_page_with_a_match(
    db, document_id: int, pages: int, marker: SnippetMaker
) -> tuple[int, str] | None:
    """The first text page (1-based) where the searched words occur, and its text; read a
    chunk at a time."""
    for seq in range(pages):
        chunk = texts.read_chunk(db, document_id, seq)
        if chunk and marker.matches(chunk):
            return seq + 1, chunk
    return None


@bp.post("/documents/<int:document_id>/retry")
def retry(document_id: int) -> Response:
    document = document_or_404(document_id)
    require_case_editor()
    back = redirect(url_for("documents.detail", document_id=document.id))
    if document.status != DocStatus.FAILED.value:
        flash("只有处理失败的文档可以重试。", "warning")
        return back
    result = retry_document(current_runtime(), document.id, user=signed_in_user())
    log.info("user %s retried document %s: %s", signed_in_user().username, document.id, result.outcome)
    message = (
        RETRY_QUEUED if result.outcome == Outcome.QUEUED and result.message == MSG_QUEUED else result.message
    )
    flash(message, _CATEGORY.get(result.outcome, "info"))
    return back


@bp.get("/documents/<int:document_id>/status.json")
def status(document_id: int) -> Response:
    document = document_or_404(document_id)
    return jsonify(
        id=document.id,
        status=document.status,
        label=document.status_enum.label,
        final=document.status in FINAL_STATUSES,
        page_count=document.page_count,
        error_message=document.error_message,
    )


@bp.get("/documents/<int:document_id>/download")
def download(document_id: int) -> Response:
    document = document_or_404(document_id)
    user = signed_in_user()
    store = current_runtime().store
    try:
        size = store.size(document.storage_key)
        stream = store.open(document.storage_key)
    except ObjectNotFound:
        log.error("original of document %s missing from the store: %s", document.id, document.storage_key)
        abort(404, description="该文档的原件在存储中找不到，请联系档案管理员。")
    except (StorageError, ValueError):
        log.exception("cannot open original of document %s", document.id)
        abort(503, description="存储服务暂时不可用，请稍后重试。")
    db = get_db()
    audit.record(
        db,
        user_id=user.id,
        action="document.download",
        object_type="document",
        object_id=document.id,
        ip=request.remote_addr or "",
        filename=document.original_filename,
        case_id=document.case_id,
    )
    db.commit()
    log.info("user %s downloaded document %s", user.username, document.id)
    response = Response(
        wrap_file(request.environ, stream),
        content_type=safe_content_type(document.mime_type),
        direct_passthrough=True,
    )
    response.content_length = size
    response.headers["Content-Disposition"] = content_disposition(document.original_filename, document.id)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
