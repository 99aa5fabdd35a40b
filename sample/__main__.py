"""CLI: python -m sample [--preset default|small|city] [--out DIR] [--seed N] [scale options]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sample import PRESETS, generate
from sample.kalender import parse_month
from sample.parametrar import ParameterFel


def _month(text: str) -> str:
    try:
        parse_month(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är ingen månad på formen ÅÅÅÅ-MM") from None
    return text


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, generate, print a summary table; exit 2 on usage errors."""
    p = argparse.ArgumentParser(
        prog="python -m sample",
        description="Skapar deterministiska exempelexporter för alla källor. "
        "Tidigare genererade .csv/.xlsx i källmapparna under --out tas bort först.",
    )
    p.add_argument("--preset", choices=list(PRESETS), default="default")
    p.add_argument("--out", type=Path, default=Path("data/raw"), help="målmapp (standard data/raw)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--units", type=int, help="antal enheter")
    p.add_argument("--forvaltningar", type=int, help="antal förvaltningar")
    p.add_argument("--queues", type=int, help="antal telefonköer")
    p.add_argument("--start", type=_month, help="första månad, ÅÅÅÅ-MM")
    p.add_argument("--end", type=_month, help="sista månad, ÅÅÅÅ-MM")
    p.add_argument("--samtal-rader", type=int, dest="samtal_rader", help="ungefärligt antal rader i samtalsloggen")
    args = p.parse_args(argv)
    overrides = {k: getattr(args, k) for k in ("units", "forvaltningar", "queues", "start", "end", "samtal_rader")}
    try:
        summary = generate(args.out, args.preset, args.seed, **overrides)
    except ParameterFel as e:
        print(f"Fel: {e}", file=sys.stderr)
        return 2
    print(f"{'källa':<14}{'filer':>7}{'rader':>13}{'MB':>9}")
    for source, s in summary["sources"].items():
        print(f"{source:<14}{s['files']:>7}{s['rows']:>13,}{s['bytes'] / 1e6:>9.2f}".replace(",", " "))
    print(f"{'totalt':<14}{summary['files']:>7}{summary['rows']:>13,}{summary['bytes'] / 1e6:>9.2f}".replace(",", " "))
    print(f"Klart på {summary['seconds']} s → {summary['out']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
