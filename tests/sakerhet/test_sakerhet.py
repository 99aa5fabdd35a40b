"""Redaction, CSV neutralisation and escaping: input → expected tables."""

import pytest

from sakerhet import PERSONNUMMER_ERSATTNING as DOLT
from sakerhet import csv_cell, html_text, innehaller_personnummer, markdown_text, maskera, maskera_allt, plotly_text

PERSONNUMMER = [
    "19121212-1212",
    "191212121212",
    "121212-1212",
    "121212+1212",
    "1212121212",
    "19701063-2391",  # samordningsnummer (day + 60)
    "701063-2391",
    "20050229 1234",
    "1.91212121212E+11",  # Excel's scientific notation of a 12-digit number
    "1212121212.0",
    "121212 - 1212",  # typed by hand with spaces around the dash
    "19121212 – 1212",  # en dash
    "121212\u00a0-\u00a01212",  # no-break spaces around the dash
    "１９１２１２１２－１２１２",  # full-width digits and dash pasted from a PDF
    "121212\u200b-1212",  # a zero-width space inside
    "19701063 2391",
]


@pytest.mark.parametrize("pnr", PERSONNUMMER)
@pytest.mark.parametrize("mall", ["{}", "rad 3: {}", "{};Enhet Nord", "x{}y", '"{}"'])
def test_personnummer_hittas_och_maskeras_var_det_an_star(pnr, mall):
    text = mall.format(pnr)
    assert innehaller_personnummer(text)
    ut = maskera(text)
    assert DOLT in ut
    assert pnr.split(".")[0] not in ut


@pytest.mark.parametrize(
    "text",
    [
        "Belopp 9852081",
        "1234567890123",
        "2024-03-15",
        "202403",
        "Intervall 08:00-08:15",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "1 150,5",
        "1,5E+09",
        "Löneenhet Nord",
        "191313-1212",
        "20261201T200512-123456",  # an ETL run id (a '-' before the microseconds keeps it from looking like one)
        "2026-12-01 20:05:12.123456",
        "1000000000.0",  # the largest amount the lake keeps
        "864000000.0",
        "Intervall 08:00-08:15 2024-03-15",
    ],
)
def test_annat_lamnas_orort(text):
    assert not innehaller_personnummer(text)
    assert maskera(text) == text


def test_maskera_allt_gar_igenom_strukturer():
    rad = {"meddelande": "rad 2: 121212-1212", "kolumner": ["Enhet", "19121212-1212"], "rader": 4}
    ut = maskera_allt(rad)
    assert ut == {"meddelande": f"rad 2: {DOLT}", "kolumner": ["Enhet", DOLT], "rader": 4}
    assert maskera(191212121212) == DOLT and maskera(42) == 42 and maskera(None) is None


@pytest.mark.parametrize(
    ("cell", "ut"),
    [
        ('=HYPERLINK("http://evil.example/x","Klicka")', '\'=HYPERLINK("http://evil.example/x","Klicka")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12,5", "-12,5"),
        ("+46", "+46"),
        ("-1 150,5", "-1 150,5"),
        ("Löneenhet Nord", "Löneenhet Nord"),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_csv_cell(cell, ut):
    assert csv_cell(cell) == ut


def test_markdown_och_plotly_visar_namn_som_text():
    assert "](" not in markdown_text("[Klicka här](https://evil.example/login)").replace("\\]\\(", "")
    assert "https://" not in markdown_text("https://evil.example")
    assert plotly_text('<a href="https://evil.example/">Löneenhet Öst</a>') == '&lt;a href="https://evil.example/"&gt;Löneenhet Öst&lt;/a&gt;'


def test_html_text_haller_sig_i_html_blocket():
    """A free text with a blank line, inside st.markdown's HTML: escaped, and one line, so Markdown never reads its rest."""
    kommentar = 'Klar.\n\n![spårning](https://evil.example/x.png) <b>"fet"</b>'
    assert html_text(kommentar) == "Klar. ![spårning](https://evil.example/x.png) &lt;b&gt;&quot;fet&quot;&lt;/b&gt;"
    assert "\n" not in html_text("rad 1\r\nrad 2\n\n\nrad 3") and html_text("  Löneenhet  Nord ") == "Löneenhet Nord"
