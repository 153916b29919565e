"""Run every benchmark module in this package that defines `run()`, in name order, and print its figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main() -> int:
    only = set(sys.argv[1:])
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or (only and info.name not in only):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        print(f"== {info.name} ==", flush=True)
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
