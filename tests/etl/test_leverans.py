"""Delivering one file through the app (etl.leverera): the folder flow's run for that file; a rejected delivery changes nothing."""

from __future__ import annotations

import fcntl
import hashlib
import json
import threading
import time
import tomllib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

import etl
import lake
from etl import leverans
from etl.kallor import KALLOR
from tests.conftest import REPO, SAMPLE_RAW
from tests.etl.filer import KANON, VARIANTER, skriv_csv, skriv_variant
from tests.etl.sjo import tabell


def alla_bytes(mapp: Path) -> dict[str, str]:
    """Every file under a folder and its checksum (the lake byte for byte: manifest, partitions, marker, lock)."""
    return {str(f.relative_to(mapp)): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(mapp.rglob("*")) if f.is_file()}


def volymer(namn: str, rader: list[tuple[str, str, str]]) -> tuple[str, bytes]:
    """A volumes export (name, bytes): (month, category, count) rows for one unit."""
    text = "Månad;Enhet;Förvaltning;Kategori;Antal\r\n" + "".join(f"{m};Enhet 1;Förvaltning A;{k};{a}\r\n" for m, k, a in rader)
    return namn, text.encode("utf-8")


@pytest.fixture()
def sjo(tmp_path):
    """A loaded lake with volumes for March and April 2024 (raw, parquet, quarantine)."""
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    namn, innehall = volymer("volymer_2024-03.csv", [("2024-03", "Lönespecifikation manuell", "100"), ("2024-04", "Lönespecifikation manuell", "40")])
    (raw / "volymer").mkdir(parents=True)
    (raw / "volymer" / namn).write_bytes(innehall)
    assert etl.run(raw, parquet, q).exit_code == 0
    return raw, parquet, q


def leverera(raw, parquet, q, namn: str, innehall: bytes, kalla: str = "volymer", **kw) -> etl.Leveransresultat:
    """Receive an upload the way the page does (etl.leverans.ta_emot) and deliver it."""
    return etl.leverera(leverans.ta_emot(raw, namn, innehall), kalla, raw, parquet, q, levererad_av=kw.pop("levererad_av", "Anna Andersson"), **kw)


def antal(parquet: Path, manad: str) -> list[int]:
    return sorted(tabell(parquet, "volymer").filter(pl.col("manad") == date.fromisoformat(manad + "-01"))["antal"].to_list())


# --- which source ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTER, ids=lambda v: v.namn)
@pytest.mark.parametrize("kalla", list(KANON))
def test_kallan_kanns_igen_i_varje_formatvariant(kalla, variant, tmp_path):
    fil = skriv_variant(tmp_path, kalla, variant)
    g = leverans.kanna_igen_kalla(fil)
    assert g.kalla == kalla and g.kandidater == (kalla,), g


def test_kallan_kanns_igen_i_varje_exempelfil():
    """Every committed sample export (every source, the goal hierarchy and person-level sick leave included) names its own folder."""
    filer = [f for k in KALLOR for f in sorted((SAMPLE_RAW / k).iterdir()) if f.suffix in (".csv", ".xlsx")]
    assert {f.parent.name for f in filer} == set(KALLOR)
    fel = {f"{f.parent.name}/{f.name}": g for f in filer if (g := leverans.kanna_igen_kalla(f)).kalla != f.parent.name}
    assert not fel


def test_okand_eller_olasbar_fil_far_ett_svenskt_skal(tmp_path):
    pdf = tmp_path / "export.csv"
    pdf.write_bytes(b"%PDF-1.7\n...")
    assert leverans.kanna_igen_kalla(pdf).orsak == "Filen är en PDF, inte en dataexport – exportera data som CSV eller .xlsx."
    annat = skriv_csv(tmp_path / "annat.csv", ["Månad", "Enhet", "Något"], [["2024-03", "A", "1"]])
    g = leverans.kanna_igen_kalla(annat)
    assert g.kalla is None and "passar ingen källa" in g.orsak and "volymer saknar Förvaltning, Kategori, Antal" in g.orsak
    register = skriv_csv(tmp_path / "enheter.csv", ["Enhet", "Alias"], [["Enhet 1", "E1"]])
    assert leverans.kanna_igen_kalla(register).kalla is None, "enhetsregistret är ingen källa att leverera"


