"""`python -m etl`: exit 0 when everything loads, 1 when a file is rejected, 2 on usage errors; a Swedish summary."""

from __future__ import annotations

import subprocess
import sys

import pytest

from etl.__main__ import main
from tests.etl.filer import KANON, VARIANTER, skriv_variant


def test_exit_0_och_sammanfattning(tmp_path, capsys):
    raw = tmp_path / "raw"
    skriv_variant(raw, "volymer", VARIANTER[1])
    kod = main(["--raw", str(raw), "--parquet", str(tmp_path / "p"), "--quarantine", str(tmp_path / "q")])
    ut = capsys.readouterr()
    assert kod == 0
    assert "källa" in ut.out and "rader inlästa" in ut.out and "inga filer avvisades" in ut.out
    assert next(r.split() for r in ut.out.splitlines() if r.startswith("volymer")) == ["volymer", "1", "1", "0", "0", "3"]
    assert "[0/1] volymer/" in ut.err, "framsteg visas medan filerna läses"
    assert "källmappen telefoni/ finns inte" in ut.out


def test_exit_1_vid_avvisad_fil(tmp_path, capsys):
    raw = tmp_path / "raw"
    skriv_variant(raw, "mal", VARIANTER[0])
    skriv_variant(raw, "indikatorer", VARIANTER[0], [{**KANON["indikatorer"][0], "Utfall": "hög"}])
    kod = main(["--raw", str(raw), "--parquet", str(tmp_path / "p"), "--quarantine", str(tmp_path / "q"), "--source", "mal", "indikatorer"])
    ut = capsys.readouterr().out
    assert kod == 1
    assert "AVVISAD  indikatorer/indikatorer_utf8_komma.csv: Utfall ska vara ett tal (1 rad)" in ut
    assert (tmp_path / "q" / "indikatorer" / "indikatorer_utf8_komma.csv.rapport.txt").exists()


@pytest.mark.parametrize("argument", [["--source", "lonelistor"], ["--okand-flagga"], ["--raw", "/finns/inte/alls"]])
def test_exit_2_vid_felaktig_anvandning(argument, tmp_path):
    r = subprocess.run([sys.executable, "-m", "etl", *argument, "--parquet", str(tmp_path / "p")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "Fel:" in r.stderr
    assert not (tmp_path / "p").exists()


def test_import_etl_laddar_inte_great_expectations():
    # the dashboard imports etl; GX (~2 s) is loaded only when a run has files to validate
    kod = "import sys, etl; sys.exit('great_expectations' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", kod], timeout=60).returncode == 0
