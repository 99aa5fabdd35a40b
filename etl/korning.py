"""One ETL run: find raw files, skip unchanged ones, validate, quarantine failures, write partitions and the run log."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from etl import lasa, rapport
from etl.kallor import KALLOR, Kalla, intaktsgrupper_fran_miljo, tolka_kolumner
from etl.skriva import enligt_kontrakt, flytta_pa_plats, las_tabell, marter, partitioner, skriv_atomart, skriv_tillfalligt
from etl.validera import Regelutfall, Validerare, forkontroll, las_svit
from lake.schema import SOURCES

# Rows validated per GX call: big enough that per-call overhead vanishes, small enough to keep memory modest.
BATCH_RADER = 1_000_000
# Reader threads: polars and hashlib release the GIL; on 2 cores a third reader keeps both busy while another waits on
# Python-level work (city call log: 8.6 s with two, 7.8 s with three, 7.7 s with four).
ANTAL_LASARE = 3
IGNORERADE_SUFFIX = {".md", ".rapport.txt"}

INLAST, OFORANDRAD, AVVISAD = "inläst", "oförändrad", "avvisad"


class EtlFel(ValueError):
    """A usage error (unknown source, missing raw folder); the message is Swedish."""


@dataclass
class FileResult:
    """What happened to one raw file in a run."""

    kalla: str
    fil: str  # path relative to the raw folder, e.g. 'telefoni/2024-03.csv'
    utfall: str  # 'inläst' | 'oförändrad' | 'avvisad'
    sha256: str
    storlek_bytes: int
    rader: int | None = None
    perioder: list[str] = field(default_factory=list)
    okanda_kolumner: list[str] = field(default_factory=list)
    meddelande: str = ""
    rapport: Path | None = None
    regler: list[Regelutfall] = field(default_factory=list)


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
    skrivna: list[tuple[Path, Path]] | None = None  # (tmp, target) partition files already written, not yet in place


def _sha256(sokvag: Path) -> str:
    h = hashlib.sha256()
    with sokvag.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _radata_filer(mapp: Path) -> list[Path]:
    return sorted(
        p for p in mapp.iterdir() if p.is_file() and not p.name.startswith((".", "~$")) and not any(p.name.endswith(s) for s in IGNORERADE_SUFFIX)
    )


def _tidigare_inlasta(parquet: Path) -> dict[str, dict]:
    """Latest 'inläst' record per raw file from earlier runs' etl_filer."""
    logg = las_tabell(parquet, "etl_filer").filter(pl.col("utfall") == INLAST).sort("tidpunkt", "korning_id")
    return {r["fil"]: r for r in logg.to_dicts()}


def _forbered(sokvag: Path, resultat: FileResult, kalla: Kalla, intaktsgrupper: tuple[str, ...], svit: dict, typad: bool = True) -> _Forberedd:
    try:
        ra = lasa.las(sokvag, kalla, typad=typad)
    except lasa.LasFel as fel:
        return _Forberedd(resultat, sokvag, fel=str(fel))
    resultat.okanda_kolumner = ra.okanda_kolumner
    resultat.rader = ra.data.height
    meddelanden = []
    if ra.borttagna_summarader:
        meddelanden.append("summarad borttagen: rad " + ", ".join(map(str, sorted(ra.borttagna_summarader))))
    if ra.okanda_kolumner:
        meddelanden.append("okända kolumner ignorerade: " + ", ".join(ra.okanda_kolumner))
    resultat.meddelande = "; ".join(meddelanden)
    if ra.data.height == 0:
        return _Forberedd(resultat, sokvag, ra=ra.data, fel="Filen innehåller inga datarader.")
    stegad = kalla.stega(tolka_kolumner(ra.data, kalla), intaktsgrupper).with_columns(_fil=pl.lit(resultat.fil))
    godkand = forkontroll(kalla.namn, stegad, svit)
    if godkand is None and ra.typad:
        # GX will report this file, quoting values as written: read it again as text for that
        return _forbered(sokvag, resultat, kalla, intaktsgrupper, svit, typad=False)
    return _Forberedd(resultat, sokvag, ra=ra.data, stegad=stegad, godkand=godkand)


