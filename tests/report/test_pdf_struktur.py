"""The PDF exports are tagged in the spirit of PDF/UA: the structure tree as poppler reads it, alt text, language, metadata, bookmarks."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field

import pikepdf
import pytest

from kpi import Filters, Period
from kpi.format import STATUS_ORD
from report import dokument
from report.model import MALTABELL_RUBRIKER, alt_text
from report.pdf_export import skriv_pdf

IDS = ["loner_per_arsarbetare", "servicegrad", "sjukfranvaro_12m"]


@dataclass
class Nod:
    """One element of `pdfinfo -struct-text`: its type, attributes, children and the text directly under it."""

    typ: str
    attr: dict[str, str] = field(default_factory=dict)
    barn: list[Nod] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def alla(self, typ: str) -> list[Nod]:
        """Every descendant of a type, in reading order."""
        ut = []
        for b in self.barn:
            if b.typ == typ:
                ut.append(b)
            ut.extend(b.alla(typ))
        return ut

    def innehall(self) -> str:
        return " ".join([*self.text, *(b.innehall() for b in self.barn)]).strip()


def _utan_mellanrum(text: str) -> str:
    return re.sub(r"\s", "", text)


def struktur(pdf: bytes, tmp_path) -> Nod:
    """Parse poppler's `pdfinfo -struct-text` (indented two spaces per level) into a tree."""
    fil = tmp_path / "struktur.pdf"
    fil.write_bytes(pdf)
    ut = subprocess.run(["pdfinfo", "-struct-text", str(fil)], capture_output=True, text=True, check=True).stdout
    rot = Nod("Rot")
    stack: list[tuple[int, Nod]] = [(-1, rot)]
    for rad in ut.splitlines():
        if not rad.strip():
            continue
        indrag = len(rad) - len(rad.lstrip(" "))
        innehall = rad.strip()
        while stack[-1][0] >= indrag:
            stack.pop()
        foralder = stack[-1][1]
        if innehall.startswith('"'):
            foralder.text.append(innehall.strip('"'))
        elif innehall.startswith("/"):
            nyckel, _, varde = innehall.partition(" ")
            foralder.attr[nyckel] = varde
        elif innehall.startswith("Object "):
            continue
        else:
            nod = Nod(re.match(r"[A-Za-z0-9]+", innehall).group(0))
            foralder.barn.append(nod)
            stack.append((indrag, nod))
    return rot


def figur_alt(pdf: pikepdf.Pdf) -> list[str]:
    """The /Alt of every Figure element in the structure tree, in reading order."""
    alt: list[str] = []

    def samla(e) -> None:
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            if e.S == "/Figure" and "/Alt" in e:
                alt.append(str(e.Alt))
            barn = e.get("/K")
            for b in barn if isinstance(barn, pikepdf.Array) else [barn]:
                samla(b)

    samla(pdf.Root.StructTreeRoot.K)
    return alt


@pytest.fixture(scope="module")
def tertial_pdf(con, hel_tertial) -> tuple[bytes, object]:
    dok = dokument.rendera(dokument.tertialrapport(hel_tertial.year, hel_tertial.tertial, Filters(), con, ids=IDS), "pdf")
    return skriv_pdf(dok), dok


@pytest.fixture(scope="module")
def apt_pdf(con, hel_tertial) -> tuple[bytes, object]:
    dok = dokument.rendera(dokument.apt_deck(["maluppfyllelse", "servicegrad"], Period.parse(f"{hel_tertial.end:%Y-%m}"), Filters(), con), "pdf")
    return skriv_pdf(dok), dok


