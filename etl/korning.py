"""One ETL run: find raw files, skip unchanged ones, validate, quarantine failures, write partitions and the run log.

Whatever one file does — a binary file named .csv, a parser error, a value no rule foresaw — costs only that file:
it is quarantined with a Swedish report and the run goes on. What the run writes becomes visible at once, by one
manifest switch (lake/manifest.py): a run that is killed, or cannot write (full disk, read-only lake), leaves the lake
exactly as it was, and the next run records it as interrupted. Every text the run writes about a file passes
`sakerhet.maskera`, so no personnummer leaves the raw file.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

import lake
from etl import format as filformat
from etl import korlogg, lasa, rapport
from etl.kallor import ALLA_KALLOR, KALLOR, REGISTER, Kalla, intaktsgrupper_fran_miljo, stega_fil
from etl.leverans import INKORG, ledigt_namn, slang
from etl.logg import LOGG
from etl.skriva import Sjoskrivare, Skriven, marter, partitioner, partitionsnamn, schema, stada_forvaldade
from etl.text import Namnnotis, Namnregister
from etl.validera import Regelutfall, Validerare, forkontroll, las_svit, parametrar
from lake import manifest
from lake.schema import SOURCES, TABLES
from sakerhet import maskera

# Rows validated per GX call: big enough that per-call overhead vanishes, small enough to keep memory modest.
BATCH_RADER = 1_000_000
# Reader threads: polars and hashlib release the GIL; on 2 cores a third reader keeps both busy while another waits on
# Python-level work (city call log: 8.6 s with two, 7.8 s with three, 7.7 s with four).
ANTAL_LASARE = 3
IGNORERADE_SUFFIX = {".md", ".rapport.txt"}  # documentation beside the exports, and reports put back by hand
# How long a run waits for another run on the same lake before giving up (exit 3); $VU_ETL_VANTA_S overrides.
STANDARD_VANTETID_S = 600.0
PAGAENDE = "pagaende.json"  # in lake/_lake/: the run in progress, so the next run can record one that died

INLAST, OFORANDRAD, AVVISAD, IGNORERAD = "inläst", "oförändrad", "avvisad", "ignorerad"


class EtlFel(ValueError):
    """A usage error (unknown source, missing raw folder); the message is Swedish (exit 2)."""


class KorningsFel(RuntimeError):
    """The run itself could not complete (lake not writable, disk full, lock timeout): nothing was changed (exit 3)."""


@dataclass
class FileResult:
    """What happened to one raw file in a run."""

    kalla: str
    fil: str  # path relative to the raw folder, e.g. 'telefoni/2024-03.csv'
    utfall: str  # 'inläst' | 'oförändrad' | 'avvisad' | 'ignorerad'
    sha256: str
    storlek_bytes: int
    rader: int | None = None
    perioder: list[str] = field(default_factory=list)
    okanda_kolumner: list[str] = field(default_factory=list)
    meddelande: str = ""
    rapport: Path | None = None
    regler: list[Regelutfall] = field(default_factory=list)
    namn: list[Namnnotis] = field(default_factory=list)  # unit names and code values rewritten or not recognised
    enhetsregister: str = ""  # checksum of the unit register the file was read with


@dataclass
class RunResult:
    """Outcome of `etl.run`: exit code the CLI uses, per-source summary, per-file results (plain fields, so asdict works)."""

    korning_id: str
    startad: datetime
    klar: datetime
    exit_code: int  # 0 when every file loaded or was unchanged, 1 when any file was rejected
    # per source: filer, inlasta, oforandrade, avvisade, rader (raw data rows of the files loaded in this run)
    summary: dict[str, dict[str, int]]
    files: list[FileResult]
    saknade_kallor: list[str]
    avbrutna: list[str] = field(default_factory=list)  # earlier runs that died before their commit, recorded now
    varningar: list[str] = field(default_factory=list)  # after the commit: a rejected file that could not be moved

    @classmethod
    def av(cls, korning_id: str, startad: datetime, klar: datetime, files: list[FileResult], kallor: list[str], saknade: list[str]) -> RunResult:
        """Build the result, deriving exit code and summary from the per-file outcomes."""
        summary: dict[str, dict[str, int]] = {}
        for k in (k for k in kallor if k not in saknade):
            filer = [f for f in files if f.kalla == k]
            summary[k] = {
                "filer": len(filer),
                "inlasta": sum(f.utfall == INLAST for f in filer),
                "oforandrade": sum(f.utfall == OFORANDRAD for f in filer),
                "avvisade": sum(f.utfall == AVVISAD for f in filer),
                "rader": sum(f.rader or 0 for f in filer if f.utfall == INLAST),
            }
        exit_code = 1 if any(f.utfall == AVVISAD for f in files) else 0
        return cls(korning_id, startad, klar, exit_code, summary, files, saknade)


@dataclass
class _Forberedd:
    """A read, parsed and staged file waiting for validation."""

    resultat: FileResult
    sokvag: Path
    ra: pl.DataFrame | None = None  # raw text, kept only to quote offending values
    stegad: pl.DataFrame | None = None
    fel: str | None = None
    godkand: list[Regelutfall] | None = None  # every rule passed by the pre-check: GX is not needed for this file
    skrivna: list[Skriven] | None = None  # partition files already written, not yet in the manifest


@dataclass(frozen=True)
class _Post:
    """An entry of a source folder and what it is."""

    sokvag: Path
    typ: str  # 'fil' | 'lank_ut' (symlink leaving the raw folder) | 'ignorerad'
    orsak: str = ""


@dataclass
class _Karantan:
    """A rejected file: its report is written before the commit, the file is moved after it."""

    f: _Forberedd
    mal: Path
    rapport: Path
    tmp: Path


# --- Operational errors ----------------------------------------------------------------------------------------


def _skrivfel(fel: OSError, vad: str) -> KorningsFel:
    """A Swedish one-line reason for an OS error while writing (the traceback goes to the log)."""
    nummer = fel.errno
    if nummer in (errno.ENOSPC, errno.EDQUOT):
        orsak = f"disken är full – det finns inte plats i {vad}"
    elif nummer == errno.EROFS:
        orsak = f"{vad} ligger på ett skrivskyddat filsystem"
    elif nummer in (errno.EACCES, errno.EPERM):
        orsak = f"behörighet saknas att skriva i {vad}"
    else:
        orsak = f"filsystemfel vid skrivning i {vad} ({errno.errorcode.get(nummer or 0, 'okänt')})"
    return KorningsFel(f"Inläsningen kunde inte slutföras: {orsak}. Ingenting ändrades; data från förra inläsningen gäller.")


def _las_exklusivt(parquet: Path, vanta_s: float | None, vantar: Callable[[], None] | None = None):
    """The run lock on the lake (a file handle to close); KorningsFel when the lake is not writable or the wait times out.

    `vanta_s` None: $VU_ETL_VANTA_S, else STANDARD_VANTETID_S. `vantar` is called once when another run holds the lock,
    before waiting (the app shows "väntar på annan inläsning").
    """
    if vanta_s is None:
        vanta_s = float(os.environ.get("VU_ETL_VANTA_S") or STANDARD_VANTETID_S)
    try:
        parquet.mkdir(parents=True, exist_ok=True)
        las = open(parquet / ".etl.lock", "a")  # noqa: SIM115 - held for the whole run, closed by the caller
    except OSError as fel:
        raise _skrivfel(fel, f"Parquet-mappen {parquet}") from fel
    slut = time.monotonic() + vanta_s
    while True:
        try:
            fcntl.flock(las, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return las
        except BlockingIOError:
            if vantar is not None:
                vantar()
                vantar = None
            if time.monotonic() >= slut:
                las.close()
                raise KorningsFel(
                    f"Inläsningen kunde inte starta: en annan inläsning till {parquet} pågick fortfarande efter {vanta_s:.0f} s. "
                    "Ingenting ändrades; försök igen när den är klar."
                ) from None
            time.sleep(0.2)


# --- Raw folder ------------------------------------------------------------------------------------------------

# Files that are not deliveries: Office lock files, macOS and Windows folder metadata.
_TILLFALLIGA = {
    ".ds_store": "macOS-mappinformation",
    "thumbs.db": "Windows-miniatyrbilder",
    "desktop.ini": "Windows-mappinställningar",
    ".gitkeep": "en tom platshållare för versionshantering",
    ".keep": "en tom platshållare för versionshantering",
    ".gitignore": "versionshanteringens inställningar",
}


def _inuti(sokvag: Path, mappar: list[Path]) -> bool:
    mal = Path(os.path.realpath(sokvag))
    return any(mal == m or m in mal.parents for m in mappar)


def _radata_filer(mapp: Path, raw: Path) -> list[_Post]:
    """Every entry of a source folder in name order, classified; nothing is opened here."""
    poster = []
    tillatna = [Path(os.path.realpath(raw)), Path(os.path.realpath(mapp))]
    for p in sorted(mapp.iterdir(), key=lambda p: p.name):
        namn = p.name.casefold()
        if any(namn.endswith(s) for s in IGNORERADE_SUFFIX):
            continue
        if p.is_symlink() and not (p.exists() and _inuti(p, tillatna)):
            poster.append(_Post(p, "lank_ut", "Filen är en länk som pekar utanför källmappen (eller till en fil som inte finns) – den läses inte."))
        elif p.is_dir():
            poster.append(_Post(p, "ignorerad", "En undermapp läses inte – lägg exportfilerna direkt i källmappen."))
        elif not p.is_file():
            poster.append(_Post(p, "ignorerad", "Posten är ingen vanlig fil (t.ex. en namngiven pipe) och läses inte."))
        elif namn.startswith("~$") or namn.startswith(".~lock."):
            poster.append(_Post(p, "ignorerad", "Låsfil från ett öppet Office-dokument – hoppades över."))
        elif namn.startswith("._"):
            poster.append(_Post(p, "ignorerad", "Metadatafil från macOS – hoppades över."))
        elif namn in _TILLFALLIGA:
            poster.append(_Post(p, "ignorerad", f"Systemfil ({_TILLFALLIGA[namn]}) – hoppades över."))
        else:
            poster.append(_Post(p, "fil"))
    return poster


def _beskriv(notiser: list[Namnnotis], kalla: Kalla, exempel: int = 3) -> str:
    """One line for the run log: names read in their canonical spelling, and unknown units."""
    delar = []
    tolkade = [n for n in notiser if n.tolkat is not None]
    if tolkade:
        visade = ", ".join(f"{kalla.rubrik(n.kolumn)} '{n.skrivet}' → '{n.tolkat}'" for n in tolkade[:exempel])
        delar.append(
            f"namn lästa i registrets/standardens stavning: {visade}" + (f" och {len(tolkade) - exempel} till" if len(tolkade) > exempel else "")
        )
    okanda = [n for n in notiser if n.tolkat is None and n.typ == "okand"]
    if okanda:
        visade = ", ".join(f"{kalla.rubrik(n.kolumn)} '{n.skrivet}'" for n in okanda[:exempel])
        delar.append(f"okända namn (inlästa som de står): {visade}" + (f" och {len(okanda) - exempel} till" if len(okanda) > exempel else ""))
    return "; ".join(delar)


def _sha256(sokvag: Path) -> str:
    h = hashlib.sha256()
    with sokvag.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _orsak(fel: BaseException) -> str:
    """A Swedish reason for an unexpected error while reading one file (details go to the log)."""
    if isinstance(fel, MemoryError):
        return "Filen är för stor för att läsas in i minnet."
    if isinstance(fel, UnicodeError):
        return "Filen innehåller tecken som inte går att läsa – spara den som UTF-8 eller Windows-1252."
    if isinstance(fel, OSError):
        return f"Filen kunde inte läsas från disken ({errno.errorcode.get(fel.errno or 0, type(fel).__name__)})."
    return (
        f"Filen kunde inte läsas eller tolkas ({type(fel).__name__}) – kontrollera att den är en export i CSV- eller .xlsx-format "
        "med en rubrikrad. Tekniska detaljer finns i ETL-loggen."
    )


# --- Per file --------------------------------------------------------------------------------------------------


def _forbered(
    sokvag: Path,
    resultat: FileResult,
    kalla: Kalla,
    intaktsgrupper: tuple[str, ...],
    svit: dict,
    param: dict,
    register: Namnregister | None,
    format_: filformat.Format,
    typad: bool = True,
) -> _Forberedd:
    try:
        ra = lasa.las(sokvag, kalla, typad=typad, format_=format_)
    except lasa.LasFel as fel:
        return _Forberedd(resultat, sokvag, fel=str(fel))
    resultat.okanda_kolumner = ra.okanda_kolumner
    resultat.rader = ra.data.height
    meddelanden = list(ra.anmarkningar)
    if ra.borttagna_summarader:
        meddelanden.append("summarad borttagen: rad " + ", ".join(map(str, sorted(ra.borttagna_summarader))))
    if ra.okanda_kolumner:
        meddelanden.append("okända kolumner ignorerade: " + ", ".join(ra.okanda_kolumner))
    if sokvag.name.startswith("."):
        meddelanden.append("filnamnet börjar med en punkt (en dold fil i många program)")
    resultat.meddelande = "; ".join(meddelanden)
    if ra.data.height == 0:
        return _Forberedd(resultat, sokvag, ra=ra.data, fel="Filen innehåller inga datarader (bara en rubrikrad).")
    stegning = stega_fil(ra.data, kalla, intaktsgrupper, register)
    resultat.namn = stegning.notiser
    stegad = stegning.df.with_columns(_fil=pl.lit(resultat.fil))
    godkand = forkontroll(kalla.namn, stegad, svit, param)
    if godkand is None and ra.typad:
        # GX will report this file, quoting values as written: read it again as text for that
        return _forbered(sokvag, resultat, kalla, intaktsgrupper, svit, param, register, format_, typad=False)
    return _Forberedd(resultat, sokvag, ra=ra.data, stegad=stegad, godkand=godkand)


def _validera(validerare: Validerare, kalla: Kalla, batch: list[_Forberedd], param: dict) -> None:
    """Validate staged files, one GX call per distinct column set (a missing column then fails only its own files)."""
    grupper: dict[tuple[str, ...], list[_Forberedd]] = {}
    for f in batch:
        if f.godkand is not None:
            f.resultat.regler = f.godkand
        elif f.stegad is not None and not f.fel:
            grupper.setdefault(tuple(sorted(f.stegad.columns)), []).append(f)
    for filer in grupper.values():
        try:
            ram = pl.concat([f.stegad.select(sorted(f.stegad.columns)) for f in filer], how="vertical_relaxed")
            utfall = validerare.validera(kalla.namn, ram, param)
        except Exception:
            if len(filer) == 1:
                LOGG.exception("Valideringen av %s kunde inte genomföras", filer[0].resultat.fil)
                filer[0].fel = "Filen kunde inte valideras (ett oväntat fel i kontrollen) – tekniska detaljer finns i ETL-loggen."
                continue
            for f in filer:  # one file's odd column types must not cost the others their validation
                _validera(validerare, kalla, [f], param)
            continue
        for f in filer:
            f.resultat.regler = utfall[f.resultat.fil]
            for u in f.resultat.regler:
                u.exempel = rapport.kort_exempel(u, kalla, f.ra)


def _partitionsfiler(f: _Forberedd, kalla: Kalla) -> dict[tuple[str, str], pl.DataFrame]:
    """The file's table partitions and, in the same write, its table's monthly marts (lake.schema.MARTS)."""
    tabell = kalla.till_tabell(f.stegad)
    return partitioner(kalla.tabell, tabell, kalla.nyckel) | marter(kalla.tabell, tabell)


def _i_forvag(funktion: Callable, uppgifter: list, djup: int = 3):
    """Yield funktion(u) for each task in order, computing up to `djup` tasks ahead in ANTAL_LASARE worker threads."""
    pool = ThreadPoolExecutor(max_workers=ANTAL_LASARE, thread_name_prefix="etl-las")
    ko: deque = deque()
    try:
        for u in uppgifter:
            ko.append(pool.submit(funktion, u))
            if len(ko) > djup:
                yield ko.popleft().result()
        while ko:
            yield ko.popleft().result()
    finally:
        # closed early (an error in the main thread): no reader may still be writing when the run cleans up
        for framtid in ko:
            framtid.cancel()
        pool.shutdown(wait=True)


# --- The run ---------------------------------------------------------------------------------------------------


def run(
    raw: Path | str = "data/raw",
    parquet: Path | str = "data/parquet",
    quarantine: Path | str = "data/quarantine",
    sources: list[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    intaktsgrupper: tuple[str, ...] | None = None,
    idag: date | None = None,
    vanta_s: float | None = None,
    vantar: Callable[[], None] | None = None,
) -> RunResult:
    """Load every source folder under `raw` into Parquet under `parquet`, one run at a time per Parquet root.

    Raises EtlFel for a usage error and KorningsFel when the run could not complete (then nothing was changed).
    `idag` sets the current month for the plausibility bounds (default: today); `vantar` is called once if the run
    has to wait for another one.
    """
    okanda = [k for k in (sources or []) if k not in KALLOR]
    if okanda:
        raise EtlFel(f"Okänd källa: {', '.join(okanda)}. Giltiga källor: {', '.join(SOURCES)}.")
    if not Path(raw).is_dir():
        raise EtlFel(f"Mappen med rådata finns inte: {raw}")
    # Several dashboard sessions may find the Parquet stale at once: an exclusive lock makes the
    # others wait and then see every file as unchanged, instead of writing the same partitions twice.
    las = _las_exklusivt(Path(parquet), vanta_s, vantar)
    try:
        return _Korning(
            Path(raw),
            Path(parquet),
            Path(quarantine),
            list(sources) if sources else list(SOURCES),
            progress,
            tuple(intaktsgrupper) if intaktsgrupper else intaktsgrupper_fran_miljo(),
            parametrar(idag),
        ).kor()
    finally:
        fcntl.flock(las, fcntl.LOCK_UN)
        las.close()


@dataclass
class Leveransresultat:
    """Outcome of `etl.leverera`: the run, the delivered file's own result, and where the file now lies."""

    korning: RunResult
    fil: FileResult  # the delivered file: 'inläst', 'oförändrad' or 'avvisad'
    sparad_som: str | None  # its place in the raw folder, 'telefoni/telefoni_2026-10.csv' (None when rejected)
    karantan: Path | None = None  # where a rejected file lies, its report beside it
    samma_som: str | None = None  # a file already in the source folder with the same content (nothing new to load)
    vantade_s: float = 0.0  # seconds spent waiting for another run on the same lake

    @property
    def inlast(self) -> bool:
        """True when the delivery is now the source's data (loaded now, or already loaded with the same content)."""
        return self.fil.utfall in (INLAST, OFORANDRAD)