def _validera(validerare: Validerare | None, kalla: Kalla, batch: list[_Forberedd]) -> None:
    """Validate staged files, one GX call per distinct column set (a missing column then fails only its own files)."""
    grupper: dict[tuple[str, ...], list[_Forberedd]] = {}
    for f in batch:
        if f.godkand is not None:
            f.resultat.regler = f.godkand
        elif f.stegad is not None:
            grupper.setdefault(tuple(sorted(f.stegad.columns)), []).append(f)
    for filer in grupper.values():
        ram = pl.concat([f.stegad.select(sorted(f.stegad.columns)) for f in filer], how="vertical_relaxed")
        utfall = validerare.validera(kalla.namn, ram)
        for f in filer:
            f.resultat.regler = utfall[f.resultat.fil]
            for u in f.resultat.regler:
                u.exempel = rapport.kort_exempel(u, kalla, f.ra)


def _karantan(f: _Forberedd, kalla: Kalla, karantan: Path, korning_id: str) -> None:
    mapp = karantan / kalla.namn
    mapp.mkdir(parents=True, exist_ok=True)
    mal = mapp / f.sokvag.name
    if mal.exists():  # never overwrite an earlier rejected delivery with the same name
        mal = mapp / f"{f.sokvag.stem}.{korning_id}{f.sokvag.suffix}"
    fel = [u for u in f.resultat.regler if not u.lyckades]
    if any(u.saknade_kolumner for u in fel):  # rules on a missing column add nothing to "the column is missing"
        fel = [u for u in fel if not u.undantag]
    text = rapport.karantanrapport(
        fil=f.resultat.fil,
        kalla=kalla,
        korning_id=korning_id,
        sha256=f.resultat.sha256,
        rader=f.resultat.rader,
        orsak=f.fel,
        utfall=f.resultat.regler,
        ra=f.ra,
        karantanfil=str(mal),
    )
    rapportfil = mal.with_name(mal.name + ".rapport.txt")
    tmp = rapportfil.with_name(rapportfil.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    shutil.move(str(f.sokvag), str(mal))
    tmp.replace(rapportfil)
    f.resultat.utfall = AVVISAD
    f.resultat.rapport = rapportfil
    sammanfattning = f.fel or "; ".join(
        f"{u.regel} ({u.antal_fel} {'rad' if u.antal_fel == 1 else 'rader'})" if u.antal_fel else u.regel for u in fel
    )
    f.resultat.meddelande = "; ".join(m for m in (sammanfattning, f.resultat.meddelande) if m)


def _partitionsfiler(f: _Forberedd, kalla: Kalla, parquet: Path) -> dict[Path, pl.DataFrame]:
    """The file's table partitions and, in the same write, its table's monthly marts (lake.schema.MARTS)."""
    tabell = kalla.till_tabell(f.stegad)
    return partitioner(parquet, kalla.tabell, tabell, kalla.nyckel) | marter(parquet, kalla.tabell, tabell)


def _las_in(f: _Forberedd, kalla: Kalla, parquet: Path, behalls: set[str]) -> None:
    skrivna = f.skrivna if f.skrivna is not None else skriv_tillfalligt(_partitionsfiler(f, kalla, parquet))
    skrivs = [(tmp, mal) for tmp, mal in skrivna if mal.stem not in behalls]
    for tmp, mal in skrivna:
        if mal.stem in behalls:
            tmp.unlink(missing_ok=True)
    flytta_pa_plats(skrivs)
    f.resultat.utfall = INLAST
    f.resultat.perioder = [mal.stem for _, mal in skrivs]
    kvar = sorted(mal.stem for _, mal in skrivna if mal.stem in behalls and mal.parent.name == kalla.tabell)
    if kvar:
        f.resultat.meddelande = "; ".join(filter(None, [f.resultat.meddelande, "behöll senare leverans för " + ", ".join(kvar)]))


def _i_forvag(funktion: Callable, uppgifter: list, djup: int = 3):
    """Yield funktion(u) for each task in order, computing up to `djup` tasks ahead in ANTAL_LASARE worker threads."""
    with ThreadPoolExecutor(max_workers=ANTAL_LASARE, thread_name_prefix="etl-las") as pool:
        ko: deque = deque()
        for u in uppgifter:
            ko.append(pool.submit(funktion, u))
            if len(ko) > djup:
                yield ko.popleft().result()
        while ko:
            yield ko.popleft().result()


def run(
    raw: Path | str = "data/raw",
    parquet: Path | str = "data/parquet",
    quarantine: Path | str = "data/quarantine",
    sources: list[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    intaktsgrupper: tuple[str, ...] | None = None,
) -> RunResult:
    """Load every source folder under `raw` into Parquet under `parquet`, one run at a time per Parquet root."""
    # Several dashboard sessions may find the Parquet stale at once: an exclusive lock makes the
    # others wait and then see every file as unchanged, instead of writing the same partitions twice.
    okanda = [k for k in (sources or []) if k not in KALLOR]
    if okanda:
        raise EtlFel(f"Okänd källa: {', '.join(okanda)}. Giltiga källor: {', '.join(SOURCES)}.")
    if not Path(raw).is_dir():
        raise EtlFel(f"Mappen med rådata finns inte: {raw}")
    Path(parquet).mkdir(parents=True, exist_ok=True)
    with open(Path(parquet) / ".etl.lock", "w") as las:
        fcntl.flock(las, fcntl.LOCK_EX)
        try:
            return _run_en_i_taget(
                Path(raw),
                Path(parquet),
                Path(quarantine),
                list(sources) if sources else list(SOURCES),
                progress,
                tuple(intaktsgrupper) if intaktsgrupper else intaktsgrupper_fran_miljo(),
            )
        finally:
            fcntl.flock(las, fcntl.LOCK_UN)


def _run_en_i_taget(
    raw: Path,
    parquet: Path,
    karantan: Path,
    kallor: list[str],
    progress: Callable[[str, int, int], None] | None,
    intaktsgrupper: tuple[str, ...],
) -> RunResult:
    """Load every source folder under `raw` into Parquet; rejected files go to `karantan`."""
    startad = datetime.now()
    korning_id = startad.strftime("%Y%m%dT%H%M%S%f")
    tidigare = _tidigare_inlasta(parquet)

    saknade = [k for k in kallor if not (raw / k).is_dir()]
    plan = {k: _radata_filer(raw / k) for k in kallor if k not in saknade}
    totalt = sum(len(v) for v in plan.values())
    resultat: list[FileResult] = []
    validerare: Validerare | None = None
    kontrollsummor: dict[Path, str] = {}

    def sha_av(sokvag: Path) -> str:
        if sokvag not in kontrollsummor:
            kontrollsummor[sokvag] = _sha256(sokvag)
        return kontrollsummor[sokvag]

    def senare_leveranser(f: _Forberedd) -> set[str]:
        """Months an unchanged, later-named delivery of the same source already loaded: they stay as it left them."""
        behalls: set[str] = set()
        for sokvag in plan[f.resultat.kalla]:
            g = f"{f.resultat.kalla}/{sokvag.name}"
            forra = tidigare.get(g)
            if g > f.resultat.fil and forra and sha_av(sokvag) == forra["sha256"]:
                behalls |= {p for p in (forra["perioder"] or "").split(",") if p}
        return behalls

    def forbered(uppgift: tuple[str, Path]) -> _Forberedd:
        """Checksum, and unless the file is unchanged, read, parse and stage it (runs ahead of the main thread)."""
        namn, sokvag = uppgift
        fil = f"{namn}/{sokvag.name}"
        sha = sha_av(sokvag)
        r = FileResult(namn, fil, "", sha, sokvag.stat().st_size)
        forra = tidigare.get(fil)
        perioder = [p for p in ((forra or {}).get("perioder") or "").split(",") if p]
        # Unchanged means same checksum and its partitions still there (a deleted partition is reloaded).
        if forra and forra["sha256"] == sha and all((parquet / namn / f"{p}.parquet").exists() for p in perioder):
            r.utfall, r.rader, r.perioder = OFORANDRAD, forra["rader"], perioder
            return _Forberedd(r, sokvag)
        if sokvag.suffix.lower() not in lasa.FILTYPER:
            return _Forberedd(r, sokvag, fel=f"Filformatet {sokvag.suffix or '(utan filändelse)'} stöds inte – spara filen som .csv eller .xlsx.")
        f = _forbered(sokvag, r, KALLOR[namn], intaktsgrupper, sviter[namn])
        if f.godkand is not None:
            # A file that surely passes is written here, in the reader thread, as tmp files under a name of its own;
            # the main thread only renames them into place, in name order, so a later delivery still wins.
            f.skrivna = skriv_tillfalligt(_partitionsfiler(f, KALLOR[namn], parquet), f"{korning_id}-{nummer[sokvag]}")
            f.stegad = f.ra = None
        return f

    sviter = {namn: las_svit(namn) for namn in plan}
    uppgifter = [(namn, sokvag) for namn, sokvagar in plan.items() for sokvag in sokvagar]
    nummer = {sokvag: i for i, (_, sokvag) in enumerate(uppgifter)}
    kalla: Kalla | None = None
    batch: list[_Forberedd] = []
    batch_rader = 0

    def verkstall() -> None:
        nonlocal validerare, batch, batch_rader
        if any(f.stegad is not None and f.godkand is None for f in batch):
            validerare = validerare or Validerare()
        _validera(validerare, kalla, batch)
        for f in batch:  # name order: a later delivery of a month replaces an earlier one
            if f.fel or any(not u.lyckades for u in f.resultat.regler):
                _karantan(f, kalla, karantan, korning_id)
            else:
                _las_in(f, kalla, parquet, senare_leveranser(f))
        batch, batch_rader = [], 0

    _stada_tillfalliga(parquet, "*.tmp")  # left by a run that was killed; this run holds the lock
    try:
        for klara, f in enumerate(_i_forvag(forbered, uppgifter)):
            if progress:
                progress(f.resultat.fil, klara, totalt)
            if kalla is None or f.resultat.kalla != kalla.namn:
                if batch:
                    verkstall()
                kalla = KALLOR[f.resultat.kalla]
            resultat.append(f.resultat)
            if f.resultat.utfall == OFORANDRAD:
                continue
            batch.append(f)
            batch_rader += f.stegad.height if f.stegad is not None else 0
            if batch_rader >= BATCH_RADER:
                verkstall()
        if batch:
            verkstall()
    finally:
        _stada_tillfalliga(parquet, f"*.{korning_id}-*.tmp")  # a failed run leaves no tmp files behind
    if progress:
        progress("klart", totalt, totalt)

    klar = datetime.now()
    _skriv_logg(parquet, korning_id, startad, klar, resultat)
    return RunResult.av(korning_id, startad, klar, resultat, kallor, saknade)


def _stada_tillfalliga(parquet: Path, monster: str) -> None:
    for tmp in parquet.glob(f"*/{monster}"):
        tmp.unlink(missing_ok=True)


def _skriv_logg(parquet: Path, korning_id: str, startad: datetime, klar: datetime, resultat: list[FileResult]) -> None:
    """Append this run to etl_korningar, etl_filer and etl_valideringar (one file each, named by run id)."""
    avvisade = sum(r.utfall == AVVISAD for r in resultat)
    korningar = pl.DataFrame(
        [
            {
                "korning_id": korning_id,
                "startad": startad,
                "klar": klar,
                "status": "avvisade_filer" if avvisade else "ok",
                "filer": len(resultat),
                "inlasta_filer": sum(r.utfall == INLAST for r in resultat),
                "avvisade_filer": avvisade,
                "rader": sum(r.rader or 0 for r in resultat if r.utfall == INLAST),
            }
        ]
    )
    filer = pl.DataFrame(
        [
            {
                "korning_id": korning_id,
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
            }
            for r in resultat
        ],
        schema={
            "korning_id": pl.String,
            "kalla": pl.String,
            "fil": pl.String,
            "sha256": pl.String,
            "storlek_bytes": pl.Int64,
            "rader": pl.Int64,
            "utfall": pl.String,
            "perioder": pl.String,
            "okanda_kolumner": pl.String,
            "meddelande": pl.String,
            "tidpunkt": pl.Datetime("us"),
        },
    )
    valideringar = pl.DataFrame(
        [_valideringsrad(korning_id, r, u, klar) for r in resultat for u in r.regler]
        + [
            {
                "korning_id": korning_id,
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
        ],
        schema={
            "korning_id": pl.String,
            "kalla": pl.String,
            "fil": pl.String,
            "regel": pl.String,
            "expectation": pl.String,
            "kolumn": pl.String,
            "lyckades": pl.Boolean,
            "antal_fel": pl.Int64,
            "exempel": pl.String,
            "tidpunkt": pl.Datetime("us"),
        },
    )
    skriv_atomart(
        {
            parquet / "etl_korningar" / f"{korning_id}.parquet": enligt_kontrakt(korningar, "etl_korningar"),
            parquet / "etl_filer" / f"{korning_id}.parquet": enligt_kontrakt(filer, "etl_filer"),
            parquet / "etl_valideringar" / f"{korning_id}.parquet": enligt_kontrakt(valideringar, "etl_valideringar"),
        }
    )


def _valideringsrad(korning_id: str, r: FileResult, u: Regelutfall, tidpunkt: datetime) -> dict:
    kalla = KALLOR[r.kalla]
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
