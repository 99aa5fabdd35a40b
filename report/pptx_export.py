"""PowerPoint (16:9) from a Dokument: real title placeholders, alt text on pictures, Swedish text, boxes sized to their text.

Every text box is sized from the text it holds, measured with Carlito (metric-compatible with Calibri, the deck's
typeface), so nothing overflows into the chart or off the slide; tests/report/test_pptx_rendering.py renders the deck
with LibreOffice and checks it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from PIL import ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from kpi.format import STATUS_FARG, STATUS_ORD, STATUS_SYMBOL, STATUS_TEXTFARG
from report.model import (
    AKTIVITET_RUBRIKER,
    ANALYS_SAKNAS,
    FORSLAG_TILL_TEXT,
    MALTABELL_RUBRIKER,
    UNDERMAL_RUBRIKER,
    Dokument,
    Figurtabell,
    Malavsnitt,
    Sida,
    Tabellrad,
    alt_text,
    figurtabell,
)

BREDD, HOJD = Inches(13.333), Inches(7.5)
MARGINAL = Inches(0.5)
INNEHALL_BREDD = BREDD - 2 * MARGINAL
MELLANRUM = Inches(0.12)
# Every text/background pair below is checked against WCAG 2.1 AA in tests/test_kontrast.py.
MORK = RGBColor(0x22, 0x22, 0x22)
GRA = RGBColor(0x59, 0x59, 0x59)
EJ_BEDOMD_BAKGRUND = RGBColor(0xEE, 0xEE, 0xEE)
TYPSNITT = "Calibri"
FORFATTARE = "Verksamhetsuppföljning"
SPRAK = "sv-SE"
# Carlito has Calibri's metrics, so text measured with it wraps where PowerPoint (and LibreOffice) wrap Calibri.
MATTYPSNITT = {False: "Carlito-Regular.ttf", True: "Carlito-Bold.ttf"}
TYPSNITT_KATALOG = Path("/usr/share/fonts/truetype/crosextra")
RADAVSTAND = 1.22  # Calibri's line height in em (ascent + descent of its Windows metrics)
INSATS_X, INSATS_Y = Inches(0.1), Inches(0.05)  # PowerPoint's default text-box insets

LAYOUT_TITEL, LAYOUT_BARA_RUBRIK = 0, 5  # the default template's "Title Slide" and "Title Only"


def _rgb(hexfarg: str) -> RGBColor:
    return RGBColor.from_string(hexfarg.lstrip("#").upper())


@cache
def _typsnitt(fet: bool) -> ImageFont.FreeTypeFont:
    fil = TYPSNITT_KATALOG / MATTYPSNITT[fet]
    if not fil.exists():
        raise RuntimeError(f"Typsnittet Carlito saknas ({fil}): kör 'bash scripts/ensure_system.sh'.")
    return ImageFont.truetype(str(fil), 1000)  # 1 000 px per em: widths in thousandths of the font size


def _rader(text: str, storlek: float, fet: bool, bredd: int) -> int:
    """How many lines the text wraps to in a box of this inner width (EMU), breaking at spaces as PowerPoint does."""
    typsnitt = _typsnitt(fet)
    max_pt = bredd / 12700
    antal = 0
    for stycke in text.split("\n"):
        rad = ""
        antal += 1
        for ord_ in stycke.split(" "):
            forsok = f"{rad} {ord_}" if rad else ord_
            if typsnitt.getlength(forsok) * storlek / 1000 <= max_pt or not rad:
                rad = forsok
            else:
                antal += 1
                rad = ord_
    return antal


def _hojd(rader: int, storlek: float) -> int:
    """A text box's height (EMU) for this many lines, insets included."""
    return int(Pt(storlek * RADAVSTAND * rader)) + 2 * INSATS_Y


def _storlek_som_far_plats(text: str, storlekar: tuple[int, ...], fet: bool, bredd: int, max_rader: int) -> tuple[int, int]:
    """The largest size whose wrapped text needs at most max_rader lines (else the smallest size); and its line count."""
    for storlek in storlekar:
        rader = _rader(text, storlek, fet, bredd - 2 * INSATS_X)
        if rader <= max_rader:
            return storlek, rader
    return storlekar[-1], _rader(text, storlekar[-1], fet, bredd - 2 * INSATS_X)


