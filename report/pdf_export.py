"""Tagged PDF (A4) from a Dokument: semantic HTML printed by Chromium with a structure tree, finished with pikepdf.

Chromium turns the HTML into PDF tags (H1/H2, P, L/LI, Table/TR/TH/TD with scope, Figure with /Alt, Link), writes
/Lang from `<html lang>`, bookmarks from the headings and DisplayDocTitle. pikepdf then adds what Chromium leaves out:
XMP metadata, the running footer marked as an artifact, and a description on every link.
"""

from __future__ import annotations

import base64
import concurrent.futures
import html
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pikepdf

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
    alt_text,
    figurtabell,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
TYPSNITT_KATALOG = Path("/usr/share/fonts/truetype/dejavu")
SPRAK = "sv-SE"
FORFATTARE = "Verksamhetsuppföljning"

# Every text/background pair below is checked against WCAG 2.1 AA in tests/test_kontrast.py.
MORK = "#222222"  # body text on white
GRA = "#595959"  # footnotes and the footer on white, 7:1
RUBRIK_BAKGRUND = "#3C3C3C"  # table header cells, white text
RUBRIK_TEXT = "#FFFFFF"
RUTA_BAKGRUND = "#F4F4F4"  # key-figure boxes
EJ_BEDOMD_BAKGRUND = "#EEEEEE"  # 'Ej bedömd' is a light grey badge with dark text, not a solid grey one
LINJE = STATUS_FARG["uppfylls_helt"]
INNEHALL_MALDJUP = 2  # the table of contents lists goals down to nämndmål (depth 2)


def _e(text: str) -> str:
    """Text from the data as HTML text, never markup."""
    return html.escape(str(text), quote=True)


def _css_text(text: str) -> str:
    """A CSS string literal for `content:`; every character outside plain letters escaped, so no text can end the rule."""
    return '"' + "".join(c if c.isalnum() or c in " .,:–-" else f"\\{ord(c):x} " for c in text) + '"'


def _stycken(text: str, klass: str = "") -> str:
    """Blank-line separated blocks as paragraphs, single line breaks kept inside them."""
    attr = f' class="{klass}"' if klass else ""
    block = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "".join(f"<p{attr}>" + "<br>".join(_e(rad) for rad in b.split("\n")) + "</p>" for b in block)


def _badge_stil(status: str) -> str:
    bakgrund = EJ_BEDOMD_BAKGRUND if status == "ej_bedomd" else STATUS_FARG[status]
    return f"background:{bakgrund};color:{STATUS_TEXTFARG[status]}"