# --- names and limits ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "namn, sakert",
    [
        ("volymer_2024-03.csv", "volymer_2024-03.csv"),
        ("../../etc/passwd.CSV", "passwd.csv"),
        ("C:\\Users\\anna\\Telefoni okt.XLSX", "Telefoni okt.xlsx"),
        ("..hemlig.csv", "hemlig.csv"),
        ("rapport\x00\x1b[31m;rm -rf.csv", "rapport_31m_rm -rf.csv"),
        ("a\u0308r.csv", "är.csv"),  # NFC
        ("   .csv", "leverans.csv"),
        ("x" * 300 + ".csv", "x" * 120 + ".csv"),
    ],
)
def test_sakert_namn(namn, sakert):
    assert leverans.sakert_namn(namn) == sakert


def test_ledigt_namn_sorteras_efter_det_upptagna(tmp_path):
    (tmp_path / "v.csv").write_text("a")
    assert leverans.ledigt_namn(tmp_path, "ny.csv") == "ny.csv"
    assert leverans.ledigt_namn(tmp_path, "v.csv") == "v~001.csv"
    (tmp_path / "v~001.csv").write_text("b")
    assert leverans.ledigt_namn(tmp_path, "v.csv") == "v~002.csv"
    assert sorted(["v.csv", "v~001.csv", "v~002.csv", "v_rattelse.csv", "v2.csv"])[-1] == "v~002.csv", "en omleverans sorteras sist"


def test_filtyp_och_storlek_har_svenska_skal():
    assert leverans.filtypsfel("a.csv") is None and leverans.filtypsfel("a.XLSX") is None
    assert leverans.filtypsfel("a.pdf") == "Filtypen .pdf tas inte emot – leverera exporten som CSV (.csv) eller Excel (.xlsx)."
    assert "utan filändelse" in leverans.filtypsfel("export")
    assert leverans.storleksfel(1) is None and leverans.storleksfel(leverans.MAX_MB * 1024 * 1024) is None
    assert leverans.storleksfel(0) == "Filen är tom."
    assert f"största tillåtna storlek är {leverans.MAX_MB} MB" in leverans.storleksfel(leverans.MAX_MB * 1024 * 1024 + 1)


def test_streamlits_grans_ar_produktens():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == leverans.MAX_MB


# --- a delivery that passes ----------------------------------------------------------------------------------------


def test_godkand_leverans_laggs_i_kallmappen_och_ersatter_sina_manader(sjo):
    raw, parquet, q = sjo
    r = leverera(
        raw, parquet, q, *volymer("volymer_2024-04.csv", [("2024-04", "Lönespecifikation manuell", "45"), ("2024-05", "Pensionsärende", "7")])
    )
    assert r.inlast and r.fil.utfall == "inläst" and r.fil.perioder == ["2024-04", "2024-05"] and r.fil.rader == 2
    assert r.sparad_som == "volymer/volymer_2024-04.csv" and (raw / r.sparad_som).is_file()
    assert antal(parquet, "2024-04") == [45] and antal(parquet, "2024-05") == [7] and antal(parquet, "2024-03") == [100]
    assert not any((raw / leverans.INKORG).iterdir()), "uppladdningens mapp tas bort"
    korning = tabell(parquet, "etl_korningar").sort("startad").row(-1, named=True)
    assert (korning["levererad_av"], korning["status"], korning["inlasta_filer"]) == ("Anna Andersson", "ok", 1)
    assert tabell(parquet, "etl_korningar").sort("startad")["levererad_av"].to_list()[0] is None, "en mappkörning har ingen leverantör"
    # the folder flow afterwards sees the delivered file as loaded: nothing is read twice
    efter = etl.run(raw, parquet, q)
    assert {f.fil: f.utfall for f in efter.files} == {"volymer/volymer_2024-03.csv": "oförändrad", "volymer/volymer_2024-04.csv": "oförändrad"}