def leverera(
    fil: Path | str,
    kalla: str,
    raw: Path | str = "data/raw",
    parquet: Path | str = "data/parquet",
    quarantine: Path | str = "data/quarantine",
    levererad_av: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    intaktsgrupper: tuple[str, ...] | None = None,
    idag: date | None = None,
    vanta_s: float | None = None,
    vantar: Callable[[], None] | None = None,
) -> Leveransresultat:
    """Deliver one file to a source: the run `run` makes for a new file in data/raw/<källa>/, for this file alone.

    The file (an upload under data/raw/.inkommande/, see etl/leverans.py) gets its name in the source folder only
    when it passes: then it is moved there and the run commits like any other, recording `levererad_av`. A rejected
    delivery changes nothing — no raw file, no lake version (manifest and partitions byte for byte as before): the
    file goes to quarantine with its report, and its run-log rows wait in quarantine/_korlogg/ for the next run's
    commit. The upload folder is removed in every case.
    """
    if kalla not in KALLOR:
        raise EtlFel(f"Okänd källa: {kalla}. Giltiga källor: {', '.join(SOURCES)}.")
    if not Path(raw).is_dir():
        raise EtlFel(f"Mappen med rådata finns inte: {raw}")
    fil = Path(fil)
    if not fil.is_file():
        raise EtlFel(f"Den levererade filen finns inte: {fil.name}")
    start = time.monotonic()
    try:
        las = _las_exklusivt(Path(parquet), vanta_s, vantar)
    except BaseException:
        slang(fil)
        raise
    vantade = time.monotonic() - start
    korning = _Korning(
        Path(raw),
        Path(parquet),
        Path(quarantine),
        [kalla],
        progress,
        tuple(intaktsgrupper) if intaktsgrupper else intaktsgrupper_fran_miljo(),
        parametrar(idag),
        leverans=fil,
        levererad_av=levererad_av,
    )
    try:
        resultat = korning.kor()
    finally:
        fcntl.flock(las, fcntl.LOCK_UN)
        las.close()
        if korning.leverans is not None and korning.leverans.exists():
            slang(korning.leverans)  # neither loaded nor quarantined (an error of the run, a duplicate): gone
        if fil.parent.parent.name == INKORG:
            shutil.rmtree(fil.parent, ignore_errors=True)  # the upload's own folder, empty once the file moved on
    lev = korning.leveransresultat(resultat)
    lev.vantade_s = vantade
    return lev


