"""CLI: `python -m etl [--raw DIR] [--parquet DIR] [--quarantine DIR] [--source NAME ...]`, exit 0 / 1 / 2."""

from __future__ import annotations

import argparse
import os
import sys
import time

from lake import DEFAULT_PARQUET, DEFAULT_QUARANTINE, DEFAULT_RAW
from lake.schema import SOURCES


class _Tolk(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        print(f"Fel: {message}", file=sys.stderr)
        sys.exit(2)


def _argument(argv: list[str] | None) -> argparse.Namespace:
    tolk = _Tolk(prog="python -m etl", description="Läser in rådata från källmapparna till Parquet, med validering (great-expectations).")
    tolk.add_argument("--raw", default=os.environ.get("VU_RAW", DEFAULT_RAW), help="mapp med rådata, en undermapp per källa (standard: data/raw)")
    tolk.add_argument("--parquet", default=os.environ.get("VU_PARQUET", DEFAULT_PARQUET), help="Parquet-mapp (standard: data/parquet)")
    tolk.add_argument(
        "--quarantine", default=os.environ.get("VU_QUARANTINE", DEFAULT_QUARANTINE), help="mapp för avvisade filer (standard: data/quarantine)"
    )
    tolk.add_argument("--source", nargs="+", action="extend", choices=SOURCES, metavar="NAME", help=f"bara dessa källor: {', '.join(SOURCES)}")
    return tolk.parse_args(argv)


def _tabell(rubriker: list[str], rader: list[list[str]]) -> str:
    bredd = [max(len(str(r[i])) for r in [rubriker, *rader]) for i in range(len(rubriker))]

    def rad(celler: list[str]) -> str:
        return "  ".join(str(c).ljust(bredd[i]) if i == 0 else str(c).rjust(bredd[i]) for i, c in enumerate(celler))

    return "\n".join([rad(rubriker), "  ".join("-" * b for b in bredd), *(rad(r) for r in rader)])


def _tal(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def main(argv: list[str] | None = None) -> int:
    """Run the ETL and print progress and a Swedish summary; returns the exit code."""
    arg = _argument(argv)
    import etl  # after argument parsing so `--help` stays instant

    interaktiv = sys.stderr.isatty()
    senast = {"kalla": "", "tid": 0.0}

    def framsteg(fil: str, klara: int, totalt: int) -> None:
        text = f"[{klara}/{totalt}] {fil}"
        if interaktiv:
            print(f"\r\033[K{text}", end="" if klara < totalt else "\n", file=sys.stderr, flush=True)
            return
        # In a log or the dashboard's status box: a line per source, and one every few seconds within a long one.
        kalla = fil.split("/", 1)[0]
        if kalla != senast["kalla"] or time.monotonic() - senast["tid"] > 5 or klara == totalt:
            print(text, file=sys.stderr, flush=True)
            senast.update(kalla=kalla, tid=time.monotonic())

    start = time.perf_counter()
    try:
        resultat = etl.run(arg.raw, arg.parquet, arg.quarantine, sources=arg.source, progress=framsteg)
    except etl.EtlFel as fel:
        print(f"Fel: {fel}", file=sys.stderr)
        return 2
    sekunder = time.perf_counter() - start

    for k in resultat.saknade_kallor:
        print(f"Obs: källmappen {k}/ finns inte i {arg.raw} – källan hoppades över.")
    for f in resultat.files:
        if f.utfall == "avvisad":
            print(f"AVVISAD  {f.fil}: {f.meddelande}\n         rapport: {f.rapport}")
        elif f.utfall == "inläst" and f.meddelande:
            print(f"Obs      {f.fil}: {f.meddelande}")
    rader = [[k, s["filer"], s["inlasta"], s["oforandrade"], s["avvisade"], _tal(s["rader"])] for k, s in resultat.summary.items()]
    summa = [sum(r[i] for r in rader) for i in range(1, 5)]
    rader.append(["Totalt", *summa, _tal(sum(s["rader"] for s in resultat.summary.values()))])
    print()
    print(_tabell(["källa", "filer", "inlästa", "oförändrade", "avvisade", "rader inlästa"], rader))
    print()
    status = "inga filer avvisades" if resultat.exit_code == 0 else f"{summa[3]} fil(er) avvisade och flyttade till {arg.quarantine}"
    tid = f"{sekunder:.1f}".replace(".", ",")
    print(f"Körning {resultat.korning_id} klar på {tid} s – {status}.")
    return resultat.exit_code


if __name__ == "__main__":
    sys.exit(main())