def test_omleverans_med_samma_namn_far_nytt_namn_och_ersatter_manaden(sjo):
    raw, parquet, q = sjo
    original = (raw / "volymer" / "volymer_2024-03.csv").read_bytes()
    r = leverera(raw, parquet, q, *volymer("volymer_2024-03.csv", [("2024-03", "Lönespecifikation manuell", "111")]))
    assert r.sparad_som == "volymer/volymer_2024-03~001.csv"
    assert (raw / "volymer" / "volymer_2024-03.csv").read_bytes() == original, "en annan fil med samma namn skrivs aldrig över"
    assert antal(parquet, "2024-03") == [111] and antal(parquet, "2024-04") == [40], "omleveransen ersätter bara sina månader"
    # A full reload (e.g. after a changed unit register) applies files in name order: the re-delivery still wins.
    (raw / "enheter").mkdir()
    skriv_csv(raw / "enheter" / "enheter.csv", ["Enhet", "Alias"], [["Enhet 1", "E1"]])
    etl.run(raw, parquet, q)
    assert antal(parquet, "2024-03") == [111]


def test_samma_innehall_igen_andrar_ingenting(sjo):
    raw, parquet, q = sjo
    fore, raw_fore = alla_bytes(parquet), sorted(p.name for p in (raw / "volymer").iterdir())
    r = leverera(raw, parquet, q, "kopia.csv", (raw / "volymer" / "volymer_2024-03.csv").read_bytes())
    assert r.inlast and r.fil.utfall == "oförändrad" and r.samma_som == "volymer/volymer_2024-03.csv"
    assert alla_bytes(parquet) == fore and sorted(p.name for p in (raw / "volymer").iterdir()) == raw_fore


def test_xlsx_som_heter_csv_lases_som_excel(sjo, tmp_path):
    raw, parquet, q = sjo
    bok = skriv_variant(tmp_path / "x", "volymer", VARIANTER[6])  # an .xlsx workbook
    r = leverera(raw, parquet, q, "volymer_2024-03_export.csv", bok.read_bytes())
    assert r.fil.utfall == "inläst" and "filen är en Excel-arbetsbok men heter .csv – den lästes som Excel" in r.fil.meddelande
    assert antal(parquet, "2024-03") == [180, 4321, 12345]


# --- a delivery that is rejected -----------------------------------------------------------------------------------


def test_avvisad_leverans_andrar_ingenting_och_hamnar_i_karantan(sjo):
    raw, parquet, q = sjo
    fore, raw_fore = alla_bytes(parquet), alla_bytes(raw)
    r = leverera(
        raw, parquet, q, *volymer("volymer_2024-04.csv", [("2024-04", "Lönespecifikation manuell", "-5"), ("2024-04", "Pensionsärende", "1,5")])
    )
    assert not r.inlast and r.fil.utfall == "avvisad" and r.sparad_som is None
    assert alla_bytes(parquet) == fore, "sjön byte för byte som förut: manifest och varje partition"
    assert alla_bytes(raw) == raw_fore, "ingen fil har lagts till i källmappen"
    assert r.fil.perioder == ["2024-04"], "månaderna filen gällde noteras (översikten visar dem som avvisade)"
    assert "Antal får inte vara negativt (1 rad)" in r.fil.meddelande and "Antal ska vara ett heltal (1 rad)" in r.fil.meddelande
    rapport = Path(r.fil.rapport).read_text(encoding="utf-8")
    assert r.karantan == q / "volymer" / "volymer_2024-04.csv" and r.karantan.is_file()
    assert "Levererad av: Anna Andersson (i appen)" in rapport and 'rad 2: Antal = "-5"' in rapport and 'rad 3: Antal = "1,5"' in rapport
    assert "leverera den igen på sidan Leverera data" in rapport
    # its run-log rows wait beside the quarantine, readable at once, and the next run commits them
    vantande = json.loads(next((q / "_korlogg").glob("*.json")).read_text(encoding="utf-8"))
    assert vantande["etl_korningar"][0]["levererad_av"] == "Anna Andersson"
    assert [(f["fil"], f["utfall"], f["perioder"]) for f in vantande["etl_filer"]] == [("volymer/volymer_2024-04.csv", "avvisad", "2024-04")]
    assert {v["regel"] for v in vantande["etl_valideringar"] if not v["lyckades"]} == {"Antal får inte vara negativt", "Antal ska vara ett heltal"}
    etl.run(raw, parquet, q)
    assert not list((q / "_korlogg").glob("*.json")), "inskriven i körloggen"
    korningar = tabell(parquet, "etl_korningar")
    avvisad = korningar.filter(pl.col("korning_id") == r.korning.korning_id).row(0, named=True)
    assert (avvisad["status"], avvisad["levererad_av"], avvisad["avvisade_filer"]) == ("avvisade_filer", "Anna Andersson", 1)
    filer = tabell(parquet, "etl_filer").filter(pl.col("korning_id") == r.korning.korning_id)
    assert filer.select("fil", "utfall", "perioder").rows() == [("volymer/volymer_2024-04.csv", "avvisad", "2024-04")]