class _Korning:
    """The state of one run (held under the lake's lock)."""

    def __init__(
        self, raw, parquet, karantan, kallor, progress, intaktsgrupper, param, leverans: Path | None = None, levererad_av: str | None = None
    ):
        self.raw, self.parquet, self.karantan = raw, parquet, karantan
        self.kallor, self.progress, self.intaktsgrupper, self.param = kallor, progress, intaktsgrupper, param
        self.leverans = leverans  # a delivered file (etl.leverera): the only file this run reads
        self.levererad_av = levererad_av
        self.placerad: Path | None = None  # the delivered file's place in the raw folder, once it passed
        self.samma_som: str | None = None
        self.avvisad_leverans: _Karantan | None = None
        self.vantande: list[tuple[Path, dict[str, list[dict]]]] = []  # rejected deliveries' run-log rows to commit now
        self._forra_markering: bytes | None = None
        self.startad = datetime.now()
        # the '-' keeps the id from ever looking like a personnummer (20:05:12.123456 would read '200512123456')
        self.korning_id = self.startad.strftime("%Y%m%dT%H%M%S-%f")
        self.resultat: list[FileResult] = []
        self.karantaner: list[_Karantan] = []
        self.avbrutna: list[dict] = []
        self.validerare: Validerare | None = None
        self.kontrollsummor: dict[Path, str] = {}
        self.register: Namnregister | None = None
        self.registersumma = ""
        self.skrivare: Sjoskrivare | None = None
        self.sviter: dict[str, dict] = {}
        self.plan: dict[str, list[_Post]] = {}
        self.saknade: list[str] = []
        self.tidigare: dict[str, dict] = {}
        self._tidigare_cache: dict[str, list] = {}

    # -- setup and teardown --

    def kor(self) -> RunResult:
        try:
            bas = self._forbered_sjon()
            self.skrivare = Sjoskrivare(self.parquet, self.korning_id, bas)
            self.tidigare = self._tidigare_inlasta()
            self.vantande = korlogg.las_vantande(self.karantan)
            self._las_register()
            self._las_kallor()
            if self.leverans is not None and self._utan_commit():
                return self._utan_andring()
            self._forbered_karantan()
            self._placera_leverans()
            klar = datetime.now()
            self._skriv_logg(klar)
            rensa = self.skrivare.commit()
        except BaseException as fel:
            if isinstance(fel, KorningsFel | EtlFel) or not isinstance(fel, Exception):
                ut = fel  # KeyboardInterrupt, SystemExit: the caller's to handle; the lake is unchanged either way
            elif isinstance(fel, OSError):
                ut = _skrivfel(fel, f"Parquet-mappen {self.parquet}")
            else:
                ut = KorningsFel(
                    f"Inläsningen kunde inte slutföras på grund av ett oväntat fel ({type(fel).__name__}). "
                    "Ingenting ändrades; data från förra inläsningen gäller. Tekniska detaljer finns i ETL-loggen."
                )
            self._avbryt(ut, fel)
            if ut is fel:
                raise
            raise ut from fel
        resultat = RunResult.av(self.korning_id, self.startad, klar, self.resultat, self.kallor, self.saknade)
        resultat.avbrutna = [a["korning_id"] for a in self.avbrutna]
        resultat.varningar = self._efter_commit(rensa)
        for f in resultat.files:
            _maskera_resultat(f)
        LOGG.info(
            "Körning %s klar: %d filer, %d inlästa, %d avvisade",
            self.korning_id,
            len(resultat.files),
            sum(f.utfall == INLAST for f in resultat.files),
            sum(f.utfall == AVVISAD for f in resultat.files),
        )
        return resultat

    def _forbered_sjon(self) -> pl.DataFrame:
        """The manifest (built from the folders for a lake written before manifests), stray files removed, run marked."""
        try:
            bas = manifest.las(self.parquet)
            if bas is None:
                bas = manifest.fran_katalog(self.parquet, list(TABLES))
            borttagna = stada_forvaldade(self.parquet, bas)
            if borttagna:
                LOGG.info("Tog bort %d filer som en avbruten körning lämnat efter sig", borttagna)
            pagaende = self.parquet / manifest.MAPP / PAGAENDE
            if pagaende.exists():
                try:
                    self._forra_markering = pagaende.read_bytes()
                    tidigare = json.loads(self._forra_markering.decode("utf-8"))
                    self.avbrutna.append(tidigare)
                except (ValueError, OSError):
                    self.avbrutna.append({"korning_id": "okand", "startad": None})
            pagaende.parent.mkdir(parents=True, exist_ok=True)
            tmp = pagaende.with_name(PAGAENDE + ".tmp")
            tmp.write_text(json.dumps({"korning_id": self.korning_id, "startad": self.startad.isoformat(), "pid": os.getpid()}), encoding="utf-8")
            os.replace(tmp, pagaende)
        except OSError as fel:
            raise _skrivfel(fel, f"Parquet-mappen {self.parquet}") from fel
        return bas

    def _avbryt(self, fel: BaseException, orsak: BaseException) -> None:
        """Undo what this run wrote; leave the marker (with the reason) so the next run records the run."""
        LOGG.error("Körning %s avbröts", self.korning_id, exc_info=orsak)
        if self.skrivare is not None:
            self.skrivare.avbryt()
        if self.placerad is not None and self.leverans is not None:
            try:  # the delivery never became data: it leaves the raw folder again (the caller removes it)
                os.replace(self.placerad, self.leverans)
                self.placerad = None
            except OSError:
                LOGG.exception("Kunde inte ta tillbaka %s ur källmappen", self.placerad)
        for k in self.karantaner:
            try:
                k.tmp.unlink(missing_ok=True)
            except OSError:
                pass
        try:
            pagaende = self.parquet / manifest.MAPP / PAGAENDE
            if pagaende.exists():
                text = str(fel) if isinstance(fel, KorningsFel | EtlFel) else f"{type(fel).__name__}"
                innehall = {"korning_id": self.korning_id, "startad": self.startad.isoformat(), "meddelande": maskera(text)}
                pagaende.write_text(json.dumps(innehall, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a full or read-only disk: the marker written at the start still tells the next run

    def _efter_commit(self, rensa: list[str]) -> list[str]:
        """Move rejected files to quarantine, delete replaced files, clear the marker; problems are warnings."""
        varningar = []
        for k in self.karantaner:
            try:
                os.replace(k.tmp, k.rapport)
                shutil.move(str(k.f.sokvag), str(k.mal))
            except OSError as fel:
                LOGG.exception("Kunde inte flytta %s till karantän", k.f.resultat.fil)
                varningar.append(
                    maskera(f"{k.f.resultat.fil} kunde inte flyttas till karantänen ({fel.strerror}); den ligger kvar och prövas igen nästa gång.")
                )
        for fil in rensa:
            try:
                (self.parquet / fil).unlink(missing_ok=True)
            except OSError:
                pass  # the next run deletes what no manifest names
        try:
            (self.parquet / manifest.MAPP / PAGAENDE).unlink(missing_ok=True)
        except OSError:
            pass
        for sokvag, _ in self.vantande:  # now in the lake's run log (a leftover is folded in again, same partition)
            try:
                sokvag.unlink(missing_ok=True)
            except OSError:
                pass
        try:
            lake.write_snapshot(self.parquet)
        except (OSError, duckdb.Error):
            # only speed is lost: without its snapshot a dashboard connection reads the committed Parquet files
            LOGG.exception("Kunde inte skriva ögonblicksbilden av sjön i %s", self.parquet)
        return varningar

    # -- what earlier runs did --

    def _tidigare_inlasta(self) -> dict[str, dict]:
        """Latest 'inläst' record per raw file from earlier runs' etl_filer."""
        logg = self.skrivare.las("etl_filer").filter(pl.col("utfall") == INLAST).sort("tidpunkt", "korning_id")
        committade = set(self.skrivare.las("etl_korningar")["korning_id"].to_list())
        self.avbrutna = [a for a in self.avbrutna if a.get("korning_id") not in committade]
        return {r["fil"]: r for r in logg.to_dicts()}

    def sha_av(self, sokvag: Path) -> str:
        if sokvag not in self.kontrollsummor:
            self.kontrollsummor[sokvag] = _sha256(sokvag)
        return self.kontrollsummor[sokvag]

    # -- the unit register --

    def _las_register(self) -> None:
        """Read data/raw/enheter/ first: its accepted rows map unit names in every source read after it."""
        mapp = self.raw / REGISTER.namn
        if not mapp.is_dir():
            return
        poster = _radata_filer(mapp, self.raw)
        forberedda = [self._forbered_post((REGISTER.namn, p), register=False) for p in poster]
        for f in forberedda:
            self.resultat.append(f.resultat)
        self._verkstall(REGISTER, [f for f in forberedda if f.resultat.utfall not in (IGNORERAD, OFORANDRAD)], skriv=False)
        namn, alias, summor = [], [], []
        for f in forberedda:
            if f.resultat.utfall in (AVVISAD, IGNORERAD) or f.stegad is None:
                continue
            forra = self.tidigare.get(maskera(f.resultat.fil))
            if forra and forra["sha256"] == f.resultat.sha256:
                f.resultat.utfall = OFORANDRAD  # read again (the register is needed every run), but not changed
            for enhet, a in f.stegad.select("enhet", "alias").iter_rows():
                if enhet is None:
                    continue
                (alias.append((a, enhet)) if a else namn.append(enhet))
            summor.append(f"{f.resultat.fil}:{f.resultat.sha256}")
        if namn or alias:
            self.register = Namnregister.av(namn, alias)
            self.registersumma = hashlib.sha256("\n".join(sorted(summor)).encode()).hexdigest()

    # -- the sources --

    def _las_kallor(self) -> None:
        self.saknade = [k for k in self.kallor if not (self.raw / k).is_dir()]
        self.plan = {k: _radata_filer(self.raw / k, self.raw) for k in self.kallor if k not in self.saknade}
        if self.leverans is not None:
            uppgifter = self._leveransplan()
            if not uppgifter:
                return
        else:
            uppgifter = [(namn, post) for namn, poster in self.plan.items() for post in poster]
        self.sviter = {namn: las_svit(namn) for namn in self.plan}
        self.nummer = {post.sokvag: i for i, (_, post) in enumerate(uppgifter)}
        totalt = len(uppgifter)
        kalla: Kalla | None = None
        batch: list[_Forberedd] = []
        batch_rader = 0
        forvag = _i_forvag(self._forbered_post, uppgifter)
        try:
            for klara, f in enumerate(forvag):
                if self.progress:
                    self.progress(maskera(f.resultat.fil), klara, totalt)
                if kalla is None or f.resultat.kalla != kalla.namn:
                    if batch:
                        self._verkstall(kalla, batch)
                    batch, batch_rader = [], 0
                    kalla = KALLOR[f.resultat.kalla]
                self.resultat.append(f.resultat)
                if f.resultat.utfall in (OFORANDRAD, IGNORERAD):
                    continue
                batch.append(f)
                batch_rader += f.stegad.height if f.stegad is not None else 0
                if batch_rader >= BATCH_RADER:
                    self._verkstall(kalla, batch)
                    batch, batch_rader = [], 0
            if batch:
                self._verkstall(kalla, batch)
        finally:
            forvag.close()
        if self.progress:
            self.progress("klart", totalt, totalt)

    # -- a delivery (etl.leverera) --

    def _leveransplan(self) -> list[tuple[str, _Post]]:
        """The delivered file under its name in the source folder (a free one), as the only file to read; [] for a duplicate."""
        namn = self.kallor[0]
        mapp = self.raw / namn
        self.saknade = []
        befintliga = self.plan.get(namn, [])
        sha = self.sha_av(self.leverans)
        for post in befintliga:  # the same content already delivered and loaded: nothing new
            forra = self.tidigare.get(maskera(f"{namn}/{post.sokvag.name}"))
            if post.typ == "fil" and forra and forra["sha256"] == sha and self.sha_av(post.sokvag) == sha:
                self.samma_som = f"{namn}/{post.sokvag.name}"
                return []
        malnamn = ledigt_namn(mapp, self.leverans.name)
        if malnamn != self.leverans.name:  # a different file has the name: this one sorts after it and wins
            ny = self.leverans.with_name(malnamn)
            os.replace(self.leverans, ny)
            self.kontrollsummor[ny] = self.kontrollsummor.pop(self.leverans)
            self.leverans = ny
        post = _Post(self.leverans, "fil")
        self.plan[namn] = sorted([*befintliga, post], key=lambda p: p.sokvag.name)
        return [(namn, post)]

    def _leveransens_resultat(self) -> FileResult | None:
        fil = f"{self.kallor[0]}/{self.leverans.name}"
        return next((r for r in self.resultat if r.fil == fil and r.kalla == self.kallor[0]), None)

    def _utan_commit(self) -> bool:
        """True when the delivery changes nothing: a duplicate, or rejected (then quarantine it without a lake version)."""
        if self.samma_som is not None:
            return True
        lev = self._leveransens_resultat()
        if lev is None or lev.utfall != AVVISAD:
            return False
        self.avvisad_leverans = next(k for k in self.karantaner if k.f.sokvag == self.leverans)
        self.karantaner = [self.avvisad_leverans]  # nothing else moves either (e.g. a rejected unit register stays put)
        return True

    def _utan_andring(self) -> RunResult:
        """Finish a delivery that changes nothing: no commit; a rejected file and its report to quarantine, its log rows kept."""
        klar = datetime.now()
        k = self.avvisad_leverans
        if k is not None:
            self._forbered_karantan()
        self.skrivare.avbryt()
        if k is not None:
            # the run-log rows wait beside the quarantine until a run commits (the lake must not move now)
            rader = self._loggrader(klar, [k.f.resultat], med_avbrutna=False)
            rader["etl_korningar"][0]["meddelande"] = "Leveransen avvisades – ingenting lästes in och inget data ändrades."
            korlogg.spara_vantande(self.karantan, self.korning_id, {t: [_maskerad_rad(r) for r in v] for t, v in rader.items()})
            os.replace(k.tmp, k.rapport)
            shutil.move(str(k.f.sokvag), str(k.mal))
            self.leverans = None
        self._aterstall_markering()
        resultat = RunResult.av(self.korning_id, self.startad, klar, self.resultat, self.kallor, self.saknade)
        for f in resultat.files:
            _maskera_resultat(f)
        LOGG.info("Leverans %s: %s", self.korning_id, "avvisad" if self.avvisad_leverans else f"samma innehåll som {self.samma_som}")
        return resultat

    def _aterstall_markering(self) -> None:
        """Leave _lake/ as it was: an earlier interrupted run's mark back (the next committing run records it), else none."""
        pagaende = self.parquet / manifest.MAPP / PAGAENDE
        try:
            if self._forra_markering is not None:
                tmp = pagaende.with_name(PAGAENDE + ".tmp")
                tmp.write_bytes(self._forra_markering)
                os.replace(tmp, pagaende)
            else:
                pagaende.unlink(missing_ok=True)
        except OSError:
            pass

    def _placera_leverans(self) -> None:
        """Move a delivery that passed into its source folder (before the commit: a raw file whose run failed is loaded next run)."""
        if self.leverans is None:
            return
        mapp = self.raw / self.kallor[0]
        mal = mapp / self.leverans.name
        try:
            mapp.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.leverans, mal)  # fails if a file of that name appeared meanwhile: never overwrite one
                self.leverans.unlink()
            except OSError as fel:
                if fel.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV) or mal.exists():
                    raise
                shutil.move(str(self.leverans), str(mal))  # a file system without hard links
        except OSError as fel:
            raise _skrivfel(fel, f"källmappen {mapp}") from fel
        self.placerad = mal

    def leveransresultat(self, resultat: RunResult) -> Leveransresultat:
        """The delivered file's outcome from the finished run."""
        namn = self.kallor[0]
        if self.samma_som is not None:
            r = FileResult(namn, maskera(self.samma_som), OFORANDRAD, self.sha_av(self.raw / self.samma_som), 0)
            r.meddelande = f"Samma innehåll som {maskera(self.samma_som)}, som redan är inläst – ingenting ändrades."
            return Leveransresultat(resultat, r, None, samma_som=maskera(self.samma_som))
        if self.avvisad_leverans is not None:
            return Leveransresultat(resultat, self.avvisad_leverans.f.resultat, None, self.avvisad_leverans.mal)
        fil = maskera(f"{namn}/{self.placerad.name}")
        return Leveransresultat(resultat, next(f for f in resultat.files if f.kalla == namn and f.fil == fil), fil)

    def _forbered_post(self, uppgift: tuple[str, _Post], register: bool = True) -> _Forberedd:
        """Checksum, and unless the file is unchanged, read, parse and stage it (runs ahead of the main thread)."""
        namn, post = uppgift
        sokvag = post.sokvag
        fil = f"{namn}/{sokvag.name}"
        kalla = ALLA_KALLOR[namn]
        if post.typ != "fil":
            storlek = sokvag.lstat().st_size if post.typ == "lank_ut" else 0
            r = FileResult(
                namn, fil, IGNORERAD if post.typ == "ignorerad" else "", "", storlek, meddelande=post.orsak if post.typ == "ignorerad" else ""
            )
            return _Forberedd(r, sokvag, fel=post.orsak if post.typ == "lank_ut" else None)
        r = FileResult(namn, fil, "", "", 0)
        try:
            r.storlek_bytes = sokvag.stat().st_size
            r.sha256 = self.sha_av(sokvag)
            r.enhetsregister = self.registersumma if kalla.har_enheter else ""
            forra = self.tidigare.get(maskera(fil))
            perioder = [p for p in ((forra or {}).get("perioder") or "").split(",") if p]
            # Unchanged: same checksum, its partitions still there, and read with the same unit register.
            if (
                namn != REGISTER.namn
                and forra
                and forra["sha256"] == r.sha256
                and all(self.skrivare.finns(kalla.tabell, p) for p in perioder)
                and (forra.get("enhetsregister") or "") == r.enhetsregister
            ):
                r.utfall, r.rader, r.perioder = OFORANDRAD, forra["rader"], perioder
                return _Forberedd(r, sokvag)
            format_ = filformat.kanna_igen(sokvag)
            if format_.orsak:
                return _Forberedd(r, sokvag, fel=format_.orsak)
            if format_.typ == filformat.TEXT and sokvag.suffix.lower() not in lasa.FILTYPER:
                andelse = sokvag.suffix or "(utan filändelse)"
                return _Forberedd(r, sokvag, fel=f"Filformatet {andelse} stöds inte – spara filen som .csv eller .xlsx.")
            f = _forbered(
                sokvag,
                r,
                kalla,
                self.intaktsgrupper,
                self.sviter.get(namn) or las_svit(namn),
                self.param,
                self.register if register else None,
                format_,
            )
        except KorningsFel:
            raise
        except (Exception, pl.exceptions.PanicException) as fel:
            LOGG.exception("Oväntat fel när %s lästes", fil)
            return _Forberedd(r, sokvag, fel=_orsak(fel))
        if f.godkand is not None and namn != REGISTER.namn:
            # A file that surely passes is written here, in the reader thread, under names of its own; the main
            # thread decides in name order which files the manifest names, so a later delivery still wins.
            try:
                f.skrivna = self.skrivare.skriv(_partitionsfiler(f, kalla))
            except OSError as fel:
                raise _skrivfel(fel, f"Parquet-mappen {self.parquet}") from fel
            except (Exception, pl.exceptions.PanicException) as fel:
                LOGG.exception("Oväntat fel när %s skulle skrivas", fil)
                return _Forberedd(r, sokvag, fel=_orsak(fel))
            f.stegad = f.ra = None
        return f

    def _verkstall(self, kalla: Kalla, batch: list[_Forberedd], skriv: bool = True) -> None:
        """Validate a batch, then in name order load each passing file and plan the quarantine of the others."""
        if any(f.stegad is not None and f.godkand is None and not f.fel for f in batch):
            self.validerare = self.validerare or Validerare()
        _validera(self.validerare, kalla, batch, self.param)
        for f in batch:  # name order: a later delivery of a month replaces an earlier one
            if f.fel or any(not u.lyckades for u in f.resultat.regler):
                self._avvisa(f, kalla)
            elif skriv:
                self._las_in(f, kalla)
            else:
                f.resultat.utfall = INLAST

    def _las_in(self, f: _Forberedd, kalla: Kalla) -> None:
        if f.skrivna is None:
            try:
                f.skrivna = self.skrivare.skriv(_partitionsfiler(f, kalla))
            except OSError as fel:
                raise _skrivfel(fel, f"Parquet-mappen {self.parquet}") from fel
        behalls = self._senare_leveranser(f)
        hall = [s for s in f.skrivna if s.partition in behalls]
        skrivs = [s for s in f.skrivna if s.partition not in behalls]
        self.skrivare.kasta(hall)
        self.skrivare.satt(skrivs)
        f.resultat.utfall = INLAST
        f.resultat.meddelande = "; ".join(filter(None, [f.resultat.meddelande, _beskriv(f.resultat.namn, kalla)]))
        f.resultat.perioder = sorted({s.partition for s in skrivs if s.tabell == kalla.tabell})
        kvar = sorted({s.partition for s in hall if s.tabell == kalla.tabell})
        if kvar:
            f.resultat.meddelande = "; ".join(filter(None, [f.resultat.meddelande, "behöll senare leverans för " + ", ".join(kvar)]))
        f.stegad = f.ra = f.skrivna = None

    def _senare_leveranser(self, f: _Forberedd) -> set[str]:
        """Months an unchanged, later-named delivery of the same source already loaded: they stay as it left them."""
        behalls: set[str] = set()
        for g, post, forra in self._tidigare_per_fil(f.resultat.kalla):
            if g > f.resultat.fil and self.sha_av(post.sokvag) == forra["sha256"]:
                behalls |= {p for p in (forra["perioder"] or "").split(",") if p}
        return behalls

    def _tidigare_per_fil(self, kalla: str) -> list[tuple[str, _Post, dict]]:
        """(name, entry, earlier 'inläst' record) for each file of a source that an earlier run loaded; built once."""
        if kalla not in self._tidigare_cache:
            self._tidigare_cache[kalla] = [
                (g, post, forra)
                for post in self.plan[kalla]
                if post.typ == "fil"
                for g in [f"{kalla}/{post.sokvag.name}"]
                if (forra := self.tidigare.get(maskera(g)))
            ]
        return self._tidigare_cache[kalla]

    # -- quarantine --

    def _avvisa(self, f: _Forberedd, kalla: Kalla) -> None:
        """Mark a file rejected and write down where it and its report go (both moved after the commit)."""
        mapp = self.karantan / kalla.namn
        mal = mapp / f.sokvag.name
        planerade = {k.mal for k in self.karantaner}
        if mal.exists() or mal.is_symlink() or mal in planerade:  # never overwrite an earlier rejected delivery
            mal = mapp / f"{f.sokvag.stem}.{self.korning_id}{f.sokvag.suffix}"
        # the report's own name must not carry a personnummer the raw file's name has
        rapportfil = mapp / (maskera(mal.name) + ".rapport.txt")
        fel = [u for u in f.resultat.regler if not u.lyckades]
        if any(u.saknade_kolumner for u in fel):  # rules on a missing column add nothing to "the column is missing"
            fel = [u for u in fel if not u.undantag]
        f.resultat.utfall = AVVISAD
        f.resultat.rapport = rapportfil
        tabell = TABLES.get(kalla.tabell) if kalla.namn in KALLOR else None
        if tabell is not None and f.stegad is not None and tabell.partition in f.stegad.columns:
            # the partitions the file would have replaced: a rejected month shows as such in the completeness overview
            f.resultat.perioder = sorted({partitionsnamn(v) for v in f.stegad[tabell.partition].drop_nulls().unique().to_list()})
        sammanfattning = f.fel or "; ".join(
            f"{u.regel} ({u.antal_fel} {'rad' if u.antal_fel == 1 else 'rader'})" if u.antal_fel else u.regel for u in fel
        )
        f.resultat.meddelande = "; ".join(m for m in (sammanfattning, f.resultat.meddelande) if m)
        f.resultat.namn = []  # nothing of a rejected file is loaded, so none of its names either
        self.karantaner.append(_Karantan(f, mal, rapportfil, rapportfil.with_name(f"{rapportfil.name}.{self.korning_id}.tmp")))
        LOGG.info("Avvisad: %s: %s", f.resultat.fil, f.resultat.meddelande)

    def _forbered_karantan(self) -> None:
        """Write every report beside its future place before the commit: a quarantine that cannot be written stops the run."""
        for k in self.karantaner:
            kalla = ALLA_KALLOR[k.f.resultat.kalla]
            text = rapport.karantanrapport(
                fil=k.f.resultat.fil,
                kalla=kalla,
                korning_id=self.korning_id,
                sha256=k.f.resultat.sha256,
                rader=k.f.resultat.rader,
                orsak=k.f.fel,
                utfall=k.f.resultat.regler,
                ra=k.f.ra,
                karantanfil=str(k.mal),
                okanda_kolumner=k.f.resultat.okanda_kolumner,
                levererad_av=self.levererad_av if k.f.sokvag == self.leverans else None,
            )
            try:
                k.tmp.parent.mkdir(parents=True, exist_ok=True)
                k.tmp.write_text(text, encoding="utf-8")
            except OSError as fel:
                raise _skrivfel(fel, f"karantänmappen {self.karantan}") from fel
            k.f.ra = k.f.stegad = None

    # -- the run log --

    def _skriv_logg(self, klar: datetime) -> None:
        """This run's rows of etl_korningar, etl_filer, etl_valideringar and etl_namn (one file each, named by run id).

        Rows of rejected deliveries waiting in quarantine/_korlogg/ are committed too, each under its own run id.
        """
        tabeller = self._loggrader(klar, self.resultat)
        for _, vantande in self.vantande:
            for tabell, rader in vantande.items():
                tabeller.setdefault(tabell, []).extend(rader)
        skrivet: dict[tuple[str, str], pl.DataFrame] = {}
        for tabell, rader in tabeller.items():
            if rader:  # an empty table part is left out (the lake reads a missing table as empty)
                df = pl.DataFrame([_maskerad_rad(rad) for rad in rader], schema=schema(tabell))
                skrivet |= partitioner(tabell, df, ("korning_id",))
        try:
            self.skrivare.satt(self.skrivare.skriv(skrivet))
        except OSError as fel:
            raise _skrivfel(fel, f"Parquet-mappen {self.parquet}") from fel

    def _loggrader(self, klar: datetime, resultat: list[FileResult], med_avbrutna: bool = True) -> dict[str, list[dict]]:
        """The run-log rows of this run for the given file results (and the interrupted runs it records)."""
        avvisade = sum(r.utfall == AVVISAD for r in resultat)
        korningar = [
            {
                "korning_id": self.korning_id,
                "startad": self.startad,
                "klar": klar,
                "status": "avvisade_filer" if avvisade else "ok",
                "filer": len(resultat),
                "inlasta_filer": sum(r.utfall == INLAST for r in resultat),
                "avvisade_filer": avvisade,
                "rader": sum(r.rader or 0 for r in resultat if r.utfall == INLAST),
                "meddelande": None,
                "levererad_av": self.levererad_av,
            }
        ] + [
            {
                "korning_id": a.get("korning_id") or "okand",
                "startad": datetime.fromisoformat(a["startad"]) if a.get("startad") else None,
                "klar": None,
                "status": "avbruten",
                "filer": None,
                "inlasta_filer": None,
                "avvisade_filer": None,
                "rader": None,
                "meddelande": a.get("meddelande")
                or "Körningen avbröts innan den blev klar (stoppad eller krasch); inget av den syns i data, och filerna läses vid nästa körning.",
                "levererad_av": None,
            }
            for a in (self.avbrutna if med_avbrutna else [])
        ]
        filer = [
            {
                "korning_id": self.korning_id,
                "kalla": r.kalla,
                "fil": r.fil,
                "sha256": r.sha256,
                "storlek_bytes": r.storlek_bytes,
                "rader": r.rader,
                "utfall": r.utfall,
                "perioder": ",".join(r.perioder),
                "okanda_kolumner": ", ".join(r.okanda_kolumner),
                "meddelande": r.meddelande,
                "tidpunkt": klar,
                "enhetsregister": r.enhetsregister,
            }
            for r in resultat
        ]
        valideringar = [_valideringsrad(self.korning_id, r, u, klar) for r in resultat for u in r.regler] + [
            {
                "korning_id": self.korning_id,
                "kalla": r.kalla,
                "fil": r.fil,
                "regel": "Filen ska gå att läsa (CSV eller .xlsx med rubrikrad)",
                "expectation": None,
                "kolumn": None,
                "lyckades": False,
                "antal_fel": None,
                "exempel": r.meddelande,
                "tidpunkt": klar,
            }
            for r in resultat
            if r.utfall == AVVISAD and not r.regler
        ]
        namn = [
            {
                "korning_id": self.korning_id,
                "kalla": r.kalla,
                "fil": r.fil,
                "kolumn": ALLA_KALLOR[r.kalla].rubrik(n.kolumn),
                "skrivet": n.skrivet,
                "tolkat": n.tolkat,
                "typ": n.typ,
                "rader": n.rader,
                "tidpunkt": klar,
            }
            for r in resultat
            if r.utfall == INLAST
            for n in r.namn
        ]
        return {"etl_korningar": korningar, "etl_filer": filer, "etl_valideringar": valideringar, "etl_namn": namn}