def _stil(dok: Dokument) -> str:
    return f"""
@page {{ size: A4; margin: 18mm 18mm 20mm 18mm;
  @bottom-left {{ content: {_css_text(dok.titel)}; font: 8pt "DejaVu Sans"; color: {GRA}; }}
  @bottom-right {{ content: "Sida " counter(page) " av " counter(pages); font: 8pt "DejaVu Sans"; color: {GRA}; }} }}
@page :first {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
html {{ font-family: "DejaVu Sans", sans-serif; font-variant-ligatures: none; font-size: 11pt; color: {MORK}; line-height: 1.45; }}
body {{ margin: 0; }}
h1 {{ font-size: 30pt; line-height: 1.15; margin: 30mm 0 0 0; padding-bottom: 5mm; border-bottom: 1.2mm solid {LINJE}; display: inline-block; }}
h2 {{ font-size: 17pt; line-height: 1.25; margin: 0 0 3mm 0; }}
p {{ margin: 0 0 2.5mm 0; }}
.titelsida {{ height: 255mm; display: flex; flex-direction: column; break-after: page; }}
.undertitel {{ font-size: 15pt; color: {GRA}; margin-top: 8mm; line-height: 1.4; }}
.innehall {{ margin-top: 12mm; font-size: 10pt; }}
.innehall p {{ font-weight: bold; margin-bottom: 1.5mm; }}
.innehall ol {{ margin: 0; padding-left: 6mm; }}
.innehall.lang ol {{ columns: 2; column-gap: 8mm; font-size: 9pt; }}
.innehall a {{ color: {MORK}; text-decoration: none; }}
.framtagen {{ margin-top: auto; font-size: 10pt; }}
section {{ break-before: page; }}
section.diagramsida {{ break-inside: avoid; }}
img.diagram {{ display: block; width: 100%; height: auto; margin: 1mm 0 4mm 0; }}
table {{ border-collapse: collapse; width: 100%; }}
table.data {{ font-size: 8pt; line-height: 1.25; table-layout: fixed; }}
table.data th, table.data td {{ padding: 0.9mm 1.3mm; border-bottom: 0.2mm solid #BEBEBE; text-align: left; vertical-align: top; }}
table.data thead th {{ background: {RUBRIK_BAKGRUND}; color: {RUBRIK_TEXT}; font-weight: bold; }}
table.data tbody th {{ font-weight: normal; }}
table.data .tal, table.data td {{ white-space: nowrap; }}
table.data .tal {{ text-align: right; }}
table.data td.bricka {{ font-weight: bold; white-space: nowrap; }}
table.nyckeltal {{ border-collapse: separate; border-spacing: 1.6mm 0; margin: 0 -1.6mm 3mm -1.6mm; width: calc(100% + 3.2mm); table-layout: fixed; }}
table.nyckeltal th {{ background: {RUTA_BAKGRUND}; color: {GRA}; font-size: 8pt; font-weight: normal; text-align: left; padding: 2mm 2.5mm 0.5mm 2.5mm; }}
table.nyckeltal td {{ background: {RUTA_BAKGRUND}; font-size: 14pt; font-weight: bold; padding: 0 2.5mm 2mm 2.5mm; white-space: nowrap; }}
.bedomning {{ margin: 0 0 3mm 0; }}
.bedomning span {{ display: inline-block; font-weight: bold; font-size: 10pt; padding: 1mm 5mm; }}
.fotnot {{ font-size: 8pt; color: {GRA}; margin-top: 3mm; line-height: 1.35; }}
section.mal {{ break-before: auto; margin-top: 6mm; }}
section.mal.djup0 {{ break-before: page; margin-top: 0; }}
section.mal h3 {{ font-size: 14pt; margin: 0 0 2mm 0; }} section.mal h4 {{ font-size: 12.5pt; margin: 0 0 2mm 0; }}
section.mal h5, section.mal h6 {{ font-size: 11.5pt; margin: 0 0 2mm 0; }}
.malniva {{ display: block; font-size: 9pt; font-weight: normal; color: {GRA}; }}
/* <strong> would become a Strong tag, which PDF 1.7 (PDF/UA-1) does not know: bold is a style, not a structure. */
.fet {{ font-weight: bold; }}
.etikett {{ font-weight: bold; margin: 3mm 0 1mm 0; break-after: avoid; }}
.plan {{ font-size: 9.5pt; }}
.fritext {{ border-left: 0.6mm solid #BEBEBE; padding-left: 3mm; }}
.saknas {{ font-style: italic; }}
.forslagstext {{ font-size: 9.5pt; color: {GRA}; }}
.vem {{ font-size: 8.5pt; color: {GRA}; }}
.enhet {{ font-size: 11pt; font-weight: bold; margin: 4mm 0 1mm 0; border-bottom: 0.2mm solid #BEBEBE; }}
section.mal table.data {{ margin: 1mm 0 3mm 0; break-inside: avoid; }}
section.mal table.data td.wrap, section.mal table.data th.wrap {{ white-space: normal; }}
/* The table's key stays with it: rather carry the last rows over (the header repeats) than leave the key alone on a page. */
.tabellsida .fotnot {{ break-before: avoid; break-inside: avoid; }}
"""


def _titelsida(dok: Dokument, sektioner: list[tuple[str, str]]) -> str:
    """Title, subtitle and a linked table of contents; the date it was made at the foot of the page."""
    lang = " lang" if len(sektioner) > 16 else ""
    innehall = "".join(f'<li><a href="#{sid}">{_e(rubrik)}</a></li>' for sid, rubrik in sektioner)
    return (
        '<header class="titelsida">'
        f"<h1>{_e(dok.titel)}</h1>"
        f'<div class="undertitel">{_stycken(dok.undertitel)}</div>'
        + (f'<nav class="innehall{lang}" aria-label="Innehåll"><p>Innehåll</p><ol>{innehall}</ol></nav>' if sektioner else "")
        + f'<p class="framtagen">Framtagen {date.today().isoformat()} ur Verksamhetsuppföljning</p>'
        "</header>"
    )


