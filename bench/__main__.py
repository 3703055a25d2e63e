"""``python -m bench [NAME …]``: run the benchmarks (default: all) and update bench/results.md."""

from __future__ import annotations

import sys

from bench import growth, load, pwa, recovery_point, roster, throughput

BENCHMARKS = {
    "pwa": pwa.main,
    "throughput": throughput.main,
    "concurrency": load.concurrency_main,
    "soak": load.soak_main,
    "recovery_point": recovery_point.main,
    "roster": roster.main,
    "growth": growth.main,
}


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}")
        print(f"== {name}", flush=True)
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
