"""PowerPoint (16:9) from a Dokument: real title placeholders, alt text on pictures, Swedish text, boxes sized to their text.

Every text box is sized from the text it holds, measured with Carlito (metric-compatible with Calibri, the deck's
typeface), so nothing overflows into the chart or off the slide; tests/report/test_pptx_rendering.py renders the deck
with LibreOffice and checks it.
"""

from __future__ import annotations

import io
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

from kpi.format import STATUS_FARG, STATUS_SYMBOL, STATUS_TEXTFARG
from report.model import MALTABELL_RUBRIKER, Dokument, Figurtabell, Sida, alt_text, figurtabell

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


def _tabell(slide, rubriker, rader, andelar, hoger, cellstil, y: int, max_hojd: int, storlekar=(14, 13, 12, 11, 10, 9, 8)) -> None:
    """A real PowerPoint table with a header row, each row as tall as its wrapped text, at the largest size that fits."""
    bredder = [int(INNEHALL_BREDD * a) for a in andelar]
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
    _egenskaper(pres, dok)
    ut = io.BytesIO()
    pres.save(ut)
    return ut.getvalue()
