"""Concurrent writers on SQLite and PostgreSQL: one of two simultaneous saves wins, the other is told, nothing is lost."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from kpi.period import Period
from tests.conftest import REPO
from uppfoljning import PeriodenFaststalld, Uppfoljningsdatabas, Versionskonflikt
from uppfoljning.databas import anslutning, schemaversion, skapa_motor
from uppfoljning.tabeller import analyser, periodhandelser

T1 = "2024-T1"


def _samtidigt(uppgifter: list, runder: int = 1) -> list:
    """Run the callables in threads released together by a barrier; results (or exceptions) in order."""
    barriar = threading.Barrier(len(uppgifter))
    resultat: list = [None] * len(uppgifter)

    def kor(i: int, f) -> None:
        barriar.wait()
        try:
            resultat[i] = f()
        except Exception as fel:  # the test inspects which exception each writer got
            resultat[i] = fel

    tradar = [threading.Thread(target=kor, args=(i, f)) for i, f in enumerate(uppgifter)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(60)
    return resultat


@pytest.mark.parametrize("runda", range(3))
def test_tva_samtidiga_skribenter_en_vinner_den_andra_far_konflikten(db_url, runda):
    """Two app servers (own engines and pools) save on the same base version at the same instant."""
    forsta, andra = Uppfoljningsdatabas(db_url), Uppfoljningsdatabas(db_url)
    try:
        bas = forsta.spara_analys(T1, "NM1", analys="Gemensam grund", forfattare="Vera", baserad_pa=None)
        andra.motor()  # both ready (migrated, connected) before the race
        utfall = _samtidigt(
            [
                lambda: forsta.spara_analys(T1, "NM1", analys="Annas text", forfattare="Anna", baserad_pa=bas.version),
                lambda: andra.spara_analys(T1, "NM1", analys="Bos text", forfattare="Bo", baserad_pa=bas.version),
            ]
        )
        vinnare = [u for u in utfall if not isinstance(u, Exception)]
        konflikter = [u for u in utfall if isinstance(u, Versionskonflikt)]
        assert len(vinnare) == 1 and len(konflikter) == 1, utfall
        v, k = vinnare[0], konflikter[0]
        assert v.version == 2
        assert k.senaste == v, "förloraren ska få se den vinnande texten"
        assert {k.ditt["analys"], v.analys} == {"Annas text", "Bos text"}, "förlorarens text ska komma tillbaka oförändrad"
        assert [(h.version, h.analys) for h in forsta.analyshistorik(T1, "NM1")] == [(2, v.analys), (1, "Gemensam grund")]
    finally:
        forsta.stang()
        andra.stang()


def test_manga_skribenter_med_omforsok_tappar_ingenting(db_url):
    """Eight writers each save three texts, retrying on conflict from the newest version: every text ends up in the history."""
    bas = Uppfoljningsdatabas(db_url)
    bas.spara_analys(T1, "NM1", analys="Start", forfattare="Vera", baserad_pa=None)
    lagringar = [Uppfoljningsdatabas(db_url) for _ in range(2)]  # two servers, four sessions (threads) each
    konflikter = [0]
    las = threading.Lock()

    def skribent(nr: int):
        db = lagringar[nr % 2]
        for i in range(3):
            text = f"Skribent {nr}, text {i}"
            version = db.senaste_analys(T1, "NM1").version
            while True:
                try:
                    version = db.spara_analys(T1, "NM1", analys=text, forfattare=f"Skribent {nr}", baserad_pa=version).version
                    break
                except Versionskonflikt as k:
                    with las:
                        konflikter[0] += 1
                    version = k.senaste.version
        return nr

    try:
        assert _samtidigt([lambda nr=nr: skribent(nr) for nr in range(8)]) == list(range(8))
        historik = bas.analyshistorik(T1, "NM1")
        assert [h.version for h in historik] == list(range(25, 0, -1)), "versionerna ska vara obrutna 1…25"
        assert {h.analys for h in historik} == {"Start"} | {f"Skribent {n}, text {i}" for n in range(8) for i in range(3)}
        assert konflikter[0] > 0, "skribenterna ska faktiskt ha krockat"
    finally:
        for db in [bas, *lagringar]:
            db.stang()


def test_insattning_som_krockar_vid_commit_blir_en_konflikt(db):
    """A save whose read saw version 1 while another transaction was inserting version 2 (PostgreSQL: the unique key decides)."""
    db.spara_analys(T1, "NM1", analys="Grund", forfattare="Vera", baserad_pa=None)
    motor = skapa_motor(db.url)
    resultat: list = []
    trad = threading.Thread(target=lambda: resultat.append(_fanga(lambda: db.spara_analys(T1, "NM1", analys="Bos", forfattare="Bo", baserad_pa=1))))
    try:
        with anslutning(motor, skrivning=True) as conn:
            conn.execute(
                insert(analyser).values(
                    period=T1,
                    mal_id="NM1",
                    indikator="",
                    enhet="",
                    version=2,
                    analys="Annas",
                    atgarder="",
                    tillstand="utkast",
                    forfattare="Anna",
                    sparad=datetime.now(UTC),
                )
            )
            trad.start()
            trad.join(1.0)
            assert trad.is_alive(), "den andra sparningen ska vänta på den första transaktionen"
        trad.join(30)
    finally:
        motor.dispose()
    assert isinstance(resultat[0], Versionskonflikt), resultat
    assert (resultat[0].senaste.analys, resultat[0].ditt["analys"]) == ("Annas", "Bos")
    assert [h.analys for h in db.analyshistorik(T1, "NM1")] == ["Annas", "Grund"]


def test_sparning_som_vantar_pa_faststallelse_vagras(db):
    """A fixation in flight: the save waits for it and is then refused, never slipped in just after."""
    db.spara_analys(T1, "NM1", analys="Grund", forfattare="Vera", baserad_pa=None)
    motor = skapa_motor(db.url)
    resultat: list = []
    trad = threading.Thread(target=lambda: resultat.append(_fanga(lambda: db.spara_analys(T1, "NM1", analys="Sent", forfattare="Bo", baserad_pa=1))))
    try:
        with anslutning(motor, skrivning=True) as conn:
            # what faststall() does: lock the period row exclusively, then add the event
            db._las_period(conn, Period(2024, tertial=1), uppdatera=True)
            conn.execute(
                insert(periodhandelser).values(
                    period=T1, version=1, handelse="faststalld", motivering="", forfattare="Vera", sparad=datetime.now(UTC)
                )
            )
            trad.start()
            trad.join(1.0)
            assert trad.is_alive(), "sparningen ska vänta på fastställelsen"
        trad.join(30)
    finally:
        motor.dispose()
    assert isinstance(resultat[0], PeriodenFaststalld), resultat
    assert [h.analys for h in db.analyshistorik(T1, "NM1")] == ["Grund"]


def test_samtidiga_forsta_anvandningar_migrerar_en_gang(db_url):
    """Several servers starting against an empty database at once all get the schema, created once."""
    lagringar = [Uppfoljningsdatabas(db_url) for _ in range(4)]
    try:
        utfall = _samtidigt([lambda db=db: db.motor() for db in lagringar])
        assert not [u for u in utfall if isinstance(u, Exception)], utfall
        assert schemaversion(lagringar[0].motor()) == "0001"
        assert lagringar[3].spara_analys(T1, "NM1", analys="x", forfattare="A", baserad_pa=None).version == 1
    finally:
        for db in lagringar:
            db.stang()


SKRIBENT = """
import json, sys
from uppfoljning import Uppfoljningsdatabas, Versionskonflikt
db = Uppfoljningsdatabas(sys.argv[1])
db.motor()
print("redo", flush=True)
sys.stdin.readline()
try:
    v = db.spara_analys("2024-T1", "NM1", analys=sys.argv[2], forfattare=sys.argv[2], baserad_pa=1)
    print(json.dumps({"version": v.version}), flush=True)
