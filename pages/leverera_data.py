"""Leverera data: upload exports, see the validation at once, and see which source is missing which month."""

import streamlit as st

from etl import leverans
from sakerhet import markdown_text, maskera
from ui import filter as filtren
from ui import inloggning
from ui import leverans as lev

u = filtren.urval()
st.title("Leverera data")
st.caption(
    "Ladda upp månadens exportfiler här i stället för att kopiera dem till servern. Varje fil kontrolleras med samma regler "
    "som filer i data/raw och läses in direkt; en fil som inte klarar reglerna ändrar ingenting."
)

lev.visa_utfall()

st.subheader("Lämna filer")
vem = lev.levererande(inloggning.anvandare())
filer = st.file_uploader(
    "Exportfiler (dra och släpp eller välj)",
    type=list(e.lstrip(".") for e in leverans.FILANDELSER),
    accept_multiple_files=True,
    key=lev.uppladdarens_nyckel(),
    help="En eller flera filer: CSV eller Excel (.xlsx). Källan känns igen på rubrikraden.",
)
st.caption(
    f"Tar emot **CSV (.csv)** och **Excel (.xlsx)**, högst **{leverans.MAX_MB} MB** per fil. Källan känns igen på kolumnrubrikerna; "
    "en fil som levereras igen för samma månad ersätter hela månaden. Levereras som: "
    f"**{markdown_text(maskera(vem))}**."
)

mottagna = lev.mottagna(filer)
if mottagna:  # GX's first import (~7 s CPU) while the user checks the files, not on every visit to the page
    lev.forvarm_validering()
valda: list[tuple[lev.Mottagen, str]] = []
for i, m in enumerate(mottagna):
    with st.container(border=True):
        st.markdown(f"**{markdown_text(maskera(m.namn))}** · {lev.storlek_text(m.storlek)}")
        if m.fel:
            st.error(markdown_text(m.fel), icon=":material/block:")
            continue
        alternativ = lev.kallval()
        g = m.gissning
        forvald = alternativ.index(g.kalla) if g and g.kalla in alternativ else None
        vanster, hoger = st.columns([2, 3])
        with vanster:
            kalla = st.selectbox(
                "Källa",
                alternativ,
                index=forvald,
                format_func=lev.kallnamn,
                key=f"vu_leverans_kalla_{lev.uppladdarens_nyckel()}_{i}",
                placeholder="Välj källa",
            )
        with hoger:
            if g and g.kalla:
                st.caption(f"Känd som **{markdown_text(lev.kallnamn(g.kalla))}** från rubrikraden.")
            elif g and g.orsak:
                st.caption(markdown_text(g.orsak))
        if kalla is None:
            st.warning("Välj vilken källa filen är innan den kan läsas in.")
            continue
        if st.toggle("Förhandsgranska de första raderna", key=f"vu_leverans_forhand_{lev.uppladdarens_nyckel()}_{i}"):
            lev.visa_forhandsvisning(m, kalla)
        valda.append((m, kalla))

if mottagna:
    antal = len(valda)
    if st.button(
        f"Läs in {antal} {'fil' if antal == 1 else 'filer'}",
        type="primary",
        icon=":material/upload:",
        disabled=antal == 0,
        key="vu_leverans_las_in",
    ):
        lev.leverera(valda, vem)

st.subheader("Leveranser de senaste 13 månaderna")
lev.visa_fullstandighet(lev.fullstandighetsdata(u), "leverera")
