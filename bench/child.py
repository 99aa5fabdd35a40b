"""Entry point of measured child processes: `python -m bench.child etl|pandas-etl ... --result FILE`."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, is_dataclass
from pathlib import Path

from bench.measure import own_maxrss_bytes


def _jsonable(obj):
    if is_dataclass(obj):
        return _jsonable(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def our_etl(raw: Path, parquet: Path, quarantine: Path) -> dict:
    """Time the product's ETL (imports happen before the clock starts, as for pandas)."""
    import etl

    started = time.perf_counter()
    result = etl.run(raw, parquet, quarantine)
    wall = time.perf_counter() - started
    return {"wall_s": wall, "run": _jsonable(result)}


def pandas_etl(raw: Path, out: Path) -> dict:
    """Time the analyst's pandas pipeline."""
    from bench import pandas_ref

    started = time.perf_counter()
    rows = pandas_ref.run_etl(raw, out)
    wall = time.perf_counter() - started
    return {"wall_s": wall, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    """Parse the sub-command, run it and write its JSON result (with the kernel's peak RSS)."""
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("what", choices=["etl", "pandas-etl"])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--quarantine", type=Path)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "etl":
        result = our_etl(args.raw, args.out, args.quarantine)
    else:
        result = pandas_etl(args.raw, args.out)
    result["maxrss_bytes"] = own_maxrss_bytes()
    args.result.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