def _datatabell(rubriker, rader, hoger, cellstil=None, bredder: tuple[int, ...] = (), bryt: tuple[int, ...] = ()) -> str:
    """A table with column header cells and the first column as row headers (the indicator names); widths in per cent.

    bryt: columns whose text wraps (goal texts, comments); the others keep a figure on one line."""
    kolumner = "<colgroup>" + "".join(f'<col style="width:{b}%">' for b in bredder) + "</colgroup>" if bredder else ""
    huvud = "".join(f'<th scope="col"{" class=tal" if h else ""}>{_e(r)}</th>' for r, h in zip(rubriker, hoger))
    kropp = []
    for r, rad in enumerate(rader):
        celler = []
        for k, text in enumerate(rad):
            stil, klass = cellstil(r, k) if cellstil else ("", "")
            klass = " ".join(x for x in (klass, "tal" if hoger[k] else "", "wrap" if k in bryt else "") if x)
            attr = (f' class="{klass}"' if klass else "") + (f' style="{stil}"' if stil else "")
            celler.append(f'<th scope="row"{attr}>{_e(text)}</th>' if k == 0 else f"<td{attr}>{_e(text)}</td>")
        kropp.append("<tr>" + "".join(celler) + "</tr>")
    return f'<table class="data">{kolumner}<thead><tr>{huvud}</tr></thead><tbody>{"".join(kropp)}</tbody></table>'


def _tabellsida(dok: Dokument, sid: str) -> str:
    """The city's report table; Bedömning shows symbol + word on the status colour so colour is never alone."""
    rader = dok.tabell or []
    sista = len(MALTABELL_RUBRIKER) - 1

    def stil(r: int, k: int) -> tuple[str, str]:
        return (_badge_stil(rader[r].status), "bricka") if k == sista else ("", "")

    celler = [tuple(f"{STATUS_SYMBOL[t.status]} {c}" if k == sista else c for k, c in enumerate(t.celler)) for t in rader]
    hoger = tuple(k in (1, 2, 3) for k in range(len(MALTABELL_RUBRIKER)))
    return (
        f'<section id="{sid}" class="tabellsida"><h2>{_e(dok.tabell_rubrik)}</h2>'
        + _datatabell(MALTABELL_RUBRIKER, celler, hoger, stil, bredder=(36, 16, 11, 11, 9, 17))
        + (_stycken(dok.tabell_fotnot, "fotnot") if dok.tabell_fotnot else "")
        + "</section>"
    )


def _figurtabell(t: Figurtabell) -> str:
    """A Plotly table (the goal-table slide) as a real table, keeping its cell colours."""

    def stil(r: int, k: int) -> tuple[str, str]:
        bakgrund, farg = t.bakgrund[r][k], t.textfarg[r][k]
        delar = [f"background:{bakgrund}" if bakgrund else "", f"color:{farg}" if farg else ""]
        return ";".join(d for d in delar if d), "bricka" if bakgrund and bakgrund.lower() not in ("#fff", "#ffffff", "white") else ""

    summa = sum(t.bredder) or 1
    return _datatabell(t.rubriker, t.rader, t.hoger, stil, bredder=tuple(round(100 * b / summa) for b in t.bredder))


def _nyckeltal(sida: Sida) -> str:
    """The period's value, target and comparisons as a one-row table (labels are its header cells), then the badge."""
    ut = ""
    if sida.nyckeltal:
        huvud = "".join(f'<th scope="col">{_e(etikett)}</th>' for etikett, _ in sida.nyckeltal)
        varden = "".join(f"<td>{_e(varde)}</td>" for _, varde in sida.nyckeltal)
        ut += f'<table class="nyckeltal"><tr>{huvud}</tr><tr>{varden}</tr></table>'
    if sida.status:
        ut += f'<p class="bedomning"><span style="{_badge_stil(sida.status)}">{STATUS_SYMBOL[sida.status]} {_e(STATUS_ORD[sida.status])}</span></p>'
    return ut


