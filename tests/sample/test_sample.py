"""The sample generator: deterministic, reproduces the committed data/raw, valid input, plausible figures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from sample import SOURCES, generate
from sample.parametrar import PRESETS, ParameterFel

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
TINY = dict(start="2025-01", end="2025-03", samtal_rader=5_000, units=4, forvaltningar=7, queues=4)

REQUIRED = {
    "volymer": {"Månad", "Enhet", "Förvaltning", "Kategori", "Antal"},
    "bemanning": {"Månad", "Enhet", "Roll", "Årsarbetare", "Anställda"},
    "telefoni": {
        "Datum",
        "Intervall",
        "Kö",
        "Inkommande",
        "Besvarade",
        "Besvarade inom 25 s",
        "Avbrutna",
        "Total väntetid",
        "Längsta väntetid",
        "Total samtalstid",
        "Total efterarbetstid",
    },
    "samtal": {"Starttid", "Kö", "Väntetid", "Samtalstid", "Efterarbete", "Utfall"},
    "sjukfranvaro": {"Månad", "Enhet", "Ordinarie arbetstid", "Sjukfrånvaro dag 1-14", "Sjukfrånvaro dag 15-"},
    "ekonomi": {"Period", "Ansvar", "Kontogrupp", "Budget", "Utfall"},
    "prognos": {"Prognosmånad", "Ansvar", "Kontogrupp", "Helårsprognos"},
    "mal": {"Indikator", "År", "Årsmål"},
    "indikatorer": {"Indikator", "Period", "Utfall"},
    "malstruktur": {"År", "Typ", "Id", "Nivå", "Överordnat", "Text"},
    "enheter": {"Enhet", "Alias"},
}


def checksums(root: Path) -> dict[str, str]:
    """sha256 per generated file below the source folders."""
    return {
        str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest()
        for source in SOURCES
        for f in sorted((root / source).glob("*"))
        if f.suffix in {".csv", ".xlsx"}
    }


def read_plain(root: Path, source: str) -> pl.DataFrame:
    """All plain (UTF-8, comma) CSV files of one source stacked."""
    return pl.concat([pl.read_csv(f, infer_schema_length=None) for f in sorted((root / source).glob("*.csv"))], how="diagonal_relaxed")


def headers(path: Path) -> set[str]:
    """Normalised header names of a raw file in any of the sample's encodings, separators or xlsx."""
    if path.suffix == ".xlsx":
        names = pl.read_excel(path, engine="calamine").columns
    else:
        raw = path.read_bytes().splitlines()[0]
        line = raw.decode("utf-8-sig") if _is_utf8(raw) else raw.decode("cp1252")
        sep = max([";", "\t", ","], key=line.count)
        names = line.split(sep)
    return {n.strip().casefold() for n in names}


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@pytest.fixture(scope="module")
def default_plain(tmp_path_factory) -> Path:
    """The default preset's numbers written as plain CSV (same seed, no format variation)."""
    out = tmp_path_factory.mktemp("default_plain")
    generate(out, "default", varied=False)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("small")
    return out, generate(out, "small")


def test_same_seed_gives_identical_files_and_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, "default", seed=7, **TINY)
    generate(b, "default", seed=7, **TINY)
    generate(c, "default", seed=8, **TINY)
    assert checksums(a) == checksums(b)
    assert any(f.endswith(".xlsx") for f in checksums(a)), "the tiny default run should include xlsx files"
    differing = {k for k in checksums(a) if checksums(a)[k] != checksums(c).get(k)}
    assert len(differing) > len(checksums(a)) // 2


def test_committed_raw_is_exactly_the_default_preset(tmp_path):
    summary = generate(tmp_path, "default")
    committed, regenerated = checksums(RAW), checksums(tmp_path)
    assert sorted(committed) == sorted(regenerated), "data/raw har andra filer än `python -m sample` ger"
    changed = [k for k in committed if committed[k] != regenerated[k]]
    assert not changed, f"kör `python -m sample` igen; ändrade filer: {changed[:5]}"
    assert summary["bytes"] < 10_000_000


def test_regeneration_removes_stale_files(tmp_path):
    stale = tmp_path / "volymer" / "volymer_1999-01.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("gammal")
    generate(tmp_path, "default", **TINY)
    assert not stale.exists()


