"""`make bench`: every embedded benchmark, one after the other, each in its own process.

The scaled comparison needs the servers (scripts/services/all.sh up) and runs on its own:
``python -m bench.compare_scaled``.
"""

from __future__ import annotations

import subprocess
import sys

RUNS = (
    ("bench.ingest_bench", ()),
    ("bench.search_bench", ("--docs", "10000")),
    ("bench.memory_bench", ()),
)


def main() -> int:
    failed = 0
    for module, args in RUNS:
        print(f"\n=== python -m {module} {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, "-m", module, *args]) != 0  # noqa: S603
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
