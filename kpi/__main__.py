"""CLI: python -m kpi [--parquet DIR] (--year Y [--tertial N] | --month YYYY-MM) [--ytd] [--unit NAME ...] [--sida SIDA] [--format table|json|csv]."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import unicodedata

import polars as pl

from kpi.cli import oppna_lake
from kpi.compute import KpiResult, compute
from kpi.format import STATUS_ORD
from kpi.period import Filters, Period
from kpi.queries import SIDOR
from sakerhet import csv_cell, neutralisera_csv

JSON_KEYS = ("id", "namn", "varde", "mal", "kf_mal", "status", "matt", "period", "orsak", "anmarkning")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m kpi",
        description="Skriv ut alla nyckeltal för en period med årsmål och bedömning.",
    )
    p.add_argument("--parquet", metavar="KATALOG", help="Parquet-katalog (standard: $VU_PARQUET eller data/parquet)")
    p.add_argument("--year", type=int, metavar="ÅR", help="år, t.ex. 2025 (ange --year eller --month)")
    p.add_argument("--month", metavar="ÅÅÅÅ-MM", help="månad, t.ex. 2025-03")
    p.add_argument("--tertial", type=int, choices=(1, 2, 3), help="tertial inom året (kräver --year)")
    p.add_argument("--ytd", action="store_true", help="hittills i år: från januari till periodens sista månad")
    p.add_argument("--unit", nargs="+", action="extend", default=[], metavar="ENHET", help="en eller flera enheter")
    p.add_argument("--ko", nargs="+", action="extend", default=[], metavar="KÖ", help="telefonikö(er) (standard: alla)")
    p.add_argument(
        "--forvaltning", nargs="+", action="extend", default=[], metavar="FÖRVALTNING", help="förvaltning(ar) för volymerna (standard: alla)"
    )
    p.add_argument("--sida", metavar="SIDA", help="skriv ut allt som en sida i dashboarden visar: " + ", ".join(sorted(SIDOR)))
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="utdataformat")
    return p


def _period(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Period:
    # Checked here rather than by an argparse group so the message is Swedish.
    if (args.year is None) == (args.month is None):
        parser.error("ange antingen --year eller --month (inte båda)")
    try:
        if args.month:
            if args.tertial:
                parser.error("--tertial kan bara användas med --year")
            period = Period.parse(args.month, ytd=args.ytd)
            if period.month is None:
                parser.error(f"--month ska vara ÅÅÅÅ-MM, fick '{args.month}'")
            return period
        return Period(args.year, tertial=args.tertial, ytd=args.ytd)
    except ValueError as exc:
        parser.error(str(exc))


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def format_table(results) -> str:
    """Aligned Swedish table: Indikator | Utfall | Årsmål | KF:s årsmål | Bedömning | Period | Kommentar."""
    header = ["Indikator", "Utfall", "Årsmål", "KF:s årsmål", "Bedömning", "Period", "Kommentar"]
    rows = []
    for r in results:
        comment = "; ".join(x for x in (r.orsak, r.anmarkning) if x)
        rows.append(
            [
                r.namn,
                r.text(r.varde),
                r.text(r.mal),
                r.text(r.kf_mal),
                STATUS_ORD[r.status],
                r.period,
                comment,
            ]
        )
    # The no-break spaces of the Swedish number format count as one column each, like any character.
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    numeric = {1, 2, 3}
    lines = []
    for n, row in enumerate([header, *rows]):
        cells = [_pad(c, widths[i], right=i in numeric and n > 0) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _csv_rad(rad: dict) -> dict:
    """A CSV row whose text cells never run as formulas when the file is opened in Excel (OWASP)."""
    return {k: csv_cell(v) for k, v in rad.items()}


def _ar_kpi_lista(varde) -> bool:
    return isinstance(varde, list) and all(isinstance(r, KpiResult) for r in varde)


def skriv_sida(sida: str, data: dict, period: Period, format: str) -> None:
    """Print every table a dashboard page shows, from the same page function the page calls."""
    if format == "json":
        ut = {k: [r.as_json() for r in v] if _ar_kpi_lista(v) else v.to_dicts() for k, v in data.items()}
        json.dump({"sida": sida, "period": period.label, "tabeller": ut}, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return
    for nyckel, varde in data.items():
        if format == "csv":
            print(f"# {nyckel}")
            if _ar_kpi_lista(varde):
                writer = csv.DictWriter(sys.stdout, fieldnames=list(JSON_KEYS), lineterminator="\n")
                writer.writeheader()
                writer.writerows(_csv_rad(r.as_json()) for r in varde)
            else:
                sys.stdout.write(neutralisera_csv(varde).write_csv())
        else:
            print(f"{nyckel} – {period.label}")
            if _ar_kpi_lista(varde):
                print(format_table(varde))
            else:
                with pl.Config(
                    tbl_rows=-1,
                    tbl_cols=-1,
                    fmt_str_lengths=80,
                    tbl_hide_dataframe_shape=True,
                    tbl_hide_column_data_types=True,
                    thousands_separator=" ",
                    decimal_separator=",",
                    fmt_float="full",
                    float_precision=2,
                    tbl_width_chars=400,
                ):
                    print(varde)
        print()


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, compute every indicator and print them; 2 on usage errors."""
    parser = _parser()
    args = parser.parse_args(argv)
    period = _period(args, parser)
    con = oppna_lake(parser, args.parquet, args.unit)
    filters = Filters(units=tuple(args.unit), queues=tuple(args.ko), forvaltningar=tuple(args.forvaltning))
    if args.sida:
        if args.sida not in SIDOR:
            parser.error(f"Okänd sida: {args.sida}. Sidor: {', '.join(sorted(SIDOR))}")
        skriv_sida(args.sida, SIDOR[args.sida](con, period, filters), period, args.format)
        return 0
    results = compute(period, filters, con=con)
    if args.format == "json":
        json.dump([r.as_json() for r in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(JSON_KEYS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(_csv_rad(r.as_json()) for r in results)
    else:
        title = f"Nyckeltal {period.label}" + (f" – {', '.join(args.unit)}" if args.unit else "")
        print(title)
        print()
        print(format_table(results))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # Output piped into e.g. `head`: stop quietly (Python docs' recipe, so shutdown does not raise again).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