# Columns that are identifiers by construction (a checksum, a run id) and are never redacted: a 64-hex checksum can
# by chance hold ten digits shaped like a personnummer, and masking it would break the unchanged-file check.
_EJ_MASKERADE = {"sha256", "korning_id"}


def _maskerad_rad(rad: dict) -> dict:
    # only text: the counts and sizes are the run's own numbers (a 1 212 121 212-byte file is not a personnummer)
    return {k: (maskera(v) if isinstance(v, str) and k not in _EJ_MASKERADE else v) for k, v in rad.items()}


def _maskera_resultat(r: FileResult) -> None:
    """Every text of a file's result, as the CLI and callers see it, without personnummer."""
    r.fil = maskera(r.fil)
    r.meddelande = maskera(r.meddelande)
    r.okanda_kolumner = [maskera(k) for k in r.okanda_kolumner]
    for u in r.regler:
        u.exempel = maskera(u.exempel)


def _valideringsrad(korning_id: str, r: FileResult, u: Regelutfall, tidpunkt: datetime) -> dict:
    kalla = ALLA_KALLOR[r.kalla]
    return {
        "korning_id": korning_id,
        "kalla": r.kalla,
        "fil": r.fil,
        "regel": u.regel,
        "expectation": u.expectation,
        "kolumn": ", ".join(kalla.rubrik(k) for k in u.kolumner) or None,
        "lyckades": u.lyckades,
        "antal_fel": u.antal_fel,
        "exempel": u.exempel or None,
        "tidpunkt": tidpunkt,
    }
