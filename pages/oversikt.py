"""Översikt: a tile per indicator against its target, with change against last year and data freshness."""

import polars as pl
import streamlit as st

import kpi
from kpi.format import STATUS_ORD, manad
from ui import filter as filtren
from ui import sida

u = filtren.urval()
sida.rubrik("Översikt", u)
d = sida.sid_data("oversikt", u.period, u.filters)

farskhet = d["farskhet"].drop_nulls("senaste_manad")
korning = d["senaste_korning"]
senast = manad(farskhet["senaste_manad"].max()) if not farskhet.is_empty() else "ingen data inläst"
if korning.is_empty():
    st.caption(f"Senaste månad med data: **{senast}** · Ingen ETL-körning registrerad.")
else:
    k = korning.row(0, named=True)
    utfall = "utan anmärkning" if k["status"] == "ok" else f"{k['avvisade_filer']} fil(er) avvisades – se Datakvalitet"
    st.caption(f"Senaste månad med data: **{senast}** · Senaste inläsning: **{k['startad']:%Y-%m-%d %H:%M}** ({utfall})")

forra = {r.id: r for r in d["foregaende_ar"]}
trender = d["trender"]
avsnitt: dict[str, list] = {}
for r in d["indikatorer"]:
    ind = kpi.CATALOGUE.get(r.id)
    avsnitt.setdefault(ind.avsnitt if ind else "Övrigt", []).append(r)

for namn, resultat in avsnitt.items():
    st.subheader(namn)
    kolumner = st.columns(4)
    for i, r in enumerate(resultat):
        ind = kpi.CATALOGUE.get(r.id)
        with kolumner[i % 4]:
            sida.ruta(
                r,
                forra.get(r.id),
                trend=trender.filter(trender["id"] == r.id).sort("period_start")["varde"].to_list(),
                riktning=ind.riktning if ind else None,
                ekonomi=namn == "Ekonomi",
            )
st.caption(
    "Förändringen jämförs med samma period föregående år (samma månader när perioden ännu inte är slut); "
    "procentsatser jämförs i procentenheter. Linjen i varje ruta visar de senaste 13 månaderna."
)
sida.nedladdning(
    pl.DataFrame(
        [
            {
                "indikator": r.namn,
                "id": r.id,
                "varde": r.varde,
                "matt": r.matt,
                "arsmal": r.mal,
                "bedomning": STATUS_ORD.get(r.status, r.status),
                "period": r.period,
                "foregaende_ar": getattr(forra.get(r.id), "varde", None),
                "jamforelseperiod": getattr(forra.get(r.id), "period", None),
                "orsak": r.orsak,
            }
            for r in d["indikatorer"]
        ],
        schema={
            "indikator": pl.Utf8,
            "id": pl.Utf8,
            "varde": pl.Float64,
            "matt": pl.Utf8,
            "arsmal": pl.Float64,
            "bedomning": pl.Utf8,
            "period": pl.Utf8,
            "foregaende_ar": pl.Float64,
            "jamforelseperiod": pl.Utf8,
            "orsak": pl.Utf8,
        },
    ),
    f"Översikt {u.period.label}",
    nyckel="oversikt",
)
