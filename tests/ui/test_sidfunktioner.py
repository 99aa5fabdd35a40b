"""kpi.queries: one data function per page (the registry the pages and the benchmark use), small units suppressed."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import kpi
import lake
from kpi.period import Filters, Period
from kpi.queries import SIDOR
from lake.schema import TABLES

NYCKLAR = {
    "oversikt": {"indikatorer", "foregaende_ar", "farskhet", "senaste_korning"},
    "produktivitet": {"indikatorer", "loner_per_manad", "loner_per_tertial", "volymer", "andel_maskinell", "topp_forvaltningar", "pension"},
    "telefoni": {"indikatorer", "per_ko", "tider", "inkommande_karta", "servicegrad_karta", "bemanning"},
    "sjukfranvaro": {"indikatorer", "per_enhet", "rullande", "kort_lang"},
    "ekonomi": {"indikatorer", "per_manad", "prognos_per_grupp", "prognosforandring", "avvikelser"},
    "maluppfyllelse": {"indikatorer", "tabell", "per_enhet"},
    "datakvalitet": {"korningar", "filer_per_kalla", "regler_per_kalla", "valideringsfel", "avvisade", "senaste_manader", "namn"},
    "leverera_data": {"fullstandighet", "att_atgarda", "rytmer"},
    "om": {"katalog"},
}


@pytest.fixture(scope="module")
def con(ui_lake):
    return lake.connect(ui_lake)


@pytest.mark.parametrize("sid", list(NYCKLAR))
def test_varje_sida_en_funktion_med_dokumenterade_nycklar(con, sid):
    senaste = kpi.senaste_manad(con)
    data = SIDOR[sid](con, Period(senaste.year, month=senaste.month, ytd=True), Filters())
    assert set(data) == NYCKLAR[sid]
    assert all(isinstance(v, (pl.DataFrame, list)) for v in data.values())


def test_registret_tacker_sidorna():
    assert set(SIDOR) == set(NYCKLAR)


def test_maluppfyllelse_en_rad_per_indikator_med_stadens_kolumner(con):
    senaste = kpi.senaste_manad(con)
    data = SIDOR["maluppfyllelse"](con, Period(senaste.year, tertial=1), Filters())
    assert data["tabell"].columns[:6] == ["Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning"]
    assert data["tabell"].height == len(data["indikatorer"])
    assert set(data["tabell"]["Bedömning"]) <= {"Uppfylls helt", "Uppfylls delvis", "Uppfylls ej", "Ej bedömd"}


def test_erlang_bemanning_beside_besvarade(con):
    senaste = kpi.senaste_manad(con)
    bem = SIDOR["telefoni"](con, Period(senaste.year, month=senaste.month), Filters())["bemanning"]
    assert bem.height > 0
    assert (bem["agenter"] >= 0).all() and (bem["arsarbetare"] >= bem["agenter"]).all()
    # Erlang C needs more agents than the offered traffic A = calls per hour × handling time / 3600
    trafik = bem["inkommande_per_dag"] * bem["hanteringstid_s"] / 3600
    assert (bem["agenter"] > trafik).all()
    assert bem["besvarade_per_dag"].max() > 0
    # over a tertial it is the latest month that has intervals, as the interval table itself says
    tertial = Period(senaste.year, tertial=(senaste.month - 1) // 4 + 1)
    bem_t = SIDOR["telefoni"](con, tertial, Filters())["bemanning"]
    senaste_intervall = lake.query(con, "SELECT max(manad) AS m FROM telefoni WHERE manad BETWEEN $a AND $b", {"a": tertial.start, "b": tertial.end})[
        "m"
    ].item()
    assert bem_t["manad"].unique().to_list() == [senaste_intervall]


def _liten_sjo(root) -> None:
    """Two units, one with three employees: its sick leave must not be shown anywhere."""
    rader = []
    for m in range(1, 13):
        for enhet, anstallda in [("Stora enheten", 30), ("Lilla enheten", 3)]:
            timmar = anstallda * 160.0
            rader.append(
                {
                    "manad": date(2025, m, 1),
                    "enhet": enhet,
                    "anstallda": anstallda,
                    "ordinarie_arbetstid_h": timmar,
                    "sjuk_dag1_14_h": timmar * 0.02,
                    "sjuk_dag15_h": timmar * 0.03,
                }
            )
    df = pl.DataFrame(rader)
    kolumner = TABLES["sjukfranvaro"].columns
    (root / "sjukfranvaro").mkdir(parents=True)
    for (manad,), g in df.group_by("manad"):
        g.select(list(kolumner)).write_parquet(root / "sjukfranvaro" / f"{manad:%Y-%m}.parquet")


def test_sma_enheter_visas_inte_heller_i_nedladdningar(tmp_path):
    _liten_sjo(tmp_path)
    con = lake.connect(tmp_path)
    data = SIDOR["sjukfranvaro"](con, Period(2025, tertial=3), Filters())
    # Two units, one of them small: the large one alone would reveal the small one by subtraction from the total,
    # so per unit there is only the merged group, and the total is shown.
    assert set(data["per_enhet"]["enhet"]) == {"Små enheter (sammanslagna): Lilla enheten, Stora enheten"}
    assert data["per_enhet"]["varde"].drop_nulls().len() == data["per_enhet"].height
    assert all(r.varde is not None for r in data["indikatorer"])
    assert set(data["rullande"]["grupp"].drop_nulls()) == {"Små enheter (sammanslagna): Lilla enheten, Stora enheten"}
    assert data["rullande"]["taljare"].is_null().all() and data["rullande"]["namnare"].is_null().all(), "inga timmar"
    for enhet, orsak in [("Lilla enheten", "Färre än 5 anställda"), ("Stora enheten", "urvalet delar en grupp")]:
        ensam = SIDOR["sjukfranvaro"](con, Period(2025, tertial=3), Filters(units=(enhet,)))
        assert all(r.varde is None and orsak in r.orsak for r in ensam["indikatorer"])
        assert ensam["rullande"]["varde"].is_null().all()
