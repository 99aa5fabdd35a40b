"""Produktivitet: payslips per FTE against target, tertial values, volumes, electronic share, manual senders, pension."""

import polars as pl
import streamlit as st

from ui import charts, sida
from ui import filter as filtren

dim = sida.aktuella_dimensioner()
u = filtren.forvaltning_filter(dim["forvaltningar"], filtren.urval())
sida.rubrik("Produktivitet", u)
d = sida.sid_data("produktivitet", u.period, u.filters)
ind = {r.id: r for r in d["indikatorer"]}


def mal(kpi_id: str):
    """The period's target for an indicator (None when there is none)."""
    return ind[kpi_id].mal if kpi_id in ind else None


kolumner = st.columns(len(d["indikatorer"]) or 1)
for kol, r in zip(kolumner, d["indikatorer"]):
    with kol:
        sida.ruta(r)

vanster, hoger = st.columns(2)
with vanster:
    titel = "Löner per årsarbetare och månad, per enhet"
    sida.diagram(
        charts.linje_mot_mal(d["loner_per_manad"], mal=mal("loner_per_arsarbetare"), titel=titel, matt="st"),
        d["loner_per_manad"].select("period", "grupp", "varde").rename({"grupp": "enhet", "varde": "loner_per_arsarbetare"}),
        titel,
        "Lönespecifikationer ÷ årsarbetare löneadministratör i månaden. Streckad linje: årsmålet.",
        nyckel="loner_manad",
    )
with hoger:
    titel = "Löner per årsarbetare och månad, per tertial"
    sida.diagram(
        charts.staplar(d["loner_per_tertial"], x="period", y="varde", mal=mal("loner_per_arsarbetare"), titel=titel, matt="st", varde_etiketter=True),
        d["loner_per_tertial"].select("period", "varde").rename({"varde": "loner_per_arsarbetare"}),
        titel,
        "Tertialvärdet är summan av lönespecifikationer ÷ summan av årsarbetarmånader, inte ett medel av månadsvärden.",
        nyckel="loner_tertial",
    )

vanster, hoger = st.columns(2)
with vanster:
    titel = "Lönespecifikationer per månad: maskinell och manuell"
    volymer = d["volymer"].with_columns(pl.col("kategori").str.replace("Lönespecifikation ", "").str.to_titlecase())
    sida.diagram(charts.staplar(volymer, x="manad", y="antal", farg="kategori", titel=titel, matt="st"), d["volymer"], titel, nyckel="volymer")
with hoger:
    titel = "Andel maskinell rapportering"
    sida.diagram(
        charts.linje_mot_mal(d["andel_maskinell"], mal=mal("andel_maskinell"), titel=titel, matt="%"),
        d["andel_maskinell"].select("period", "varde").rename({"varde": "andel_maskinell_procent"}),
        titel,
        nyckel="andel_maskinell",
    )

vanster, hoger = st.columns(2)
with vanster:
    titel = f"Flest manuella lönespecifikationer, {u.period.label}"
    sida.diagram(
        charts.staplar(d["topp_forvaltningar"], x="forvaltning", y="manuella", horisontell=True, titel=titel, matt="st", varde_etiketter=True),
        d["topp_forvaltningar"],
        titel,
        "De tio förvaltningar som skickar flest manuellt rapporterade lönespecifikationer under perioden.",
        nyckel="topp_forv",
    )
with hoger:
    titel = "Pensionsärenden per pensionshandläggare och år"
    sida.diagram(
        charts.staplar(d["pension"], x="period", y="varde", mal=mal("pensionsarenden_per_handlaggare"), titel=titel, matt="st", varde_etiketter=True),
        d["pension"].select("period", "varde").rename({"varde": "arenden_per_handlaggare"}),
        titel,
        "Pensions- och försäkringsärenden ÷ årsarbetare pensionshandläggare, uppräknat till helår.",
        nyckel="pension",
    )