def _text(stycke, text: str, storlek: float, fet: bool, farg: RGBColor) -> None:
    """One run of Swedish text in the deck's typeface, size, weight and colour."""
    run = stycke.add_run()
    run.text = text
    run.font.size = Pt(storlek)
    run.font.bold = fet
    run.font.name = TYPSNITT
    run.font.color.rgb = farg
    run.font.language_id = MSO_LANGUAGE_ID.SWEDISH


def _fyll(ram, text: str, storlek: float, fet: bool = False, farg: RGBColor = MORK, centrerad: bool = False) -> None:
    """Text into a frame: wrapping on, no auto-fit (the box is already sized for it), anchored at the top."""
    ram.clear()
    ram.word_wrap = True
    ram.auto_size = MSO_AUTO_SIZE.NONE
    ram.vertical_anchor = MSO_ANCHOR.TOP
    ram.margin_left = ram.margin_right = INSATS_X
    ram.margin_top = ram.margin_bottom = INSATS_Y
    for i, rad in enumerate(text.split("\n")):
        stycke = ram.paragraphs[0] if i == 0 else ram.add_paragraph()
        stycke.alignment = PP_ALIGN.CENTER if centrerad else PP_ALIGN.LEFT
        stycke.line_spacing = 1.0
        stycke.space_before = stycke.space_after = Pt(0)
        _text(stycke, rad, storlek, fet, farg)


def _textruta(slide, x, y, w, h, text: str, storlek: float, fet: bool = False, farg: RGBColor = MORK, namn: str = ""):
    """A real, editable text box (never text baked into an image)."""
    ruta = slide.shapes.add_textbox(x, y, w, h)
    if namn:
        ruta.name = namn
    _fyll(ruta.text_frame, text, storlek, fet, farg)
    return ruta


def _rubrik(slide, text: str, y: int = Inches(0.3), storlekar: tuple[int, ...] = (40, 36, 32, 28)) -> int:
    """The slide's title in the layout's title placeholder, sized to fit in two lines at most; returns its bottom edge."""
    storlek, rader = _storlek_som_far_plats(text, storlekar, True, INNEHALL_BREDD, 1)
    if rader > 1:
        storlek, rader = _storlek_som_far_plats(text, storlekar, True, INNEHALL_BREDD, 2)
    platshallare = slide.shapes.title
    platshallare.left, platshallare.top, platshallare.width = MARGINAL, y, INNEHALL_BREDD
    platshallare.height = _hojd(rader, storlek)
    _fyll(platshallare.text_frame, text, storlek, fet=True)
    return y + platshallare.height


def _titelbild(pres, dok: Dokument) -> None:
    slide = pres.slides.add_slide(pres.slide_layouts[LAYOUT_TITEL])
    botten = _rubrik(slide, dok.titel, y=Inches(2.2), storlekar=(48, 44, 40, 36))
    undertitel = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    storlek, rader = _storlek_som_far_plats(dok.undertitel, (28, 24, 20), False, INNEHALL_BREDD, 5)
    undertitel.left, undertitel.top, undertitel.width = MARGINAL, botten + Inches(0.3), INNEHALL_BREDD
    undertitel.height = _hojd(rader, storlek)
    _fyll(undertitel.text_frame, dok.undertitel, storlek, farg=GRA)


def _fotrad(slide, text: str, storlek: int = 11) -> int:
    """The small source line at the foot of the slide; returns its top edge."""
    if not text:
        return HOJD - Inches(0.3)
    rader = _rader(text, storlek, False, INNEHALL_BREDD - 2 * INSATS_X)
    hojd = _hojd(rader, storlek)
    y = HOJD - Inches(0.2) - hojd
    _textruta(slide, MARGINAL, y, INNEHALL_BREDD, hojd, text, storlek, farg=GRA, namn="Källa")
    return y


