"""PowerPoint (16:9) from a Dokument: real text boxes for titles and takeaways, one chart image per slide."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from kpi.format import STATUS_FARG, STATUS_SYMBOL, STATUS_TEXTFARG
from report.model import MALTABELL_RUBRIKER, Dokument

BREDD, HOJD = Inches(13.333), Inches(7.5)
MARGINAL = Inches(0.5)
MORK = RGBColor(0x22, 0x22, 0x22)
GRA = RGBColor(0x59, 0x59, 0x59)
TYPSNITT = "Calibri"


def _rgb(hexfarg: str) -> RGBColor:
    return RGBColor.from_string(hexfarg.lstrip("#").upper())


def _text(stycke, text: str, storlek: int, fet: bool, farg: RGBColor) -> None:
    """One run of text in the deck's typeface, size, weight and colour."""
    run = stycke.add_run()
    run.text = text
    run.font.size = Pt(storlek)
    run.font.bold = fet
    run.font.name = TYPSNITT
    run.font.color.rgb = farg


def _textruta(slide, x, y, w, h, text: str, storlek: int, fet: bool = False, farg: RGBColor = MORK, centrerad: bool = False):
    """A real, editable text box (never text baked into an image)."""
    ruta = slide.shapes.add_textbox(x, y, w, h)
    ram = ruta.text_frame
    ram.word_wrap = True
    ram.vertical_anchor = MSO_ANCHOR.TOP
    for i, rad in enumerate(text.split("\n")):
        stycke = ram.paragraphs[0] if i == 0 else ram.add_paragraph()
        stycke.alignment = PP_ALIGN.CENTER if centrerad else PP_ALIGN.LEFT
        _text(stycke, rad, storlek, fet, farg)
    return ruta


def _tom_bild(pres):
    return pres.slides.add_slide(pres.slide_layouts[6])  # layout 6 = blank in the default template


def _titelbild(pres, dok: Dokument) -> None:
    slide = _tom_bild(pres)
    _textruta(slide, MARGINAL, Inches(2.4), BREDD - 2 * MARGINAL, Inches(1.4), dok.titel, 48, fet=True)
    _textruta(slide, MARGINAL, Inches(3.9), BREDD - 2 * MARGINAL, Inches(1.5), dok.undertitel, 28, farg=GRA)


RADER_PER_TABELLBILD = 14


def _tabellbild(pres, dok: Dokument, rader, del_nr: int, delar: int) -> None:
    """The Måluppfyllelse table as a real PowerPoint table; the assessment cell carries colour, symbol and word."""
    slide = _tom_bild(pres)
    rubrik = dok.tabell_rubrik + (f" ({del_nr} av {delar})" if delar > 1 else "")
    _textruta(slide, MARGINAL, Inches(0.3), BREDD - 2 * MARGINAL, Inches(0.8), rubrik, 36, fet=True)
    storlek = 14
    form = slide.shapes.add_table(
        len(rader) + 1, len(MALTABELL_RUBRIKER), MARGINAL, Inches(1.2), BREDD - 2 * MARGINAL, Inches(0.34) * (len(rader) + 1)
    )
    tabell = form.table
    andelar = (0.36, 0.14, 0.11, 0.11, 0.10, 0.18)
    for i, andel in enumerate(andelar):
        tabell.columns[i].width = Emu(int((BREDD - 2 * MARGINAL) * andel))
    for rad in tabell.rows:
        rad.height = Inches(0.34)
    for kol, text in enumerate(MALTABELL_RUBRIKER):
        _cell(tabell.cell(0, kol), text, storlek, fet=True, hoger=kol in (1, 2, 3))
    for r, rad in enumerate(rader, start=1):
        for kol, text in enumerate(rad.celler):
            if kol == len(MALTABELL_RUBRIKER) - 1:
                cell = tabell.cell(r, kol)
                _cell(cell, f"{STATUS_SYMBOL[rad.status]} {text}", storlek, fet=True, farg=_rgb(STATUS_TEXTFARG[rad.status]))
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(STATUS_FARG[rad.status]) if rad.status != "ej_bedomd" else RGBColor(0xEE, 0xEE, 0xEE)
            else:
                _cell(tabell.cell(r, kol), text, storlek, hoger=kol in (1, 2, 3))
    if dok.tabell_fotnot and del_nr == delar:
        _textruta(slide, MARGINAL, HOJD - Inches(0.75), BREDD - 2 * MARGINAL, Inches(0.6), dok.tabell_fotnot, 11, farg=GRA)


