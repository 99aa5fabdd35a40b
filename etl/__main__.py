"""CLI: `python -m etl [--raw DIR] [--parquet DIR] [--quarantine DIR] [--source NAME ...] [--logg FIL]`.

Exit codes: 0 everything loaded, 1 one or more files rejected (the rest loaded), 2 usage error, 3 the run itself
could not complete (lake not writable, disk full, lock timeout; nothing changed). Every message is one Swedish line
without a traceback and without personnummer; the full traceback goes to the log file for IT.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from lake import DEFAULT_PARQUET, DEFAULT_QUARANTINE, DEFAULT_RAW
from lake.schema import SOURCES
from sakerhet import maskera

OK, AVVISADE, ANVANDNING, KORNINGSFEL = 0, 1, 2, 3


def _ut(text: str = "", fil=None, **kw) -> None:
    """Print through the one redaction function (stdout unless `fil`)."""
    print(maskera(text), file=fil or sys.stdout, **kw)


class _Tolk(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        _ut(f"Fel: {message}", sys.stderr)
        sys.exit(ANVANDNING)


def _argument(argv: list[str] | None) -> argparse.Namespace:
    tolk = _Tolk(prog="python -m etl", description="Läser in rådata från källmapparna till Parquet, med validering (great-expectations).")
    tolk.add_argument("--raw", default=os.environ.get("VU_RAW", DEFAULT_RAW), help="mapp med rådata, en undermapp per källa (standard: data/raw)")
    tolk.add_argument("--parquet", default=os.environ.get("VU_PARQUET", DEFAULT_PARQUET), help="Parquet-mapp (standard: data/parquet)")
    tolk.add_argument(
        "--quarantine", default=os.environ.get("VU_QUARANTINE", DEFAULT_QUARANTINE), help="mapp för avvisade filer (standard: data/quarantine)"
    )
    tolk.add_argument("--source", nargs="+", action="extend", choices=SOURCES, metavar="NAME", help=f"bara dessa källor: {', '.join(SOURCES)}")
    tolk.add_argument("--logg", help="loggfil för IT (standard: $VU_ETL_LOGG eller data/logg/etl.log)")
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
    from etl import logg

    loggfil = logg.starta(arg.logg)
    try:
        return _kor(arg, loggfil)
    except KeyboardInterrupt:
        logg.LOGG.warning("Avbruten av användaren")
        _ut("Fel: Inläsningen avbröts. Ingenting ändrades; data från förra inläsningen gäller.", sys.stderr)
        return KORNINGSFEL
    except BaseException as fel:  # the last guard: never a traceback on the terminal
        logg.LOGG.error("Oväntat fel i ETL-kommandot", exc_info=fel)
        _ut(f"Fel: Inläsningen kunde inte slutföras ({type(fel).__name__}). Tekniska detaljer för IT: {loggfil}", sys.stderr)
        return KORNINGSFEL


def _kor(arg: argparse.Namespace, loggfil) -> int:
    import etl  # after argument parsing so `--help` stays instant
    from etl.logg import LOGG

    interaktiv = sys.stderr.isatty()
    senast = {"kalla": "", "tid": 0.0}

    def framsteg(fil: str, klara: int, totalt: int) -> None:
        text = f"[{klara}/{totalt}] {fil}"
        if interaktiv:
            _ut(f"\r\033[K{text}", sys.stderr, end="" if klara < totalt else "\n", flush=True)
            return
        # In a log or the dashboard's status box: a line per source, and one every few seconds within a long one.
        kalla = fil.split("/", 1)[0]
        if kalla != senast["kalla"] or time.monotonic() - senast["tid"] > 5 or klara == totalt:
            _ut(text, sys.stderr, flush=True)
            senast.update(kalla=kalla, tid=time.monotonic())

    start = time.perf_counter()
    try:
        resultat = etl.run(arg.raw, arg.parquet, arg.quarantine, sources=arg.source, progress=framsteg)
    except etl.EtlFel as fel:
        _ut(f"Fel: {fel}", sys.stderr)
        return ANVANDNING
    except etl.KorningsFel as fel:
        LOGG.error("Körningen kunde inte slutföras: %s", fel, exc_info=fel)
        if interaktiv:
            _ut(fil=sys.stderr)
        _ut(f"Fel: {fel} Tekniska detaljer för IT: {loggfil}", sys.stderr)
        return KORNINGSFEL
    sekunder = time.perf_counter() - start

    for k in resultat.saknade_kallor:
        _ut(f"Obs: källmappen {k}/ finns inte i {arg.raw} – källan hoppades över.")
    for k in resultat.avbrutna:
        _ut(f"Obs: körning {k} avbröts innan den blev klar; den är nu noterad i körloggen och ingenting av den syns i data.")
    for f in resultat.files:
        if f.utfall == "avvisad":
            _ut(f"AVVISAD  {f.fil}: {f.meddelande}\n         rapport: {f.rapport}")
        elif f.utfall == "ignorerad":
            _ut(f"Obs      {f.fil}: {f.meddelande}")
        elif f.utfall == "inläst" and f.meddelande:
            _ut(f"Obs      {f.fil}: {f.meddelande}")
    for v in resultat.varningar:
        _ut(f"Varning: {v}")
    rader = [[k, s["filer"], s["inlasta"], s["oforandrade"], s["avvisade"], _tal(s["rader"])] for k, s in resultat.summary.items()]
    summa = [sum(r[i] for r in rader) for i in range(1, 5)]
    rader.append(["Totalt", *summa, _tal(sum(s["rader"] for s in resultat.summary.values()))])
    _ut()
    _ut(_tabell(["källa", "filer", "inlästa", "oförändrade", "avvisade", "rader inlästa"], rader))
    _ut()
    avvisade = sum(f.utfall == "avvisad" for f in resultat.files)
    status = "inga filer avvisades" if resultat.exit_code == 0 else f"{avvisade} fil(er) avvisade och flyttade till {arg.quarantine}"
    tid = f"{sekunder:.1f}".replace(".", ",")
    _ut(f"Körning {resultat.korning_id} klar på {tid} s – {status}.")
    return AVVISADE if resultat.exit_code else OK


if __name__ == "__main__":
    sys.exit(main())