@pytest.mark.parametrize("source", SOURCES)
def test_every_committed_file_has_the_required_columns(source):
    files = sorted(f for f in (RAW / source).glob("*") if f.suffix in {".csv", ".xlsx"})
    assert files, f"inga filer i data/raw/{source}"
    required = {c.casefold() for c in REQUIRED[source]}
    for f in files:
        missing = required - headers(f)
        assert not missing, f"{f.name} saknar {missing}"


def test_committed_sample_has_the_promised_variations():
    all_files = [f for s in SOURCES for f in (RAW / s).glob("*")]
    raw_bytes = {f: f.read_bytes() for f in all_files if f.suffix == ".csv"}
    assert any(f.suffix == ".xlsx" for f in all_files)
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw_bytes.values()), "UTF-8 med BOM"
    assert any(not _is_utf8(b) for b in raw_bytes.values()), "Windows-1252"
    assert any(b.split(b"\n")[0].count(b"\t") >= 4 for b in raw_bytes.values()), "tabbseparerad"
    assert any("\u00a0".encode() in b for b in raw_bytes.values()), "tusental med hårt mellanslag"
    assert (RAW / "volymer" / "volymer_2025-03_rattelse.csv").exists()
    assert sum("Anställningsnummer".casefold() in headers(f) for f in (RAW / "sjukfranvaro").glob("*")) == 4
    tele = [headers(f) for f in (RAW / "telefoni").glob("*")]
    assert 0 < sum("avbrutna inom 5 s" in h for h in tele) < len(tele)
    eko = [headers(f) for f in (RAW / "ekonomi").glob("*")]
    assert any("kontotyp" in h for h in eko) and any("konto" in h for h in eko)
    total = (RAW / "sjukfranvaro" / "sjukfranvaro_2023-12.csv").read_text("utf-8").splitlines()[-1]
    assert total.startswith("Totalt,,")
    # names in another letter case or by a short name, which the ETL reads in the canonical spelling
    assert "LÖNESPECIFIKATION MASKINELL" in (RAW / "volymer" / "volymer_2024-06.csv").read_bytes().decode("cp1252")
    juni = (RAW / "volymer" / "volymer_2025-06.csv").read_text("utf-8-sig")
    assert "LÖNEENHET NORD" in juni and "lönespecifikation Manuell" in juni
    assert "LE Syd" in (RAW / "ekonomi" / "ekonomi_202505.csv").read_bytes().decode("cp1252")
    register = (RAW / "enheter" / "enheter.csv").read_text("utf-8-sig").splitlines()
    assert "Löneenhet Syd;LE Syd" in register and "Löneenhet Nord;" in register


@pytest.mark.parametrize(
    "source, rule",
    [
        ("telefoni", pl.col("Besvarade") <= pl.col("Inkommande")),
        ("telefoni", pl.col("Besvarade inom 25 s") <= pl.col("Besvarade")),
        ("telefoni", pl.col("Avbrutna") <= pl.col("Inkommande")),
        ("telefoni", pl.col("Besvarade") + pl.col("Avbrutna") == pl.col("Inkommande")),
        ("telefoni", pl.col("Inkommande") >= 0),
        ("volymer", pl.col("Antal") > 0),
        ("bemanning", pl.col("Årsarbetare").is_between(0, 100) & (pl.col("Anställda") >= 1)),
        ("sjukfranvaro", pl.col("Sjukfrånvaro dag 1-14") + pl.col("Sjukfrånvaro dag 15-") <= pl.col("Ordinarie arbetstid")),
        ("samtal", pl.col("Utfall").is_in(["Besvarad", "Avbruten"])),
        ("samtal", (pl.col("Utfall") == "Besvarad") | (pl.col("Samtalstid") == 0)),
        # Utfall is empty exactly for months not yet booked (after the last month) of a year in progress
        (
            "ekonomi",
            pl.when(pl.col("Utfall").is_null())
            .then(pl.col("Period").cast(pl.Utf8).str.replace("-", "").str.slice(0, 6) > PRESETS["default"].end.replace("-", ""))
            .otherwise((pl.col("Kontotyp") == "Intäkt") == (pl.col("Utfall") < 0)),
        ),
    ],
)
@pytest.mark.parametrize("data", ["default_plain", "small"])
def test_generated_rows_obey_the_validation_rules(request, data, source, rule):
    root = request.getfixturevalue(data)
    root = root[0] if isinstance(root, tuple) else root
    df = read_plain(root, source)
    assert df.height > 0
    bad = df.filter(~rule)
    assert bad.height == 0, bad.head(3)


