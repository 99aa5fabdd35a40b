"""A file delivered through the app: its safe name, which source it is, and a preview of the rows as the ETL parses them.

The load itself is `etl.leverera` (etl/korning.py): the same run as a file found in data/raw/<källa>/, with one
difference — a delivery the ETL rejects changes nothing (no raw file, no lake version), see docs/arkitektur.md.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl import format as filformat
from etl import lasa
from etl.kallor import KALLOR, TOLKAD, UTAN_PERSONNUMMER, Kalla, stega_fil, tolka_kolumner
from etl.validera import las_svit
from sakerhet import maskera

# Largest file the app accepts, in MB. `.streamlit/config.toml` sets server.maxUploadSize to the same number
# (tests/etl/test_leverans.py keeps them equal). A city's biggest monthly export, the call log (≈ 170 000 calls, ~65 bytes
# each), is ~11 MB as CSV; 100 MB leaves room for a year's log while keeping an upload's memory on the server bounded.
MAX_MB = 100
FILANDELSER = (".csv", ".xlsx")
INKORG = ".inkommande"  # in the raw folder: uploads waiting for their run (a folder per upload, never read by the ETL)
_INKORG_MAX_ALDER_S = 24 * 3600  # an upload left behind by a closed browser tab is removed after a day
_NAMN_MAX = 120


# --- Names -----------------------------------------------------------------------------------------------------


def sakert_namn(namn: str) -> str:
    """A delivered file name as it may lie in data/raw/<källa>/: no folders, no control or special characters, no leading dot."""
    namn = unicodedata.normalize("NFC", namn or "").replace("\\", "/").rsplit("/", 1)[-1]
    namn = "".join(t if t.isalnum() or t in " ._-()+~" else "_" for t in namn)
    stam, punkt, andelse = namn.rpartition(".")
    if not punkt or not andelse.isalnum():
        stam, andelse = namn, ""
    # a leading dot would hide the file; runs of spaces and underscores are noise
    stam = re.sub(r"_+", "_", re.sub(r"\s+", " ", stam)).strip(" ._")[:_NAMN_MAX].strip(" ._") or "leverans"
    return f"{stam}.{andelse.lower()}" if andelse else stam


def filtypsfel(namn: str) -> str | None:
    """The Swedish reason a name is refused before anything is read (wrong type), else None."""
    andelse = Path(namn).suffix.lower()
    if andelse not in FILANDELSER:
        visad = andelse or "(utan filändelse)"
        return f"Filtypen {visad} tas inte emot – leverera exporten som CSV (.csv) eller Excel (.xlsx)."
    return None


def storleksfel(storlek_bytes: int) -> str | None:
    """The Swedish reason a file is too large or empty, else None."""
    if storlek_bytes == 0:
        return "Filen är tom."
    if storlek_bytes > MAX_MB * 1024 * 1024:
        return f"Filen är {storlek_bytes / 1024 / 1024:.0f} MB – största tillåtna storlek är {MAX_MB} MB. Dela upp exporten per månad."
    return None


def ledigt_namn(mapp: Path, namn: str) -> str:
    """`namn`, or when a file of that name exists, the next free `stam~NNN.ext` — which sorts after it (a re-delivery wins)."""
    if not (mapp / namn).exists() and not (mapp / namn).is_symlink():
        return namn
    stam, andelse = Path(namn).stem, Path(namn).suffix
    # '~' sorts after '.' and every letter and digit, so 'x~001.csv' comes after 'x.csv' in the ETL's name order
    upptagna = [
        int(m.group(1))
        for p in mapp.glob(f"{glob_escape(stam)}~*{andelse}")
        if (m := re.fullmatch(re.escape(stam) + r"~(\d{3})" + re.escape(andelse), p.name))
    ]
    return f"{stam}~{max(upptagna, default=0) + 1:03d}{andelse}"


def glob_escape(text: str) -> str:
    """A literal text inside a glob pattern."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def ny_inkorg(raw: Path | str) -> Path:
    """A new empty folder for one upload under data/raw/.inkommande/ (on the raw folder's file system: moving in is atomic)."""
    bas = Path(raw) / INKORG
    bas.mkdir(parents=True, exist_ok=True)
    for gammal in bas.iterdir():  # uploads whose run never came (a closed tab, a stopped server)
        try:
            if time.time() - gammal.stat().st_mtime > _INKORG_MAX_ALDER_S:
                shutil.rmtree(gammal, ignore_errors=True)
        except OSError:
            pass
    mapp = bas / uuid.uuid4().hex
    mapp.mkdir()
    return mapp


def ta_emot(raw: Path | str, namn: str, innehall: bytes) -> Path:
    """Write an uploaded file into a new upload folder under its safe name; returns its path (nothing is loaded yet)."""
    fil = ny_inkorg(raw) / sakert_namn(namn)
    fil.write_bytes(innehall)
    return fil


