"""A real ``juanzong worker`` subprocess for the benchmarks: start it on a data directory,
wait until it is ready, read what it logged, stop it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingest.worker import worker_alive
from juanzong.runtime import Runtime

ROOT = Path(__file__).resolve().parents[1]
_FLUSH_RE = re.compile(r"index flush: (\d+) documents indexed, (\d+) failed, (\d+) index commits")
_BACKEND_VARS = ("DATABASE_URL", "STORAGE_URL", "SEARCH_URL", "BROKER_URL")


class WorkerProcess:
    """``python -m juanzong.cli worker`` on ``data_dir`` (embedded backends), logging to ``log``."""

    def __init__(self, data_dir: Path, log: Path, *, extra_env: dict[str, str] | None = None) -> None:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith("JUANZONG_") and k not in _BACKEND_VARS
        }
        env.update(JUANZONG_DATA_DIR=str(data_dir), SECRET_KEY="bench", **(extra_env or {}))  # noqa: S106
        self.log = log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "juanzong.cli", "worker"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, rt: Runtime, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not worker_alive(rt):
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited with {self.proc.returncode}:\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError("worker not ready in time")
            time.sleep(0.1)

    def log_text(self, start: int = 0) -> str:
        with open(self.log, "rb") as f:
            f.seek(start)
            return f.read().decode("utf-8", errors="replace")

    def log_size(self) -> int:
        return self.log.stat().st_size

    def index_commits(self, start: int = 0) -> tuple[int, int]:
        """(index commits, documents indexed) that the worker logged after byte ``start``."""
        found = _FLUSH_RE.findall(self.log_text(start))
        return sum(int(c) for _, _, c in found), sum(int(n) for n, _, _ in found)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