def _cell(cell, text: str, storlek: int, fet: bool = False, farg: RGBColor = MORK, hoger: bool = False) -> None:
    cell.text = ""
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    stycke = cell.text_frame.paragraphs[0]
    stycke.alignment = PP_ALIGN.RIGHT if hoger else PP_ALIGN.LEFT
    _text(stycke, text, storlek, fet, farg)


def _diagrambild(pres, sida, png: bytes | None) -> None:
    """Title (real text), the chart fitted into the space left by the takeaway, the takeaway and a source line."""
    slide = _tom_bild(pres)
    _textruta(slide, MARGINAL, Inches(0.25), BREDD - 2 * MARGINAL, Inches(0.9), sida.titel, 40, fet=True)
    # A takeaway (one or two lines) gets 24 pt; a tertial comment of several sentences 16 pt; each the room it needs.
    storlek = 24 if len(sida.text) <= 170 else 16
    tecken_per_rad = 80 if storlek == 24 else 115
    text_hojd = Inches(0.42 if storlek == 24 else 0.32) * max(1, -(-len(sida.text) // tecken_per_rad))
    text_y = Inches(6.95) - text_hojd
    if png is not None:
        # Fit the picture inside the chart area keeping its proportions (a long table is taller than a chart).
        yta_bredd, yta_hojd = BREDD - 2 * MARGINAL, text_y - Inches(1.2)
        bild = slide.shapes.add_picture(io.BytesIO(png), MARGINAL, Inches(1.15), width=yta_bredd)
        if bild.height > yta_hojd:
            skala = yta_hojd / bild.height
            bild.height, bild.width = int(yta_hojd), int(bild.width * skala)
            bild.left = int((BREDD - bild.width) / 2)
    _textruta(slide, MARGINAL, text_y, BREDD - 2 * MARGINAL, text_hojd, sida.text, storlek)
    if sida.fotnot:
        _textruta(slide, MARGINAL, Inches(7.0), BREDD - 2 * MARGINAL, Inches(0.4), sida.fotnot, 11, farg=GRA)


def skriv_pptx(dok: Dokument) -> bytes:
    """The presentation as bytes: a title slide, the goal table when present, then one slide per page."""
    pres = Presentation()
    pres.slide_width, pres.slide_height = BREDD, HOJD
    pres.core_properties.title = dok.titel
    pres.core_properties.language = "sv-SE"
    _titelbild(pres, dok)
    if dok.tabell is not None:
        # A long table is split over several slides so every row stays readable (14 pt).
        antal = max(1, -(-len(dok.tabell) // RADER_PER_TABELLBILD))
        per_bild = max(1, -(-len(dok.tabell) // antal))  # balanced: 29 rows → 10 + 10 + 9, not 14 + 14 + 1
        delar = [dok.tabell[i : i + per_bild] for i in range(0, len(dok.tabell), per_bild)] or [[]]
        for nr, rader in enumerate(delar, start=1):
            _tabellbild(pres, dok, rader, nr, len(delar))
    bilder = iter(dok.bilder)
    for sida in dok.sidor:
        _diagrambild(pres, sida, next(bilder) if sida.figur is not None else None)
    ut = io.BytesIO()
    pres.save(ut)
    return ut.getvalue()
