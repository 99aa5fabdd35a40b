"""ETL-if-stale for the dashboard: is the Parquet older than data/raw, and run the ETL CLI with visible progress.

The user sees the CLI's progress lines and, when something went wrong, one Swedish sentence and the way to
Datakvalitet — never a traceback or a server path from one (the CLI writes those to its log file for IT).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import streamlit as st

import lake
from sakerhet import maskera
from ui import kapacitet

ROT = Path(__file__).resolve().parent.parent
_EN_KORNING_AT_GANGEN = threading.Lock()  # sessions opening together on stale data must not start two ETL runs
DATAKVALITET = "pages/datakvalitet.py"
# Exit codes of `python -m etl` (etl/__main__.py).
OK, AVVISADE, ANVANDNING, KORNINGSFEL = 0, 1, 2, 3


def _senaste_mtime(mapp: Path, monster: str) -> float:
    """Newest modification time among files matching the pattern (0 when none)."""
    return max((f.stat().st_mtime for f in mapp.glob(monster) if f.is_file()), default=0.0)


def behover_etl(raw: Path, parquet: str) -> bool:
    """True when the Parquet is missing or older than the raw exports (local lakes only)."""
    if lake.is_remote(parquet) or not raw.is_dir():
        return False
    raw_tid = _senaste_mtime(raw, "*/*")
    if raw_tid == 0:
        return False
    return _senaste_mtime(Path(parquet), "*/*.parquet") < raw_tid


_UNDANTAG = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Warning|Interrupt|Exit)\b")


def visbar_rad(rad: str) -> str | None:
    """A line of the CLI's output as the status box may show it: redacted, and None for anything from a traceback."""
    text = rad.rstrip()
    if not text.strip() or text.startswith(("Traceback", "  File ", "    ")) or _UNDANTAG.match(text):
        return None
    return maskera(text)


def meddelande(kod: int, fel: str | None) -> tuple[str, str]:
    """(status label, Swedish explanation) for the CLI's exit code; `fel` is its one-line 'Fel: …' message if any."""
    if kod == OK:
        return "Inläsningen är klar", ""
    if kod == AVVISADE:
        return (
            "Inläsningen är klar, men några filer avvisades – se Datakvalitet",
            "Allt som gick att läsa in är inläst. De avvisade filerna ligger i karantänmappen med en rapport om vad som behöver rättas.",
        )
    orsak = fel.removeprefix("Fel:").strip() if fel else "Inläsningen kunde inte slutföras."
    return (
        "Inläsningen kunde inte slutföras – dashboarden visar data från förra inläsningen",
        f"{orsak} Se Datakvalitet för de senaste körningarna.",
    )


def _lank_till_datakvalitet() -> None:
    try:
        st.page_link(DATAKVALITET, label="Öppna Datakvalitet", icon=":material/fact_check:")
    except Exception:  # before st.navigation has registered the pages: a plain relative link to the same page
        st.markdown("[Öppna Datakvalitet](datakvalitet)")


def kor_etl(raw: Path, parquet: str) -> None:
    """Run the ETL CLI (its stable contract) and stream its lines into a visible status box."""
    karantan = str(karantan_mapp())
    with st.status("Läser in nya exportfiler (ETL) …", expanded=True) as status:
        st.write("Underlaget i data/raw är nyare än Parquet-filerna – läser in det först.")
        fel: str | None = None
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "etl", "--raw", str(raw), "--parquet", parquet, "--quarantine", karantan],
                cwd=ROT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
            )
            for rad in process.stdout:
                text = visbar_rad(rad)
                if text is None:
                    continue
                if text.startswith("Fel:"):
                    fel = text  # shown once, in the explanation below
                    continue
                st.text(text)
            kod = process.wait()
        except OSError:
            kod = KORNINGSFEL
        etikett, forklaring = meddelande(kod, fel)
        if kod == OK:
            status.update(label=etikett, state="complete", expanded=False)
            return
        # The ETL loads every valid file and rejects the rest whole; the app still opens on what is loaded.
        status.update(label=etikett, state="error", expanded=True)
        (st.warning if kod == AVVISADE else st.error)(forklaring)
        _lank_till_datakvalitet()


def raw_mapp() -> Path:
    """data/raw (or $VU_RAW), relative paths from the repo root."""
    raw = Path(os.environ.get("VU_RAW", lake.DEFAULT_RAW))
    return raw if raw.is_absolute() else ROT / raw


def karantan_mapp() -> Path:
    """data/quarantine (or $VU_QUARANTINE), relative paths from the repo root."""
    k = Path(os.environ.get("VU_QUARANTINE", lake.DEFAULT_QUARANTINE))
    return k if k.is_absolute() else ROT / k


def parquet_mapp() -> str:
    """The Parquet root (or $VU_PARQUET): remote URIs as they are, relative paths from the repo root."""
    parquet = lake.parquet_root()
    return parquet if lake.is_remote(parquet) or Path(parquet).is_absolute() else str(ROT / parquet)


def omkorning() -> None:
    """Datakvalitet's "Läs in igen" button: run the ETL now, for the roles that may (behorighet: kora_etl)."""
    from ui import inloggning

    anv = inloggning.anvandare()
    if not anv.far("kora_etl"):
        return
    st.subheader("Läs in igen", anchor=False)
    st.caption("Läser in nya och ändrade filer i data/raw nu. Oförändrade filer hoppas över; en avvisad fil ändrar ingenting.")
    if st.button("Läs in igen (ETL)", icon=":material/refresh:", key="vu_kor_etl"):
        inloggning.logga("etl", anv, raw=str(raw_mapp()))
        with kapacitet.utan_tur(), _EN_KORNING_AT_GANGEN:
            kor_etl(raw_mapp(), parquet_mapp())


# When the last check per (raw, lake) found the lake current: a rush of sessions opening together walks data/raw once,
# not once each (the walk stats every export and every Parquet file, ≈ 13 ms of a new session's ≈ 23 ms).
_AKTUELL_SEDAN: dict[tuple[str, str], float] = {}
AKTUELL_I_S = 5.0


def sakerstall_aktuell_data(raw: Path, parquet: str) -> None:
    """Run the ETL first when the Parquet is missing or older than data/raw, one run per server at a time.

    A check that found the lake current holds for AKTUELL_I_S seconds: an export dropped into data/raw is loaded by
    the first session opened after that."""
    nyckel = (str(raw), str(parquet))
    if time.monotonic() - _AKTUELL_SEDAN.get(nyckel, -AKTUELL_I_S) < AKTUELL_I_S:
        return
    if not behover_etl(raw, parquet):
        _AKTUELL_SEDAN[nyckel] = time.monotonic()
        return
    # Waiting for the lock and the run takes no place in the queue of page views (ui/kapacitet.py): others' pages go
    # on meanwhile, and the run's place is taken again only after the lock is given back (no holder waits for a waiter).
    with kapacitet.utan_tur(), _EN_KORNING_AT_GANGEN:
        if behover_etl(raw, parquet):  # another session may have loaded it while this one waited
            kor_etl(raw, parquet)