RADER_PER_TABELLBILD = 14
CELL_INSATS_X, CELL_INSATS_Y = Inches(0.08), Inches(0.025)
TAT_INSATS_Y = Inches(0.006)  # a long table (the APT goal table) first loses its row padding, then its type size
RUBRIK_BAKGRUND, RUBRIK_TEXT = RGBColor(0x3C, 0x3C, 0x3C), RGBColor(0xFF, 0xFF, 0xFF)
LINJE_FARG = "BEBEBE"
# PowerPoint's built-in "No Style, No Grid": the template's blue banded style gave white on mid-blue and tinted rows.
INGEN_TABELLSTIL = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"


def _tabellmatt(rubriker, rader, bredder, cellstil, max_hojd: int, storlekar) -> tuple[int, int, list[int]]:
    """The largest type size (then the tighter padding) whose rows fit in max_hojd: (size, padding, row heights)."""
    for storlek, insats in [(s, CELL_INSATS_Y) for s in storlekar] + [(s, TAT_INSATS_Y) for s in storlekar[-3:]]:
        hojder = []
        for r, rad in enumerate([rubriker, *rader]):
            fet = r == 0
            antal = max(
                _rader(text, storlek, fet or cellstil(r - 1, k)[0] is not None, b - 2 * CELL_INSATS_X)
                for k, (text, b) in enumerate(zip(rad, bredder))
            )
            hojder.append(int(Pt(storlek * RADAVSTAND * antal)) + 2 * insats + Inches(0.01))
        if sum(hojder) <= max_hojd:
            break
    return storlek, insats, hojder


def _tabell(slide, rubriker, rader, andelar, hoger, cellstil, y: int, max_hojd: int, storlekar=(14, 13, 12, 11, 10, 9, 8)) -> None:
    """A real PowerPoint table with a header row, each row as tall as its wrapped text, at the largest size that fits."""
    bredder = [int(INNEHALL_BREDD * a) for a in andelar]
    storlek, insats, hojder = _tabellmatt(rubriker, rader, bredder, cellstil, max_hojd, storlekar)
    form = slide.shapes.add_table(len(rader) + 1, len(rubriker), MARGINAL, y, INNEHALL_BREDD, sum(hojder))
    form.name = "Tabell"
    tabell = form.table
    tabell.first_row = True  # the header row is marked as such for screen readers
    tabell.horz_banding = False
    tabell._tbl.tblPr.find(qn("a:tableStyleId")).text = INGEN_TABELLSTIL
    for i, b in enumerate(bredder):
        tabell.columns[i].width = Emu(b)
    for i, h in enumerate(hojder):
        tabell.rows[i].height = Emu(h)
    for kol, text in enumerate(rubriker):
        cell = tabell.cell(0, kol)
        _cell(cell, text, storlek, fet=True, farg=RUBRIK_TEXT, hoger=hoger[kol], insats=insats)
        cell.fill.solid()
        cell.fill.fore_color.rgb = RUBRIK_BAKGRUND
    for r, rad in enumerate(rader):
        for kol, text in enumerate(rad):
            bakgrund, farg = cellstil(r, kol)
            cell = tabell.cell(r + 1, kol)
            _cell(cell, text, storlek, fet=bakgrund is not None, farg=farg or MORK, hoger=hoger[kol], insats=insats)
            if bakgrund is not None:
                cell.fill.solid()
                cell.fill.fore_color.rgb = bakgrund


def _tabellbild(pres, dok: Dokument, rader, del_nr: int, delar: int) -> None:
    """The Måluppfyllelse table as a real PowerPoint table; the assessment cell carries colour, symbol and word."""
    slide = pres.slides.add_slide(pres.slide_layouts[LAYOUT_BARA_RUBRIK])
    botten = _rubrik(slide, dok.tabell_rubrik + (f" ({del_nr} av {delar})" if delar > 1 else ""))
    fot = _fotrad(slide, dok.tabell_fotnot if del_nr == delar else "")
    sista = len(MALTABELL_RUBRIKER) - 1
    celler = [[f"{STATUS_SYMBOL[t.status]} {c}" if k == sista else c for k, c in enumerate(t.celler)] for t in rader]

    def stil(r: int, k: int):
        if r < 0 or k != sista:
            return None, None
        status = rader[r].status
        bakgrund = EJ_BEDOMD_BAKGRUND if status == "ej_bedomd" else _rgb(STATUS_FARG[status])
        return bakgrund, _rgb(STATUS_TEXTFARG[status])

    y = botten + MELLANRUM
    andelar = (0.36, 0.14, 0.11, 0.11, 0.10, 0.18)
    _tabell(
        slide,
        MALTABELL_RUBRIKER,
        celler,
        andelar,
        [k in (1, 2, 3) for k in range(6)],
        stil,
        y,
        fot - MELLANRUM - y,
        storlekar=(18, 16, 14, 12, 11, 10, 9, 8),
    )


