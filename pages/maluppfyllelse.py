"""Måluppfyllelse: the city's goal follow-up – goals in the plan's order with assessment, indicators, activities and analysis;
a unit × indicator matrix, reminders of what is missing, and the city's report table."""

import streamlit as st

import kpi
from kpi.tabell import resultatram
from sakerhet import markdown_text
from ui import filter as filtren
from ui import inloggning, malsida, sida
from uppfoljning import UppfoljningFel, analysenheter, maluppfoljning, saknade_analyser, uppfoljningsperiod

u = filtren.urval()
sida.rubrik("Måluppfyllelse", u)
st.markdown(malsida.STIL, unsafe_allow_html=True)
p = uppfoljningsperiod(u.period)
if p != u.period:
    st.info(f"Målen följs upp per tertial och helår. Sidan visar **{p.label}**, tertialet som {u.period.label} hör till.", icon=":material/info:")
d = sida.sid_data("maluppfyllelse", p, u.filters)
resultat = {r.id: r for r in d["indikatorer"]}
anv = inloggning.anvandare()
trad = malsida.maltrad(p.year)
enheter = analysenheter(u.filters)
enhet = enheter[0] if len(enheter) == 1 else None
alla_enheter = sida.aktuella_dimensioner()["enheter"] if u.filters.omfang is None else list(u.filters.omfang)

paminn = [None, *alla_enheter] if u.filters.omfang is None else alla_enheter  # whose analyses the reminders follow
# Everything read from the follow-up store up front: when it is down, the figures and proposals still show.
db, db_fel = malsida.databas()
rader, periodstatus, enheternas, saknade = maluppfoljning(trad, p, d["indikatorer"]), None, {}, []
if db is not None:
    try:
        periodstatus = db.periodstatus(p)
        if len(enheter) == 1:
            rader = maluppfoljning(trad, p, d["indikatorer"], db, enhet)
        granska = [e for e in alla_enheter if e is not None] if enhet is None else []
        for a in db.analyser(p, enheter=granska if len(enheter) == 1 else enheter):
            if a.indikator is None and a.enhet is not None:
                enheternas.setdefault(a.mal_id, []).append(a)
        saknade = saknade_analyser(trad, p, db, paminn) if trad else []
    except UppfoljningFel as fel:
        db, db_fel = None, fel.meddelande
        rader = maluppfoljning(trad, p, d["indikatorer"])

far_skriva = anv.far("skriva_uppfoljning") and len(enheter) == 1 and anv.far_skriva_for(enhet)
forfattare = malsida.forfattare(anv)
s = malsida.Sammanhang(
    period=p,
    enhet=enhet,
    kan_skriva=bool(far_skriva and forfattare and periodstatus is not None and not periodstatus.faststalld),
    forfattare=forfattare,
    resultat=resultat,
    db=db if len(enheter) == 1 else None,
    enheternas=enheternas,
    visa_enheter=db is not None and (enhet is None or len(enheter) > 1) and bool(alla_enheter),
)

kallor_senaste, kallor_efter = malsida.kallor_utan_senaste_manad()
if saknade or kallor_efter:
    delar = []
    if saknade:
        delar.append(f"{len(saknade)} {'analys' if len(saknade) == 1 else 'analyser'} saknas eller är utkast för {p.label}")
    if kallor_efter:
        delar.append(f"{len(kallor_efter)} {'källa' if len(kallor_efter) == 1 else 'källor'} saknar data för {kallor_senaste}")
    st.caption(":material/notifications: " + " · ".join(delar) + " – se fliken **Påminnelser**.")

FLIKAR = ["Mål och analys", "Enheter och indikatorer", "Påminnelser", "Rapporttabell"]
mal_flik, matris_flik, paminnelse_flik, tabell_flik = st.tabs(FLIKAR, key="flik", bind="query-params")

if mal_flik.open:
    with mal_flik:
        if not trad:
            st.info(f"Det finns ingen målstruktur för {p.year}. Lägg in verksamhetsplanens mål i data/raw/malstruktur/ och läs in igen.")
        vem = (enhet or "hela verksamheten") if len(enheter) == 1 else ", ".join(e for e in enheter if e)
        st.markdown(f"**Uppföljning för {markdown_text(vem)} · {p.label}**")
        if db is None:
            st.warning(f"{markdown_text(db_fel)} Mål, indikatorer och förslag till bedömning visas nedan.", icon=":material/cloud_off:")
        elif len(enheter) > 1:
            st.info("Analyser skrivs för hela verksamheten eller för en enhet i taget. Välj en enhet – eller ingen, för hela verksamheten – "
                    "i sidopanelen för att skriva. Enheternas analyser visas under varje mål.")  # fmt: skip
        else:
            malsida.periodruta(periodstatus, p, anv.far("faststalla_period"), forfattare, len(saknade))
            if far_skriva and not periodstatus.faststalld:
                if anv.lokal:
                    malsida.fraga_efter_namn()
            elif not far_skriva:
                st.caption(
                    "Du kan läsa uppföljningen. Analyserna skrivs av enhetscheferna för sina enheter och av verksamhetschefen för hela verksamheten."
                )
        if p.tertial is not None:
            malsida.rapportnedladdning(p, u.filters)
        for rad in rader:
            malsida.visa_mal(rad, s)
        st.caption(
            "Förslaget till bedömning räknas fram ur målets indikatorer: alla bedömda uppfylls helt → uppfylls helt; mer än hälften uppfylls ej → "
            "uppfylls ej; annars uppfylls delvis. Indikatorer som inte kan bedömas räknas inte, och en indikator som följs upp per år räknas bara "
            "i helåret. Ett mål utan egna bedömda indikatorer får förslaget ur sina delmål. " + kpi.bedomningsregel_allman()
        )

if matris_flik.open:
    with matris_flik:
        st.subheader(f"Enheter och indikatorer {p.label}")
        html_matris = malsida.matris_html(d["per_enhet"], p)
        if html_matris:
            st.markdown(html_matris, unsafe_allow_html=True)
            st.caption(
                "● Uppfylls helt · ◐ Uppfylls delvis · ○ Uppfylls ej · – Ej bedömd. Samma bedömning som i rutorna på Översikt, mot enhetens eget årsmål."
            )
            sida.nedladdning(malsida.matris_ram(d["per_enhet"]), f"Enheter och indikatorer {p.label}", nyckel="matris")
        else:
            st.info("Det finns inga indikatorer med årsmål per enhet för det här urvalet.")

if paminnelse_flik.open:
    with paminnelse_flik:
        st.subheader(f"Analyser som inte är klara för {p.label}")
        if db is None:
            st.warning(markdown_text(db_fel or "Uppföljningsdatabasen går inte att nå."))
        elif not saknade:
            st.success(f"Alla mål har en klar analys för {p.label}.", icon=":material/check_circle:")
        else:
            klara = sum(1 for m, _ in trad.alla() if m.kraver_analys) * len(paminn) - len(saknade)
            st.markdown(
                f"{klara} klara, {sum(x.tillstand == 'utkast' for x in saknade)} utkast och {sum(x.tillstand is None for x in saknade)} saknas."
            )
            st.markdown(malsida.paminnelser_html(trad, saknade, paminn), unsafe_allow_html=True)
        st.subheader("Källor utan data för senaste månaden")
        if kallor_senaste is None:
            st.info("Ingen data är inläst.")
        elif not kallor_efter:
            st.success(f"Alla källor har data för {kallor_senaste}.", icon=":material/check_circle:")
        else:
            st.markdown(f"Senaste månaden med data är **{kallor_senaste}**. Dessa källor har inte kommit in för den:")
            for kalla, senast in kallor_efter:
                st.markdown(f"- **{kalla}** (data/raw/{kalla}/) – senaste månad: {senast}")

if tabell_flik.open:
    with tabell_flik:
        st.subheader(f"Rapporttabell {p.label}")
        st.markdown(sida.maltabell_html(d["indikatorer"]), unsafe_allow_html=True)
        st.caption(kpi.bedomningsregel_allman())
        sida.nedladdning(resultatram(d["indikatorer"]), f"Måluppfyllelse {p.label}", nyckel="maluppfyllelse")