def slang(fil: Path) -> None:
    """Remove an upload that will not be delivered (its folder in .inkommande too)."""
    mapp = fil.parent
    if mapp.parent.name == INKORG:
        shutil.rmtree(mapp, ignore_errors=True)
    else:
        fil.unlink(missing_ok=True)


# --- Which source ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kallgissning:
    """Which source a file is, judged from its header row against every source spec and its suite's required columns."""

    kalla: str | None  # the one source whose required columns are all there, else None
    kandidater: tuple[str, ...] = ()  # every source that fits (more than one: the user chooses)
    rubriker: tuple[str, ...] = ()  # the header row found
    orsak: str | None = None  # Swedish: why no source fits (unreadable file, no known headers)
    saknas: dict[str, tuple[str, ...]] = field(default_factory=dict)  # nearest sources → their missing headers


def _kravda(kalla: Kalla) -> list[str]:
    """Staged columns the source's suite requires (its 'Obligatoriska kolumner' rule)."""
    svit = las_svit(kalla.namn)
    for e in svit.get("expectations", []):
        if e["type"] == "expect_table_columns_to_match_set":
            return list(e["kwargs"]["column_set"])
    return []


_KRAV: dict[str, list[str]] = {}


def saknade_kolumner(kalla: Kalla, interna: set[str]) -> list[str]:
    """Headers the source's required-columns rule would find missing in a file with these (internal) columns."""
    if kalla.namn not in _KRAV:
        _KRAV[kalla.namn] = _kravda(kalla)
    # Staged exactly as a real file would be (an empty one): derived columns, person-level variants and all
    tom = pl.DataFrame({"_rad": pl.Series([], dtype=pl.Int64), **{n: pl.Series([], dtype=pl.String) for n in sorted(interna)}})
    try:
        stegade = set(stega_fil(tom, kalla).df.columns)
    except Exception:  # a staging step that needs a column the file lacks: judge on the raw columns
        stegade = set(interna)
    return [kalla.rubrik(k) for k in _KRAV[kalla.namn] if k not in stegade]


def _rubrikrad(sokvag: Path, format_: filformat.Format) -> list[str]:
    """The file's header row as the ETL's reader finds it (the row naming most known columns of any source)."""
    karta: dict[str, str] = {}
    for k in KALLOR.values():
        karta.update({n: n for n in lasa._rubrikkarta(k)})
    if format_.typ == filformat.XLSX:
        ark = pl.read_excel(io.BytesIO(sokvag.read_bytes()), sheet_id=1, infer_schema_length=0, has_header=False, drop_empty_rows=True)
        forsta = ark.head(lasa.FORSOKSRADER).rows()
        if not forsta:
            return []
        traffar = [lasa._traffar(list(r), karta) for r in forsta]
        rad = forsta[traffar.index(max(traffar)) if max(traffar) >= 2 else 0]
        return [str(c).strip() for c in rad if c is not None and str(c).strip()]
    with sokvag.open("rb") as f:
        data, _ = lasa._avkoda(f.read(lasa.SNIFF))
    rader = [r.rstrip("\r") for r in data.decode("utf-8", errors="replace").split("\n")[: lasa.FORSOKSRADER]]
    if not any(r.strip() for r in rader):
        return []
    i, sep = lasa._rubrik_och_avgransare(rader, karta)
    return [c.strip() for c in next(csv.reader([rader[i]], delimiter=sep), []) if c.strip()]


def kanna_igen_kalla(sokvag: Path) -> Kallgissning:
    """Which source a file is: the sources whose required columns (expectations/<källa>.json) its header row holds."""
    format_ = filformat.kanna_igen(sokvag)
    if format_.orsak:
        return Kallgissning(None, orsak=format_.orsak)
    try:
        rubriker = _rubrikrad(sokvag, format_)
    except Exception:  # a damaged workbook or undecodable bytes: the ETL's own run reports the exact reason
        return Kallgissning(None, orsak="Filens rubrikrad kunde inte läsas – välj källan själv så visar inläsningen vad som är fel.")
    nycklar = {lasa.normalisera_rubrik(r) for r in rubriker}
    passar, saknas = [], {}
    for namn, kalla in KALLOR.items():
        karta = lasa._rubrikkarta(kalla)
        interna = {karta[n] for n in nycklar if n in karta}
        if not interna:
            continue
        fattas = saknade_kolumner(kalla, interna)
        if fattas:
            saknas[namn] = tuple(fattas)
        else:
            passar.append(namn)
    if len(passar) == 1:
        return Kallgissning(passar[0], tuple(passar), tuple(rubriker))
    if passar:
        return Kallgissning(None, tuple(passar), tuple(rubriker), orsak="Rubrikerna passar flera källor – välj vilken.")
    narmast = dict(sorted(saknas.items(), key=lambda kv: len(kv[1]))[:3])
    return Kallgissning(
        None,
        (),
        tuple(rubriker),
        orsak="Rubrikraden passar ingen källa: " + ("; ".join(f"{k} saknar {', '.join(v)}" for k, v in narmast.items()) or "inga kända kolumnnamn"),
        saknas=narmast,
    )


