"""The app's pages, declared once: navigation sections in app.py and the page lists of the scripts read this."""

from __future__ import annotations

from pathlib import Path

# section → (page file, title, icon); the URL path of a page is its file name without .py
SIDKARTA: dict[str, list[tuple[str, str, str]]] = {
    "Uppföljning": [
        ("pages/oversikt.py", "Översikt", ":material/dashboard:"),
        ("pages/maluppfyllelse.py", "Måluppfyllelse", ":material/flag:"),
    ],
    "Verksamhet": [
        ("pages/produktivitet.py", "Produktivitet", ":material/payments:"),
        ("pages/telefoni.py", "Telefoni", ":material/call:"),
        ("pages/sjukfranvaro.py", "Sjukfrånvaro", ":material/healing:"),
        ("pages/ekonomi.py", "Ekonomi", ":material/account_balance:"),
    ],
    "Möten och rapporter": [
        ("pages/apt_lage.py", "APT-läge", ":material/co_present:"),
    ],
    "Data": [
        ("pages/datakvalitet.py", "Datakvalitet", ":material/fact_check:"),
        ("pages/leverera_data.py", "Leverera data", ":material/upload_file:"),
        ("pages/om_indikatorerna.py", "Om indikatorerna", ":material/menu_book:"),
    ],
    "Om tjänsten": [
        ("pages/tillganglighet.py", "Tillgänglighetsredogörelse", ":material/accessibility:"),
    ],
}


# The detail page of each section of the KPI catalogue (kpi.AVSNITT): a tile or a goal's indicator row leads to its
# indicator's section page (ui/drill.py). Indicators without a page of their own (surveys, manual counts) lead to
# their definition.
AVSNITT_SIDA: dict[str, str] = {
    "Produktivitet": "pages/produktivitet.py",
    "Telefoni": "pages/telefoni.py",
    "Sjukfrånvaro": "pages/sjukfranvaro.py",
    "Ekonomi": "pages/ekonomi.py",
    "Kund och medarbetare": "pages/om_indikatorerna.py",
}


def detaljsida(avsnitt: str) -> tuple[str, str] | None:
    """(page file, title) of a catalogue section's page, None for a section without one."""
    fil = AVSNITT_SIDA.get(avsnitt)
    return next(((f, titel) for rader in SIDKARTA.values() for f, titel, _ in rader if f == fil), None)


def sidor(utom: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(URL path, title) of every page in navigation order, leaving out the given URL paths."""
    return [(Path(fil).stem, titel) for avsnitt in SIDKARTA.values() for fil, titel, _ in avsnitt if Path(fil).stem not in utom]
