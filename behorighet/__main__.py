"""`python -m behorighet`: check the mapping file, show what a person gets, print the role × page matrix."""

from __future__ import annotations

import argparse
import sys

from behorighet.mappning import Behorighetsfilfel, las, mappningsfil
from behorighet.roller import FORMAGOR, ROLLER, SIDOR


def matris() -> str:
    """The role × page matrix as a Markdown table (the README's table is this output)."""
    roller = list(ROLLER)
    rader = ["| sida | " + " | ".join(roller) + " |", "|---|" + "---|" * len(roller)]
    for sida, tillatna in SIDOR.items():
        rader.append(f"| {sida} | " + " | ".join("ja" if r in tillatna else "–" for r in roller) + " |")
    for formaga, tillatna in FORMAGOR.items():
        rader.append(f"| ({formaga}) | " + " | ".join("ja" if r in tillatna else "–" for r in roller) + " |")
    return "\n".join(rader)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m behorighet", description="Kontrollera behörighetsfilen och se vad en person får se.")
    p.add_argument("--fil", help="behörighetsfilen (standard: $VU_BEHORIGHETER eller config/behorigheter.toml)")
    p.add_argument("--epost", action="append", default=[], help="personens e-postadress (anspråket email)")
    p.add_argument("--grupp", action="append", default=[], help="en grupp personen är med i (anspråket groups); kan upprepas")
    p.add_argument("--matris", action="store_true", help="skriv rollernas sidbehörigheter som en tabell")
    a = p.parse_args(argv)
    if a.matris:
        print(matris())
        return 0
    fil = a.fil or mappningsfil()
    try:
        beh = las(fil)
    except Behorighetsfilfel as fel:
        print(f"Fel: {fel}", file=sys.stderr)
        return 1
    print(f"{fil}: {len(beh.regler)} regler, inloggningen gäller {beh.giltig_timmar:g} timmar.")
    if not (a.epost or a.grupp):
        return 0
    anv = beh.anvandare({"email": a.epost[0] if a.epost else None, "upn": a.epost[1:] or None, "groups": a.grupp})
    if anv is None:
        print(f"Ingen regel matchar: personen ser bara 'Du saknar behörighet – {beh.kontakt}'")
        return 0
    print(f"Roller: {', '.join(sorted(anv.roller))}")
    print("Enheter: " + ("alla" if anv.omfang is None else (", ".join(anv.omfang) or "inga (ser inga enhetsuppgifter)")))
    print(f"Sidor: {', '.join(anv.sidor)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
