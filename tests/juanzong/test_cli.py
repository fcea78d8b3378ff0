"""The ``juanzong`` command line, run in-process against a real data directory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.errors import MSG_PDF_CORRUPT
from juanzong.cli import main
from juanzong.runtime import get_runtime, set_runtime


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "data"
    monkeypatch.setenv("JUANZONG_DATA_DIR", str(data))
    for name in ("DATABASE_URL", "STORAGE_URL", "SEARCH_URL", "BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    set_runtime(None)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    yield invoke
    set_runtime(None)


def _init_with_case(cli) -> None:
    assert cli("init").exit_code == 0
    r = cli(
        "case", "create", "--name", "甲公司诉乙公司买卖合同纠纷案", "--no", "FW-2024-001",
        "--cause", "买卖合同纠纷", "--department", "诉讼部", "--court-no", "(2024)京0105民初123号",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.output == "已创建案件 #1：甲公司诉乙公司买卖合同纠纷案（FW-2024-001）\n"


def test_commands_refuse_to_run_on_an_uninitialised_database(cli):
    r = cli("case", "list")
    assert r.exit_code == 1
    data = Path(os.environ["JUANZONG_DATA_DIR"])
    assert (
        f"数据目录 {data} 中的数据库尚未初始化或版本过旧，请先运行 juanzong init"
        "（或设置 JUANZONG_DATA_DIR 指向已有的数据目录）"
    ) in r.output


def test_init_is_idempotent_and_prints_the_data_dir(cli, tmp_path: Path):
    first = cli("init")
    second = cli("init")
    assert first.exit_code == second.exit_code == 0
    assert f"数据目录：{tmp_path / 'data'}" in second.output


def test_case_create_rejects_a_duplicate_internal_number(cli):
    _init_with_case(cli)
    r = cli("case", "create", "--name", "另一个案件", "--no", "FW-2024-001")
    assert r.exit_code == 1
    assert "内部编号“FW-2024-001”已被其他案件使用" in r.output


def test_case_create_rejects_a_malformed_court_number(cli):
    assert cli("init").exit_code == 0
    r = cli("case", "create", "--name", "某案", "--no", "X-1", "--court-no", "不是案号")
    assert r.exit_code == 1
    assert "案号“不是案号”无法识别" in r.output


def test_ingest_unknown_case_and_unknown_type(cli, tmp_path: Path):
    _init_with_case(cli)
    f = tmp_path / "a.txt"
    f.write_text("合同", encoding="utf-8")
    r = cli("ingest", "--case", "NO-SUCH", str(f))
    assert r.exit_code == 1
    assert "找不到案件“NO-SUCH”" in r.output
    r = cli("ingest", "--case", "FW-2024-001", "--type", "判决", str(f))
    assert r.exit_code == 1
    assert "未知的文档类型“判决”" in r.output


def test_ingest_wait_says_at_once_when_no_worker_runs(cli, tmp_path: Path):
    _init_with_case(cli)
    f = tmp_path / "a.txt"
    f.write_text("合同", encoding="utf-8")
    r = cli("ingest", "--case", "FW-2024-001", "--wait", str(f))
    assert r.exit_code == 1
    assert (
        "没有正在运行的处理进程（worker）：请先运行 make run（同时启动处理进程）或 juanzong worker"
        in r.output
    )


def test_ingest_directory_then_search_json(cli, tmp_path: Path):
    from ingest.pipeline import process_document

    _init_with_case(cli)
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "起诉状.txt").write_text("原告请求判令被告支付货款及违约金。", encoding="utf-8")
    (src / "sub" / "庭审笔录.txt").write_text("审判长：现在开庭。", encoding="gb18030")
    (src / "sub" / "empty.txt").write_bytes(b"")
    r = cli("ingest", "--case", "FW-2024-001", "--type", "法律文书", str(src))
    assert r.exit_code == 1, r.output  # the empty file fails; the others go on
    assert "导入到案件 #1「甲公司诉乙公司买卖合同纠纷案」：共 3 个文件" in r.output
    assert "结果：已排队 2，重复 0，拒绝 1，失败 0" in r.output

    rt = get_runtime()
    for doc_id in (1, 2):
        process_document(rt, doc_id)
    r = cli("search", "违约金", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert (hit["doc_id"], hit["case_id"], hit["doc_type_label"], hit["title"]) == (
        1,
        1,
        "法律文书",
        "起诉状",
    )
    assert "<mark>违约金</mark>" in hit["snippet_html"]
    assert hit["snippet_text"] == "原告请求判令被告支付货款及违约金。"
    # The case number typed another way finds the case's documents, in that case only.
    r = cli("search", "〔2024〕京0105民初123", "--json", "--case", "FW-2024-001")
    assert json.loads(r.output)["total"] == 2
    r = cli("search", "（2024）京0105民初1234号", "--json")
    assert json.loads(r.output)["total"] == 0

    r = cli("reindex")
    assert r.output == "已重建索引：2 份文档\n"
    r = cli("reconcile")
    assert r.exit_code == 0
    assert "补建索引的文档：0" in r.output


def test_ingest_wait_with_a_real_worker(cli, tmp_path: Path):
    _init_with_case(cli)
    env = dict(os.environ)
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "juanzong.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from ingest.worker import worker_alive

        rt = get_runtime()
        deadline = time.monotonic() + 60
        while not worker_alive(rt):
            assert time.monotonic() < deadline, "worker did not start"
            assert worker.poll() is None, "worker exited"
            time.sleep(0.2)
        good = tmp_path / "判决书.txt"
        good.write_text("本院认为，被告应当承担违约责任。", encoding="utf-8")
        bad = tmp_path / "扫描件.pdf"
        bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        r = cli("ingest", "--case", "FW-2024-001", "--wait", "--timeout", "60", str(good))
        assert r.exit_code == 0, r.output
        assert "处理完成：已索引 1，失败 0，未完成 0" in r.output
        r = cli("search", "违约责任", "--json")
        assert json.loads(r.output)["total"] == 1
        r = cli("ingest", "--case", "FW-2024-001", "--wait", str(bad))
        assert r.exit_code == 1
        # Found broken only by the worker: named after the wait, with its reason.
        broken = tmp_path / "损坏文件.pdf"
        broken.write_bytes(b"%PDF-1.7\n1 0 obj\n<<" + b"\x00garbage" * 50)
        r = cli("ingest", "--case", "FW-2024-001", "--wait", "--timeout", "60", str(broken))
        assert r.exit_code == 1
        assert r.output.endswith(f"处理完成：已索引 0，失败 1，未完成 0\n  损坏文件.pdf：{MSG_PDF_CORRUPT}\n")
        assert "导入中" not in r.output  # no progress bar outside a terminal
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


def test_search_tells_of_a_truncated_query(cli, tmp_path: Path):
    from ingest.pipeline import process_document

    _init_with_case(cli)
    f = tmp_path / "裁定书.txt"
    f.write_text("准许原告撤回起诉。", encoding="utf-8")
    assert cli("ingest", "--case", "FW-2024-001", str(f)).exit_code == 0
    process_document(get_runtime(), 1)
    query = "撤回 甲一 乙二 丙三 丁四 戊五 己六 庚七 辛八 壬九 癸十 子一 丑二"
    data = json.loads(cli("search", query, "--json").output)
    note = "检索条件过多：只使用了前 12 个，未使用 “丑二”。"
    assert (data["total"], data["truncated"], data["truncation_notes"]) == (0, True, [note])
    r = cli("search", query)
    assert r.output == f"注意：{note}\n共 0 条结果（第 1/1 页）\n"
    data = json.loads(cli("search", "撤回", "--json").output)
    assert (data["total"], data["truncated"], data["truncation_notes"]) == (1, False, [])


def test_ingest_with_a_document_date_and_a_bad_date(cli, tmp_path: Path):
    from ingest.pipeline import process_document

    _init_with_case(cli)
    f = tmp_path / "裁定书.txt"
    f.write_text("准许原告撤回起诉。", encoding="utf-8")
    r = cli("ingest", "--case", "FW-2024-001", "--date", "2019-03-01", str(f))
    assert r.exit_code == 0, r.output
    process_document(get_runtime(), 1)
    data = json.loads(cli("search", "撤回起诉", "--json").output)
    assert [(h["doc_id"], h["year"]) for h in data["hits"]] == [(1, 2019)]
    assert data["facets"]["year"] == [{"value": 2019, "count": 1}]
    assert data["facets"]["case_id"] == [{"value": 1, "count": 1}]
    r = cli("ingest", "--case", "FW-2024-001", "--date", "2019/03/01", str(f))
    assert r.exit_code == 2
    assert "2019/03/01" in r.output


def test_ingest_of_a_folder_holding_the_data_dir_never_takes_the_installation_s_own_files(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # the data dir (database, secret key, originals) lies inside the folder being imported
    _init_with_case(cli)
    (tmp_path / "代理词.txt").write_text("本案争议焦点在于违约金。", encoding="utf-8")
    r = cli("ingest", "--case", "FW-2024-001", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert "共 1 个文件" in r.output
    assert "结果：已排队 1，重复 0，拒绝 0，失败 0" in r.output
    r = cli("ingest", "--case", "FW-2024-001", str(tmp_path / "data" / "secret_key"))
    assert "共 0 个文件" in r.output


def test_reextract_sends_documents_to_the_worker_and_their_text_is_read_anew(cli, tmp_path: Path):
    from archive import texts
    from ingest.maintenance import reindex
    from ingest.pipeline import process_document

    _init_with_case(cli)
    r = cli("case", "create", "--name", "丙公司劳动争议案", "--no", "FW-2024-002", "--department", "诉讼部")
    assert r.exit_code == 0, r.output
    for n, (case, text) in enumerate([("FW-2024-001", "原告请求支付违约金。"), ("FW-2024-002", "仲裁请求")]):
        f = tmp_path / f"{n}.txt"
        f.write_text(text, encoding="gb18030")
        assert cli("ingest", "--case", case, str(f)).exit_code == 0
    rt = get_runtime()
    queue = rt.settings.broker_folder / "queue"
    for doc_id in (1, 2):
        assert process_document(rt, doc_id) == "indexed"
    # As an older version might have read it: the stored text and the index are out of date.
    texts.save_text(rt.sessions, 1, iter(["旧版本的提取结果"]), extractor="old")
    reindex(rt)
    assert json.loads(cli("search", "违约金", "--json").output)["total"] == 0
    for message in queue.glob("*.msg"):
        message.unlink()  # the ingest's own tasks, already done above

    r = cli("reextract", "--case", "FW-2024-001")
    assert r.exit_code == 0
    assert r.output == (
        "已排队重新提取文字：1 份文档；处理期间这些文档仍可搜索到。\n"
        "注意：处理进程（worker）未在运行，启动 juanzong worker 后才会处理。\n"
    )
    assert len(list(queue.glob("*.msg"))) == 1
    assert process_document(rt, 1) == "indexed"  # what the worker does with that task
    assert "".join(texts.iter_text(rt.sessions, 1)) == "原告请求支付违约金。"
    assert json.loads(cli("search", "违约金", "--json").output)["total"] == 1
    assert cli("reextract").output.startswith("已排队重新提取文字：2 份文档")
    assert len(list(queue.glob("*.msg"))) == 3


def test_ingest_as_a_user_records_the_uploader_and_the_audit_trail(cli, tmp_path: Path):
    from sqlalchemy import select

    from archive.models import AuditEvent, Document, User

    _init_with_case(cli)
    r = cli(
        "user",
        "create",
        "lina",
        "--role",
        "archivist",
        "--department",
        "档案室",
        input="pw-123456\npw-123456\n",
    )
    assert r.exit_code == 0, r.output
    f = tmp_path / "函件.txt"
    f.write_text("催款函", encoding="utf-8")
    r = cli("ingest", "--case", "FW-2024-001", "--as", "nobody", str(f))
    assert (r.exit_code, r.output.splitlines()[-1]) == (
        1,
        "Error: 找不到用户“nobody”（juanzong user create 可添加用户）",
    )
    assert cli("ingest", "--case", "FW-2024-001", "--as", "lina", str(f)).exit_code == 0
    with get_runtime().sessions() as s:
        lina = s.scalar(select(User).where(User.username == "lina"))
        doc = s.scalar(select(Document))
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "document.upload"))
        assert (doc.uploaded_by_id, event.user_id) == (lina.id, lina.id)