def _diagramsida(sida: Sida, png: bytes | None, sid: str) -> str:
    tabell = figurtabell(sida.figur)
    if tabell is not None:
        figur = _figurtabell(tabell)
    elif png is not None:
        data = base64.b64encode(png).decode("ascii")
        figur = f'<img class="diagram" src="data:image/png;base64,{data}" alt="{_e(alt_text(sida))}">'
    else:
        figur = ""
    return (
        f'<section id="{sid}" class="diagramsida"><h2>{_e(sida.titel)}</h2>'
        + figur
        + _nyckeltal(sida)
        + _stycken(sida.text)
        + (_stycken(sida.fotnot, "fotnot") if sida.fotnot else "")
        + "</section>"
    )


def _status_tabell(rubriker, rader, bredder, bryt, status_kolumn: int) -> str:
    """A table of Tabellrad rows whose status column carries colour, symbol and word."""

    def stil(r: int, k: int) -> tuple[str, str]:
        return (_badge_stil(rader[r].status), "bricka") if k == status_kolumn else ("", "")

    celler = [tuple(f"{STATUS_SYMBOL[t.status]} {c}" if k == status_kolumn and not c.startswith(STATUS_SYMBOL[t.status]) else c
                    for k, c in enumerate(t.celler)) for t in rader]  # fmt: skip
    hoger = tuple(rubriker[k] in ("Periodens utfall", "Årsmål", "KF:s årsmål") for k in range(len(rubriker)))
    return _datatabell(rubriker, celler, hoger, stil, bredder=bredder, bryt=bryt)


def malsektion_html(m: Malavsnitt, sid: str, rubrik: bool = True) -> str:
    """A goal in the city's order: heading at its level, the plan's texts, assessment, analysis and åtgärder, indicators, activities.

    Every text is escaped; the APT page shows the same HTML on screen (rubrik=False: it draws its own title)."""
    niva = min(2 + m.djup, 6)
    delar = [f'<h{niva}><span class="malniva">{_e(m.niva)}:</span> {_e(m.text)}</h{niva}>'] if rubrik else []
    for namn, text in m.plan:
        delar.append(f'<p class="plan"><span class="fet">{_e(namn)}:</span> {_e(text)}</p>')
    if m.foljs_upp:
        for d in m.delar:
            if len(m.delar) > 1:
                delar.append(f'<p class="enhet">{_e(d.enhet)}</p>')
            delar.append(_bedomningsrad(m, d))
            if d.analys is None:
                delar.append(f'<p class="etikett">Analys</p><p class="saknas">{ANALYS_SAKNAS}</p>')
            else:
                utkast = " (utkast – inte markerad som klar)" if d.tillstand == "utkast" else ""
                delar.append(f'<p class="etikett">Analys{_e(utkast)}</p>' + _stycken(d.analys or "–", "fritext"))
                if d.atgarder:
                    delar.append('<p class="etikett">Åtgärder</p>' + _stycken(d.atgarder, "fritext"))
                delar.append(f'<p class="vem">Skriven av {_e(d.skriven_av)}</p>')
            if d.aktiviteter:
                delar.append('<p class="etikett">Aktiviteter</p>' + _datatabell(AKTIVITET_RUBRIKER, d.aktiviteter, (False,) * 4,
                                                                               bredder=(42, 22, 14, 22), bryt=(0, 3)))  # fmt: skip
        if m.forslag_till_text:
            delar.append(f'<p class="forslagstext"><span class="fet">{_e(FORSLAG_TILL_TEXT)}:</span> {_e(m.forslag_till_text)}</p>')
    if m.indikatorer:
        delar.append('<p class="etikett">Indikatorer</p>' + _status_tabell(MALTABELL_RUBRIKER, m.indikatorer, (36, 16, 11, 11, 9, 17), (0,), 5))
    if m.undermal:
        delar.append(_status_tabell(UNDERMAL_RUBRIKER, m.undermal, (52, 30, 18), (0, 2), 1))
    return f'<section id="{sid}" class="mal djup{m.djup}">' + "".join(delar) + "</section>"


def _bedomningsrad(m: Malavsnitt, d) -> str:
    """The final assessment as a badge (or 'not set'), the proposal and its rule, and the motivation when they differ."""
    forslag = f"Förslag: {STATUS_SYMBOL[m.forslag]} {STATUS_ORD[m.forslag]} – {m.forslag_motivering}"
    if d.slutlig is None:
        ut = f'<p class="bedomning"><span class="fet">Bedömning:</span> inte satt. {_e(forslag)}</p>'
    else:
        ut = (
            f'<p class="bedomning"><span style="{_badge_stil(d.slutlig)}">{STATUS_SYMBOL[d.slutlig]} {_e(STATUS_ORD[d.slutlig])}</span></p>'
            f'<p class="vem">Bedömd av {_e(d.bedomd_av)}. {_e(forslag)}</p>'
        )
    if d.motivering:
        ut += '<p class="etikett">Motivering</p>' + _stycken(d.motivering, "fritext")
    return ut