def _cell(cell, text: str, storlek: float, fet: bool = False, farg: RGBColor = MORK, hoger: bool = False, insats: int = CELL_INSATS_Y) -> None:
    """One cell's text, with a thin rule under it (the table style has none)."""
    cell.text = ""
    tcPr = cell._tc.get_or_add_tcPr()
    linje = tcPr.makeelement(qn("a:lnB"), {"w": str(Pt(0.75)), "cmpd": "sng"})
    fyllning = etree.SubElement(linje, qn("a:solidFill"))
    etree.SubElement(fyllning, qn("a:srgbClr"), val=LINJE_FARG)
    tcPr.insert(0, linje)
    cell.margin_top = cell.margin_bottom = insats
    cell.margin_left = cell.margin_right = CELL_INSATS_X
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    stycke = cell.text_frame.paragraphs[0]
    stycke.alignment = PP_ALIGN.RIGHT if hoger else PP_ALIGN.LEFT
    _text(stycke, text, storlek, fet, farg)


def _figurtabell(slide, t: Figurtabell, y: int, max_hojd: int) -> None:
    """A Plotly table (the goal-table slide) as a real table, keeping its cell colours."""
    summa = sum(t.bredder) or len(t.rubriker)
    andelar = [b / summa for b in t.bredder] if t.bredder else [1 / len(t.rubriker)] * len(t.rubriker)

    def stil(r: int, k: int):
        if r < 0:
            return None, None
        bakgrund, farg = t.bakgrund[r][k], t.textfarg[r][k]
        farg_rgb = _rgb(farg) if farg and farg.startswith("#") else None
        if bakgrund and bakgrund.startswith("#") and bakgrund.lower() not in ("#fff", "#ffffff"):
            return _rgb(bakgrund), farg_rgb
        return None, farg_rgb

    _tabell(slide, t.rubriker, t.rader, andelar, t.hoger, stil, y, max_hojd)


def _diagrambild(pres, sida: Sida, png: bytes | None) -> None:
    """Title placeholder, the chart (or a real table) in the room left by the takeaway and the source line, then those."""
    slide = pres.slides.add_slide(pres.slide_layouts[LAYOUT_BARA_RUBRIK])
    botten = _rubrik(slide, sida.titel)
    # Built bottom-up, so the chart gets whatever the text leaves: a takeaway of one or two lines 24 pt, a longer comment smaller.
    fot = _fotrad(slide, sida.fotnot)
    text_storlek, text_rader = _storlek_som_far_plats(sida.text, (24, 20, 18, 16), False, INNEHALL_BREDD, 2 if len(sida.text) <= 170 else 4)
    text_hojd = _hojd(text_rader, text_storlek)
    text_y = fot - MELLANRUM - text_hojd
    yta_y, yta_hojd = botten + MELLANRUM, text_y - MELLANRUM - (botten + MELLANRUM)
    tabell = figurtabell(sida.figur)
    if tabell is not None:
        _figurtabell(slide, tabell, yta_y, yta_hojd)
    elif png is not None:
        # Fit the picture inside the chart area keeping its proportions.
        bild = slide.shapes.add_picture(io.BytesIO(png), MARGINAL, yta_y, width=INNEHALL_BREDD)
        if bild.height > yta_hojd:
            skala = yta_hojd / bild.height
            bild.height, bild.width = int(yta_hojd), int(bild.width * skala)
            bild.left = int((BREDD - bild.width) / 2)
        bild.name = f"Diagram: {sida.titel}"
        bild._element.nvPicPr.cNvPr.set("descr", alt_text(sida))  # alt text; python-pptx would leave the file name
    _textruta(slide, MARGINAL, text_y, INNEHALL_BREDD, text_hojd, sida.text, text_storlek, namn="Slutsats")