# --- Preview ---------------------------------------------------------------------------------------------------


@dataclass
class Forhandsvisning:
    """The first rows as the ETL parses them: raw text and the value understood, per column the source knows."""

    kalla: str
    rader: pl.DataFrame  # `_rad`, then per column: '<namn>' (parsed) and '<namn>__text' (as written); person columns left out
    kolumner: list[tuple[str, str, str]]  # (internal name, Swedish header, value type) in the source spec's order
    datarader: int | None = 0  # data rows in the file (header, empty and total rows aside); None: a big file, only its start read
    okanda_kolumner: list[str] = field(default_factory=list)
    anmarkningar: list[str] = field(default_factory=list)
    kodning: str | None = None
    avgransare: str | None = None
    fel: str | None = None  # Swedish: the file cannot be read at all


DOLD = "(dold personuppgift)"
_FORHAND_BYTES = 1 << 20  # a text file larger than this is previewed from its first MB


def forhandsvisning(sokvag: Path, kalla_namn: str, antal: int = 10) -> Forhandsvisning:
    """The first `antal` data rows of a file read, parsed and staged by the ETL's own functions (nothing is written)."""
    kalla = KALLOR[kalla_namn]
    format_ = filformat.kanna_igen(sokvag)
    if format_.orsak:
        return Forhandsvisning(kalla_namn, pl.DataFrame(), [], fel=format_.orsak)
    las_fran, tmp = sokvag, None
    if format_.typ == filformat.TEXT and sokvag.stat().st_size > _FORHAND_BYTES:
        # a big export (a month's call log): the preview reads its first whole lines only, not the whole file as text
        with sokvag.open("rb") as f:
            borjan = f.read(_FORHAND_BYTES)
        tmp = Path(tempfile.mkdtemp(prefix="vu_forhand_"))
        las_fran = tmp / sokvag.name
        las_fran.write_bytes(borjan[: borjan.rfind(b"\n") + 1] or borjan)
    try:
        ra = lasa.las(las_fran, kalla, typad=False, format_=format_)
    except lasa.LasFel as fel:
        return Forhandsvisning(kalla_namn, pl.DataFrame(), [], fel=maskera(str(fel)))
    except Exception:
        return Forhandsvisning(kalla_namn, pl.DataFrame(), [], fel="Filen kunde inte läsas – inläsningen visar orsaken.")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    forsta = ra.data.head(antal)
    tolkad = tolka_kolumner(forsta, kalla)
    kolumner = [(k.namn, k.rubrik, k.typ) for k in kalla.kolumner if k.namn in forsta.columns]
    utan_pnr = tolkad[UTAN_PERSONNUMMER] if UTAN_PERSONNUMMER in tolkad.columns else None
    delar: list[pl.Series] = [forsta["_rad"]]
    for namn, _, typ in kolumner:
        if kalla.ar_person(namn):
            delar += [pl.Series(namn, [DOLD] * forsta.height), pl.Series(f"{namn}__text", [DOLD] * forsta.height)]
            continue
        text = forsta[namn].cast(pl.String)
        # a text cell holding a personnummer is shown redacted, as the run log and the report show it
        delar.append(pl.Series(f"{namn}__text", [maskera(v) for v in text.to_list()], dtype=pl.String))
        if typ == "intervall" and "intervall_start" in tolkad.columns:
            forstadd = [
                f"{a:%H:%M}–{b:%H:%M}" if a is not None and b is not None else None
                for a, b in tolkad.select("intervall_start", "intervall_slut").rows()
            ]
            delar.append(pl.Series(namn, forstadd, dtype=pl.String))
        elif typ == "period" and "period" in tolkad.columns:
            delar.append(tolkad["period"].alias(namn))
        elif namn in tolkad.columns:
            v = tolkad[namn]
            delar.append(pl.Series(namn, [maskera(x) for x in v.to_list()], dtype=pl.String) if v.dtype == pl.String else v)
    if utan_pnr is not None:
        delar.append(utan_pnr.alias(UTAN_PERSONNUMMER))
    anm = list(ra.anmarkningar)
    if ra.borttagna_summarader:
        anm.append("summarad tas bort: rad " + ", ".join(map(str, ra.borttagna_summarader)))
    return Forhandsvisning(
        kalla_namn,
        pl.DataFrame(delar),
        [(n, r, t) for n, r, t in kolumner if not n.endswith(TOLKAD)],
        datarader=None if tmp is not None else ra.data.height,
        okanda_kolumner=[maskera(k) for k in ra.okanda_kolumner],
        anmarkningar=[maskera(a) for a in anm],
        kodning=ra.kodning,
        avgransare=ra.avgransare,
    )
