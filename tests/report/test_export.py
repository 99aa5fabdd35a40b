"""The files the users get: the tertial report as PDF and .pptx, and an APT deck, built by the CLI on the sample data."""

from __future__ import annotations

import re

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

import kpi
from kpi import Filters
from kpi.__main__ import main as kpi_main
from kpi.format import STATUS_ORD
from report import sets
from report.__main__ import main as report_main
from report.slides import KATALOG


def _normal(text: str) -> str:
    """Whitespace as a reader sees it: no-break spaces and line breaks count as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _cli_tabell(capsys, period, enheter=()) -> str:
    """`python -m kpi` table output for the same period and units."""
    argv = ["--parquet", str(pytest.rapport_root), "--year", str(period.year), "--tertial", str(period.tertial), "--format", "table"]
    if enheter:
        argv += ["--unit", *enheter]
    capsys.readouterr()
    assert kpi_main(argv) == 0
    return capsys.readouterr().out


def _cli_celler(cli: str, r) -> tuple[str, str, str]:
    """Name, value and assessment of one indicator as the KPI CLI prints them (checked against its line)."""
    rad = next(line for line in cli.splitlines() if line.startswith(r.namn + " "))
    varde, bedomning = r.varde_text, STATUS_ORD[r.status]
    assert varde in rad and bedomning in rad, f"CLI-raden för {r.id} skiljer sig: {rad!r}"
    return r.namn, varde, bedomning


@pytest.fixture(autouse=True)
def _rot(rapport_lake):
    pytest.rapport_root = rapport_lake


def test_tertialrapport_pdf_haller_tabellen_och_en_sida_per_malindikator(rapport_lake, con, hel_tertial, tmp_path, capsys):
    ut = tmp_path / "rapport.pdf"
    assert (
        report_main(["--parquet", str(rapport_lake), "--year", str(hel_tertial.year), "--tertial", str(hel_tertial.tertial), "--out", str(ut)]) == 0
    )
    resultat = kpi.compute(hel_tertial, Filters(), con=con)
    med_mal = [r for r in resultat if r.mal is not None]
    assert len(med_mal) >= 5, "urvalet ska ha flera indikatorer med årsmål"

    sidor = [_normal(s.extract_text()) for s in PdfReader(ut).pages]
    # The city's order: title page, the goals (each with its own indicator table), the whole table, one page per indicator.
    assert sidor[1].startswith("KF:s inriktningsmål:"), "målen kommer direkt efter titelsidan"
    rubrik = f"Måluppfyllelse T{hel_tertial.tertial} {hel_tertial.year}"
    start = next(i for i, s in enumerate(sidor) if s.startswith(rubrik))
    forsta_diagram = len(sidor) - len(med_mal)
    tabellsidor = list(range(start, forsta_diagram))
    assert tabellsidor and all("Periodens utfall" in sidor[i] for i in tabellsidor)
    assert "Analys saknas." in " ".join(sidor[1:start]), "där ingen har skrivit säger rapporten det"
    assert f"Tertialrapport T{hel_tertial.tertial} {hel_tertial.year}" in sidor[0]

    tabelltext = " ".join(sidor[i] for i in tabellsidor)
    cli = _cli_tabell(capsys, hel_tertial)
    for r in resultat:
        namn, varde, bedomning = _cli_celler(cli, r)
        # Name, value and assessment appear together on the row, in the table's column order.
        assert re.search(re.escape(_normal(namn)) + r".{0,60}?" + re.escape(_normal(varde)) + r".*?" + re.escape(bedomning), tabelltext), r.id
    for sida, r in zip(sidor[forsta_diagram:], med_mal):
        assert sida.startswith(_normal(r.namn)), f"sidan för {r.id} börjar med {sida[:60]!r}"
        assert f"Utfallet för {r.period} är {_normal(r.varde_text)}." in sida
        assert STATUS_ORD[r.status] in sida
        assert "Jämfört med föregående tertial" in sida and "samma tertial förra året" in sida


def test_tertialrapport_pptx_for_en_enhet_och_valda_indikatorer(rapport_lake, con, hel_tertial, enhet, tmp_path, capsys):
    ids = ["loner_per_arsarbetare", "sjukfranvaro_12m", "servicegrad"]
    ut = tmp_path / "rapport.pptx"
    argv = [
        "--parquet",
        str(rapport_lake),
        "--year",
        str(hel_tertial.year),
        "--tertial",
        str(hel_tertial.tertial),
        "--unit",
        enhet,
        "--indikator",
        *ids,
        "--out",
        str(ut),
    ]
    assert report_main(argv) == 0
    pres = Presentation(ut)
    assert abs(pres.slide_width / pres.slide_height - 16 / 9) < 0.01
    bilder = list(pres.slides)
    # title, the goals (one slide or more each), the goal table, one slide per chosen indicator
    tabellbild = next(
        i for i, b in enumerate(bilder) if b.shapes.title.text_frame.text == f"Måluppfyllelse T{hel_tertial.tertial} {hel_tertial.year}"
    )
    assert bilder[1].shapes.title.text_frame.text.startswith("KF:s inriktningsmål:")
    assert len(bilder) == tabellbild + 1 + len(ids)

    resultat = kpi.compute(hel_tertial, Filters(units=(enhet,)), ids=ids, con=con)
    cli = _cli_tabell(capsys, hel_tertial, (enhet,))
    tabell = next(s.table for s in bilder[tabellbild].shapes if s.has_table)
    rader = [[_normal(tabell.cell(r, k).text) for k in range(6)] for r in range(1, len(tabell.rows))]
    for r, rad in zip(resultat, rader):
        namn, varde, bedomning = _cli_celler(cli, r)
        assert rad[0] == namn and rad[1] == _normal(varde) and rad[5].endswith(bedomning)
    for bild, r in zip(bilder[tabellbild + 1 :], resultat):
        texter = [s.text_frame.text for s in bild.shapes if s.has_text_frame]
        assert texter[0] == r.namn  # the title is real text, not part of the picture
        assert any(_normal(r.varde_text) in _normal(t) for t in texter[1:])
        assert sum(1 for s in bild.shapes if s.shape_type == 13) == 1  # exactly one chart picture


def test_apt_bildspel_fran_sparat_set(rapport_lake, con, hel_tertial, enhet, set_katalog, tmp_path):
    ids = ("maluppfyllelse", "servicegrad", "ekonomi_resultat")
    sets.spara(sets.Bildspel(f"APT {enhet}", ids))
    manad = f"{hel_tertial.end:%Y-%m}"
    ut = tmp_path / "apt.pptx"
    assert report_main(["--parquet", str(rapport_lake), "--set", f"apt {enhet}", "--month", manad, "--unit", enhet, "--out", str(ut)]) == 0
    bilder = list(Presentation(ut).slides)
    assert len(bilder) == 1 + len(ids)
    assert f"APT {enhet}" in bilder[0].shapes[0].text_frame.text
    servicegrad = kpi.compute(kpi.Period.parse(manad), Filters(units=(enhet,)), ids=["servicegrad"], con=con)[0]
    for bild, bild_id in zip(bilder[1:], ids):
        texter = [s.text_frame.text for s in bild.shapes if s.has_text_frame]
        assert texter[0].startswith(KATALOG[bild_id].titel.split(" (")[0])
        assert all(s.width <= Emu(Presentation(ut).slide_width) for s in bild.shapes)
    takeaway = _normal(" ".join(s.text_frame.text for s in bilder[2].shapes if s.has_text_frame))
    assert _normal(servicegrad.varde_text) in takeaway


@pytest.mark.parametrize(
    "argv, fel",
    [
        (["--year", "2026", "--tertial", "2"], "--out"),
        (["--year", "2026", "--tertial", "2", "--out", "x.docx"], ".pdf eller .pptx"),
        (["--year", "2026", "--out", "x.pdf"], "--tertial"),
        (["--year", "2026", "--tertial", "2", "--unit", "Finns inte", "--out", "x.pdf"], "Okänd enhet"),
        (["--month", "2026-03", "--bilder", "finns_inte", "--out", "x.pptx"], "Okänd bild"),
        (["--month", "2026-03", "--set", "Inget sådant", "--out", "x.pptx"], "Inget sparat bildspel"),
        (["--month", "2026-13", "--apt", "--out", "x.pptx"], "Kan inte tolka perioden"),
        (["--year", "2026", "--tertial", "2", "--indikator", "finns_inte", "--out", "x.pdf"], "finns_inte"),
    ],
)
def test_anvandningsfel_ger_kod_2_och_svensk_forklaring(argv, fel, rapport_lake, set_katalog, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as utfall:
        report_main(["--parquet", str(rapport_lake), *argv])
    assert utfall.value.code == 2
    assert fel in capsys.readouterr().err
    assert not list(tmp_path.glob("x.*"))
