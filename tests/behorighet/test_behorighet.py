"""The mapping file (claims → roles and units), the role matrix, the access log and `python -m behorighet`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import behorighet
from behorighet import LOKAL, Behorighetsfilfel, Loggfel, las, logga, tolka
from behorighet.__main__ import main as cli
from kpi.period import Behorighetsfel, Filters

REPO = Path(__file__).resolve().parents[2]
EXEMPEL = REPO / "config" / "behorigheter.toml"


@pytest.fixture()
def exempel():
    return las(EXEMPEL)


def test_exempelfilen_ar_giltig_och_ger_varje_roll(exempel):
    roller = {r.roll for r in exempel.regler}
    assert roller == set(behorighet.ROLLER)
    assert exempel.giltig_timmar == 12 and "groups" in exempel.grupp_ansprak


@pytest.mark.parametrize(
    ("ansprak", "roller", "omfang"),
    [
        ({"groups": ["vu-verksamhetschef"]}, {"verksamhetschef"}, None),
        ({"groups": ["VU-Controller"]}, {"controller"}, None),  # group ids compared case-insensitively (GUIDs)
        ({"groups": ["vu-enhetschef-nord"]}, {"enhetschef"}, ("Löneenhet Nord",)),
        ({"email": "ENHETSCHEF.SYD@stad.test"}, {"enhetschef"}, ("Löneenhet Syd", "Pensionsenheten")),
        ({"preferred_username": "enhetschef.syd@stad.test"}, {"enhetschef"}, ("Löneenhet Syd", "Pensionsenheten")),
        ({"groups": "vu-dataansvarig"}, {"dataansvarig"}, ()),  # one group as a plain string
        (
            {"roles": ["vu-enhetschef-nord"], "email": "enhetschef.syd@stad.test"},
            {"enhetschef"},
            ("Löneenhet Nord", "Löneenhet Syd", "Pensionsenheten"),
        ),
        ({"groups": ["vu-enhetschef-nord", "vu-verksamhetschef"]}, {"enhetschef", "verksamhetschef"}, None),  # widest scope wins
    ],
)
def test_ansprak_ger_roller_och_enheter(exempel, ansprak, roller, omfang):
    anv = exempel.anvandare(ansprak)
    assert anv.roller == roller
    assert anv.omfang == omfang


@pytest.mark.parametrize("ansprak", [{}, {"groups": ["alla-medarbetare"]}, {"email": "annan@stad.test"}, {"groups": [None, 3, ""]}, {"email": ""}])
def test_utan_matchande_regel_ingen_behorighet(exempel, ansprak):
    assert exempel.anvandare(ansprak) is None


def test_identitet_i_loggen(exempel):
    assert exempel.anvandare({"email": "enhetschef.syd@stad.test", "name": "Sven"}).id == "enhetschef.syd@stad.test"
    assert exempel.anvandare({"email": "enhetschef.syd@stad.test", "name": "Sven"}).namn == "Sven"
    assert exempel.identitet({"sub": "abc"}) == "abc"
    assert exempel.identitet({}) == "okänd"


def test_utgangen_inloggning(exempel):
    assert not exempel.utgangen({"iat": 1_000_000}, nu=1_000_000 + 11 * 3600)
    assert exempel.utgangen({"iat": 1_000_000}, nu=1_000_000 + 13 * 3600)
    assert exempel.utgangen({"iat": 5, "auth_time": 1_000_000}, nu=1_000_000 + 3600) is False  # auth_time is the sign-in
    assert not exempel.utgangen({}, nu=1e12)


def test_omfang_ger_filters_som_vagrar_andras_enheter(exempel):
    anv = exempel.anvandare({"groups": ["vu-enhetschef-nord"]})
    assert Filters(omfang=anv.omfang).units == ("Löneenhet Nord",)
    with pytest.raises(Behorighetsfel, match="Du har inte behörighet till Löneenhet Syd"):
        Filters(units=("Löneenhet Syd",), omfang=anv.omfang)


def test_rapportens_filternyckel_bar_omfanget():
    """The APT page's cache key carries the scope, so a report rebuilt from it is re-checked in the data layer."""
    from report.apt import _filters, filters_nyckel

    f = Filters(omfang=("Löneenhet Nord",))
    assert _filters(filters_nyckel(f)) == f
    nyckel = list(filters_nyckel(f))
    nyckel[0] = ("Löneenhet Syd",)  # a key tampered with on the way: the rebuilt Filters refuses it
    with pytest.raises(Behorighetsfel):
        _filters(tuple(nyckel))


