"""Produktivitet: payslips per FTE against target, tertial values, volumes, electronic share, manual senders, pension."""

import polars as pl
import streamlit as st

import diagram
import kpi
from kpi.tabell import Kolumn, indikatorkolumn, seriekolumner
from ui import filter as filtren
from ui import sida

dim = sida.aktuella_dimensioner()
u = filtren.forvaltning_filter(dim["forvaltningar"], filtren.urval())
sida.rubrik("Produktivitet", u)
d = sida.sid_data("produktivitet", u.period, u.filters)
ind = {r.id: r for r in d["indikatorer"]}


def mal(kpi_id: str):
    """The period's target of the indicator a chart draws (None when there is none)."""
    return ind[kpi_id].mal if kpi_id in ind else None


def vis(kpi_id: str):
    """How the indicator's figures read (axis, labels, target line)."""
    return kpi.CATALOGUE[kpi_id].visning


sida.rutor(d["indikatorer"])

vanster, hoger = st.columns(2)
with vanster:
    titel = "Löner per årsarbetare och månad, per enhet"
    sida.figur(
        lambda: diagram.linje_mot_mal(d["loner_per_manad"], mal=mal("loner_per_arsarbetare"), titel=titel, matt=vis("loner_per_arsarbetare")),
        d["loner_per_manad"],
        titel,
        "Lönespecifikationer ÷ årsarbetare löneadministratör i månaden. Streckad linje: årsmålet.",
        nyckel="loner_manad",
        kolumner=seriekolumner("loner_per_arsarbetare", "Enhet"),
        mal=mal("loner_per_arsarbetare"),
    )
with hoger:
    titel = "Löner per årsarbetare och månad, per tertial"
    sida.figur(
        lambda: diagram.staplar(
            d["loner_per_tertial"], x="period", y="varde", mal=mal("loner_per_arsarbetare"), titel=titel,
            matt=vis("loner_per_arsarbetare"), varde_etiketter=True,
        ),
        d["loner_per_tertial"],
        titel,
        "Tertialvärdet är summan av lönespecifikationer ÷ summan av årsarbetarmånader, inte ett medel av månadsvärden.",
        nyckel="loner_tertial",
        kolumner=seriekolumner("loner_per_arsarbetare"),
        mal=mal("loner_per_arsarbetare"),
    )  # fmt: skip

vanster, hoger = st.columns(2)
with vanster:
    titel = "Lönespecifikationer per månad, maskinella och manuella"
    volymer = d["volymer"].with_columns(pl.col("kategori").str.replace("Lönespecifikation ", "").str.to_titlecase())
    sida.figur(
        lambda: diagram.staplar(volymer, x="manad", y="antal", farg="kategori", titel=titel, matt=vis("antal_lonespec")),
        d["volymer"],
        titel,
        "Maskinell = via självservice eller försystem; manuell = registrerad för hand.",
        nyckel="volymer",
        kolumner=[Kolumn("manad", "Månad"), Kolumn("kategori", "Kategori"), Kolumn("antal", "Antal", vis("antal_lonespec"))],
    )
with hoger:
    titel = "Andel maskinell rapportering"
    sida.figur(
        lambda: diagram.linje_mot_mal(d["andel_maskinell"], mal=mal("andel_maskinell"), titel=titel, matt=vis("andel_maskinell")),
        d["andel_maskinell"],
        titel,
        "Maskinellt rapporterade ÷ alla lönespecifikationer i månaden. Streckad linje: årsmålet.",
        nyckel="andel_maskinell",
        kolumner=seriekolumner("andel_maskinell"),
        mal=mal("andel_maskinell"),
    )

vanster, hoger = st.columns(2)
with vanster:
    titel = f"Flest manuella lönespecifikationer, {u.period.label}"
    sida.figur(
        lambda: diagram.staplar(
            d["topp_forvaltningar"], x="forvaltning", y="manuella", horisontell=True, titel=titel, matt=vis("antal_manuella"), varde_etiketter=True
        ),
        d["topp_forvaltningar"],
        titel,
        "De tio förvaltningar som skickar flest manuellt rapporterade lönespecifikationer under perioden.",
        nyckel="topp_forv",
        kolumner=[Kolumn("forvaltning", "Förvaltning"), indikatorkolumn("antal_manuella", "manuella")],
    )
with hoger:
    titel = "Pensionsärenden per pensionshandläggare och år"
    sida.figur(
        lambda: diagram.staplar(
            d["pension"], x="period", y="varde", mal=mal("pensionsarenden_per_handlaggare"), titel=titel,
            matt=vis("pensionsarenden_per_handlaggare"), varde_etiketter=True,
        ),
        d["pension"],
        titel,
        "Pensions- och försäkringsärenden ÷ årsarbetare pensionshandläggare, uppräknat till helår.",
        nyckel="pension",
        kolumner=seriekolumner("pensionsarenden_per_handlaggare"),
        mal=mal("pensionsarenden_per_handlaggare"),
    )  # fmt: skip
st.caption(kpi.bedomningsregel_allman())
