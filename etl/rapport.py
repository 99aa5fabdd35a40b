"""Swedish texts about validation outcomes: row examples for the run log and the quarantine report file."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from etl.kallor import TOLKAD, Kalla
from etl.validera import Regelutfall
from sakerhet import maskera

EXEMPEL_I_LOGG = 5
EXEMPEL_I_RAPPORT = 50


def tal(n: int) -> str:
    """1150 → '1 150' (plain space: the report is a text file)."""
    return f"{n:,}".replace(",", " ")


def _visade_kolumner(utfall: Regelutfall, kalla: Kalla, ra: pl.DataFrame) -> list[str]:
    kolumner: list[str] = []
    for k in utfall.kolumner:
        k = k.removesuffix(TOLKAD)
        for u in kalla.harledd_av(k) or (k,):
            if u in ra.columns and u not in kolumner:
                kolumner.append(u)
    return kolumner


def exempel(utfall: Regelutfall, kalla: Kalla, ra: pl.DataFrame, antal: int) -> list[str]:
    """'rad 14: Inkommande = "10", Besvarade = "12"' for the first failing rows, values as written in the file."""
    kolumner = _visade_kolumner(utfall, kalla, ra)
    rader = utfall.rader[:antal]
    varden = {r["_rad"]: r for r in ra.filter(pl.col("_rad").is_in(rader)).select(["_rad", *kolumner]).to_dicts()}
    rader_text = []
    for nr in rader:
        rad = varden.get(nr, {})
        delar = []
        for k in kolumner:
            if kalla.ar_person(k):
                varde = "(dold personuppgift)"  # the identifier stays in the raw file only
            else:
                v = rad.get(k)
                varde = "(tom)" if v is None or not str(v).strip() else f'"{v}"'
            delar.append(f"{kalla.rubrik(k)} = {varde}")
        rader_text.append(f"rad {nr}: " + ", ".join(delar) if delar else f"rad {nr}")
    return [maskera(t) for t in rader_text]


def kort_exempel(utfall: Regelutfall, kalla: Kalla, ra: pl.DataFrame | None) -> str:
    """One line for etl_valideringar.exempel."""
    if utfall.saknade_kolumner:
        return "saknas: " + ", ".join(kalla.rubrik(k) for k in utfall.saknade_kolumner)
    if utfall.undantag:
        return "kunde inte kontrolleras: " + utfall.undantag
    if ra is None or not utfall.rader:
        return ""
    text = "; ".join(exempel(utfall, kalla, ra, EXEMPEL_I_LOGG))
    return text + (f"; … ({tal(utfall.antal_fel)} rader totalt)" if utfall.antal_fel > EXEMPEL_I_LOGG else "")


def karantanrapport(
    *,
    fil: str,
    kalla: Kalla,
    korning_id: str,
    sha256: str,
    rader: int | None,
    orsak: str | None,
    utfall: list[Regelutfall],
    ra: pl.DataFrame | None,
    karantanfil: str,
    okanda_kolumner: list[str] | None = None,
    levererad_av: str | None = None,
) -> str:
    """The readable report written beside a quarantined file; every line but the checksum redacted (sakerhet.maskera)."""
    rad = [
        "AVVISAD FIL – valideringsrapport",
        "",
        f"Fil:        {fil}",
        f"Källa:      {kalla.namn}",
        f"Körning:    {korning_id} ({datetime.now():%Y-%m-%d %H:%M})",
    ]
    if levererad_av:
        rad.append(f"Levererad av: {levererad_av} (i appen)")
    if rader is not None:
        rad.append(f"Datarader:  {tal(rader)}")
    rad += [
        f"Flyttad till: {karantanfil}",
        "",
        "Filen har avvisats i sin helhet: ingenting från den har lästs in, och data som redan fanns är orörda.",
        # A quoted line break inside a CSV field is one row in Excel but two lines in an editor; users open exports in Excel.
        "Radnummer avser raden i originalfilen så som Excel numrerar den (en radbrytning inom citattecken är ingen ny rad).",
        (
            "Rätta filen och leverera den igen på sidan Leverera data."
            if levererad_av
            else f"Rätta filen och lägg tillbaka den i källmappen {kalla.namn}/ så läses den in vid nästa körning."
        ),
        "",
    ]
    if orsak:
        rad += ["Fel:", f"  {orsak}", ""]
    if okanda_kolumner:
        rad += ["Kolumner som inte känns igen (ignoreras): " + ", ".join(okanda_kolumner), ""]
    fel = [u for u in utfall if not u.lyckades]
    if any(u.saknade_kolumner for u in fel):
        fel = [u for u in fel if not u.undantag]  # a rule on a missing column says nothing beyond "the column is missing"
    if fel:
        rad.append(f"Regler som inte uppfylls ({len(fel)} av {len(utfall)}):")
        rad.append("")
    for nr, u in enumerate(fel, 1):
        rad.append(f"{nr}. {u.regel}")
        rad.append(f"   (regel: {u.expectation}{', kolumn: ' + ', '.join(kalla.rubrik(k) for k in u.kolumner) if u.kolumner else ''})")
        if u.saknade_kolumner:
            rad.append("   Saknade kolumner: " + ", ".join(kalla.rubrik(k) for k in u.saknade_kolumner))
        elif u.undantag:
            rad.append(f"   Regeln kunde inte kontrolleras: {u.undantag}")
        else:
            rad.append(f"   {tal(u.antal_fel)} {'rad bryter' if u.antal_fel == 1 else 'rader bryter'} mot regeln:")
            if ra is not None:
                rad += [f"   {e}" for e in exempel(u, kalla, ra, EXEMPEL_I_RAPPORT)]
            if u.antal_fel > EXEMPEL_I_RAPPORT:
                rad.append(f"   … och {tal(u.antal_fel - EXEMPEL_I_RAPPORT)} rader till")
        rad.append("")
    text = maskera("\n".join(rad))
    # the checksum is added after redaction: 64 hex digits may by chance hold ten digits shaped like a personnummer
    rader = text.split("\n")
    rader.insert(5, f"SHA-256:    {sha256 or '(inte beräknad)'}")
    return "\n".join(rader) + "\n"
