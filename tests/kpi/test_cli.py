"""The `python -m kpi` contract: JSON keys, CSV, Swedish table, exit code 2 on usage errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from kpi import CATALOGUE
from kpi.__main__ import main
from kpi.queries import SIDOR

KEYS = {"id", "namn", "varde", "mal", "kf_mal", "status", "matt", "period", "orsak", "anmarkning"}
STATUSES = {"uppfylls_helt", "uppfylls_delvis", "uppfylls_ej", "ej_bedomd"}


def _json(kpi_lake, capsys, *args):
    assert main(["--parquet", str(kpi_lake), *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract(kpi_lake, capsys):
    rows = _json(kpi_lake, capsys, "--year", "2025", "--tertial", "1")
    synliga = [i for i, ind in CATALOGUE.items() if ind.visas]
    assert [r["id"] for r in rows][: len(synliga)] == synliga
    for r in rows:
        assert set(r) == KEYS
        assert r["status"] in STATUSES
        assert r["period"] == "T1 2025"
        assert r["varde"] is None or isinstance(r["varde"], (int, float))
        if r["varde"] is None or r["status"] == "ej_bedomd":
            assert r["orsak"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["loner_per_arsarbetare"]["varde"] == pytest.approx(520)
    assert by_id["servicegrad"]["mal"] == 85 and by_id["servicegrad"]["kf_mal"] == 80


def test_month_ytd_and_units(kpi_lake, capsys):
    by_id = {r["id"]: r for r in _json(kpi_lake, capsys, "--month", "2025-02", "--ytd", "--unit", "Enhet A")}
    assert by_id["loner_per_arsarbetare"]["varde"] == pytest.approx(1900 / 3.0)
    assert by_id["loner_per_arsarbetare"]["period"] == "jan–feb 2025"
    by_id = {r["id"]: r for r in _json(kpi_lake, capsys, "--year", "2025", "--tertial", "1", "--unit", "Enhet A", "Enhet B")}
    assert by_id["loner_per_arsarbetare"]["varde"] == pytest.approx(520)


def test_csv(kpi_lake, capsys):
    assert main(["--parquet", str(kpi_lake), "--year", "2024", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert set(rows[0]) == KEYS
    assert {r["id"]: r for r in rows}["loner_per_arsarbetare"]["varde"] == "700.0"


def test_table_is_swedish_and_aligned(kpi_lake, capsys):
    assert main(["--parquet", str(kpi_lake), "--year", "2025", "--tertial", "1"]) == 0
    out = capsys.readouterr().out
    assert "Nyckeltal T1 2025" in out
    assert "Uppfylls delvis" in out and "Uppfylls ej" in out and "Ej bedömd" in out
    assert "2\u00a0600" in out  # antal lönespecifikationer with a no-break thousands space
    assert "76,9\u00a0%" in out
    lines = [line for line in out.splitlines()[2:] if line]
    header, rule = lines[0], lines[1]
    utfall_end = header.index("Utfall") + len("Utfall")
    # right-aligned values end in the same column as the widest cell of the Utfall column
    col_end = len(rule.split("  ")[0]) + 2 + len(rule.split("  ")[1])
    assert all(len(line) >= col_end and line[col_end - 1] != " " for line in lines[2:])
    assert utfall_end <= col_end


USAGE_ERRORS = [
    [],  # neither --year nor --month
    ["--year", "2025", "--month", "2025-03"],
    ["--year", "2025", "--tertial", "4"],
    ["--month", "2025-13"],
    ["--month", "mars"],
    ["--month", "2025-03", "--tertial", "1"],
    ["--year", "2025", "--format", "xml"],
    ["--year", "2025", "--unit", "Okänd enhet"],
    ["--year", "2025", "--sida", "finns_inte"],
]


@pytest.mark.parametrize("args", USAGE_ERRORS)
def test_usage_errors_exit_2(kpi_lake, capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(["--parquet", str(kpi_lake), *args])
    assert exc.value.code == 2
    assert capsys.readouterr().err


def test_missing_parquet_dir_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--parquet", str(tmp_path / "finns_inte"), "--year", "2025"])
    assert exc.value.code == 2
    assert "Hittar ingen Parquet-katalog" in capsys.readouterr().err


def test_module_entry_point(kpi_lake):
    proc = subprocess.run(
        [sys.executable, "-m", "kpi", "--parquet", str(kpi_lake), "--year", "2025", "--format", "json"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert {r["id"] for r in json.loads(proc.stdout)} >= {i for i, ind in CATALOGUE.items() if ind.visas}
    proc = subprocess.run([sys.executable, "-m", "kpi", "--parquet", str(kpi_lake)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2


def test_sample_smoke(request):
    """`python -m kpi --year 2025 --format json` over the committed sample (fixture from tests/conftest.py)."""
    try:
        root = request.getfixturevalue("sample_lake")
    except pytest.FixtureLookupError:
        pytest.skip("sample_lake saknas (tests/conftest.py)")
    proc = subprocess.run(
        [sys.executable, "-m", "kpi", "--parquet", str(root), "--year", "2025", "--format", "json"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    for kpi_id in ("loner_per_arsarbetare", "servicegrad", "sjukfranvaro_12m", "resultat"):
        assert rows[kpi_id]["varde"] is not None, rows[kpi_id]
        assert rows[kpi_id]["status"] in STATUSES


@pytest.mark.parametrize("sida", sorted(SIDOR))
def test_sida_skriver_samma_tabeller_som_sidan_visar(kpi_lake, capsys, sida):
    """`--sida` prints the page's own data function, so every figure on a page can be reproduced."""
    import lake
    from kpi import Filters, Period

    assert main(["--parquet", str(kpi_lake), "--year", "2025", "--tertial", "1", "--sida", sida, "--format", "json"]) == 0
    ut = json.loads(capsys.readouterr().out)
    facit = SIDOR[sida](lake.connect(kpi_lake), Period(2025, tertial=1), Filters())
    assert ut["sida"] == sida and ut["period"] == "T1 2025"
    assert set(ut["tabeller"]) == set(facit)
    for nyckel, varde in facit.items():
        assert len(ut["tabeller"][nyckel]) == len(varde)
    if "indikatorer" in facit:
        assert [r["varde"] for r in ut["tabeller"]["indikatorer"]] == [r.varde for r in facit["indikatorer"]]
    assert main(["--parquet", str(kpi_lake), "--year", "2025", "--tertial", "1", "--sida", sida]) == 0
    text = capsys.readouterr().out
    assert all(f"{nyckel} – T1 2025" in text for nyckel in facit)
