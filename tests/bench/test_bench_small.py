"""Smoke test of `python -m bench --scale small`: every field is reported and the correctness guard passes (no timing assertions)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench import runner
from bench.measure import stats

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data" / "small"  # generated once, reused by later runs (git-ignored)


@pytest.fixture(scope="module")
def small_result(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "small.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "small", "--out", str(out), "--data", str(DATA), "--warm-runs", "3", "--cold-runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Korrekthet / correctness" in done.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def _positive(x) -> bool:
    return isinstance(x, (int, float)) and x > 0


def test_etl_fields_for_both_implementations(small_result):
    etl = small_result["etl"]
    for impl in ("ours", "pandas"):
        for field in ("wall_s", "rows_per_s", "peak_rss_bytes", "output_bytes"):
            assert _positive(etl[impl][field]), (impl, field, etl[impl][field])
    assert etl["ours"]["rows"] == small_result["raw"]["rows"] > 0
    assert etl["raw_bytes"] > 0
    assert all(_positive(v) for v in etl["ratio"].values()), etl["ratio"]
    redelivery = etl["ours_redelivery"]
    assert redelivery["files"] >= 1 and redelivery["rows"] > 0 and _positive(redelivery["wall_s"])


def test_correctness_guard_passed(small_result):
    c = small_result["correctness"]
    assert c["passed"] and c["mismatches"] == 0
    assert c["values_compared"] >= 100 and c["cases"] >= 5


def test_every_page_is_timed_with_default_filters_and_one_unit(small_result):
    from kpi.queries import SIDOR

    seen = {(q["page"], q["filter"]) for q in small_result["queries"]}
    assert seen == {(p, f) for p in SIDOR for f in ("alla", "en enhet")}
    for q in small_result["queries"]:
        for kind in ("warm", "cold", "connect"):
            assert _positive(q["ours"][kind]["median_ms"]) and _positive(q["ours"][kind]["p95_ms"]), (q["page"], kind)
        if q["pandas"] is not None:
            assert _positive(q["pandas"]["warm"]["p95_ms"]) and _positive(q["ratio"]["cold_p95"]), q["page"]
    assert sum(q["pandas"] is not None for q in small_result["queries"]) >= 10


def test_targets_and_machine_are_reported(small_result):
    t = small_result["targets"]
    assert {"etl_speedup", "etl_speedup_ok", "etl_peak_rss_ok", "warm_p95_ok", "cold_p95_ok"} <= set(t)
    assert small_result["machine"]["logical_cpus"] >= 1 and small_result["machine"]["memory_gb"] > 0


def test_guard_fails_loudly_when_pandas_disagrees(small_result, tmp_path):
    tampered = tmp_path / "pandas"
    shutil.copytree(DATA / "pandas", tampered)
    volymer = pd.read_parquet(tampered / "volymer.parquet")
    volymer.loc[volymer.index[0], "antal"] += 1  # one payslip more in one row
    volymer.to_parquet(tampered / "volymer.parquet", index=False)
    result = runner.correctness_guard(DATA / "parquet", tampered)
    assert not result["passed"] and result["mismatches"] > 0
    assert {"ours", "pandas"} <= set(result["examples"][0])


@pytest.mark.parametrize(
    "samples, median, p95",
    [([0.001], 1.0, 1.0), ([0.003, 0.001, 0.002], 2.0, 3.0), ([i / 1000 for i in range(1, 21)], 10.5, 19.0)],
)
def test_stats_median_and_nearest_rank_p95(samples, median, p95):
    s = stats(samples)
    assert (s["median_ms"], s["p95_ms"], s["n"]) == (median, p95, len(samples))