@pytest.mark.parametrize(
    "source, key",
    [
        ("volymer", ["Månad", "Enhet", "Förvaltning", "Kategori"]),
        ("bemanning", ["Månad", "Enhet", "Roll"]),
        ("telefoni", ["Datum", "Intervall", "Kö"]),
        ("sjukfranvaro", ["Månad", "Enhet"]),
        ("ekonomi", ["Period", "Ansvar", "Kontogrupp"]),
        ("prognos", ["Prognosmånad", "Ansvar", "Kontogrupp"]),
        ("mal", ["Indikator", "År", "Enhet"]),
    ],
)
def test_no_duplicate_natural_keys(default_plain, source, key):
    df = read_plain(default_plain, source)
    assert df.select(key).is_duplicated().sum() == 0


def test_default_figures_are_calibrated_on_the_plans(default_plain):
    year = pl.col("Månad").cast(pl.String).str.starts_with("2025")
    vol = read_plain(default_plain, "volymer").filter(year)
    bem = read_plain(default_plain, "bemanning").filter(year)
    sjuk = read_plain(default_plain, "sjukfranvaro").filter(year)
    tel = read_plain(default_plain, "telefoni").filter(pl.col("Datum").str.starts_with("2025"))
    eko = read_plain(default_plain, "ekonomi").filter(pl.col("Period").str.starts_with("2025"))
    lonespec = vol.filter(pl.col("Kategori").str.starts_with("Lönespecifikation"))["Antal"].sum()
    maskinell = vol.filter(pl.col("Kategori") == "Lönespecifikation maskinell")["Antal"].sum()
    admin_fte = bem.filter(pl.col("Roll") == "Löneadministratör")["Årsarbetare"].sum()  # FTE-months
    assert 1_100 <= lonespec / admin_fte <= 1_250
    assert 0.72 <= maskinell / lonespec <= 0.80
    assert 52 <= admin_fte / 12 <= 58
    sick = (sjuk["Sjukfrånvaro dag 1-14"].sum() + sjuk["Sjukfrånvaro dag 15-"].sum()) / sjuk["Ordinarie arbetstid"].sum()
    assert 0.045 <= sick <= 0.08
    assert 0.015 <= sjuk["Sjukfrånvaro dag 1-14"].sum() / sjuk["Ordinarie arbetstid"].sum() <= 0.03
    servicegrad = tel["Besvarade inom 25 s"].sum() / tel["Inkommande"].sum()
    assert 0.75 <= servicegrad <= 0.92
    assert 0.90 <= tel["Besvarade"].sum() / tel["Inkommande"].sum() <= 0.96
    revenue = -eko.filter(pl.col("Kontotyp") == "Intäkt")["Utfall"].sum()
    costs = eko.filter(pl.col("Kontotyp") == "Kostnad")["Utfall"].sum()
    assert 55e6 <= revenue <= 61e6
    assert abs(revenue - costs) < 0.05 * revenue


def test_call_log_matches_the_interval_report(small):
    root, summary = small
    assert 180_000 <= summary["sources"]["samtal"]["rows"] <= 220_000
    calls = read_plain(root, "samtal")
    tel = read_plain(root, "telefoni")
    assert calls.height == tel["Inkommande"].sum()
    assert (calls["Utfall"] == "Besvarad").sum() == tel["Besvarade"].sum()
    assert calls.filter(pl.col("Utfall") == "Besvarad")["Väntetid"].sum() == tel["Total väntetid"].sum()


@pytest.mark.parametrize("overrides", [{"units": 0}, {"start": "2025-05", "end": "2025-01"}, {"okand": 1}])
def test_impossible_parameters_are_refused(tmp_path, overrides):
    with pytest.raises(ParameterFel):
        generate(tmp_path, "default", **overrides)
