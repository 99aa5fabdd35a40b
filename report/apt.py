"""What the APT page needs, cached per data version: one slide at a time, and deck/report files for the downloads."""

# No Streamlit here: the download buttons call these functions outside a script run, so caching is plain lru_cache
# keyed on the data version (a new ETL load gives a new version and therefore fresh slides).
from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

import lake
from kpi import Filters, Period
from report import dokument, render
from report.model import Figurtabell, Sida, figurtabell
from report.slides import KATALOG, MALBILD, malsidor
from uppfoljning import UppfoljningFel, standarddatabas

SKARM_HOJD = 640  # px: chart height on the page, leaving room for title, takeaway and buttons on a 1080p projector
TABELLRADER = 8  # rows per screen of a table slide: at 28 px they fit with title, takeaway and buttons from 1366×768 up


def period_nyckel(p: Period) -> tuple:
    """A hashable key for a Period."""
    return (p.year, p.tertial, p.month, p.ytd)


def filters_nyckel(f: Filters) -> tuple:
    """A hashable key for Filters."""
    return (f.units, f.queues, f.forvaltningar, f.servicegrad_definition, f.servicegrad_troskel_s, f.omfang)


def _period(nyckel: tuple) -> Period:
    ar, tertial, manad, ytd = nyckel
    return Period(ar, tertial=tertial, month=manad, ytd=ytd)


def _filters(nyckel: tuple) -> Filters:
    enheter, koer, forv, definition, troskel, omfang = nyckel  # omfang: the signed-in user's units, re-checked here
    return Filters(units=enheter, queues=koer, forvaltningar=forv, servicegrad_definition=definition, servicegrad_troskel_s=troskel, omfang=omfang)


def bild_nyckel(bild_id: str) -> str:
    """A widget key for a slide id."""
    return re.sub(r"[^a-z0-9_]", "_", bild_id)


def andringsnummer() -> tuple[int, ...] | None:
    """The follow-up store's change token (None when it cannot be reached): slides and files with goals are cached on it too."""
    try:
        return standarddatabas().andringsnummer()
    except UppfoljningFel:
        return None


@lru_cache(maxsize=32)
def _malsidor(root: str, version: str, period: tuple, filters: tuple, token: tuple | None) -> tuple[Sida, ...]:
    return tuple(malsidor(_period(period), _filters(filters), lake.anslutning(root, version)))


def bildnycklar(ids: list[str], root: str, version: str, period: tuple, filters: tuple, token: tuple | None) -> list[str]:
    """The slides to step through: the goal follow-up (MALBILD) becomes one slide per goal ('mal_och_analys#3')."""
    ut: list[str] = []
    for i in ids:
        if i == MALBILD:
            ut += [f"{MALBILD}#{k}" for k in range(len(_malsidor(root, version, period, filters, token)))] or [MALBILD]
        else:
            ut.append(i)
    return ut


@lru_cache(maxsize=256)
def aktuell_bild(bild_id: str, root: str, version: str, period: tuple, filters: tuple, token: tuple | None = None) -> Sida:
    """One slide for the screen: the catalogue's figure in projector type, sized for the page; a goal slide as it is."""
    if bild_id.partition("#")[0] == MALBILD:
        sidor = _malsidor(root, version, period, filters, token)
        nr = int(bild_id.partition("#")[2] or 0)
        return sidor[nr] if nr < len(sidor) else KATALOG[MALBILD].bygg(_period(period), _filters(filters), lake.anslutning(root, version))
    sida = KATALOG[bild_id].bygg(_period(period), _filters(filters), lake.anslutning(root, version))
    onskad = sida.figur.layout.height or 0  # a long table asks for more room than a chart
    fig = render.for_bild(sida.figur)
    fig.update_layout(height=max(SKARM_HOJD, onskad), margin_t=50, margin_b=20)
    return replace(sida, figur=fig)


@lru_cache(maxsize=64)
def skarmbilder(
    ids: tuple[str, ...], root: str, version: str, period: tuple, filters: tuple, token: tuple | None = None
) -> tuple[tuple[str, int, int], ...]:
    """The screens of a slide set in order: (slide id, part, parts); a table slide gets one screen per TABELLRADER rows."""
    ut: list[tuple[str, int, int]] = []
    for bild_id in ids:
        typ = KATALOG.get(bild_id.partition("#")[0])  # a goal slide ('mal_och_analys#3') is never a table
        tabell = figurtabell(aktuell_bild(bild_id, root, version, period, filters, token).figur) if typ is not None and typ.tabell else None
        delar = max(1, math.ceil(len(tabell.rader) / TABELLRADER)) if tabell is not None else 1
        ut.extend((bild_id, d, delar) for d in range(delar))
    return tuple(ut)


def skarmtabell_html(t: Figurtabell, del_: int) -> str:
    """One part of a table slide as a real HTML table (header cells, the assessment as a coloured badge with symbol and word)."""
    per_del = math.ceil(len(t.rader) / max(1, math.ceil(len(t.rader) / TABELLRADER)))  # 26 rows: 7, 7, 6, 6 rather than 8, 8, 8, 2
    rader, bakgrund, textfarg = (x[del_ * per_del : (del_ + 1) * per_del] for x in (t.rader, t.bakgrund, t.textfarg))
    huvud = "".join(f'<th scope="col"{" class=tal" if h else ""}>{html.escape(r)}</th>' for r, h in zip(t.rubriker, t.hoger))

    def cell(text: str, bg: str | None, fg: str | None, hoger: bool) -> str:
        if bg and bg.lower() not in ("#fff", "#ffffff", "white"):
            return f'<td><span class="apt-bricka" style="background:{bg};color:{fg or "#1a1a1a"}">{html.escape(text)}</span></td>'
        return f"<td{' class=tal' if hoger else ''}>{html.escape(text)}</td>"

    kropp = "".join(
        "<tr>" + "".join(cell(x, b, f, h) for x, b, f, h in zip(rad, bg, fg, t.hoger)) + "</tr>" for rad, bg, fg in zip(rader, bakgrund, textfarg)
    )
    # No fixed column widths (the printed table's): on a screen the names take what the figures and badges leave.
    return f'<table class="apt-tabell"><thead><tr>{huvud}</tr></thead><tbody>{kropp}</tbody></table>'


@lru_cache(maxsize=16)
def apt_fil(ids: tuple[str, ...], namn: str, root: str, version: str, period: tuple, filters: tuple, token: tuple | None = None) -> bytes:
    """The current slide set as a .pptx (token: the follow-up store's, so a new analysis gives a new file)."""
    dok = dokument.apt_deck(ids, _period(period), _filters(filters), lake.anslutning(root, version), namn)
    return dokument.skriv(dok, "pptx")


@lru_cache(maxsize=16)
def tertialrapport_fil(year: int, tertial: int, format: str, root: str, version: str, filters: tuple, token: tuple | None = None) -> bytes:
    """The tertial report as PDF or .pptx (token: the follow-up store's, so the report carries the newest analyses)."""
    dok = dokument.tertialrapport(year, tertial, _filters(filters), lake.anslutning(root, version))
    return dokument.skriv(dok, format)


def rapportfil_namn(namn: str, period_label: str, format: str) -> str:
    """'APT Enhet 2', 'mars 2026' → 'apt_enhet_2_mars_2026.pptx' (ASCII, safe in every browser)."""
    text = unicodedata.normalize("NFKD", f"{namn} {period_label}").encode("ascii", "ignore").decode().lower()
    return f"{re.sub(r'[^a-z0-9]+', '_', text).strip('_') or 'rapport'}.{format}"
