"""The C allocator under the embedded engine (glibc; elsewhere these do nothing).

tantivy builds each segment in an arena of 1 MiB pages with a term table beside it, and frees
both when the segment is written; its serializer's buffers come and go the same way. glibc
serves blocks that large from their own mappings (given back to the system when freed) only
until the first such mapping is freed: from then on its *dynamic* mmap threshold rises to the
size of the largest block freed so far (up to 32 MiB), and every later arena page comes from a
per-thread heap, which returns memory to the system only from its top. A worker's peak then
followed the history of its segments rather than what it held: 19.7 MB over its baseline for
a 30-page PDF, 29.6 MB for 300 pages, 43 MB for 3,000 (``bench.memory_bench``).

``fix_mmap_threshold`` sets the threshold to glibc's own starting value, which also turns the
dynamic adjustment off (mallopt(3)), so a large block is always its own mapping and is given
back the moment it is freed: the peak is then what tantivy holds at once, at most its fixed
indexing budget, whatever the document's size. ``release_free_memory`` gives back the free
small blocks left in the heaps after a write.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

# mallopt(3): M_MMAP_THRESHOLD, and glibc's default value for it.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 128 * 1024


@cache
def _libc() -> Any | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def _function(name: str) -> Any | None:
    libc = _libc()
    return getattr(libc, name, None) if libc is not None else None


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Serve blocks of ``threshold`` bytes or more from their own mappings from now on, in
    every thread of this process and in processes it forks. True when the allocator took
    the setting (glibc), False where there is nothing to set."""
    mallopt = _function("mallopt")
    if mallopt is None or _function("malloc_trim") is None:  # not glibc (macOS has neither)
        return False
    taken = bool(mallopt(_M_MMAP_THRESHOLD, threshold))  # 1 on success (musl's stub: 0)
    if taken:
        log.info("allocator: blocks of %d KiB or more are given back when freed", threshold // 1024)
    return taken


def release_free_memory() -> None:
    """Give the free blocks left in glibc's heaps back to the system (after an index write,
    whose small allocations are spread over the indexing and merging threads' heaps)."""
    trim = _function("malloc_trim")
    if trim is not None:
        trim(0)
