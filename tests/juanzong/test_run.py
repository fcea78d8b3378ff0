"""`juanzong run` (what `make run` calls): starts everything, prints the URL and logins, stops on Ctrl-C,
and reuses its data on the second run."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data: Path, port: int, *, port_by_env: bool = False) -> tuple[subprocess.Popen, list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "STORAGE_URL", "SEARCH_URL")}
    env["JUANZONG_DATA_DIR"] = str(data)
    env["PYTHONUNBUFFERED"] = "1"
    args = ["run"]
    if port_by_env:  # as the README says: JUANZONG_PORT=… make run
        env["JUANZONG_PORT"] = str(port)
    else:
        args += ["--port", str(port)]
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "juanzong.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 240
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "按 Ctrl-C 停止" in line:
            return proc, lines
    proc.kill()
    raise AssertionError("run did not start:\n" + "\n".join(lines))


def _stop(proc: subprocess.Popen) -> str:
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, _ = proc.communicate(timeout=60)
    return out


def test_run_twice(tmp_path: Path):
    data = tmp_path / "data"
    port = _free_port()
    proc, lines = _start(data, port)
    try:
        text = "\n".join(lines)
        assert f"卷宗 Juanzong 已启动：http://127.0.0.1:{port}/" in text
        assert re.search(r"已加载演示数据：12 个案件，\d+ 份文档已排队处理", text), text
        password = (data / "demo-password.txt").read_text(encoding="utf-8").strip()
        assert f"演示账号：admin / {password}（系统管理员，信息部）" in text
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as resp:  # noqa: S310
                    assert resp.status == 200
                    assert "登录" in resp.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.3)
    finally:
        out = _stop(proc)
    assert proc.returncode == 0, out
    assert "已停止。" in out

    # The second run finds its port taken (JUANZONG_PORT) and says which one it uses instead.
    with socket.socket() as taken:
        # (the first run's connections may linger in TIME_WAIT; a listening socket still blocks it)
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", port))
        taken.listen()
        proc, lines = _start(data, port, port_by_env=True)
        out = _stop(proc)
    text = "\n".join(lines)
    assert "已有案件数据，跳过演示数据加载。" in text
    moved = re.search(rf"端口 {port} 已被占用，改用 (\d+)（可用 JUANZONG_PORT=端口 make run 指定）", text)
    assert moved, text
    assert f"卷宗 Juanzong 已启动：http://127.0.0.1:{moved.group(1)}/" in text
    assert proc.returncode == 0, out
