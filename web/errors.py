"""Error pages in Chinese (JSON for the JSON endpoints)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

ERROR_TEXTS: dict[int, tuple[str, str]] = {
    400: ("请求无效", "请求的内容无法处理，请返回上一页后重试。"),
    403: ("没有权限", "您的账号没有执行此操作的权限。如需权限，请联系系统管理员。"),
    404: ("页面不存在", "您要找的页面不存在，或者您没有查看它的权限。"),
    405: ("操作不允许", "该页面不支持这种操作方式。"),
    413: ("文件过大", "上传的内容超过了允许的大小上限，请分批上传或压缩后重试。"),
    500: ("服务器内部错误", "服务器处理请求时出错，我们已记录此问题。请稍后重试。"),
    503: ("服务暂时不可用", "服务暂时不可用，请稍后重试。"),
}
CSRF_TEXT = "页面已过期或缺少安全校验信息，请刷新页面后重新提交。"


def _render(code: int, detail: str | None = None) -> tuple[Response | str, int]:
    title, default_text = ERROR_TEXTS.get(code, (f"错误 {code}", "请求无法完成。"))
    text = detail or default_text
    if request.path.endswith(".json"):
        return jsonify(error=text), code
    return render_template("errors/error.html", code=code, title=title, text=text), code


def _describe(exc: HTTPException) -> str | None:
    """A description a view passed to ``abort`` on purpose (Chinese), else None."""
    description = exc.description
    default = type(exc).description
    if description and description != default and not description.isascii():
        return description
    return None


def _http_error(exc: HTTPException) -> tuple[Response | str, int]:
    code = exc.code or 500
    if code >= 500:
        log.error("HTTP %s on %s %s", code, request.method, request.path)
    return _render(code, _describe(exc))


def _csrf_error(exc: CSRFError) -> tuple[Response | str, int]:
    log.warning("CSRF check failed on %s %s: %s", request.method, request.path, exc.description)
    return _render(400, CSRF_TEXT)


def _server_error(_exc: InternalServerError) -> tuple[Response | str, int]:
    # Flask has already logged the original exception with its traceback.
    return _render(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(HTTPException, _http_error)