MAL_TEXT_PT, MAL_ETIKETT_PT, MAL_LITEN_PT, MAL_BRICKA_PT = 18, 14, 14, 20
MAL_TABELL_PT = (14, 13, 12)
MAL_MELLANRUM = Inches(0.06)
BRICKA_BREDD = Inches(3.3)
# Room for the body on any goal slide: below a two-line 40 pt title, above a two-line source line.
MAL_YTA = HOJD - Inches(0.3) - _hojd(2, 40) - 2 * MELLANRUM - _hojd(2, 11) - Inches(0.2)


@dataclass(frozen=True)
class _Block:
    """A piece of a goal slide: its height and how to draw it at y; a label keeps with the block after it."""

    hojd: int
    rita: Callable
    med_nasta: bool = False


def _dela_stycke(text: str, storlek: float, fet: bool, max_hojd: int) -> list[str]:
    """A paragraph as pieces that each fit max_hojd (cut between words); usually the paragraph itself."""
    bredd = INNEHALL_BREDD - 2 * INSATS_X
    if _hojd(_rader(text, storlek, fet, bredd), storlek) <= max_hojd:
        return [text]
    delar, nu = [], ""
    for ord_ in text.split(" "):
        forsok = f"{nu} {ord_}" if nu else ord_
        if nu and _hojd(_rader(forsok, storlek, fet, bredd), storlek) > max_hojd:
            delar.append(nu)
            nu = ord_
        else:
            nu = forsok
    return [*delar, nu] if nu else delar


def _textblock(text: str, storlek: float, fet: bool = False, farg: RGBColor = MORK, namn: str = "Text", med_nasta: bool = False) -> list[_Block]:
    """Text as one block per paragraph (blank lines), each as tall as its wrapped lines; a label keeps with what follows."""
    ut = []
    for stycke in [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]:
        for del_ in _dela_stycke(stycke, storlek, fet, MAL_YTA):
            hojd = _hojd(_rader(del_, storlek, fet, INNEHALL_BREDD - 2 * INSATS_X), storlek)
            ut.append(
                _Block(
                    hojd, lambda slide, y, t=del_, h=hojd: _textruta(slide, MARGINAL, y, INNEHALL_BREDD, h, t, storlek, fet, farg, namn), med_nasta
                )
            )
    return ut


def _etikett(text: str) -> list[_Block]:
    return _textblock(text, MAL_ETIKETT_PT, fet=True, farg=GRA, namn="Etikett", med_nasta=True)


def _bricka(status: str, text: str, bredvid: str) -> _Block:
    """The assessment as a coloured box (symbol and word, never colour alone) with the proposal's reason beside it."""
    bredvid_bredd = INNEHALL_BREDD - BRICKA_BREDD - MELLANRUM
    hojd_bricka = _hojd(_rader(text, MAL_BRICKA_PT, True, BRICKA_BREDD - 2 * INSATS_X), MAL_BRICKA_PT)
    hojd_text = _hojd(_rader(bredvid, MAL_LITEN_PT, False, bredvid_bredd - 2 * INSATS_X), MAL_LITEN_PT) if bredvid else 0

    def rita(slide, y) -> None:
        ruta = _textruta(slide, MARGINAL, y, BRICKA_BREDD, hojd_bricka, text, MAL_BRICKA_PT, True, _rgb(STATUS_TEXTFARG[status]), "Bedömning")
        ruta.fill.solid()
        ruta.fill.fore_color.rgb = EJ_BEDOMD_BAKGRUND if status == "ej_bedomd" else _rgb(STATUS_FARG[status])
        if bredvid:
            _textruta(slide, MARGINAL + BRICKA_BREDD + MELLANRUM, y, bredvid_bredd, hojd_text, bredvid, MAL_LITEN_PT, False, GRA, "Förslag")

    return _Block(max(hojd_bricka, hojd_text), rita)


