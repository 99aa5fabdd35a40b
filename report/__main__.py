"""CLI: python -m report --year Y --tertial N [--unit NAME ...] --out rapport.pdf|rapport.pptx, or an APT deck from a saved set."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import kpi
from kpi import Filters, Period
from kpi.cli import oppna_lake
from kpi.format import tal
from report import dokument, render, sets
from report.slides import KATALOG, STANDARDSET


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m report",
        description=(
            "Skapa tertialrapporten (PDF eller PowerPoint) eller ett APT-bildspel. Formatet avgörs av filändelsen i --out.\n"
            "Exempel: python -m report --year 2026 --tertial 2 --out rapport.pdf\n"
            "         python -m report --set 'APT Enhet 2' --month 2026-03 --unit 'Enhet 2' --out apt.pptx"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--parquet", metavar="KATALOG", help="Parquet-katalog (standard: $VU_PARQUET eller data/parquet)")
    p.add_argument("--year", type=int, metavar="ÅR", help="år, t.ex. 2026")
    p.add_argument("--tertial", type=int, choices=(1, 2, 3), help="tertial (1 = jan–apr, 2 = maj–aug, 3 = sep–dec)")
    p.add_argument("--month", metavar="ÅÅÅÅ-MM", help="månad för ett APT-bildspel, t.ex. 2026-03")
    p.add_argument("--unit", nargs="+", action="extend", default=[], metavar="ENHET", help="en eller flera enheter (standard: alla)")
    p.add_argument("--indikator", nargs="+", action="extend", default=[], metavar="ID", help="tertialrapport: bara dessa indikatorer")
    apt = p.add_mutually_exclusive_group()
    apt.add_argument("--set", metavar="NAMN", help="APT-bildspel: ett sparat bildspel (se --lista)")
    apt.add_argument("--bilder", nargs="+", metavar="ID", help=f"APT-bildspel: dessa bilder i ordning (standard: {' '.join(STANDARDSET)})")
    apt.add_argument("--apt", action="store_true", help="APT-bildspel med standarduppsättningen")
    p.add_argument("--set-katalog", metavar="KATALOG", help="mapp med sparade bildspel (standard: $VU_APT_SET eller data/apt_set)")
    p.add_argument("--lista", action="store_true", help="visa tillgängliga bilder och sparade bildspel och avsluta")
    p.add_argument("--out", metavar="FIL", help="utfil: .pdf eller .pptx")
    return p


def _lista(set_katalog: str | None) -> None:
    print("Bilder (id – titel):")
    for b in KATALOG.values():
        print(f"  {b.id:<34} {b.titel}")
    print("\nSparade bildspel:")
    spel = sets.lista(set_katalog)
    for s in spel:
        print(f"  {s.namn}: {', '.join(s.bilder)}")
    if not spel:
        print("  (inga)")


def _period(args: argparse.Namespace, parser: argparse.ArgumentParser, apt: bool) -> Period:
    try:
        if args.month:
            if args.tertial or args.year:
                parser.error("Ange antingen --month eller --year/--tertial, inte båda")
            period = Period.parse(args.month)
            if period.month is None:
                parser.error(f"--month ska vara ÅÅÅÅ-MM, fick '{args.month}'")
            return period
        if args.year is None:
            parser.error("Ange --year (och --tertial) eller --month")
        if not apt and args.tertial is None:
            parser.error("Tertialrapporten behöver --tertial 1, 2 eller 3")
        return Period(args.year, tertial=args.tertial)
    except ValueError as exc:
        parser.error(str(exc))


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the report or deck, write it; 2 on usage errors, 1 when the data cannot make it."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.lista:
        _lista(args.set_katalog)
        return 0
    if not args.out:
        parser.error("Ange utfil med --out, t.ex. --out rapport.pdf")
    format = Path(args.out).suffix.lower().lstrip(".")
    if format not in dokument.FORMAT:
        parser.error(f"Utfilen ska sluta på .pdf eller .pptx, fick '{args.out}'")
    apt = bool(args.set or args.bilder or args.apt)
    if apt and args.indikator:
        parser.error("--indikator gäller tertialrapporten; välj bilder till ett APT-bildspel med --bilder")
    period = _period(args, parser, apt)
    start = time.perf_counter()
    con = oppna_lake(parser, args.parquet, args.unit)
    filters = Filters(units=tuple(args.unit))
    # Everything a user can mistype is checked before Chromium starts.
    try:
        if args.set:
            spel = sets.hamta(args.set, args.set_katalog)
            namn, ids = spel.namn, tuple(spel.bilder)
        else:
            namn, ids = "APT", tuple(args.bilder or STANDARDSET)
        if apt and (okanda := [i for i in ids if i not in KATALOG]):
            raise ValueError(f"Okänd bild: {', '.join(okanda)}. Tillgängliga: {', '.join(KATALOG)}")
        for indikator_id in args.indikator:
            kpi.indicator(indikator_id, con)
    except (KeyError, ValueError) as exc:
        parser.error(str(exc).strip("'\""))
    render.forvarm()  # Chromium boots while the KPI layer builds the pages
    if apt:
        dok = dokument.apt_deck(ids, period, filters, con, namn)
    else:
        dok = dokument.tertialrapport(period.year, period.tertial, filters, con, ids=args.indikator or None)
    try:
        data = dokument.skriv(dok, format)
    finally:
        render.stang()
    ut = Path(args.out)
    ut.parent.mkdir(parents=True, exist_ok=True)
    tmp = ut.with_name(ut.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(ut)  # a half-written report never replaces a good one
    sekunder = time.perf_counter() - start
    print(
        f"Skrev {ut} ({len(dok.sidor)} diagramsidor, {tal(len(data) / 1024)} kB) på {tal(sekunder, 1)} s, "
        f"varav diagrambilder {tal(render.senaste_renderingstid_s, 1)} s.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