@pytest.mark.parametrize(
    "namn, innehall, orsak",
    [
        ("volymer.csv", b"%PDF-1.4 binary", "Filen är en PDF"),
        ("volymer.xlsx", b"PK\x03\x04 not really a zip", "skadat eller avkortat"),
        ("volymer.csv", b"Manad;Enhet\n2024-03;A\n", "Obligatoriska kolumner ska finnas"),
    ],
    ids=["pdf", "trasig_xlsx", "fel_rubriker"],
)
def test_fil_som_inte_ar_vad_den_heter_avvisas_utan_andring(sjo, namn, innehall, orsak):
    raw, parquet, q = sjo
    fore = alla_bytes(parquet)
    r = leverera(raw, parquet, q, namn, innehall)
    assert r.fil.utfall == "avvisad" and orsak in r.fil.meddelande
    assert alla_bytes(parquet) == fore and not (raw / "volymer" / namn).exists()


def test_avvisad_leverans_behaller_markeringen_av_en_avbruten_korning(sjo):
    """An earlier run that died left its mark: a rejected delivery leaves it for the next committing run to record."""
    raw, parquet, q = sjo
    markering = parquet / "_lake" / "pagaende.json"
    markering.write_text(json.dumps({"korning_id": "20240101T000000-000001", "startad": "2024-01-01T00:00:00"}), encoding="utf-8")
    fore = alla_bytes(parquet)
    leverera(raw, parquet, q, *volymer("v.csv", [("2024-04", "Lönespecifikation manuell", "-5")]))
    assert alla_bytes(parquet) == fore
    r = etl.run(raw, parquet, q)
    assert r.avbrutna == ["20240101T000000-000001"]


# --- concurrency -----------------------------------------------------------------------------------------------------


def test_tva_leveranser_samtidigt_koar_bakom_lasset(sjo):
    raw, parquet, q = sjo
    vantade: list[str] = []
    resultat: dict[str, etl.Leveransresultat] = {}
    filer = {
        "maj": leverans.ta_emot(raw, *volymer("volymer_2024-05.csv", [("2024-05", "Pensionsärende", "5")])),
        "jun": leverans.ta_emot(raw, *volymer("volymer_2024-06.csv", [("2024-06", "Pensionsärende", "6")])),
    }
    # hold the lock first, so both deliveries must wait, then let them race for it
    las = open(parquet / ".etl.lock", "a")
    fcntl.flock(las, fcntl.LOCK_EX)

    def kor(namn: str) -> None:
        resultat[namn] = etl.leverera(filer[namn], "volymer", raw, parquet, q, levererad_av=namn, vantar=lambda: vantade.append(namn))

    tradar = [threading.Thread(target=kor, args=(n,)) for n in filer]
    for t in tradar:
        t.start()
    time.sleep(1.0)
    assert sorted(vantade) == ["jun", "maj"], "båda väntar på den pågående inläsningen"
    fcntl.flock(las, fcntl.LOCK_UN)
    las.close()
    for t in tradar:
        t.join(60)
    assert all(r.fil.utfall == "inläst" and r.vantade_s >= 0.9 for r in resultat.values())
    assert antal(parquet, "2024-05") == [5] and antal(parquet, "2024-06") == [6], "båda leveranserna finns i sjön"
    assert set(tabell(parquet, "etl_korningar")["levererad_av"].drop_nulls().to_list()) == {"maj", "jun"}


