"""Serving the web app, and ``juanzong run``: everything the embedded default needs in one command."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import click

from juanzong.runtime import Runtime

log = logging.getLogger(__name__)


def serve_web(rt: Runtime, host: str, port: int) -> None:
    from waitress import serve

    from web import create_app

    app = create_app(rt)
    serve(app, host=host, port=port, threads=8, ident="juanzong", clear_untrusted_proxy_headers=True)


def _free_port(host: str, start: int) -> int:
    for port in range(start, start + 50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise click.ClickException(
        f"端口 {start}–{start + 49} 都被占用，请用 JUANZONG_PORT 或 --port 指定其他端口"
    )


def _start_worker(rt: Runtime) -> tuple[subprocess.Popen, Path]:
    """The worker as its own process; its log goes to a file so the terminal stays readable."""
    env = dict(os.environ)
    env["JUANZONG_DATA_DIR"] = str(rt.settings.data_dir)
    log_dir = rt.settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / "worker.log"
    with open(log_path, "ab") as log_file:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "juanzong.cli", "worker"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return proc, log_path


def _stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_all(rt: Runtime, *, host: str, port: int, demo: bool) -> None:
    from archive.migrate import upgrade
    from juanzong.demo import ensure_demo_users, load_demo

    settings = rt.settings
    settings.ensure_dirs()
    click.echo(f"数据目录：{settings.data_dir}")
    upgrade(settings.database_url)
    logins = ensure_demo_users(rt) if demo else []
    if demo:
        click.echo(load_demo(rt))
    wanted = port
    port = _free_port(host, port)
    if port != wanted:
        click.echo(f"端口 {wanted} 已被占用，改用 {port}（可用 JUANZONG_PORT=端口 make run 指定）")
    # SIGTERM (e.g. from a process manager) stops cleanly, like Ctrl-C.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    # Ctrl-C stops cleanly even when started from a shell that ignores SIGINT for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    worker, worker_log = _start_worker(rt)
    try:
        url = f"http://{host}:{port}/"
        click.echo("")
        click.echo("=" * 60)
        click.echo(f"卷宗 Juanzong 已启动：{url}")
        for username, password, label in logins:
            click.echo(f"  演示账号：{username} / {password}（{label}）")
        click.echo(f"  处理进程日志：{worker_log}")
        click.echo("  按 Ctrl-C 停止")
        click.echo("=" * 60)
        serve_web(rt, host, port)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean stop short
        click.echo("正在停止处理进程……")
        _stop(worker)
        click.echo("已停止。")


def _raise_interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt
