"""The goal follow-up page's building blocks: the goal tree with assessments, analyses and activities, the editors, the matrix.

Everything written comes from and goes to `uppfoljning.Uppfoljningsdatabas`; every figure from the KPI layer
(`KpiResult.varde_text`, `mal_text`, `status`). Text from the database is shown as escaped plain text, never as
Markdown or HTML. Saves run in widget callbacks, before the page is drawn, so the page always shows what is stored."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import polars as pl
import streamlit as st

import lake
from behorighet import Anvandare
from kpi.format import STATUS_ORD, manad
from kpi.period import Period
from kpi.queries import senaste_manader
from sakerhet import html_text, markdown_text
from ui import drill
from ui.sida import status_bricka
from uppfoljning import (
    AKTIVITETSSTATUS,
    KLAR,
    TILLSTAND,
    UTKAST,
    Malrad,
    Maltrad,
    Periodstatus,
    UppfoljningFel,
    Versionskonflikt,
    las_maltrad,
    standarddatabas,
    tid_text,
)
from uppfoljning.lagring import MAX_ANALYS, MAX_ATGARDER, MAX_KOMMENTAR, MAX_MOTIVERING, ren_text
from uppfoljning.regler import BEDOMNINGAR

FORFATTARE_NYCKEL = "_vu_forfattare"  # local mode: the name asked for once per session
_RUBRIK = {0: "h2", 1: "h3", 2: "h4"}  # goal depth → heading level; deeper goals are h5

STIL = """<style>
.vu-fritext p { margin: 0 0 0.6rem 0; white-space: normal; }
.vu-fritext { border-left: 3px solid #c8c8c8; padding: 0.1rem 0 0.1rem 0.8rem; margin: 0.2rem 0 0.6rem 0; }
.vu-etikett { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: #4a4a4a; font-weight: 600; margin: 0.4rem 0 0.1rem 0; }
.vu-metatext { color: #4a4a4a; font-size: 0.88rem; }
.vu-malniva { color: #4a4a4a; font-size: 0.85rem; font-weight: 600; margin-bottom: 0; }
.vu-maltext { margin: 0 0 0.3rem 0; line-height: 1.3; }
h2.vu-maltext { font-size: 1.55rem; } h3.vu-maltext { font-size: 1.3rem; } h4.vu-maltext { font-size: 1.15rem; } h5.vu-maltext { font-size: 1.05rem; }
.vu-tillstand { display:inline-block; padding:1px 8px; border-radius:10px; font-size:0.85rem; font-weight:600; border:1.5px solid #595959; color:#1a1a1a; }
.vu-tillstand.klar { border-color:#0072B2; background:#0072B21a; }
table.vu-matris { border-collapse: collapse; font-size: 0.95rem; }
table.vu-matris th, table.vu-matris td { border-bottom: 1px solid #ddd; padding: 6px 10px; text-align: left; vertical-align: top; }
table.vu-matris thead th { border-bottom: 2px solid #333; white-space: nowrap; }
table.vu-matris td { white-space: nowrap; }
table.vu-matris .vu-matrisvarde { display: inline-block; min-width: 4.8em; text-align: right; margin-right: 0.4rem; }
table.vu-tabell.vu-aktiviteter { font-size: 0.95rem; margin-bottom: 0.6rem; }
table.vu-tabell.vu-aktiviteter tbody th { font-weight: 400; text-align: left; }
.vu-datum { white-space: nowrap; }
.vu-indikatorrad { display: grid; grid-template-columns: 3fr 1.5fr 1.3fr 2.8fr 1.6fr; gap: 0 1rem; align-items: center; }
.vu-indikatorrad .vu-status { white-space: nowrap; }
.vu-indikatororsak { margin: 0.1rem 0 0 0; }
.vu-matris-yta { overflow-x: auto; }
.vu-larm { padding: 0.75rem 1rem; border-radius: 0.5rem; margin: 0.3rem 0 0.8rem 0; color: #1a1a1a; border-left: 4px solid; }
.vu-larm-info { background: #e8f1fb; border-color: #0072B2; }
.vu-larm-varning { background: #fff4e0; border-color: #C08800; }
.vu-larm-fel { background: #fdebe6; border-color: #B5460B; }
table.vu-paminnelser tbody th { font-weight: 400; white-space: normal; min-width: 22rem; }
</style>"""


# --------------------------------------------------------------------------------------------------- reading


@st.cache_data(max_entries=20, show_spinner=False)
def _maltrad(*, root: str, version: str, ar: int) -> Maltrad:
    return las_maltrad(lake.anslutning(root, version), ar)


def maltrad(ar: int) -> Maltrad:
    """The year's goal hierarchy from the lake, cached per data version."""
    root = lake.parquet_root()
    return _maltrad(root=root, version=lake.dataversion(root), ar=ar)


@st.cache_data(max_entries=20, show_spinner=False)
def _farskhet(*, root: str, version: str) -> pl.DataFrame:
    return senaste_manader(lake.anslutning(root, version))


def kallor_utan_senaste_manad() -> tuple[str | None, list[tuple[str, str]]]:
    """The latest month any source has, and the sources without data for it: [(source, its latest month or 'ingen data')]."""
    root = lake.parquet_root()
    df = _farskhet(root=root, version=lake.dataversion(root))
    senaste = df["senaste_manad"].drop_nulls().max() if not df.is_empty() else None
    if senaste is None:
        return None, []
    efter = [
        (r["kalla"], manad(r["senaste_manad"]) if r["senaste_manad"] else "ingen data")
        for r in df.iter_rows(named=True)
        if r["senaste_manad"] is None or r["senaste_manad"] < senaste
    ]
    return manad(senaste), efter


def databas():
    """The follow-up store and None, or None and the Swedish reason it cannot be used (the figures still work)."""
    db = standarddatabas()
    try:
        db.motor()
    except UppfoljningFel as fel:
        return None, fel.meddelande
    return db, None


def forfattare(anv: Anvandare) -> str | None:
    """Who signs a save: the signed-in person, or in local mode the name given once this session (None until given)."""
    if not anv.lokal:
        return anv.forfattare
    return st.session_state.get(FORFATTARE_NYCKEL)


def fraga_efter_namn() -> None:
    """Local mode: ask once per session who is writing (saved with every change)."""
    namn = st.session_state.get(FORFATTARE_NYCKEL)
    if namn:
        kol1, kol2 = st.columns([5, 1], vertical_alignment="center")
        kol1.caption(f"Lokalt läge – du skriver som **{markdown_text(namn)}**. Namnet sparas med varje ändring.")
        kol2.button("Byt namn", key="mu_byt_namn", on_click=lambda: st.session_state.pop(FORFATTARE_NYCKEL, None))
        return
    with st.form("mu_namnform", border=True):
        st.markdown("**Vem skriver?** Appen körs i lokalt läge utan inloggning. Ange ditt namn – det sparas med varje ändring.")
        st.text_input("Ditt namn", key="mu_namn", max_chars=100, placeholder="t.ex. Vera Verksamhetschef")
        st.form_submit_button("Fortsätt", on_click=_satt_namn, type="primary")
    if fel := st.session_state.pop("mu_namn_fel", None):
        st.error(markdown_text(fel))


def _satt_namn() -> None:
    try:
        st.session_state[FORFATTARE_NYCKEL] = ren_text(st.session_state.get("mu_namn", ""), "Namnet", 100, kravs=True)
    except UppfoljningFel as fel:
        st.session_state["mu_namn_fel"] = fel.meddelande


# --------------------------------------------------------------------------------------------------- text


def fritext_html(text: str) -> str:
    """Stored plain text as paragraphs (blank lines) and line breaks, every character escaped: never Markdown or HTML."""
    stycken = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    # One line of HTML with no blank line: Markdown never sees the text, and html.escape leaves nothing to interpret.
    innehall = "".join("<p>" + "<br>".join(html.escape(rad) for rad in b.split("\n")) + "</p>" for b in stycken)
    return f'<div class="vu-fritext">{innehall}</div>'


def fritext(text: str) -> None:
    """fritext_html as its own element."""
    st.markdown(fritext_html(text), unsafe_allow_html=True)


def html_block(delar: list[str]) -> None:
    """Several HTML parts of one goal (labels, texts, badges) as one element: each element Streamlit sends costs the
    server time on every view, and the page lists every goal (docs/prestanda.md). The parts hold no blank line."""
    st.markdown("".join(delar), unsafe_allow_html=True)


_LARM = {"info": ("🔒", "status"), "varning": ("⚠", "alert"), "fel": ("✖", "alert")}


def larm(text: str, typ: str = "info", fet: str = "") -> None:
    """A notice that repeats stored text (a person's name, the store's message naming them) as escaped HTML.

    st.info/st.warning render Markdown, and GitHub-style Markdown turns an e-mail address into a mailto link even when
    escaped; a notice here never links. fet: a bold lead ('T3 2026 är fastställd')."""
    symbol, roll = _LARM[typ]
    fetstil = f"<strong>{html_text(fet)}</strong> " if fet else ""
    st.markdown(
        f'<div class="vu-larm vu-larm-{typ}" role="{roll}"><span aria-hidden="true">{symbol}</span> {fetstil}{html_text(text)}</div>',
        unsafe_allow_html=True,
    )


def etikett_html(text: str) -> str:
    """A small label above a block ('Analys', 'Åtgärder')."""
    return f'<p class="vu-etikett">{html_text(text)}</p>'


def etikett(text: str) -> None:
    """etikett_html as its own element."""
    st.markdown(etikett_html(text), unsafe_allow_html=True)


def tillstand_bricka(tillstand: str) -> str:
    """'Utkast' or 'Klar' as a small badge (HTML)."""
    return f'<span class="vu-tillstand {html.escape(tillstand)}">{html.escape(TILLSTAND.get(tillstand, tillstand))}</span>'


def vem_nar(v) -> str:
    """'version 3 · Elin Enhetschef · 12 maj 2026 kl. 14.03' (escaped)."""
    return html_text(f"version {v.version} · {v.forfattare} · {tid_text(v.sparad)}")


def enhetsnamn(enhet: str | None) -> str:
    """'Hela verksamheten' or the unit's name."""
    return enhet or "Hela verksamheten"


# --------------------------------------------------------------------------------------------------- the goal tree


@dataclass
class Sammanhang:
    """What every goal on the page shares: period, unit written for, the user, the figures, the store (None when down)."""

    period: Period
    enhet: str | None  # the unit analyses are written for (None = hela verksamheten)
    kan_skriva: bool  # role and unit allow writing, and the period is open
    forfattare: str | None
    resultat: dict  # indicator id → KpiResult for the period and selection
    db: object | None
    enheternas: dict = field(default_factory=dict)  # mal_id → [Analysversion] of the units (verksamhetschef's review)
    visa_enheter: bool = False


def malnyckel(period: Period, enhet: str | None, mal_id: str) -> str:
    """Widget key part for one goal in one period and unit ('2026_T3_hela_NM1')."""
    return re.sub(r"\W", "_", f"{period.key}_{enhet or 'hela'}_{mal_id}")


def nyckel(s: Sammanhang, mal_id: str) -> str:
    """Widget key part for one goal on the page."""
    return malnyckel(s.period, s.enhet, mal_id)


def visa_mal(rad: Malrad, s: Sammanhang) -> None:
    """One goal: heading by level; for goals followed up, assessment, indicators, activities and the written analysis."""
    mal = rad.mal
    niva = _RUBRIK.get(rad.djup, "h5")
    rubrik = f'<p class="vu-malniva">{html_text(mal.niva_namn)}</p><{niva} class="vu-maltext">{html_text(mal.text)}</{niva}>'
    if not mal.kraver_analys:
        st.markdown(rubrik, unsafe_allow_html=True)
        return
    with st.container(border=True, key=f"mu_mal_{nyckel(s, mal.id)}"):
        st.markdown(rubrik, unsafe_allow_html=True)
        plan = [
            (n, t) for n, t in (("Förväntat resultat", mal.forvantat_resultat), ("Arbetssätt", mal.arbetssatt), ("Uppföljning", mal.uppfoljning)) if t
        ]
        if plan:
            with st.expander("Förväntat resultat, arbetssätt och uppföljning enligt planen"):
                html_block([etikett_html(namn) + fritext_html(text) for namn, text in plan])
        _bedomning(rad)
        if rad.indikatorer:
            _indikatorer(rad, s)
        if rad.aktiviteter:
            _aktiviteter(rad)
        k = nyckel(s, mal.id)
        if s.db is None:
            return
        if st.session_state.get(f"mu_red_{k}"):
            _redigera(rad, s, k)
        else:
            _analys(rad)
            if s.kan_skriva:
                text = "Skriv analys och bedömning" if rad.analys is None and rad.bedomning is None else "Ändra analys och bedömning"
                st.button(text, key=f"mu_borja_{k}", icon=":material/edit:", on_click=_borja, args=(rad, k))
        for meddelande in st.session_state.pop(f"mu_ok_{k}", []):
            st.success(meddelande, icon=":material/check_circle:")
        if s.visa_enheter:
            _enheternas_analyser(rad, s)
        _versioner(rad, s, k)


def _bedomning(rad: Malrad) -> None:
    """Proposal (rule and reason) and the final assessment with who set it and, when it differs, why."""
    f = rad.forslag
    delar = [f'<p><strong>Förslag till bedömning:</strong> {status_bricka(f.status)} <span class="vu-metatext">{html_text(f.motivering)}</span></p>']
    b = rad.bedomning
    if b is None:
        delar.append('<p><strong>Slutlig bedömning:</strong> <span class="vu-metatext">inte satt ännu</span></p>')
    else:
        andrat = f" Förslaget när bedömningen sattes var {STATUS_ORD[b.forslag].lower()}." if b.forslag != f.status else ""
        delar.append(
            f'<p><strong>Slutlig bedömning:</strong> {status_bricka(b.bedomning)} <span class="vu-metatext">{vem_nar(b)}{html_text(andrat)}</span></p>'
        )
        if b.motivering:
            delar += [etikett_html("Motivering" + (" (avviker från förslaget)" if b.avviker else "")), fritext_html(b.motivering)]
    html_block(delar)


_LANKBREDD = 170  # px: the detail link's column ("Visa detaljer" and its arrow)
_INDIKATORKOLUMNER = ("Indikator", "Periodens utfall", "Årsmål", "Bedömning", "Följs upp")


def _indikatorrad(celler: list[str], klass: str = "") -> str:
    """One line of a goal's indicator grid (cells already HTML-escaped)."""
    return f"<div class='vu-indikatorrad {klass}'>" + "".join(f"<div>{c}</div>" for c in celler) + "</div>"


def _indikatorer(rad: Malrad, s: Sammanhang) -> None:
    """The goal's indicators: value, target and assessment exactly as the tiles show them, each leading to its detail page.

    A row is one text element beside its link in one horizontal block (st.columns took three blocks), not a cell per
    value: the page lists every goal's indicators, and each element Streamlit sends costs the server time a
    Monday-morning rush feels (docs/prestanda.md). st.html, not st.markdown: Markdown's block cuts off a wrapped last
    line inside a horizontal block."""
    etikett("Indikatorer")
    with st.container(horizontal=True, wrap=False, gap="medium", vertical_alignment="center"):
        st.html(_indikatorrad([f"<strong>{t}</strong>" for t in _INDIKATORKOLUMNER], "vu-metatext"), width="stretch")
        st.html('<span class="vu-metatext"><strong>Detaljsida</strong></span>', width=_LANKBREDD)
    lank = drill.parametrar()  # the same for every row
    for i in rad.indikatorer:
        r = s.resultat.get(i.indikator.id)
        folj = i.indikator.periodicitet.capitalize() + ("" if i.raknas else " – räknas i helåret")
        celler = [
            html_text(r.namn if r else i.indikator.namn),
            html_text(r.varde_text if r else "–"),
            html_text(r.mal_text if r else "–"),
            status_bricka(i.status),
            f'<span class="vu-metatext">{html_text(folj)}</span>',
        ]
        text = _indikatorrad(celler)
        if r is not None and r.orsak:
            text += f'<p class="vu-metatext vu-indikatororsak">{html_text(r.orsak)}</p>'
        with st.container(horizontal=True, wrap=False, gap="medium", vertical_alignment="center"):
            st.html(text, width="stretch")
            if not drill.lank(i.indikator.id, lank, bredd=_LANKBREDD):
                st.container(width=_LANKBREDD)  # no detail page: the columns stay under their headings


def _aktiviteter(rad: Malrad) -> None:
    """Activities with planned dates, status this period (the proposal when none is recorded) and the comment."""
    rader = []
    for a in rad.aktiviteter:
        status = AKTIVITETSSTATUS[a.status]
        if a.senaste is None:
            status += " (förslag)"
        elif a.senaste.status != a.forslag:
            status += f" (förslag: {AKTIVITETSSTATUS[a.forslag].lower()})"
        # each date on one line: a break at its hyphens reads as two numbers
        planerad = f"<span class='vu-datum'>{a.aktivitet.startdatum:%Y-%m-%d}</span> – <span class='vu-datum'>{a.aktivitet.slutdatum:%Y-%m-%d}</span>"
        celler = (status, a.senaste.kommentar if a.senaste else "")
        rader.append(
            f"<tr><th scope='row'>{html_text(a.aktivitet.text)}</th><td>{planerad}</td>"
            + "".join(f"<td>{html_text(c)}</td>" for c in celler)
            + "</tr>"
        )
    huvud = "".join(f"<th scope='col'>{k}</th>" for k in ("Aktivitet", "Planerad", "Status", "Kommentar"))
    html_block(
        [
            etikett_html("Aktiviteter"),
            f"<table class='vu-tabell vu-aktiviteter'><thead><tr>{huvud}</tr></thead><tbody>{''.join(rader)}</tbody></table>",
        ]
    )


def _analys(rad: Malrad) -> None:
    """The newest Analys and Åtgärder, their state and who saved them; 'Analys saknas' when nothing is written."""
    a = rad.analys
    if a is None:
        st.markdown('<p class="vu-etikett">Analys</p><p class="vu-metatext"><em>Analys saknas – ingen har skrivit något för perioden.</em></p>',
                    unsafe_allow_html=True)  # fmt: skip
        return
    delar = [f'<p class="vu-etikett">Analys {tillstand_bricka(a.tillstand)}</p>']
    delar.append(fritext_html(a.analys) if a.analys else '<p class="vu-metatext">(ingen text)</p>')
    if a.atgarder:
        delar += [etikett_html("Åtgärder"), fritext_html(a.atgarder)]
    delar.append(f'<p class="vu-metatext">Sparad som {vem_nar(a)}</p>')
    html_block(delar)


def _enheternas_analyser(rad: Malrad, s: Sammanhang) -> None:
    """The units' own analyses of the goal, read-only (the verksamhetschef reviews them before fixing the period)."""
    analyser = s.enheternas.get(rad.mal.id, [])
    klara = sum(1 for a in analyser if a.tillstand == KLAR)
    with st.expander(f"Enheternas analyser ({klara} klara, {len(analyser) - klara} utkast)" if analyser else "Enheternas analyser (inga skrivna)"):
        if not analyser:
            st.caption("Ingen enhet har skrivit om målet för perioden.")
        for a in analyser:
            st.markdown(f"<p><strong>{html_text(a.enhet)}</strong> {tillstand_bricka(a.tillstand)}</p>", unsafe_allow_html=True)
            fritext(a.analys) if a.analys else st.caption("(ingen analys)")
            if a.atgarder:
                etikett("Åtgärder")
                fritext(a.atgarder)
            st.markdown(f'<p class="vu-metatext">{vem_nar(a)}</p>', unsafe_allow_html=True)


def _versioner(rad: Malrad, s: Sammanhang, k: str) -> None:
    """Earlier versions of the analysis and of the assessment, read from the store only when asked for."""
    if rad.analys is None and rad.bedomning is None:
        return
    antal = (rad.analys.version if rad.analys else 0) + (rad.bedomning.version if rad.bedomning else 0)
    if not st.toggle(f"Visa alla versioner ({antal})", key=f"mu_hist_{k}"):
        return
    try:
        analyser = s.db.analyshistorik(s.period, rad.mal.id, enhet=s.enhet) if rad.analys else []
        bedomningar = s.db.bedomningshistorik(s.period, rad.mal.id, enhet=s.enhet) if rad.bedomning else []
    except UppfoljningFel as fel:
        st.warning(markdown_text(fel.meddelande))
        return
    for a in analyser:
        with st.container(border=True):
            st.markdown(f"<p><strong>Analys, {vem_nar(a)}</strong> {tillstand_bricka(a.tillstand)}</p>", unsafe_allow_html=True)
            fritext(a.analys) if a.analys else st.caption("(ingen analys)")
            if a.atgarder:
                etikett("Åtgärder")
                fritext(a.atgarder)
    for b in bedomningar:
        st.markdown(
            f"<p><strong>Bedömning, {vem_nar(b)}:</strong> {status_bricka(b.bedomning)} "
            f'<span class="vu-metatext">(förslag: {html_text(STATUS_ORD[b.forslag].lower())})</span></p>',
            unsafe_allow_html=True,
        )
        if b.motivering:
            fritext(b.motivering)


# --------------------------------------------------------------------------------------------------- editing


def _borja(rad: Malrad, k: str) -> None:
    """Open the editor: the texts as stored now, and the versions the edit starts from (a newer save is then a conflict)."""
    ss = st.session_state
    ss[f"mu_red_{k}"] = True
    b, a = rad.bedomning, rad.analys
    ss[f"mu_bed_{k}"] = b.bedomning if b else rad.forslag.status
    ss[f"mu_mot_{k}"] = b.motivering if b else ""
    ss[f"mu_ana_{k}"] = a.analys if a else ""
    ss[f"mu_atg_{k}"] = a.atgarder if a else ""
    bas = {"analys": a.version if a else 0, "bedomning": b.version if b else 0}
    for ar in rad.aktiviteter:
        ss[f"mu_akt_{k}_{ar.aktivitet.id}"] = ar.status
        ss[f"mu_kom_{k}_{ar.aktivitet.id}"] = ar.senaste.kommentar if ar.senaste else ""
        bas[f"akt:{ar.aktivitet.id}"] = ar.senaste.version if ar.senaste else 0
    ss[f"mu_bas_{k}"] = bas
    ss.pop(f"mu_konflikt_{k}", None)
    ss.pop(f"mu_fel_{k}", None)


def _avbryt(k: str) -> None:
    for del_ in ("red", "konflikt", "fel", "bas"):
        st.session_state.pop(f"mu_{del_}_{k}", None)


@dataclass(frozen=True)
class _Uppgift:
    """What a save needs besides the widget values (callbacks run before the page, so they get it as arguments)."""

    period: str
    mal_id: str
    enhet: str | None
    forslag: str
    aktiviteter: tuple[tuple[str, str], ...]  # (activity id, proposed status)
    forfattare: str


def _spara(u: _Uppgift, k: str, tillstand: str) -> None:
    """Save the assessment, the analysis and each activity as new versions; check every text first so a refusal saves nothing."""
    ss = st.session_state
    db = standarddatabas()
    bas = ss.get(f"mu_bas_{k}", {})
    bedomning, motivering = ss.get(f"mu_bed_{k}", u.forslag), ss.get(f"mu_mot_{k}", "")
    analys, atgarder = ss.get(f"mu_ana_{k}", ""), ss.get(f"mu_atg_{k}", "")
    ss.pop(f"mu_fel_{k}", None)
    try:
        # The store checks again; checked here first so a personnummer in the last field does not leave the first ones saved.
        ren_text(motivering, "Motiveringen", MAX_MOTIVERING)
        ren_text(analys, "Analysen", MAX_ANALYS, kravs=tillstand == KLAR)
        ren_text(atgarder, "Åtgärderna", MAX_ATGARDER)
        for aid, _ in u.aktiviteter:
            ren_text(ss.get(f"mu_kom_{k}_{aid}", ""), "Kommentaren till aktiviteten", MAX_KOMMENTAR)
        if bedomning != u.forslag and not motivering.strip():
            raise UppfoljningFel(
                f"Bedömningen {STATUS_ORD[bedomning]} avviker från förslaget {STATUS_ORD[u.forslag]} – skriv en motivering till varför."
            )
    except UppfoljningFel as fel:
        ss[f"mu_fel_{k}"] = fel.meddelande
        return
    sparat, konflikter = [], []
    steg = [
        ("bedömningen", "bedomning", lambda b: db.satt_bedomning(u.period, u.mal_id, bedomning=bedomning, forslag=u.forslag, motivering=motivering,
                                                                forfattare=u.forfattare, baserad_pa=b, enhet=u.enhet)),
        ("analysen", "analys", lambda b: db.spara_analys(u.period, u.mal_id, analys=analys, atgarder=atgarder, tillstand=tillstand,
                                                         forfattare=u.forfattare, baserad_pa=b, enhet=u.enhet)),
    ]  # fmt: skip
    for aid, forslag in u.aktiviteter:
        steg.append(
            (
                "aktivitetens status",
                f"akt:{aid}",
                lambda b, aid=aid, forslag=forslag: db.satt_aktivitetsstatus(
                    u.period, aid, status=ss.get(f"mu_akt_{k}_{aid}", forslag), forslag=forslag, kommentar=ss.get(f"mu_kom_{k}_{aid}", ""),
                    forfattare=u.forfattare, baserad_pa=b, enhet=u.enhet,
                ),
            )
        )  # fmt: skip
    for namn, del_, spara in steg:
        try:
            v = spara(bas.get(del_, 0))
        except Versionskonflikt as fel:
            konflikter.append((namn, del_, fel))
            continue
        except UppfoljningFel as fel:
            ss[f"mu_fel_{k}"] = fel.meddelande + (" Sparat före felet: " + ", ".join(sparat) + "." if sparat else "")
            ss[f"mu_bas_{k}"] = bas
            return
        if v.version != bas.get(del_, 0):
            sparat.append(f"{namn} (version {v.version})")
        bas[del_] = v.version
    ss[f"mu_bas_{k}"] = bas
    if konflikter:
        ss[f"mu_konflikt_{k}"] = (tillstand, konflikter)
        return
    ss.pop(f"mu_red_{k}", None)
    ss.pop(f"mu_konflikt_{k}", None)
    ss[f"mu_ok_{k}"] = [
        ("Sparat: " + ", ".join(sparat) + "." if sparat else "Inget var ändrat – ingen ny version sparades.")
        + (" Analysen är markerad som klar." if tillstand == KLAR else "")
    ]


def _behall_min(u: _Uppgift, k: str) -> None:
    """Save my text over the newer version: the newer one stays in the history, mine becomes the newest."""
    tillstand, konflikter = st.session_state.get(f"mu_konflikt_{k}", (UTKAST, []))
    bas = st.session_state.get(f"mu_bas_{k}", {})
    for _, del_, fel in konflikter:
        bas[del_] = fel.senaste.version
    st.session_state[f"mu_bas_{k}"] = bas
    _spara(u, k, tillstand)


def _ta_senaste(k: str) -> None:
    """Continue from the newest version: its text in the editor (mine is still shown beside it until this is clicked)."""
    ss = st.session_state
    _, konflikter = ss.pop(f"mu_konflikt_{k}", (UTKAST, []))
    bas = ss.get(f"mu_bas_{k}", {})
    for _, del_, fel in konflikter:
        v = fel.senaste
        bas[del_] = v.version
        if del_ == "analys":
            ss[f"mu_ana_{k}"], ss[f"mu_atg_{k}"] = v.analys, v.atgarder
        elif del_ == "bedomning":
            ss[f"mu_bed_{k}"], ss[f"mu_mot_{k}"] = v.bedomning, v.motivering
        else:
            aid = del_.removeprefix("akt:")
            ss[f"mu_akt_{k}_{aid}"], ss[f"mu_kom_{k}_{aid}"] = v.status, v.kommentar
    ss[f"mu_bas_{k}"] = bas


def _redigera(rad: Malrad, s: Sammanhang, k: str) -> None:
    """The editor: final assessment and motivation, Analys and Åtgärder, each activity's status and comment; save as utkast or klar."""
    u = _Uppgift(
        s.period.key, rad.mal.id, s.enhet, rad.forslag.status, tuple((a.aktivitet.id, a.forslag) for a in rad.aktiviteter), s.forfattare or ""
    )
    with st.form(f"mu_form_{k}", border=False, enter_to_submit=False):
        st.markdown(f"<p><strong>Uppföljning {html_text(s.period.label)} – {html_text(enhetsnamn(s.enhet))}</strong></p>", unsafe_allow_html=True)
        st.selectbox(
            "Slutlig bedömning",
            BEDOMNINGAR,
            key=f"mu_bed_{k}",
            format_func=lambda b: STATUS_ORD[b] + (" (förslaget)" if b == rad.forslag.status else ""),
            help="Förslaget räknas fram ur indikatorerna. Väljer du en annan bedömning ska du motivera den.",
        )
        st.text_area("Motivering (krävs när bedömningen avviker från förslaget)", key=f"mu_mot_{k}", max_chars=MAX_MOTIVERING, height=80)
        st.text_area(
            "Analys",
            key=f"mu_ana_{k}",
            max_chars=MAX_ANALYS,
            height=180,
            help="Vad hände under perioden och varför? Skriv som i verksamhetsberättelsen. Vanlig text; en tom rad ger nytt stycke.",
        )
        st.text_area("Åtgärder", key=f"mu_atg_{k}", max_chars=MAX_ATGARDER, height=100, help="Vad görs framåt för att nå målet?")
        if rad.aktiviteter:
            huvud = st.columns([3, 2, 3])
            for kol, text in zip(huvud, ("Aktivitet", "Status", "Kommentar")):
                kol.markdown(f"**{text}**")
        for a in rad.aktiviteter:
            kol1, kol2, kol3 = st.columns([3, 2, 3], vertical_alignment="center")
            kol1.markdown(  # an HTML block (it starts with a tag): Markdown never sees the plan's text
                f"<div>{html_text(a.aktivitet.text)}<br><span class='vu-metatext'>{a.aktivitet.startdatum:%Y-%m-%d} – "
                f"{a.aktivitet.slutdatum:%Y-%m-%d}</span></div>",
                unsafe_allow_html=True,
            )
            # the labels name the activity for screen readers; on screen the column headings above say it
            kol2.selectbox(
                f"Status: {markdown_text(a.aktivitet.text)}",
                list(AKTIVITETSSTATUS),
                key=f"mu_akt_{k}_{a.aktivitet.id}",
                format_func=lambda x, f=a.forslag: AKTIVITETSSTATUS[x] + (" (förslag)" if x == f else ""),
                label_visibility="collapsed",
            )
            kol3.text_input(
                f"Kommentar: {markdown_text(a.aktivitet.text)}",
                key=f"mu_kom_{k}_{a.aktivitet.id}",
                max_chars=MAX_KOMMENTAR,
                label_visibility="collapsed",
            )
        if rad.aktiviteter:
            st.caption("Försenad föreslås när slutdatum har passerats och aktiviteten inte är klar.")
        b1, b2, b3 = st.columns([2, 2, 1])
        b1.form_submit_button("Spara som utkast", on_click=_spara, args=(u, k, UTKAST), icon=":material/save:", width="stretch")
        b2.form_submit_button("Spara som klar", on_click=_spara, args=(u, k, KLAR), type="primary", icon=":material/task_alt:", width="stretch")
        b3.form_submit_button("Avbryt", on_click=_avbryt, args=(k,), width="stretch")
    if fel := st.session_state.get(f"mu_fel_{k}"):
        larm(fel, "fel")  # the store's Swedish text may name people (a fixation): shown as text
    if konflikt := st.session_state.get(f"mu_konflikt_{k}"):
        _visa_konflikt(u, k, konflikt[1])


def _visa_konflikt(u: _Uppgift, k: str, konflikter: list) -> None:
    """A newer version was saved by someone else: both texts side by side, nothing lost, and the two ways on."""
    for _namn, del_, fel in konflikter:
        larm(fel.meddelande, "varning")
        mitt, senaste = st.columns(2)
        with mitt:
            st.markdown("**Din text (inte sparad)**")
            _konfliktinnehall(del_, fel.ditt)
        with senaste:
            st.markdown(f"<p><strong>Senaste versionen</strong> – {vem_nar(fel.senaste)}</p>", unsafe_allow_html=True)
            _konfliktinnehall(del_, fel.senaste.__dict__)
    kol1, kol2 = st.columns(2)
    kol1.button("Spara min text som ny version", key=f"mu_behall_{k}", on_click=_behall_min, args=(u, k), type="primary", width="stretch",
                help="Den andra versionen finns kvar bland de tidigare versionerna.")  # fmt: skip
    kol2.button("Fortsätt från den senaste versionen", key=f"mu_senaste_{k}", on_click=_ta_senaste, args=(k,), width="stretch",
                help="Den senaste versionens text hamnar i formuläret; kopiera det du vill behålla ur din text först.")  # fmt: skip


def _konfliktinnehall(del_: str, v: dict) -> None:
    if del_ == "analys":
        etikett(f"Analys ({TILLSTAND.get(v['tillstand'], v['tillstand']).lower()})")
        fritext(v["analys"]) if v["analys"] else st.caption("(tom)")
        etikett("Åtgärder")
        fritext(v["atgarder"]) if v["atgarder"] else st.caption("(tom)")
    elif del_ == "bedomning":
        st.markdown(status_bricka(v["bedomning"]), unsafe_allow_html=True)
        if v["motivering"]:
            fritext(v["motivering"])
    else:
        st.markdown(f"Status: **{AKTIVITETSSTATUS[v['status']]}**")
        if v["kommentar"]:
            fritext(v["kommentar"])


# --------------------------------------------------------------------------------------------------- period


def periodruta(ps: Periodstatus | None, period: Period, far_faststalla: bool, forfattare: str | None, saknas: int) -> None:
    """Whether the period is fastställd, and for the verksamhetschef the button to fix it (or reopen it with a reason)."""
    if ps is None:
        return
    if ps.faststalld:
        h = ps.senaste
        larm(
            f"av {h.forfattare}, {tid_text(h.sparad)}. Analyser, bedömningar och aktiviteter kan inte ändras förrän perioden öppnas igen.",
            fet=f"{period.label} är fastställd",
        )
    if not far_faststalla:
        if not ps.faststalld:
            st.caption(f"{period.label} är inte fastställd ännu – analyserna kan skrivas och ändras.")
        return
    with st.expander(
        ("Öppna " if ps.faststalld else "Fastställ ") + period.label, icon=":material/lock_open:" if ps.faststalld else ":material/lock:"
    ):
        if ps.faststalld:
            st.text_area("Varför öppnas perioden? (krävs, sparas i periodens historik)", key=f"mu_oppna_mot_{period.key}", max_chars=MAX_MOTIVERING)
            st.button(f"Öppna {period.label} igen", key=f"mu_oppna_{period.key}", on_click=_periodhandelse, args=(period.key, False, forfattare),
                      disabled=not forfattare)  # fmt: skip
        else:
            if saknas:
                st.warning(
                    f"{saknas} {'analys' if saknas == 1 else 'analyser'} saknas eller är utkast för {period.label} (se Påminnelser). Du kan fastställa ändå."
                )
            st.text_area("Kommentar (frivillig)", key=f"mu_faststall_mot_{period.key}", max_chars=MAX_MOTIVERING)
            st.button(f"Fastställ {period.label}", key=f"mu_faststall_{period.key}", type="primary", on_click=_periodhandelse,
                      args=(period.key, True, forfattare), disabled=not forfattare)  # fmt: skip
        if len(ps.historik):
            st.markdown("**Periodens historik**")
            for h in ps.historik:
                vad = "Fastställd" if h.handelse == "faststalld" else "Öppnad"
                st.markdown(
                    f"<p>{vad} av {html_text(h.forfattare)}, {tid_text(h.sparad)}"
                    + (f" – {html_text(h.motivering)}" if h.motivering else "")
                    + "</p>",
                    unsafe_allow_html=True,
                )
    if fel := st.session_state.pop("mu_period_fel", None):
        larm(fel, "fel")
    if ok := st.session_state.pop("mu_period_ok", None):
        st.success(ok, icon=":material/check_circle:")


def _periodhandelse(period: str, faststall: bool, forfattare: str | None) -> None:
    db = standarddatabas()
    try:
        if faststall:
            h = db.faststall(period, forfattare=forfattare or "", motivering=st.session_state.get(f"mu_faststall_mot_{period}", ""))
            st.session_state["mu_period_ok"] = f"{Period.parse(period).label} är fastställd ({tid_text(h.sparad)})."
        else:
            h = db.oppna(period, forfattare=forfattare or "", motivering=st.session_state.get(f"mu_oppna_mot_{period}", ""))
            st.session_state["mu_period_ok"] = f"{Period.parse(period).label} är öppnad igen ({tid_text(h.sparad)})."
    except UppfoljningFel as fel:
        st.session_state["mu_period_fel"] = fel.meddelande


def rapportnedladdning(period: Period, filters) -> None:
    """The tertial report (PDF and PowerPoint) with the goals as written now, built when clicked and logged."""
    from functools import partial

    from report.apt import andringsnummer, filters_nyckel, rapportfil_namn, tertialrapport_fil
    from ui import inloggning

    root = lake.parquet_root()
    version = lake.dataversion(root)
    token = andringsnummer()
    kolumner = st.columns([2, 2, 3])
    for kol, format, mime in (
        (kolumner[0], "pdf", "application/pdf"),
        (kolumner[1], "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ):
        fil = rapportfil_namn("Tertialrapport", period.label, format)
        kol.download_button(
            f"Tertialrapport {period.label} ({'PDF' if format == 'pdf' else 'PowerPoint'})",
            data=inloggning.loggad(
                partial(tertialrapport_fil, period.year, period.tertial, format, root, version, filters_nyckel(filters), token),
                "rapport",
                fil=fil,
                period=period.key,
                enheter=filters.units or "alla",
            ),
            file_name=fil,
            mime=mime,
            on_click="ignore",
            icon=":material/description:",
            key=f"mu_rapport_{format}",
            width="stretch",
        )
    kolumner[2].caption("Rapporten skapas när du klickar (en halv minut): målen med analyserna som de står nu, tabellen och diagrammen.")


# --------------------------------------------------------------------------------------------------- matrix


def matris_html(per_enhet: pl.DataFrame, period: Period) -> str:
    """Indicators (rows) × units (columns): value and assessment per cell, as the tiles show them; names link to the detail page."""
    if per_enhet.is_empty():
        return ""
    enheter = list(dict.fromkeys(per_enhet["enhet"].to_list()))
    celler = {(r["id"], r["enhet"]): r for r in per_enhet.iter_rows(named=True)}
    ids = [i for i in dict.fromkeys(per_enhet["id"].to_list()) if any(celler.get((i, e), {}).get("mal") is not None for e in enheter)]
    if not ids:
        return ""
    huvud = "<th scope='col'>Indikator</th>" + "".join(f"<th scope='col'>{html_text(e)}</th>" for e in enheter)
    rader = []
    for i in ids:
        forsta = next(celler[(i, e)] for e in enheter if (i, e) in celler)
        namn = html_text(forsta["namn"])
        sida = drill.mal(i)
        if sida is not None:
            lank = html_text(sida[0].removeprefix("pages/").removesuffix(".py") + "?" + urlencode(drill.parametrar(), doseq=True))
            namn = f'<a href="{lank}" target="_self">{namn}</a>'
        td = []
        for e in enheter:
            r = celler.get((i, e))
            if r is None:
                td.append("<td>–</td>")
                continue
            titel = "; ".join(t for t in (f"Mål {r['mal_text']}" if r["mal"] is not None else "Inget mål", r["orsak"]) if t)
            td.append(
                f'<td title="{html_text(titel)}"><span class="vu-matrisvarde">{html_text(r["varde_text"])}</span> {status_bricka(r["status"])}</td>'
            )
        rader.append(f"<tr><th scope='row'>{namn}</th>{''.join(td)}</tr>")
    return (
        # a scrolling region must be reachable by keyboard (tabindex) and named (WCAG 2.1.1)
        f"<div class='vu-matris-yta' tabindex='0' role='region' aria-label='Enheter och indikatorer'><table class='vu-matris'><caption class='vu-metatext' style='caption-side:bottom;text-align:left'>"
        f"Indikatorer med årsmål, {html_text(period.label)}. Varje cell: enhetens utfall och bedömning mot enhetens årsmål.</caption>"
        f"<thead><tr>{huvud}</tr></thead><tbody>{''.join(rader)}</tbody></table></div>"
    )


def paminnelser_html(trad: Maltrad, saknade: list, enheter: list[str | None]) -> str:
    """Goals that need an analysis (rows) × units (columns): Klar, Utkast or Saknas – who still has to write what."""
    lage = {(x.mal_id, x.enhet): x.tillstand for x in saknade}
    huvud = "<th scope='col'>Mål</th>" + "".join(f"<th scope='col'>{html_text(enhetsnamn(e))}</th>" for e in enheter)
    rader = []
    for m, _ in trad.alla():
        if not m.kraver_analys:
            continue
        celler = []
        for e in enheter:
            if (m.id, e) not in lage:
                celler.append("<td>✓ Klar</td>")
            elif lage[(m.id, e)] == UTKAST:
                celler.append("<td><strong>Utkast</strong></td>")
            else:
                celler.append("<td><strong>Saknas</strong></td>")
        rader.append(f"<tr><th scope='row'>{html_text(m.niva_namn)}: {html_text(m.text)}</th>{''.join(celler)}</tr>")
    return (
        "<div class='vu-matris-yta' tabindex='0' role='region' aria-label='Analyser per mål och enhet'><table class='vu-matris vu-paminnelser'><thead><tr>"
        + huvud
        + "</tr></thead><tbody>"
        + "".join(rader)
        + "</tbody></table></div>"
    )


def matris_ram(per_enhet: pl.DataFrame) -> pl.DataFrame:
    """The matrix for download: one row per unit and indicator, numbers rounded as displayed in the indicator's own unit."""
    from kpi.catalogue import CATALOGUE, manual_indicator

    rader = []
    for r in per_enhet.iter_rows(named=True):
        visning = (CATALOGUE.get(r["id"]) or manual_indicator(r["id"])).visning
        rader.append(
            {"Enhet": r["enhet"], "Indikator": r["namn"], "Periodens utfall": visning.tal(r["varde"]), "Årsmål": visning.tal(r["mal"]),
             "Måttenhet": visning.enhet, "Bedömning": STATUS_ORD.get(r["status"], r["status"]), "Kommentar": r["orsak"] or ""}
        )  # fmt: skip
    schema = {"Enhet": pl.Utf8, "Indikator": pl.Utf8, "Periodens utfall": pl.Float64, "Årsmål": pl.Float64, "Måttenhet": pl.Utf8,
              "Bedömning": pl.Utf8, "Kommentar": pl.Utf8}  # fmt: skip
    return pl.DataFrame(rader, schema=schema, orient="row")