def test_las_som_inte_slapps_ger_svenskt_fel_och_ingen_andring(sjo):
    raw, parquet, q = sjo
    fore, raw_fore = alla_bytes(parquet), alla_bytes(raw)
    with open(parquet / ".etl.lock", "a") as las:
        fcntl.flock(las, fcntl.LOCK_EX)
        with pytest.raises(etl.KorningsFel, match="en annan inläsning .* pågick fortfarande efter 0 s"):
            leverera(raw, parquet, q, *volymer("v.csv", [("2024-05", "Pensionsärende", "5")]), vanta_s=0.3)
    assert alla_bytes(parquet) == fore and alla_bytes(raw) == raw_fore, "uppladdningen tas bort, ingenting ändras"


# --- preview and old lakes -----------------------------------------------------------------------------------------


def test_forhandsvisning_visar_tolkade_varden_utan_personnummer(tmp_path):
    fil = skriv_csv(
        tmp_path / "sjuk.csv",
        ["Månad", "Enhet", "Anställningsnummer", "Ordinarie arbetstid", "Sjukfrånvaro dag 1-14", "Sjukfrånvaro dag 15-"],
        [["202403", "Enhet 19850101-1234", "19850101-1234", "1 150,5", "4", "x"]],
    )
    fv = leverans.forhandsvisning(fil, "sjukfranvaro")
    rad = fv.rader.row(0, named=True)
    assert rad["manad"] == date(2024, 3, 1) and rad["ordinarie_arbetstid_h"] == 1150.5 and rad["sjuk_dag15_h"] is None
    assert rad["sjuk_dag15_h__text"] == "x", "ett värde som inte kan tolkas syns som det står"
    assert rad["anstallningsnummer"] == leverans.DOLD and "1234" not in json.dumps(fv.rader.to_dicts(), default=str)
    assert fv.datarader == 1 and fv.avgransare == "semikolon"


def test_forhandsvisning_visar_fel_avgransare(tmp_path):
    """A comma-separated file with decimal commas: the shifted columns are visible before anything is written."""
    fil = tmp_path / "bem.csv"
    fil.write_text("Månad,Enhet,Roll,Årsarbetare,Anställda\n2024-03,Enhet 1,Löneadministratör,4,5,5\n", encoding="utf-8")
    fv = leverans.forhandsvisning(fil, "bemanning")
    assert fv.fel and "Rad 2 har 6 fält men rubrikraden har 5" in fv.fel


def test_gammal_sjo_utan_levererad_av_lases(sjo):
    """A lake written before etl_korningar.levererad_av existed reads the column as NULL."""
    _, parquet, _ = sjo
    for fil in lake.partitions(parquet, "etl_korningar").values():
        pl.read_parquet(fil).drop("levererad_av").write_parquet(fil)
    assert "levererad_av" not in pl.read_parquet(next(iter(lake.partitions(parquet, "etl_korningar").values()))).columns
    df = lake.query(lake.connect(parquet), "SELECT levererad_av FROM etl_korningar")
    assert df.height == 1 and df["levererad_av"].to_list() == [None]


def test_forhandsvisning_av_stor_fil_laser_bara_borjan(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr("etl.leverans._FORHAND_BYTES", 4096)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    fil = skriv_csv(
        tmp_path / "samtal.csv",
        ["Starttid", "Kö", "Väntetid", "Samtalstid", "Efterarbete", "Utfall"],
        [[f"2024-03-15 08:{i // 60:02d}:{i % 60:02d}", "Löneservice", "12", "300", "30", "Besvarad"] for i in range(2000)],
    )
    fv = leverans.forhandsvisning(fil, "samtal")
    assert fv.fel is None and fv.datarader is None and fv.rader.height == 10
    assert fv.rader["vantetid_s"].to_list() == [12.0] * 10
    assert not list((tmp_path / "tmp").iterdir()), "den tillfälliga kopian tas bort"
