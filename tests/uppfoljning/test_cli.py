"""`python -m uppfoljning`: status, migration and an online SQLite backup that holds every version."""

from __future__ import annotations

from uppfoljning import Uppfoljningsdatabas
from uppfoljning.__main__ import main


def test_status_migrera_och_sakerhetskopia(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    assert main(["--url", url, "migrera"]) == 0
    db = Uppfoljningsdatabas(url)
    for i in range(3):
        db.spara_analys("2024-T1", "NM1", analys=f"Version {i + 1}", forfattare="Vera", baserad_pa=i or None)
    assert main(["--url", url, "status"]) == 0
    ut = capsys.readouterr().out
    assert "Schemaversion:  0001" in ut and "analyser:       3 versioner" in ut
    kopia = tmp_path / "kopior" / "u-2024-05-01.sqlite"
    assert main(["--url", url, "sakerhetskopia", str(kopia)]) == 0
    assert "integritetskontroll ok" in capsys.readouterr().out
    aterstalld = Uppfoljningsdatabas(f"sqlite:///{kopia}")
    assert [a.analys for a in aterstalld.analyshistorik("2024-T1", "NM1")] == ["Version 3", "Version 2", "Version 1"]
    assert main(["--url", url, "sakerhetskopia", str(kopia)]) == 2, "en befintlig kopia skrivs aldrig över"
    db.stang()
    aterstalld.stang()


def test_otillganglig_databas_ger_exit_1(capsys):
    assert main(["--url", "sqlite:////proc/finns_inte/u.sqlite", "status"]) == 1
    assert capsys.readouterr().err.startswith("Fel: Uppföljningsdatabasen går inte att nå")


def test_postgres_kopia_hanvisar_till_pg_dump(capsys):
    assert main(["--url", "postgresql://a@127.0.0.1:1/x", "sakerhetskopia", "x.sqlite"]) == 2
    assert "pg_dump" in capsys.readouterr().err
