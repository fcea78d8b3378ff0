"""The allocator setting that keeps the worker's peak from following its largest document:
freed large blocks go back to the system at once (glibc only; elsewhere it reports False)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from search.engines import allocator

ROOT = Path(__file__).resolve().parents[2]


def glibc_allocator() -> bool:
    return sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


needs_glibc = pytest.mark.skipif(not glibc_allocator(), reason="the setting exists only in glibc's allocator")

# In a fresh process: free one 4 MiB block (glibc's dynamic threshold then rises to 4 MiB, as
# after tantivy's first segment), then hold 64 blocks of 1 MiB (tantivy's arena pages) with a
# 100 KiB block after each (below the threshold in both cases, so on the heap: the heap cannot
# give the large ones back from its top), free the large ones and report how much of them the
# process gave back to the system.
_PROBE = """
import ctypes, json, sys
from search.engines import allocator

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]

def rss_kib():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

def touched(size):
    block = libc.malloc(size)
    libc.memset(block, 1, size)
    return block

taken = allocator.fix_mmap_threshold() if sys.argv[1] == "fixed" else None
libc.free(touched(4 << 20))
large, small = [], []
for _ in range(64):
    large.append(touched(1 << 20))
    small.append(touched(100 << 10))
held = rss_kib()
for block in large:
    libc.free(block)
print(json.dumps({"taken": taken, "given_back_mib": (held - rss_kib()) / 1024}))
"""


def _probe(mode: str) -> dict[str, float | bool | None]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@needs_glibc
def test_freed_large_blocks_are_given_back_once_the_threshold_is_fixed() -> None:
    fixed = _probe("fixed")
    assert fixed["taken"] is True
    assert fixed["given_back_mib"] >= 60  # of 64 MiB freed

    # Without the setting, the same blocks stay with the process: what the setting changes.
    default = _probe("default")
    assert default["taken"] is None
    assert default["given_back_mib"] < 8


def test_a_c_library_without_these_functions_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    class MacLibc:  # macOS's libc has neither mallopt nor malloc_trim
        pass

    monkeypatch.setattr(allocator, "_libc", lambda: MacLibc())
    assert allocator.fix_mmap_threshold() is False
    allocator.release_free_memory()  # nothing to call, no error

    monkeypatch.setattr(allocator, "_libc", lambda: None)  # no C library found at all
    assert allocator.fix_mmap_threshold() is False