def _tabellblock(rubriker, rader: list[Tabellrad] | list[tuple], andelar, hoger, status_kolumn: int | None) -> list[_Block]:
    """A table as blocks that each fit a slide (the header repeats on the next slide); the status column carries its colour."""
    bredder = [int(INNEHALL_BREDD * a) for a in andelar]
    celler = [list(t.celler) if isinstance(t, Tabellrad) else list(t) for t in rader]
    statusar = [t.status if isinstance(t, Tabellrad) else None for t in rader]
    if status_kolumn is not None:
        for rad, status in zip(celler, statusar):
            if not rad[status_kolumn].startswith(STATUS_SYMBOL[status]):
                rad[status_kolumn] = f"{STATUS_SYMBOL[status]} {rad[status_kolumn]}"

    def stil_for(start: int):
        def stil(r: int, k: int):
            if r < 0 or k != status_kolumn:
                return None, None
            status = statusar[start + r]
            return (EJ_BEDOMD_BAKGRUND if status == "ej_bedomd" else _rgb(STATUS_FARG[status])), _rgb(STATUS_TEXTFARG[status])

        return stil

    ut, start = [], 0
    while start < len(celler):
        slut = len(celler)
        while True:  # the most rows from `start` that fit one slide's body at the smallest allowed size
            storlek, _, hojder = _tabellmatt(rubriker, celler[start:slut], bredder, stil_for(start), MAL_YTA, MAL_TABELL_PT)
            if sum(hojder) <= MAL_YTA or slut - start == 1:
                break
            slut -= 1
        bit, stil = celler[start:slut], stil_for(start)
        ut.append(
            _Block(
                sum(hojder),
                lambda slide, y, bit=bit, stil=stil, h=sum(hojder), st=storlek: _tabell(
                    slide, rubriker, bit, andelar, hoger, stil, y, h, storlekar=(st,)
                ),
            )
        )
        start = slut
    return ut


def _malblock(m: Malavsnitt) -> list[_Block]:
    """A goal's slides' content in the city's order: plan, assessment, analysis and åtgärder, activities, indicators."""
    block: list[_Block] = []
    for namn, text in m.plan:
        block += _textblock(f"{namn}: {text}", MAL_LITEN_PT, namn="Plan")
    forslag = f"Förslag: {STATUS_SYMBOL[m.forslag]} {STATUS_ORD[m.forslag]} – {m.forslag_motivering}"
    for d in m.delar if m.foljs_upp else ():
        if len(m.delar) > 1:
            block += _textblock(d.enhet, MAL_TEXT_PT, fet=True, namn="Enhet", med_nasta=True)
        if d.slutlig is None:
            block += _textblock(f"Bedömning: inte satt. {forslag}", MAL_LITEN_PT, namn="Bedömning")
        else:
            block.append(_bricka(d.slutlig, f"{STATUS_SYMBOL[d.slutlig]} {STATUS_ORD[d.slutlig]}", f"Bedömd av {d.bedomd_av}. {forslag}"))
        if d.motivering:
            block += _etikett("Motivering") + _textblock(d.motivering, MAL_TEXT_PT)
        if d.analys is None:
            block += _etikett("Analys") + _textblock(ANALYS_SAKNAS, MAL_TEXT_PT)
        else:
            block += _etikett("Analys" + (" (utkast – inte markerad som klar)" if d.tillstand == "utkast" else "")) + _textblock(
                d.analys or "–", MAL_TEXT_PT
            )
            if d.atgarder:
                block += _etikett("Åtgärder") + _textblock(d.atgarder, MAL_TEXT_PT)
            block += _textblock(f"Skriven av {d.skriven_av}", 11, farg=GRA, namn="Skriven av")
        if d.aktiviteter:
            block += _etikett("Aktiviteter") + _tabellblock(AKTIVITET_RUBRIKER, list(d.aktiviteter), (0.42, 0.2, 0.14, 0.24), [False] * 4, None)
    if m.foljs_upp and m.forslag_till_text:
        block += _textblock(f"{FORSLAG_TILL_TEXT}: {m.forslag_till_text}", MAL_LITEN_PT, farg=GRA, namn="Förslag till text")
    if m.indikatorer:
        block += _etikett("Indikatorer") + _tabellblock(MALTABELL_RUBRIKER, list(m.indikatorer), (0.36, 0.14, 0.11, 0.11, 0.10, 0.18),
                                                        [k in (1, 2, 3) for k in range(6)], 5)  # fmt: skip
    if m.undermal:
        block += _tabellblock(UNDERMAL_RUBRIKER, list(m.undermal), (0.56, 0.26, 0.18), [False] * 3, 1)
    return block