def _html(dok: Dokument) -> tuple[str, dict[str, str]]:
    """The whole report as one semantic HTML document (Swedish, one h1, an h2 per section) and its sections by anchor."""
    sektioner: dict[str, str] = {}
    utanfor_innehall: set[str] = set()  # sections linked to but not listed: goals below nämndmål would make the list too long
    delar = []
    for i, sida in enumerate(dok.malavsnitt, start=1):
        sektioner[f"m-{i}"] = sida.titel
        if sida.malavsnitt.djup > INNEHALL_MALDJUP:
            utanfor_innehall.add(f"m-{i}")
        delar.append(malsektion_html(sida.malavsnitt, f"m-{i}"))
    if dok.tabell is not None:
        sektioner["s-tabell"] = dok.tabell_rubrik
        delar.append(_tabellsida(dok, "s-tabell"))
    bilder = iter(dok.bilder)
    for i, sida in enumerate(dok.sidor, start=1):
        sektioner[f"s-{i}"] = sida.titel
        if sida.malavsnitt is not None:
            delar.append(malsektion_html(sida.malavsnitt, f"s-{i}"))
            continue
        delar.append(_diagramsida(sida, next(bilder, None) if sida.figur is not None else None, f"s-{i}"))
    dokument_html = (
        f'<!DOCTYPE html><html lang="{SPRAK}"><head><meta charset="utf-8"><title>{_e(dok.titel)}</title>'
        f"<style>{_stil(dok)}</style></head><body>"
        + _titelsida(dok, [(k, v) for k, v in sektioner.items() if k not in utanfor_innehall])
        + "<main>"
        + "".join(delar)
        + "</main></body></html>"
    )
    return dokument_html, sektioner


def html_dokument(dok: Dokument) -> str:
    """The report as the HTML that is printed (also handy to look at in a browser)."""
    return _html(dok)[0]


