"""The ``juanzong`` command line. Thin: parses options, calls a service, prints.

Every command works on the installation named by the environment (``JUANZONG_DATA_DIR`` and the
backend URLs); see ``juanzong.settings``.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from archive.db import session_scope
from archive.doctypes import DocType, parse_doc_type
from archive.models import Role, User
from juanzong.runtime import Runtime, get_runtime
from juanzong.settings import SettingsError

log = logging.getLogger("juanzong")


def _runtime() -> Runtime:
    try:
        return get_runtime()
    except SettingsError as exc:
        raise click.ClickException(f"配置错误：{exc}") from None


def _ensure_migrated(rt: Runtime) -> None:
    from archive.migrate import is_up_to_date

    if not is_up_to_date(rt.settings.database_url):
        raise click.ClickException(
            f"数据目录 {rt.settings.data_dir} 中的数据库尚未初始化或版本过旧，请先运行 juanzong init"
            "（或设置 JUANZONG_DATA_DIR 指向已有的数据目录）"
        )


# The long-running commands log what they do; the others print their answers (in Chinese)
# and log only warnings, unless -v.
_LOGGING_COMMANDS = frozenset({"run", "serve", "worker"})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="输出调试日志")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """卷宗 Juanzong —— 案件档案管理。"""
    quiet = logging.INFO if ctx.invoked_subcommand in _LOGGING_COMMANDS else logging.WARNING
    logging.basicConfig(
        level=logging.DEBUG if verbose else quiet,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-command INFO lines are noise


@main.command()
def init() -> None:
    """创建或升级数据库（Alembic 迁移），并准备数据目录。"""
    from archive.migrate import upgrade

    rt = _runtime()
    upgrade(rt.settings.database_url)
    click.echo(f"数据目录：{rt.settings.data_dir}")
    click.echo("数据库已是最新版本。")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="JUANZONG_HOST")
@click.option("--port", default=5000, show_default=True, type=int, envvar="JUANZONG_PORT")
def serve(host: str, port: int) -> None:
    """启动 Web 服务。"""
    rt = _runtime()
    _ensure_migrated(rt)
    from juanzong.serving import serve_web

    serve_web(rt, host, port)


@main.command()
@click.option(
    "--concurrency", type=int, default=None, help="并发处理数（默认取 JUANZONG_WORKER_CONCURRENCY）"
)
def worker(concurrency: int | None) -> None:
    """启动后台处理进程（文本提取与索引）。"""
    rt = _runtime()
    _ensure_migrated(rt)
    from ingest.worker import run_worker

    run_worker(rt.settings, concurrency=concurrency or rt.settings.worker_concurrency)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="JUANZONG_HOST")
@click.option("--port", default=5000, show_default=True, type=int, envvar="JUANZONG_PORT")
@click.option("--no-demo", is_flag=True, help="不加载演示数据")
def run(host: str, port: int, no_demo: bool) -> None:
    """一条命令运行：初始化、加载演示数据、启动处理进程和 Web 服务（Ctrl-C 退出）。"""
    from juanzong.serving import run_all

    run_all(_runtime(), host=host, port=port, demo=not no_demo)


# ---------------------------------------------------------------- cases


@main.group()
def case() -> None:
    """案件管理。"""


@case.command("create")
@click.option("--name", required=True, help="案件名称")
@click.option("--no", "internal_no", required=True, help="内部编号")
@click.option("--cause", default="", help="案由")
@click.option("--department", default="", help="承办部门")
@click.option("--owner", default="", help="负责人")
@click.option("--parties", default="", help="当事人（多个用换行分隔）")
@click.option("--court-no", "court_numbers", multiple=True, help="法院案号，可多次指定")
def case_create(
    name: str, internal_no: str, cause: str, department: str, owner: str, parties: str, court_numbers
) -> None:
    """创建案件。"""
    from archive.cases import CaseError, CaseInput, create_case

    rt = _runtime()
    _ensure_migrated(rt)
    data = CaseInput(
        name=name,
        internal_no=internal_no,
        cause=cause,
        department=department,
        owner=owner,
        parties=parties,
        court_numbers="\n".join(court_numbers),
    )
    try:
        with session_scope(rt.sessions) as s:
            c = create_case(s, data)
            case_id = c.id
    except CaseError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已创建案件 #{case_id}：{name}（{internal_no}）")


@case.command("list")
def case_list() -> None:
    """列出案件。"""
    from sqlalchemy import select

    from archive.cases import document_counts
    from archive.models import Case

    rt = _runtime()
    _ensure_migrated(rt)
    with session_scope(rt.sessions) as s:
        cases = s.scalars(select(Case).order_by(Case.id)).all()
        counts = document_counts(s, [c.id for c in cases])
        for c in cases:
            click.echo(f"#{c.id}\t{c.internal_no}\t{c.name}\t{c.department}\t{counts.get(c.id, 0)} 份文档")


# ---------------------------------------------------------------- users


@main.group()
def user() -> None:
    """用户管理。"""


@user.command("create")
@click.argument("username")
@click.option("--name", "display_name", default="", help="姓名")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.LAWYER.value,
    show_default=True,
    help="角色",
)
@click.option("--department", default="", help="部门")
@click.password_option(help="密码（至少 8 个字符）")
def user_create(username: str, display_name: str, role: str, department: str, password: str) -> None:
    """创建用户。"""
    from archive.users import UserError, create_user

    rt = _runtime()
    _ensure_migrated(rt)
    try:
        with session_scope(rt.sessions) as s:
            create_user(
                s,
                username=username,
                password=password,
                display_name=display_name or username,
                role=role,
                department=department,
            )
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已创建用户 {username}（{Role(role).label}）")


# ---------------------------------------------------------------- ingest


def _resolve_case(rt: Runtime, ref: str) -> tuple[int, str]:
    from archive.cases import find_case

    with session_scope(rt.sessions) as s:
        c = find_case(s, ref)
        if c is None:
            raise click.ClickException(f"找不到案件“{ref}”（可用案件编号、内部编号或名称）")
        return c.id, c.name


def _resolve_user(rt: Runtime, username: str) -> User:
    from sqlalchemy import select

    with rt.sessions() as s:
        user = s.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            raise click.ClickException(f"找不到用户“{username}”（juanzong user create 可添加用户）")
        s.expunge(user)
        return user


@main.command()
@click.option("--case", "case_ref", required=True, help="案件：编号、内部编号或名称")
@click.option("--type", "doc_type", default=None, help="文档类型（代码或中文名称，默认：其他相关材料）")
@click.option(
    "--date", "doc_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="文档日期 YYYY-MM-DD"
)
@click.option("--as", "as_user", default=None, help="记为该用户上传（用户名；默认不记上传人）")
@click.option("--wait", is_flag=True, help="等待全部文件处理完成；有失败时以非零状态退出")
@click.option("--timeout", default=600, show_default=True, help="--wait 的最长等待秒数")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def ingest(
    case_ref: str,
    doc_type: str | None,
    doc_date,
    as_user: str | None,
    wait: bool,
    timeout: int,
    paths: tuple[Path, ...],
) -> None:
    """导入文件或目录（目录递归导入）。"""
    from ingest.bulk import collect_files, ingest_files
    from ingest.service import MSG_QUEUED, Outcome
    from ingest.worker import failed_documents, wait_for_documents, worker_alive

    rt = _runtime()
    _ensure_migrated(rt)
    try:
        dt = parse_doc_type(doc_type) if doc_type else DocType.OTHER
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    case_id, case_name = _resolve_case(rt, case_ref)
    uploader = _resolve_user(rt, as_user) if as_user else None
    if wait and not worker_alive(rt):
        raise click.ClickException(
            "没有正在运行的处理进程（worker）：请先运行 make run（同时启动处理进程）或 juanzong worker"
        )

    files = collect_files(list(paths), exclude=rt.settings.data_dir)
    click.echo(f"导入到案件 #{case_id}「{case_name}」：共 {len(files)} 个文件")
    # A bar only on a terminal: in a log or a pipe it would leave its label behind.
    show_bar = sys.stderr.isatty()
    with click.progressbar(length=len(files), label="导入中", file=sys.stderr, hidden=not show_bar) as bar:
        report = ingest_files(
            rt,
            case_id=case_id,
            files=files,
            doc_type=dt,
            user=uploader,
            progress=bar.update,
            doc_date=doc_date.date() if doc_date else None,
        )

    by_outcome: dict[str, int] = {}
    for item in report.results:
        by_outcome[item.outcome.value] = by_outcome.get(item.outcome.value, 0) + 1
        if item.outcome is not Outcome.QUEUED or item.message != MSG_QUEUED:
            click.echo(f"  {item.filename}：{item.message}")
    click.echo(
        "结果：已排队 {q}，重复 {d}，拒绝 {r}，失败 {f}".format(
            q=by_outcome.get("queued", 0),
            d=by_outcome.get("duplicate", 0),
            r=by_outcome.get("rejected", 0),
            f=by_outcome.get("failed", 0),
        )
    )
    bad = by_outcome.get("rejected", 0) + by_outcome.get("failed", 0)
    if wait:
        ids = [r.document_id for r in report.results if r.outcome is Outcome.QUEUED and r.document_id]
        statuses = wait_for_documents(rt, ids, timeout=timeout)
        click.echo(
            "处理完成：已索引 {i}，失败 {f}，未完成 {p}".format(
                i=statuses.get("indexed", 0),
                f=statuses.get("failed", 0),
                p=statuses.get("queued", 0) + statuses.get("processing", 0),
            )
        )
        for filename, reason in failed_documents(rt, ids):
            click.echo(f"  {filename}：{reason}")
        bad += statuses.get("failed", 0) + statuses.get("queued", 0) + statuses.get("processing", 0)
    if bad:
        sys.exit(1)


# ---------------------------------------------------------------- search


@main.command("search")
@click.argument("query")
@click.option("--case", "case_ref", default=None, help="只在该案件内搜索")
@click.option("--type", "doc_types", multiple=True, help="文档类型筛选，可多次指定")
@click.option("--page", default=1, show_default=True)
@click.option("--per-page", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供脚本使用）")
def search_cmd(
    query: str, case_ref: str | None, doc_types: tuple[str, ...], page: int, per_page: int, as_json: bool
) -> None:
    """全文搜索。"""
    from juanzong.present import result_to_dict
    from search.api import QueryError, SearchError, SearchRequest

    rt = _runtime()
    _ensure_migrated(rt)
    case_id = _resolve_case(rt, case_ref)[0] if case_ref else None
    try:
        types = tuple(parse_doc_type(t).value for t in doc_types)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    request = SearchRequest(query=query, case_id=case_id, doc_types=types, page=page, per_page=per_page)
    try:
        result = rt.index.search(request)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    except SearchError as exc:
        log.error("search failed: %s", exc)
        raise click.ClickException("搜索服务暂时不可用") from None
    data = result_to_dict(result)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for note in result.truncation_notes:
        click.echo(f"注意：{note}")
    click.echo(f"共 {result.total} 条结果（第 {result.page}/{result.pages} 页）")
    for hit in data["hits"]:
        click.echo(
            f"\n[{hit['doc_type_label']}] {hit['title']} —— {hit['case_name']}  (文档 #{hit['doc_id']})"
        )
        click.echo(f"  {hit['snippet_text']}")


# ---------------------------------------------------------------- maintenance


@main.command()
def reindex() -> None:
    """从数据库重建全文索引（索引是派生数据）。"""
    from ingest.maintenance import reindex as do_reindex

    rt = _runtime()
    _ensure_migrated(rt)
    n = do_reindex(rt)
    click.echo(f"已重建索引：{n} 份文档")


@main.command()
@click.option("--case", "case_ref", default=None, help="只处理该案件的文档（编号、内部编号或名称）")
def reextract(case_ref: str | None) -> None:
    """从原件重新提取文字（升级后让已有文档用上新的提取规则），由处理进程排队完成。"""
    from ingest.maintenance import reextract as do_reextract
    from ingest.worker import worker_alive

    rt = _runtime()
    _ensure_migrated(rt)
    case_id = _resolve_case(rt, case_ref)[0] if case_ref else None
    n = do_reextract(rt, case_id=case_id)
    click.echo(f"已排队重新提取文字：{n} 份文档；处理期间这些文档仍可搜索到。")
    if n and not worker_alive(rt):
        click.echo("注意：处理进程（worker）未在运行，启动 juanzong worker 后才会处理。")


@main.command()
def reconcile() -> None:
    """核对数据库、存储和索引：重新排队卡住的文档，补齐或清理索引。"""
    from ingest.maintenance import reconcile as do_reconcile

    rt = _runtime()
    _ensure_migrated(rt)
    report = do_reconcile(rt)
    for label, value in report.items():
        click.echo(f"{label}：{value}")


@main.group()
def demo() -> None:
    """演示数据。"""


@demo.command("load")
def demo_load() -> None:
    """加载演示案件和文档（仅在没有案件时）。"""
    from juanzong.demo import load_demo

    rt = _runtime()
    _ensure_migrated(rt)
    summary = load_demo(rt)
    click.echo(summary)


@main.command("migrate-to-scaled")
@click.option("--to-database", required=True, help="目标 PostgreSQL 地址（与 DATABASE_URL 同格式）")
@click.option("--to-storage", required=True, help="目标 MinIO/S3 地址（与 STORAGE_URL 同格式）")
@click.option("--to-search", required=True, help="目标 Elasticsearch 地址（与 SEARCH_URL 同格式）")
def migrate_to_scaled_cmd(to_database: str, to_storage: str, to_search: str) -> None:
    """把当前安装迁移到扩展模式：复制原件（逐个校验 SHA-256）和数据库，重建索引，核对数量。源数据不删除。"""
    from juanzong.migrate_scaled import MigrationError, migrate_to_scaled, target_runtime

    rt = _runtime()
    try:
        target = target_runtime(
            rt.settings, database_url=to_database, storage_url=to_storage, search_url=to_search
        )
    except SettingsError as exc:
        raise click.ClickException(f"目标地址有误：{exc}") from None
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        report = migrate_to_scaled(rt, target, step=click.echo)
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        target.close()
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