def _malbilder(pres, sida: Sida) -> None:
    """A goal's section as one slide, or more ('(forts.)') when its text and tables need the room; the goal's path as the source line."""
    m = sida.malavsnitt

    def ny(forts: bool):
        slide = pres.slides.add_slide(pres.slide_layouts[LAYOUT_BARA_RUBRIK])
        botten = _rubrik(slide, m.rubrik + (" (forts.)" if forts else ""))
        return slide, botten + MELLANRUM, _fotrad(slide, sida.fotnot) - MELLANRUM

    slide, y, slut = ny(False)
    overst = y
    block = _malblock(m)
    for i, b in enumerate(block):
        behov = b.hojd + (MAL_MELLANRUM + block[i + 1].hojd if b.med_nasta and i + 1 < len(block) else 0)
        if y + behov > slut and y > overst:
            slide, y, slut = ny(True)
            overst = y
        b.rita(slide, y)
        y += b.hojd + MAL_MELLANRUM


def _svenska_mallar(pres) -> None:
    """Swedish as the language of the master, the layouts and the presentation's default text style (the template says en-US)."""
    element = [pres.part._element] + [m._element for m in pres.slide_masters] + [lay._element for lay in pres.slide_layouts]
    for rot in element:
        for e in rot.iter():
            if e.get("lang") is not None:
                e.set("lang", SPRAK)


def _egenskaper(pres, dok: Dokument) -> None:
    """Clean document properties: this document's title and dates, our name as author, nothing left from the 2013 template."""
    nu = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    cp = pres.core_properties
    cp.title = dok.titel
    cp.subject = dok.undertitel.split("\n")[0]
    cp.author = cp.last_modified_by = FORFATTARE
    cp.comments = cp.keywords = cp.category = ""
    cp.language = SPRAK
    cp.created = cp.modified = nu
    cp.revision = 1
    app = next(p for p in pres.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml")
    titlar = [dok.titel, *(s.shapes.title.text_frame.text for s in pres.slides if s.shapes.title is not None)][: len(pres.slides)]
    app._blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{FORFATTARE}</Application><PresentationFormat>Bredbild (16:9)</PresentationFormat>"
        f"<Slides>{len(pres.slides)}</Slides><Notes>0</Notes><HiddenSlides>0</HiddenSlides>"
        '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Bildrubriker</vt:lpstr></vt:variant>'
        f"<vt:variant><vt:i4>{len(titlar)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(titlar)}" baseType="lpstr">'
        + "".join(f"<vt:lpstr>{escape(t)}</vt:lpstr>" for t in titlar)
        + "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode("utf-8")
    etree.fromstring(app._blob)  # well-formed, or fail here rather than in PowerPoint


def skriv_pptx(dok: Dokument) -> bytes:
    """The presentation as bytes: a title slide, the goal table when present, then one slide per page."""
    pres = Presentation()
    pres.slide_width, pres.slide_height = BREDD, HOJD
    _svenska_mallar(pres)
    _titelbild(pres, dok)
    for sida in dok.malavsnitt:
        _malbilder(pres, sida)
    if dok.tabell is not None:
        # A long table is split over several slides so every row stays readable (14 pt).
        antal = max(1, -(-len(dok.tabell) // RADER_PER_TABELLBILD))
        per_bild = max(1, -(-len(dok.tabell) // antal))  # balanced: 29 rows → 10 + 10 + 9, not 14 + 14 + 1
        delar = [dok.tabell[i : i + per_bild] for i in range(0, len(dok.tabell), per_bild)] or [[]]
        for nr, rader in enumerate(delar, start=1):
            _tabellbild(pres, dok, rader, nr, len(delar))
    bilder = iter(dok.bilder)
    for sida in dok.sidor:
        if sida.malavsnitt is not None:
            _malbilder(pres, sida)
        else:
            _diagrambild(pres, sida, next(bilder) if sida.figur is not None else None)
    _egenskaper(pres, dok)
    ut = io.BytesIO()
    pres.save(ut)
    return ut.getvalue()
