"""Plausibility bounds (expectations/*.json): the value at each limit loads, one step beyond is rejected with its rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

import etl
from tests.etl.filer import KANON, VARIANTER, skriv_variant

IDAG = date(2026, 12, 15)  # the run's "today": current month December 2026, next year 2027
INNEVARANDE = date(2026, 12, 1)
NASTA = date(2027, 1, 1)


@dataclass(frozen=True)
class Grans:
    """One edge: rows that sit exactly on it, rows one step beyond, and the rule that must name the second."""

    id: str
    kalla: str
    inom: dict  # column → value, applied to row 0
    utanfor: dict
    regel: str


GRANSER = [
    Grans("volymer_antal", "volymer", {"Antal": 1_000_000}, {"Antal": 1_000_001}, "Antal får vara högst 1 000 000 per rad"),
    Grans("volymer_manad_sist", "volymer", {"Månad": INNEVARANDE}, {"Månad": NASTA}, "Månad får inte ligga efter innevarande månad"),
    Grans(
        "volymer_manad_forst", "volymer", {"Månad": date(2000, 1, 1)}, {"Månad": date(1999, 12, 1)}, "Månad får inte ligga efter innevarande månad"
    ),
    Grans(
        "bemanning_anstallda",
        "bemanning",
        {"Anställda": 100_000, "Årsarbetare": 1},
        {"Anställda": 100_001, "Årsarbetare": 1},
        "Anställda får vara högst 100 000",
    ),
    Grans("bemanning_fte", "bemanning", {"Årsarbetare": 500, "Anställda": 600}, {"Årsarbetare": 500.5, "Anställda": 600}, "mellan 0 och 500"),
    Grans(
        "telefoni_inkommande",
        "telefoni",
        {"Inkommande": 10_000, "Besvarade": 10_000, "Avbrutna": 0},
        {"Inkommande": 10_001, "Besvarade": 10_001, "Avbrutna": 0},
        "Inkommande får vara högst 10 000",
    ),
    Grans("telefoni_langsta", "telefoni", {"Längsta väntetid": 86_400}, {"Längsta väntetid": 86_401}, "Längsta väntetid får vara högst 24 timmar"),
    # row 1 has 3 incoming calls: its totals may reach 3 × 24 h
    Grans(
        "telefoni_total_vantetid",
        "telefoni",
        {"Total väntetid": 1250 * 86_400},
        {"Total väntetid": 1250 * 86_400 + 1},
        "Total väntetid får vara högst",
    ),
    Grans(
        "telefoni_samtalstid", "telefoni", {"Total samtalstid": 1250 * 86_400}, {"Total samtalstid": 1250 * 86_400 + 1}, "Total samtalstid får vara"
    ),
    Grans("telefoni_datum", "telefoni", {"Datum": date(2026, 12, 31)}, {"Datum": NASTA}, "Datum får inte ligga efter innevarande månad"),
    Grans("samtal_vantetid", "samtal", {"Väntetid": 86_400}, {"Väntetid": 86_401}, "Väntetid får vara högst 24 timmar"),
    Grans("samtal_samtalstid", "samtal", {"Samtalstid": 86_400}, {"Samtalstid": 86_401}, "Samtalstid får vara högst 24 timmar"),
    Grans("samtal_efterarbete", "samtal", {"Efterarbete": 86_400}, {"Efterarbete": 86_401}, "Efterarbete får vara högst 24 timmar"),
    Grans(
        "samtal_starttid",
        "samtal",
        {"Starttid": datetime(2026, 12, 31, 23, 59, 59)},
        {"Starttid": datetime(2027, 1, 1, 0, 0, 0)},
        "Starttid får inte ligga efter innevarande månad",
    ),
    # 34 employees × 744 h
    Grans(
        "sjuk_ordinarie",
        "sjukfranvaro",
        {"Ordinarie arbetstid": 34 * 744},
        {"Ordinarie arbetstid": 34 * 744 + 0.5},
        "Ordinarie arbetstid får vara högst 744",
    ),
    Grans("sjuk_anstallda", "sjukfranvaro", {"Anställda": 100_000}, {"Anställda": 100_001}, "Anställda får vara högst 100 000"),
    Grans("ekonomi_budget_max", "ekonomi", {"Budget": 1_000_000_000}, {"Budget": 1_000_000_000.5}, "Budget ska ligga mellan"),
    Grans("ekonomi_budget_min", "ekonomi", {"Budget": -1_000_000_000}, {"Budget": -1_000_000_001}, "Budget ska ligga mellan"),
    Grans("ekonomi_utfall", "ekonomi", {"Utfall": -1_000_000_000}, {"Utfall": -1_000_000_000.01}, "Utfall ska ligga mellan"),
    # a booked actual up to the current month; a budget (Utfall empty) up to December next year
    Grans("ekonomi_utfall_manad", "ekonomi", {"Period": INNEVARANDE}, {"Period": NASTA}, "Utfall får inte bokföras på en period efter"),
    Grans(
        "ekonomi_budget_manad",
        "ekonomi",
        {"Period": date(2027, 12, 1), "Utfall": None},
        {"Period": date(2028, 1, 1), "Utfall": None},
        "Period får ligga högst till december nästa år",
    ),
    Grans("prognos_belopp", "prognos", {"Helårsprognos": 1_000_000_000}, {"Helårsprognos": 1_000_000_001}, "Helårsprognos ska ligga mellan"),
    Grans("prognos_manad", "prognos", {"Prognosmånad": date(2027, 12, 1)}, {"Prognosmånad": date(2028, 1, 1)}, "Prognosmånad får ligga högst"),
    Grans("mal_ar_sist", "mal", {"År": 2027}, {"År": 2028}, "År ska ligga mellan 2000 och nästa år"),
    Grans("mal_ar_forst", "mal", {"År": 2000}, {"År": 1999}, "År ska ligga mellan 2000 och nästa år"),
    Grans("mal_arsmal", "mal", {"Årsmål": -1_000_000_000}, {"Årsmål": -1_000_000_001}, "Årsmål ska ligga mellan"),
    Grans("indikatorer_period", "indikatorer", {"Period": "2026-12"}, {"Period": "2027-01"}, "Period får inte ligga efter innevarande månad"),
    Grans("indikatorer_tertial", "indikatorer", {"Period": "2026-T3"}, {"Period": "2027-T1"}, "Period får inte ligga efter innevarande månad"),
    Grans("indikatorer_utfall", "indikatorer", {"Utfall": 1_000_000_000}, {"Utfall": 1_000_000_001}, "Utfall ska ligga mellan"),
]


def _rader(g: Grans, varden: dict) -> list[dict]:
    rader = [dict(r) for r in KANON[g.kalla]]
    rader[0].update(varden)
    return rader


@pytest.fixture(scope="module")
def korning(tmp_path_factory):
    """Every edge file, inside and beyond, in one raw folder and one run (fixed 'today')."""
    raw = tmp_path_factory.mktemp("granser") / "raw"
    for g in GRANSER:
        skriv_variant(raw, g.kalla, VARIANTER[0], _rader(g, g.inom), namn=f"{g.id}_inom.csv")
        skriv_variant(raw, g.kalla, VARIANTER[0], _rader(g, g.utanfor), namn=f"{g.id}_utanfor.csv")
    r = etl.run(raw, raw.parent / "parquet", raw.parent / "karantan", idag=IDAG)
    return {f.fil: f for f in r.files}


@pytest.mark.parametrize("g", GRANSER, ids=lambda g: g.id)
def test_granserna_pa_bada_sidor(g, korning):
    inom, utanfor = korning[f"{g.kalla}/{g.id}_inom.csv"], korning[f"{g.kalla}/{g.id}_utanfor.csv"]
    assert inom.utfall == "inläst", inom.meddelande
    assert utanfor.utfall == "avvisad"
    assert g.regel in utanfor.meddelande, utanfor.meddelande
    brutna = [u.regel for u in utanfor.regler if not u.lyckades]
    assert any(g.regel in b for b in brutna), brutna


def test_inga_tal_med_tio_siffror_ryms():
    """Every number the lake keeps is bounded below ten digits, so a personnummer written as a number cannot load and a
    sum of Int64 counts cannot overflow (≤ 10⁶ per row × far fewer than 9·10¹² rows)."""
    from etl.validera import las_svit
    from lake.schema import SOURCES
    from sakerhet import innehaller_personnummer

    for kalla in SOURCES:
        for e in las_svit(kalla)["expectations"]:
            kw = e["kwargs"]
            if e["type"] == "expect_column_values_to_be_between" and isinstance(kw.get("max_value"), int | float):
                assert abs(kw["max_value"]) <= 1_000_000_000, (kalla, kw)
                assert not innehaller_personnummer(f"{float(kw['max_value'])}"), (kalla, kw)
    # the derived caps: a day per incoming call (≤ 10 000 per interval) and 744 h per employee (≤ 100 000 per row)
    assert 10_000 * 86_400 < 1_000_000_000 and 100_000 * 744 < 1_000_000_000