def test_tertialrapportens_strukturtrad(tertial_pdf, tmp_path):
    pdf, dok = tertial_pdf
    rot = struktur(pdf, tmp_path)
    assert [n.typ for n in rot.barn] == ["Document"]
    document = rot.barn[0]

    rubriker1 = document.alla("H1")
    assert [h.innehall() for h in rubriker1] == [dok.titel]
    # One H2 per top section, in the document's order: each KF:s inriktningsmål, the goal table, one per chart page.
    mal = [s.malavsnitt for s in dok.malavsnitt]
    assert mal and mal[0].djup == 0
    assert [_utan_mellanrum(h.innehall()) for h in document.alla("H2")] == [
        _utan_mellanrum(t) for t in [*(m.rubrik for m in mal if m.djup == 0), dok.tabell_rubrik, *(s.titel for s in dok.sidor)]
    ]
    # Below it one heading level per goal level: KF:s mål H3, nämndmål H4, enhetsmål H5 – in the plan's order.
    for niva, djup in (("H3", 1), ("H4", 2), ("H5", 3)):
        assert [_utan_mellanrum(h.innehall()) for h in document.alla(niva)] == [_utan_mellanrum(m.rubrik) for m in mal if m.djup == djup], niva
    assert {m.niva for m in mal if m.djup == 2} == {"Nämndmål"} and {m.niva for m in mal if m.djup == 3} == {"Enhetsmål"}

    # The linked table of contents is a real list: the goals down to nämndmål, the table, each chart page.
    listor = document.alla("L")
    antal = len([m for m in mal if m.djup <= 2]) + 1 + len(dok.sidor)
    assert listor and len(listor[0].alla("LI")) == antal
    assert len(listor[0].alla("Link")) >= antal

    # Where nobody has written, the report says so; the generated sentence is labelled as a suggestion.
    stycken = [_utan_mellanrum(p.innehall()) for p in document.alla("P")]
    assert _utan_mellanrum("Analys saknas.") in stycken
    assert any(_utan_mellanrum("Förslag till text (genererad ur indikatorerna") in s for s in stycken)

    # The goal table: column header cells with scope, a row header per indicator, data cells pointing to both headers.
    maltabell = next(t for t in document.alla("Table") if len(t.alla("TR")) == 1 + len(dok.tabell))
    rader = maltabell.alla("TR")
    huvud = rader[0].alla("TH")
    assert all(th.attr.get("/Scope") == "/Column" for th in huvud)
    assert [re.sub(r"\s+", " ", th.innehall()).startswith(r) for th, r in zip(huvud, MALTABELL_RUBRIKER)] == [True] * len(MALTABELL_RUBRIKER)
    radrubriker = [r.alla("TH")[0] for r in rader[1:]]
    assert all(th.attr.get("/Scope") == "/Row" for th in radrubriker)
    assert len(radrubriker) == len(dok.tabell)
    assert all(td.attr.get("/Headers", "").count("node") == 2 for td in rader[1].alla("TD"))
    assert STATUS_ORD[dok.tabell[0].status] in rader[1].alla("TD")[-1].innehall()

    # Each chart page reads heading, figure, key figures (a table with header cells), badge, comment, footnote.
    figurer = document.alla("Figure")
    assert len([f for f in figurer if not f.alla("Figure")]) == len(dok.sidor)
    stycken = [_utan_mellanrum(p.innehall()) for p in document.alla("P")]
    for sida in dok.sidor:
        # poppler joins wrapped lines without a space, so compare the text without any whitespace.
        assert _utan_mellanrum(sida.text) in stycken, sida.titel
        assert _utan_mellanrum(sida.fotnot) in stycken, sida.titel


def test_tertialrapportens_alt_text_sprak_metadata_och_bokmarken(tertial_pdf):
    pdf, dok = tertial_pdf
    with pikepdf.open(io.BytesIO(pdf)) as p:
        assert str(p.Root.Lang) == "sv-SE"
        assert bool(p.Root.ViewerPreferences.DisplayDocTitle) is True
        assert bool(p.Root.MarkInfo.Marked) is True
        assert str(p.docinfo["/Title"]) == dok.titel

        meta = p.open_metadata()
        assert meta["dc:title"] == dok.titel
        assert "sv-SE" in meta["dc:language"]
        assert meta["dc:creator"] == ["Verksamhetsuppföljning"]

        # Figures carry real alt text: title + takeaway sentence, not a file name or the title alone.
        alt = figur_alt(p)
        assert alt == [alt_text(s) for s in dok.sidor]
        for text, sida in zip(alt, dok.sidor):
            assert text.startswith(sida.titel) and ("målet" in text or "årsmål" in text) and len(text) > len(sida.titel) + 20

        # Bookmarks: the title, and under it one per section pointing at its page.
        with p.open_outline() as outline:
            (topp,) = outline.root
            assert topp.title == dok.titel
            mal = [s.malavsnitt for s in dok.malavsnitt]
            assert [b.title for b in topp.children] == [*(m.rubrik for m in mal if m.djup == 0), dok.tabell_rubrik, *(s.titel for s in dok.sidor)]
            # the goals nest by level, each titled exactly as its heading reads
            forsta = topp.children[0]
            assert [b.title for b in forsta.children] == [m.rubrik for m in mal if m.djup == 1]
            sidnr = [p.pages.index(pikepdf.Page(b.destination[0])) for b in topp.children]
            assert sidnr == sorted(sidnr) and sidnr[0] == 1

        # Nothing is painted outside the structure: every text run is tagged content or an artifact (the footer).
        for nr, sida in enumerate(p.pages):
            stack: list[str] = []
            for op in pikepdf.parse_content_stream(sida):
                namn = str(op.operator)
                if namn in ("BDC", "BMC"):
                    stack.append(str(op.operands[0]))
                elif namn == "EMC":
                    stack.pop()
                elif namn in ("Tj", "TJ", "Do"):
                    assert stack, f"sida {nr + 1}: {namn} utanför märkt innehåll"
            for annot in sida.get("/Annots", []):
                assert str(annot.get("/Contents", "")).startswith("Gå till avsnittet"), "länken saknar beskrivning"
            assert sida.get("/Tabs") == "/S"


def test_aptbildspelets_maltabell_ar_en_riktig_tabell(apt_pdf, tmp_path):
    """The goal-table slide is a Plotly table; in the PDF it is a table with header cells, not a picture of one."""
    pdf, dok = apt_pdf
    document = struktur(pdf, tmp_path).barn[0]
    tabeller = document.alla("Table")
    assert tabeller, "måltabellen ska vara en tabell"
    rader = tabeller[0].alla("TR")
    assert [th.innehall().split()[0] for th in rader[0].alla("TH")] == ["Indikator", "Utfall", "Årsmål", "Bedömning"]
    assert len(rader) - 1 == len(dok.sidor[0].figur.data[0].cells.values[0])
    # Only the chart slide is a figure; its alt text is the slide title and takeaway.
    with pikepdf.open(io.BytesIO(pdf)) as p:
        figurer = figur_alt(p)
    assert figurer == [f"{dok.sidor[1].titel}. {dok.sidor[1].text}"]