def _skriv_ut(dokument_html: str) -> bytes:
    """Print the HTML with Debian's Chromium as a tagged PDF with bookmarks (playwright; no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        webblasare = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            sida = webblasare.new_page()
            sida.set_content(dokument_html, wait_until="load")
            return sida.pdf(format="A4", prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
        finally:
            webblasare.close()


# Operators that put marks on the page; a run of them outside any tagged sequence is the footer (a CSS margin box).
_RITANDE = {"Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "INLINE IMAGE"}


_TEXT = {"Tj", "TJ", "'", '"'}


def _sidfot_sist(ops: list) -> list:
    """Chromium paints the CSS margin boxes (the running footer) first; move that q … Q block after the page's content.

    Text extraction and readers that ignore tags then meet the heading first. The rest is wrapped in q … Q so the
    footer is drawn in exactly the graphics state it had before."""
    forsta_tagg = next((i for i, op in enumerate(ops) if str(op.operator) in ("BDC", "BMC")), len(ops))
    djup, start = 0, None
    for i in range(forsta_tagg):
        namn = str(ops[i].operator)
        if namn == "q":
            start = i if djup == 0 else start
            djup += 1
        elif namn == "Q":
            djup -= 1
            if djup == 0 and start is not None:
                block = ops[start : i + 1]
                if any(str(op.operator) in _TEXT for op in block):
                    q, stang = (pikepdf.ContentStreamInstruction([], pikepdf.Operator(o)) for o in ("q", "Q"))
                    return [*ops[:start], q, *ops[i + 1 :], stang, *block]
                start = None
    return ops


def _artefakter(ops: list) -> tuple[list, int]:
    """One page's operators with every untagged painting run wrapped in /Artifact BMC … EMC; and how many runs."""
    ut: list = []
    kor: list = []  # operators outside any marked-content sequence since the last one closed
    djup = antal = 0
    i_text = kor_borjar_i_text = False
    for op in [*ops, None]:  # None flushes the last run
        namn = str(op.operator) if op is not None else "BMC"
        if djup == 0 and namn not in ("BDC", "BMC"):
            kor_borjar_i_text = i_text if not kor else kor_borjar_i_text
            kor.append(op)
        else:
            if djup == 0 and kor:
                # A run that starts or ends inside a text object cannot be wrapped without splitting it; Chromium never writes one.
                if any(str(o.operator) in _RITANDE for o in kor) and not kor_borjar_i_text and not i_text:
                    kor = [pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC")), *kor]
                    kor.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
                    antal += 1
                ut.extend(kor)
                kor = []
            if op is not None:
                ut.append(op)
        djup += 1 if namn in ("BDC", "BMC") else -1 if namn == "EMC" else 0
        i_text = True if namn == "BT" else False if namn == "ET" else i_text
    return ut, antal


def _markera_artefakter(pdf: pikepdf.Pdf) -> int:
    """Footer last and marked as an artifact on every page, as PDF/UA asks of content outside the structure; returns the runs."""
    antal = 0
    for sida in pdf.pages:
        ops, n = _artefakter(_sidfot_sist(list(pikepdf.parse_content_stream(sida))))
        sida.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        antal += n
    return antal


def _bokmarken(pdf: pikepdf.Pdf, titel: str, rubriker: list[str]) -> None:
    """The bookmarks' titles as the headings read: Chromium joins a heading's wrapped lines without a space ('ekonomimed')."""
    with pdf.open_outline() as outline:
        poster = []

        def samla(poster_nu) -> None:
            for post in poster_nu:
                poster.append(post)
                samla(post.children)

        for topp in outline.root:
            topp.title = titel
            samla(topp.children)
        if len(poster) == len(rubriker):  # one bookmark per section heading, in document order
            for post, rubrik in zip(poster, rubriker):
                post.title = rubrik


def _efterbehandla(data: bytes, dok: Dokument, sektioner: dict[str, str]) -> bytes:
    """XMP metadata, document info, DisplayDocTitle, /Lang, footer artifacts and link descriptions."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.Root.Lang = pikepdf.String(SPRAK)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        _markera_artefakter(pdf)
        _bokmarken(pdf, dok.titel, list(sektioner.values()))
        for sida in pdf.pages:
            sida.Tabs = pikepdf.Name.S  # tab order follows the structure tree
            for annot in sida.get("/Annots", []):
                mal = str(annot.get("/Dest", "")).lstrip("/")  # a named destination: the section id
                if annot.get("/Subtype") == "/Link" and mal in sektioner:
                    annot.Contents = pikepdf.String(f"Gå till avsnittet {sektioner[mal]}")
        nu = datetime.now(UTC).astimezone().replace(microsecond=0)
        amne = dok.undertitel.split("\n")[0]
        pdf.docinfo["/Title"] = dok.titel
        pdf.docinfo["/Author"] = FORFATTARE
        pdf.docinfo["/Subject"] = amne
        pdf.docinfo["/Creator"] = FORFATTARE
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = dok.titel
            meta["dc:creator"] = [FORFATTARE]
            meta["dc:description"] = amne
            meta["dc:language"] = [SPRAK]
            meta["xmp:CreatorTool"] = FORFATTARE
            meta["xmp:CreateDate"] = nu.isoformat()
            meta["xmp:ModifyDate"] = nu.isoformat()
            meta["pdf:Producer"] = str(pdf.docinfo.get("/Producer", "Chromium"))
        ut = io.BytesIO()
        pdf.save(ut, min_version="1.7")
        return ut.getvalue()


def skriv_pdf(dok: Dokument) -> bytes:
    """The report as tagged PDF bytes: title page with contents, goal table when present, then one page per chart page."""
    saknas = [n for n in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") if not (TYPSNITT_KATALOG / n).exists()]
    if saknas or not CHROMIUM.exists():
        vad = f"Typsnittet DejaVu Sans saknas ({', '.join(saknas)})" if saknas else f"Chromium saknas ({CHROMIUM})"
        raise RuntimeError(f"{vad}: kör 'bash scripts/ensure_system.sh'.")
    dokument_html, sektioner = _html(dok)
    # Playwright's sync API refuses a thread with a running event loop; a worker thread of its own never has one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        data = pool.submit(_skriv_ut, dokument_html).result()
    return _efterbehandla(data, dok, sektioner)