def test_sidmatrisen(exempel):
    chef = exempel.anvandare({"groups": ["vu-enhetschef-nord"]})
    data = exempel.anvandare({"groups": ["vu-dataansvarig"]})
    assert chef.far_se("sjukfranvaro") and not chef.far_se("datakvalitet") and not chef.far_se("okand_sida")
    assert data.sidor == ["datakvalitet", "leverera_data", "om_indikatorerna", "tillganglighet"] and not data.ser_enhetsdata
    assert data.far("kora_etl") and not chef.far("kora_etl") and not chef.far("okand")
    assert LOKAL.far_se("datakvalitet") and LOKAL.omfang is None and LOKAL.far("kora_etl")


FEL = [
    ({"regel": []}, "saknar kontakt"),
    ({"kontakt": "x", "okand": 1}, "Okänd nyckel"),
    ({"kontakt": "x", "regel": [{"roll": "chef", "grupp": "g"}]}, "okänd roll 'chef'"),
    ({"kontakt": "x", "regel": [{"roll": "controller"}]}, "antingen grupp"),
    ({"kontakt": "x", "regel": [{"roll": "controller", "grupp": "g", "epost": "e"}]}, "antingen grupp"),
    ({"kontakt": "x", "regel": [{"roll": "controller", "grupp": "  "}]}, "inte är tom"),
    ({"kontakt": "x", "regel": [{"roll": "enhetschef", "grupp": "g"}]}, "kräver enheter"),
    ({"kontakt": "x", "regel": [{"roll": "enhetschef", "grupp": "g", "enheter": []}]}, "minst en text"),
    ({"kontakt": "x", "regel": [{"roll": "controller", "grupp": "g", "enheter": ["A"]}]}, "bara för rollen enhetschef"),
    ({"kontakt": "x", "regel": [{"roll": "controller", "grupp": "g", "enhet": ["A"]}]}, "okänd nyckel enhet"),
    ({"kontakt": "x", "inloggning": {"giltig_timmar": 0}}, "giltig_timmar"),
    ({"kontakt": "x", "inloggning": {"grupp_ansprak": "groups"}}, "grupp_ansprak"),
    ({"kontakt": "x", "inloggning": {"timmar": 1}}, r"\[inloggning\]"),
]


@pytest.mark.parametrize(("data", "fel"), FEL, ids=[f[1] for f in FEL])
def test_felaktig_fil_ger_svenskt_fel(data, fel):
    with pytest.raises(Behorighetsfilfel, match=fel):
        tolka(data)


def test_fil_som_saknas_eller_inte_ar_toml(tmp_path, monkeypatch):
    with pytest.raises(Behorighetsfilfel, match="finns inte"):
        las(tmp_path / "saknas.toml")
    trasig = tmp_path / "trasig.toml"
    trasig.write_text("kontakt = \n", encoding="utf-8")
    with pytest.raises(Behorighetsfilfel, match="inte giltig TOML"):
        las(trasig)
    monkeypatch.setenv("VU_BEHORIGHETER", str(tmp_path / "saknas.toml"))
    with pytest.raises(Behorighetsfilfel, match="finns inte"):
        behorighet.aktuella()


def test_andrad_fil_galler_direkt(tmp_path, monkeypatch):
    fil = tmp_path / "b.toml"
    fil.write_text('kontakt = "x"\n[[regel]]\ngrupp = "g"\nroll = "controller"\n', encoding="utf-8")
    monkeypatch.setenv("VU_BEHORIGHETER", str(fil))
    assert behorighet.aktuella().anvandare({"groups": ["g"]}).roller == {"controller"}
    fil.write_text('kontakt = "x"\n[[regel]]\ngrupp = "g"\nroll = "enhetschef"\nenheter = ["Enhet A"]\n', encoding="utf-8")
    os.utime(fil, ns=(os.stat(fil).st_atime_ns, os.stat(fil).st_mtime_ns + 1_000_000))
    assert behorighet.aktuella().anvandare({"groups": ["g"]}).omfang == ("Enhet A",)


# --- The access log -------------------------------------------------------------------------------------------


@pytest.fixture()
def loggfil(tmp_path, monkeypatch) -> Path:
    fil = tmp_path / "logg" / "atkomst.jsonl"
    monkeypatch.setenv("VU_ATKOMSTLOGG", str(fil))
    return fil