except Versionskonflikt as k:
    print(json.dumps({"konflikt": k.senaste.analys, "ditt": k.ditt["analys"]}), flush=True)
"""


def test_tva_processer_en_vinner(db_url, tmp_path):
    """The same race between two OS processes (two app servers on one machine)."""
    db = Uppfoljningsdatabas(db_url)
    db.spara_analys(T1, "NM1", analys="Grund", forfattare="Vera", baserad_pa=None)
    skript = tmp_path / "skribent.py"
    skript.write_text(SKRIBENT, encoding="utf-8")
    processer = [
        subprocess.Popen(
            [sys.executable, str(skript), db_url, namn], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO, env=_miljo()
        )
        for namn in ("Process A", "Process B")
    ]
    try:
        for p in processer:
            assert p.stdout.readline().strip() == "redo"
        for p in processer:  # release both as close together as the pipes allow
            p.stdin.write("kör\n")
            p.stdin.flush()
        svar = [json.loads(p.stdout.readline()) for p in processer]
    finally:
        for p in processer:
            p.kill() if p.poll() is None else None
            p.wait(10)
    vinnare = [s for s in svar if "version" in s]
    forlorare = [s for s in svar if "konflikt" in s]
    assert len(vinnare) == 1 and len(forlorare) == 1, svar
    historik = db.analyshistorik(T1, "NM1")
    assert [h.version for h in historik] == [2, 1]
    assert forlorare[0]["konflikt"] == historik[0].analys and forlorare[0]["ditt"] != historik[0].analys
    db.stang()


def _miljo() -> dict:
    import os

    return os.environ | {"PYTHONPATH": str(REPO)}


def _fanga(f):
    try:
        return f()
    except Exception as fel:  # returned for the test to inspect
        return fel
