"""The benchmark run: data, ETL (ours vs pandas), correctness guard, page queries (cold and warm), table and JSON."""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import psutil

from bench.measure import dir_size, run_child, stats

# Repetitions per scale: enough runs for a p95 at city scale, a quick smoke test at small scale.
REPEATS = {"small": {"warm": 5, "cold": 1}, "city": {"warm": 30, "cold": 5}}
TARGETS = {"etl_speedup_min": 5.0, "etl_peak_rss_max_bytes": 4 * 1024**3, "warm_p95_max_ms": 250.0, "cold_p95_max_ms": 1000.0}
REL_TOL = 1e-9
CHILD_TIMEOUT_S = 3 * 3600
COLD_BUDGET_S = 30.0


class BenchError(RuntimeError):
    """The benchmark cannot report times (failed step or mismatching KPI values)."""


def log(msg: str) -> None:
    """Progress line with a timestamp (stderr, so the table on stdout stays clean)."""
    print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    import duckdb
    import pandas
    import polars
    import pyarrow

    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "disk_free_gb": round(shutil.disk_usage(".").free / 1024**3, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": polars.__version__,
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --- data ------------------------------------------------------------------------------------------------------


def ensure_data(scale: str, raw: Path, regenerate: bool) -> dict:
    """Generate the raw exports with the sample generator unless a complete set for this scale exists."""
    marker = raw / ".bench-klar"
    if marker.exists() and not regenerate:
        return {"generated": False, **json.loads(marker.read_text(encoding="utf-8"))}
    if raw.exists():
        shutil.rmtree(raw)
    log(f"Genererar rådata ({scale}) i {raw} …")
    started = time.perf_counter()
    code = "import sys, sample; sample.generate(sys.argv[1], preset=sys.argv[2], seed=42)"
    done = subprocess.run([sys.executable, "-c", code, str(raw), scale], capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"Datagenereringen misslyckades: {done.stderr.strip()[-2000:]}")
    info = {"preset": scale, "seed": 42, "generation_s": round(time.perf_counter() - started, 1)}
    marker.write_text(json.dumps(info), encoding="utf-8")
    return {"generated": True, **info}


def raw_inventory(raw: Path) -> dict:
    """Files, bytes and data rows per source."""
    from bench.pandas_ref import SPECS, count_rows

    rows = count_rows(raw)
    per_source = {}
    for source in SPECS:
        files = [p for p in sorted((raw / source).glob("*")) if p.is_file()]
        per_source[source] = {"files": len(files), "bytes": sum(p.stat().st_size for p in files), "rows": rows[source]}
    return {
        "sources": per_source,
        "files": sum(s["files"] for s in per_source.values()),
        "bytes": sum(s["bytes"] for s in per_source.values()),
        "rows": sum(s["rows"] for s in per_source.values()),
    }


# --- ETL -------------------------------------------------------------------------------------------------------


def _linked_copy(raw: Path, dest: Path) -> Path:
    """A hard-linked copy of the raw folder: the ETL moves rejected files to quarantine, the generated set must stay whole."""
    shutil.rmtree(dest, ignore_errors=True)
    for path in raw.rglob("*"):
        if path.is_file():
            target = dest / path.relative_to(raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    return dest


def measure_etl(raw: Path, work: Path, rows: int) -> dict:
    """Our ETL and the pandas pipeline, each from scratch in its own process with its peak RSS sampled."""
    out = {}
    etl_raw = _linked_copy(raw, work / "raw-etl")
    for name, args, target in (
        ("ours", ["etl", "--raw", str(etl_raw), "--out", str(work / "parquet"), "--quarantine", str(work / "quarantine")], work / "parquet"),
        ("pandas", ["pandas-etl", "--raw", str(raw), "--out", str(work / "pandas")], work / "pandas"),
    ):
        for folder in (target, work / "quarantine") if name == "ours" else (target,):
            shutil.rmtree(folder, ignore_errors=True)
        log(f"ETL {name} …")
        run = run_child(args, work / f"{name}-etl.json", timeout_s=CHILD_TIMEOUT_S)
        if not run.result:
            raise BenchError(f"ETL ({name}) avbröts med kod {run.returncode}: {run.stderr.strip()[-3000:]}")
        wall = run.result["wall_s"]
        out[name] = {
            "wall_s": round(wall, 3),
            "process_s": round(run.process_s, 3),
            "rows": rows,
            "rows_per_s": round(rows / wall),
            "peak_rss_bytes": run.peak_rss_bytes,
            "output_bytes": dir_size(target, "*.parquet"),
            "exit_code": run.returncode,
        }
        if name == "ours":
            out[name]["run"] = _etl_summary(run.result.get("run"))
            quarantined = sorted(p.name for p in (work / "quarantine").rglob("*") if p.is_file())
            out[name]["quarantined_files"] = quarantined
        log(f"ETL {name}: {wall:.1f} s, topp-RSS {run.peak_rss_bytes / 1024**2:.0f} MB")
        if name == "ours":
            out["ours_redelivery"] = measure_redelivery(etl_raw, work)
    return out


def _redeliver_latest_month(raw: Path) -> list[Path]:
    """Re-deliver the newest file of every multi-file source under a later name (the monthly routine)."""
    from bench.pandas_ref import SPECS

    added = []
    for source in SPECS:
        files = sorted(p for p in (raw / source).glob("*") if p.is_file() and not p.stem.endswith("_omleverans"))
        if len(files) > 1:
            latest = files[-1]
            target = latest.with_name(f"{latest.stem}_omleverans{latest.suffix}")
            target.unlink(missing_ok=True)
            os.link(latest, target)
            added.append(target)
    return added


def measure_redelivery(etl_raw: Path, work: Path) -> dict:
    """Our ETL on the loaded lake after one month is re-delivered: only new files are read (pandas has no such mode)."""
    from bench.pandas_ref import _data_lines

    added = _redeliver_latest_month(etl_raw)
    rows = sum(_data_lines(p) for p in added)
    log(f"ETL ours, omleverans av senaste månaden ({len(added)} filer, {rows:,} rader) …")
    args = ["etl", "--raw", str(etl_raw), "--out", str(work / "parquet"), "--quarantine", str(work / "quarantine")]
    run = run_child(args, work / "ours-etl-omleverans.json", timeout_s=CHILD_TIMEOUT_S)
    if not run.result:
        raise BenchError(f"ETL (omleverans) avbröts med kod {run.returncode}: {run.stderr.strip()[-3000:]}")
    log(f"ETL omleverans: {run.result['wall_s']:.1f} s")
    return {
        "files": len(added),
        "rows": rows,
        "wall_s": round(run.result["wall_s"], 3),
        "peak_rss_bytes": run.peak_rss_bytes,
        "exit_code": run.returncode,
    }


def _etl_summary(run) -> dict | None:
    """The interesting counters of etl.run's RunResult (field names vary, so keep scalars only)."""
    if not isinstance(run, dict):
        return {"text": str(run)[:500]} if run is not None else None
    return {k: v for k, v in run.items() if isinstance(v, (int, float, str, bool)) or v is None}


# --- correctness guard -----------------------------------------------------------------------------------------


def guard_cases(con) -> list[tuple[dict, dict]]:
    """(period args, filter args) pairs: every year, and in the latest year tertials, a month, year to date; all and one unit/queue/förvaltning."""
    import kpi

    senaste = kpi.senaste_manad(con)
    years = kpi.tillgangliga_ar(con)
    if senaste is None or not years:
        raise BenchError("Sjön är tom efter ETL – inget att jämföra")
    units, queues, forv = kpi.enheter(con), kpi.koer(con), kpi.forvaltningar(con)
    periods = [{"year": y} for y in years]
    periods += [{"year": senaste.year, "tertial": t} for t in (1, 2, 3)]
    periods += [{"year": senaste.year, "month": senaste.month}, {"year": senaste.year, "month": senaste.month, "ytd": True}]
    filters = [{}]
    filters += [{"units": (units[0],)}] if units else []
    filters += [{"queues": (queues[-1],)}] if queues else []
    filters += [{"forvaltningar": (forv[0],)}] if forv else []
    filters += [{"servicegrad_definition": "besvarade", "servicegrad_troskel_s": 40}]
    filters += [{"servicegrad_definition": "inkommande_utan_korta_avbrutna", "servicegrad_troskel_s": 0}]
    cases = [(p, {}) for p in periods]
    cases += [({"year": senaste.year, "tertial": (senaste.month - 1) // 4 + 1}, f) for f in filters[1:]]
    cases += [({"year": years[0]}, f) for f in filters[1:2]]
    return cases


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b)) or abs(a - b) < 1e-12


def correctness_guard(parquet: Path, pandas_root: Path) -> dict:
    """Both implementations must give the same value for every catalogue indicator in every case (rel. 1e-9)."""
    import kpi
    import lake
    from bench import pandas_kpi
    from kpi.catalogue import CATALOGUE

    con = lake.connect(str(parquet))
    data = pandas_kpi.Data(pandas_root, pandas_kpi.ALLA)
    cases = guard_cases(con)
    compared, mismatches, worst = 0, [], 0.0
    for period_args, filter_args in cases:
        period, filters = kpi.Period(**period_args), kpi.Filters(**filter_args)
        ids = [i for i, ind in CATALOGUE.items() if ind.visas]  # the indicators the reference implements
        ours = {r.id: r.varde for r in kpi.compute(period, filters, ids=ids, con=con)}
        theirs = pandas_kpi.compute(data, period, filters, ids)
        for kpi_id in ids:
            compared += 1
            a, b = ours.get(kpi_id), theirs.get(kpi_id)
            if a is not None and b is not None and max(abs(a), abs(b)) > 0:
                worst = max(worst, abs(a - b) / max(abs(a), abs(b)))
            if not _close(a, b):
                mismatches.append({"period": period.key, "filters": filter_args, "id": kpi_id, "ours": a, "pandas": b})
    # Series per group go through the same families with grouping; check one per grouping dimension.
    senaste = kpi.senaste_manad(con)
    for kpi_id, by in (("loner_per_arsarbetare", "enhet"), ("servicegrad", "ko"), ("andel_maskinell", "forvaltning"), ("sjukfranvaro_12m", "enhet")):
        start = date(senaste.year, 1, 1)
        ours_s = kpi.series(kpi_id, start, senaste, kpi.Filters(), by=by, con=con)
        theirs_s = pandas_kpi.series(data, kpi_id, start, senaste, kpi.Filters(), by=by)
        a = {(r["period_start"], r["grupp"]): r["varde"] for r in ours_s.iter_rows(named=True)}
        b = {(r.period_start, r.grupp): r.varde for r in theirs_s.itertuples()}
        for key in sorted(set(a) | set(b), key=str):
            compared += 1
            va, vb = a.get(key), b.get(key)
            vb = None if vb is not None and vb != vb else vb  # NaN from pandas means no value
            if not _close(va, vb):
                mismatches.append({"series": kpi_id, "by": by, "key": str(key), "ours": va, "pandas": vb})
    con.close()
    non_null = compared
    result = {
        "cases": len(cases),
        "values_compared": non_null,
        "max_rel_diff": worst,
        "tolerance": REL_TOL,
        "mismatches": len(mismatches),
        "passed": not mismatches,
    }
    if mismatches:
        result["examples"] = mismatches[:20]
    return result


# --- page queries ----------------------------------------------------------------------------------------------


def default_period(con) -> dict:
    """The period the pages open with: the tertial containing the latest month with data."""
    import kpi

    senaste = kpi.senaste_manad(con)
    return {"year": senaste.year, "tertial": (senaste.month - 1) // 4 + 1}


def _pool():
    """A process per task: 'cold' means a new process with a fresh DuckDB connection (the OS file cache stays warm)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["bench.sidor"])
    return ctx.Pool(1, maxtasksperchild=1)


def measure_pages(parquet: Path, pandas_root: Path, warm_runs: int, cold_runs: int) -> list[dict]:
    """For every page function in kpi.queries.SIDOR, default filters and one unit: ours and pandas, cold and warm."""
    import kpi
    import lake
    from bench import pandas_kpi, sidor
    from kpi.queries import SIDOR

    con = lake.connect(str(parquet))
    period_args = default_period(con)
    units = kpi.enheter(con)
    con.close()
    selections = [("alla", {}), ("en enhet", {"units": (units[len(units) // 2],)})]
    rows = []
    with _pool() as pool:
        for page in SIDOR:
            for label, filter_args in selections:
                row = {"page": page, "filter": label, "filter_args": filter_args, "period": period_args}
                for impl, fn, root in (("ours", "ours", parquet), ("pandas", "pandas", pandas_root)):
                    if impl == "pandas" and page not in pandas_kpi.PAGES:
                        row[impl] = None  # nothing to compare: the analyst has no run log or catalogue page
                        continue
                    cold, connect, warm = [], [], []
                    for i in range(cold_runs):
                        res = pool.apply(getattr(sidor, fn), (str(root), page, period_args, filter_args, warm_runs if i == 0 else 0))
                        cold.append(res["cold_s"])
                        connect.append(res["connect_s"])
                        warm += res["warm_s"]
                        if sum(cold) > COLD_BUDGET_S:
                            break  # a slow implementation gets fewer cold samples (the count is in the JSON)
                    row[impl] = {"cold": stats(cold), "warm": stats(warm), "connect": stats(connect)}
                row["ratio"] = _ratios(row["ours"], row.get("pandas"))
                log(f"Sida {page:15s} {label:9s} varm p95 {row['ours']['warm']['p95_ms']:8.1f} ms, kall p95 {row['ours']['cold']['p95_ms']:8.1f} ms")
                rows.append(row)
    return rows


def _ratios(ours: dict, theirs: dict | None) -> dict | None:
    if not theirs:
        return None
    out = {}
    for kind in ("warm", "cold"):
        for q in ("median_ms", "p95_ms"):
            a, b = ours[kind][q], theirs[kind][q]
            out[f"{kind}_{q.removesuffix('_ms')}"] = round(a / b, 4) if a is not None and b else None
    return out


# --- the whole run ---------------------------------------------------------------------------------------------


def evaluate_targets(etl: dict, pages: list[dict]) -> dict:
    """Which city-scale targets are met in this run."""
    speedup = etl["pandas"]["wall_s"] / etl["ours"]["wall_s"]
    worst_warm = max(r["ours"]["warm"]["p95_ms"] for r in pages)
    worst_cold = max(r["ours"]["cold"]["p95_ms"] for r in pages)
    return {
        "etl_speedup": round(speedup, 2),
        "etl_speedup_ok": speedup >= TARGETS["etl_speedup_min"],
        "etl_peak_rss_ok": etl["ours"]["peak_rss_bytes"] < TARGETS["etl_peak_rss_max_bytes"],
        "worst_warm_p95_ms": worst_warm,
        "warm_p95_ok": worst_warm < TARGETS["warm_p95_max_ms"],
        "worst_cold_p95_ms": worst_cold,
        "cold_p95_ok": worst_cold < TARGETS["cold_p95_max_ms"],
        "limits": TARGETS,
    }


def run(scale: str, out: Path, data: Path, warm_runs: int | None = None, cold_runs: int | None = None, regenerate: bool = False) -> dict:
    """Measure everything, print the table, write the JSON (atomically) and return it."""
    from bench.report import table

    warm_runs = REPEATS[scale]["warm"] if warm_runs is None else warm_runs
    cold_runs = REPEATS[scale]["cold"] if cold_runs is None else cold_runs
    started = datetime.now(UTC)
    data = data.resolve()
    raw = data / "raw"
    data.mkdir(parents=True, exist_ok=True)
    result: dict = {"scale": scale, "started_utc": started.isoformat(timespec="seconds"), "machine": machine()}
    result["data"] = ensure_data(scale, raw, regenerate)
    result["raw"] = raw_inventory(raw)
    log(f"Rådata: {result['raw']['rows']:,} rader, {result['raw']['bytes'] / 1024**2:,.0f} MB i {result['raw']['files']} filer")
    result["etl"] = measure_etl(raw, data, result["raw"]["rows"])
    result["etl"]["raw_bytes"] = result["raw"]["bytes"]
    result["etl"]["ratio"] = {
        "wall": round(result["etl"]["ours"]["wall_s"] / result["etl"]["pandas"]["wall_s"], 4),
        "rows_per_s": round(result["etl"]["ours"]["rows_per_s"] / result["etl"]["pandas"]["rows_per_s"], 4),
        "peak_rss": round(result["etl"]["ours"]["peak_rss_bytes"] / result["etl"]["pandas"]["peak_rss_bytes"], 4),
        "output_bytes": round(result["etl"]["ours"]["output_bytes"] / max(1, result["etl"]["pandas"]["output_bytes"]), 4),
    }
    log("Korrekthetskontroll (samma KPI-värden i båda implementationerna) …")
    result["correctness"] = correctness_guard(data / "parquet", data / "pandas")
    if not result["correctness"]["passed"]:
        examples = "\n".join(json.dumps(m, ensure_ascii=False, default=str) for m in result["correctness"]["examples"])
        raise BenchError(
            f"KPI-värdena skiljer sig åt i {result['correctness']['mismatches']} fall – inga tider rapporteras "
            f"(KPI values differ, no times reported):\n{examples}"
        )
    log(f"Korrekthetskontroll godkänd: {result['correctness']['values_compared']} värden lika")
    result["queries"] = measure_pages(data / "parquet", data / "pandas", warm_runs, cold_runs)
    result["repeats"] = {"warm": warm_runs, "cold": cold_runs}
    result["targets"] = evaluate_targets(result["etl"], result["queries"])
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["finished_utc"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(table(result))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, out)
    log(f"Resultat skrivet till {out}")
    return result
