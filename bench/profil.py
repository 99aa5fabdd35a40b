"""Where a page's time goes: `python -m bench.profil [--parquet DIR] [--page ID] [--unit NAME]` lists its SQL statements by total time."""

from __future__ import annotations

import argparse
import collections
import sys
import time

import lake


def profile_page(con, page: str, period, filters, top: int = 6) -> str:
    """Run a page once to warm up, then once counting every lake.query call; a short text report."""
    from kpi.queries import SIDOR

    original = lake.query
    calls: list[tuple[float, str]] = []

    def timed(c, sql, params=None):
        started = time.perf_counter()
        try:
            return original(c, sql, params)
        finally:
            calls.append((time.perf_counter() - started, " ".join(sql.split())[:90]))

    patched = [m for m in list(sys.modules.values()) if getattr(m, "query", None) is original and m is not lake]
    SIDOR[page](con, period, filters)
    lake.query = timed
    for m in patched:
        m.query = timed
    try:
        started = time.perf_counter()
        SIDOR[page](con, period, filters)
        total = time.perf_counter() - started
    finally:
        lake.query = original
        for m in patched:
            m.query = original
    per_sql: dict[str, list[float]] = collections.defaultdict(list)
    for seconds, sql in calls:
        per_sql[sql].append(seconds)
    lines = [f"{page}: {total * 1000:.0f} ms, {len(calls)} queries, {sum(s for s, _ in calls) * 1000:.0f} ms in SQL"]
    for sql, times in sorted(per_sql.items(), key=lambda kv: -sum(kv[1]))[:top]:
        lines.append(f"   {len(times):3d} × {sum(times) * 1000:7.0f} ms  {sql}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Profile every page (or one) with the default period and all units (or one)."""
    import kpi
    from kpi.queries import SIDOR

    parser = argparse.ArgumentParser(prog="python -m bench.profil")
    parser.add_argument("--parquet", default="bench/data/city/parquet")
    parser.add_argument("--page", choices=list(SIDOR))
    parser.add_argument("--unit")
    args = parser.parse_args(argv)
    con = lake.connect(args.parquet)
    senaste = kpi.senaste_manad(con)
    period = kpi.Period(senaste.year, tertial=(senaste.month - 1) // 4 + 1)
    filters = kpi.Filters(units=(args.unit,) if args.unit else ())
    for page in [args.page] if args.page else SIDOR:
        print(profile_page(con, page, period, filters), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
