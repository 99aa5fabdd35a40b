"""CLI: `python -m bench --scale small|city [--out bench/results/<scale>.json]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.runner import BenchError, run


def main(argv: list[str] | None = None) -> int:
    """Generate the data if needed, measure ours against pandas, print the table and write JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmark: ETL och sidfrågor mot en pandas-pipeline")
    parser.add_argument("--scale", choices=["small", "city"], default="small")
    parser.add_argument("--out", type=Path, help="JSON-resultat (standard bench/results/<scale>.json)")
    parser.add_argument("--data", type=Path, help="datamapp (standard bench/data/<scale>)")
    parser.add_argument("--warm-runs", type=int, help="varma körningar per sida och filter")
    parser.add_argument("--cold-runs", type=int, help="kalla körningar (ny process) per sida och filter")
    parser.add_argument("--regenerate", action="store_true", help="generera rådata på nytt även om den finns")
    args = parser.parse_args(argv)
    try:
        run(
            scale=args.scale,
            out=args.out or Path("bench/results") / f"{args.scale}.json",
            data=args.data or Path("bench/data") / args.scale,
            warm_runs=args.warm_runs,
            cold_runs=args.cold_runs,
            regenerate=args.regenerate,
        )
    except BenchError as exc:
        print(f"\nBENCHMARK AVBRUTEN / ABORTED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