def test_loggen_ar_json_rader_som_bara_vaxer(loggfil, exempel):
    anv = exempel.anvandare({"email": "enhetschef.syd@stad.test"})
    logga("inloggning", anv, utfall="ok")
    forsta = loggfil.read_bytes()
    logga("sida", anv, sida="ekonomi", enheter=anv.omfang, period="2026-T2")
    logga("nedladdning", anv, fil="ekonomi.csv", sida="ekonomi")
    assert loggfil.read_bytes().startswith(forsta), "tidigare rader skrivs aldrig om"
    poster = [json.loads(r) for r in loggfil.read_text(encoding="utf-8").splitlines()]
    assert [p["handelse"] for p in poster] == ["inloggning", "sida", "nedladdning"]
    assert poster[1]["enheter"] == ["Löneenhet Syd", "Pensionsenheten"] and poster[1]["roller"] == ["enhetschef"]
    assert all(p["tid"].endswith("+00:00") and p["anvandare"] == "enhetschef.syd@stad.test" for p in poster)
    assert stat.S_IMODE(loggfil.stat().st_mode) & 0o007 == 0, "loggen är inte läsbar för alla"


def test_loggen_innehaller_aldrig_personnummer(loggfil):
    # Some identity providers put the personnummer in the subject or the user name; the log masks it everywhere.
    logga("inloggning", "19900101-1234", utfall="saknar behörighet")
    logga("nedladdning", "anna@stad.test", fil="lista_199001011234.csv", anteckning={"pnr": "900101+1234"})
    text = loggfil.read_text(encoding="utf-8")
    assert "1234" not in text and text.count("[personnummer dolt]") == 3


def test_samtidiga_skrivningar_blandas_inte(loggfil):
    tradar = [threading.Thread(target=lambda i=i: [logga("sida", f"u{i}@stad.test", sida="x" * 300) for _ in range(50)]) for i in range(8)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join()
    rader = loggfil.read_text(encoding="utf-8").splitlines()
    assert len(rader) == 400 and all(json.loads(r)["sida"] == "x" * 300 for r in rader)


def test_okand_handelse_och_oskrivbar_logg(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="Okänd händelse"):
        logga("titta", "a@b")
    blockerad = tmp_path / "fil"
    blockerad.write_text("")
    monkeypatch.setenv("VU_ATKOMSTLOGG", str(blockerad / "atkomst.jsonl"))  # a file where the folder should be
    with pytest.raises(Loggfel, match="Åtkomstloggen .* kan inte skrivas"):
        logga("sida", "a@b")


# --- python -m behorighet ---------------------------------------------------------------------------------------


def test_cli_visar_vad_en_person_far(capsys):
    assert cli(["--fil", str(EXEMPEL), "--epost", "enhetschef.syd@stad.test"]) == 0
    ut = capsys.readouterr().out
    assert "Roller: enhetschef" in ut and "Enheter: Löneenhet Syd, Pensionsenheten" in ut and "datakvalitet" not in ut
    assert cli(["--fil", str(EXEMPEL), "--grupp", "okand"]) == 0
    assert "Ingen regel matchar" in capsys.readouterr().out
    assert cli(["--matris"]) == 0
    assert "| datakvalitet | ja | – | ja | ja |" in capsys.readouterr().out


def test_cli_felaktig_fil_ger_kod_1(tmp_path):
    fil = tmp_path / "b.toml"
    fil.write_text('kontakt = "x"\n[[regel]]\nroll = "controller"\n', encoding="utf-8")
    ut = subprocess.run([sys.executable, "-m", "behorighet", "--fil", str(fil)], cwd=REPO, capture_output=True, text=True)
    assert ut.returncode == 1 and "antingen grupp" in ut.stderr


def test_vem_far_skriva_och_faststalla_uppfoljningen(exempel):
    """An enhetschef writes for the own units only, the verksamhetschef for the whole and every unit; the controller reads."""
    vc = exempel.anvandare({"email": "v@stad.test", "name": "Vera", "groups": ["vu-verksamhetschef"]})
    ec = exempel.anvandare({"email": "e@stad.test", "name": "Elin", "groups": ["vu-enhetschef-nord"]})
    co = exempel.anvandare({"email": "c@stad.test", "name": "Carl", "groups": ["vu-controller"]})
    assert vc.far("skriva_uppfoljning") and vc.far("faststalla_period")
    assert all(vc.far_skriva_for(e) for e in (None, "Löneenhet Nord", "Löneenhet Syd"))
    assert ec.far("skriva_uppfoljning") and not ec.far("faststalla_period")
    assert ec.far_skriva_for("Löneenhet Nord") and not ec.far_skriva_for("Löneenhet Syd") and not ec.far_skriva_for(None)
    assert not co.far("skriva_uppfoljning") and not co.far_skriva_for("Löneenhet Nord") and not co.far_skriva_for(None)
    assert LOKAL.far("faststalla_period") and LOKAL.far_skriva_for(None)
    assert (vc.forfattare, ec.forfattare) == ("Vera (v@stad.test)", "Elin (e@stad.test)")
