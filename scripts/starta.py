"""`make start`: run the dashboard — on 127.0.0.1 only unless login ([auth] in secrets) is configured.

    .venv/bin/python scripts/starta.py [streamlit run options, e.g. --server.port 8502 --secrets.files /etc/vu/secrets.toml]

Without an [auth] section the app has no login, so it must not be reachable from the network: the server binds to
127.0.0.1 (an explicit other address is refused) and accepts only the host names localhost and 127.0.0.1 (no DNS
rebinding). With [auth] the settings are checked first (Swedish messages for IT) and the server listens on
$VU_ADRESS (default 0.0.0.0); every page then requires login. Streamlit runs in this process, with its old
pages/-folder mode switched off before the first request, so no page file can ever run without app.py's gate.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

ROT = Path(__file__).resolve().parent.parent
APP = ROT / "app.py"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


# What the pages need, loaded before the server takes its first session: on a fresh server the first users (a
# Monday-morning rush) would otherwise queue on the import lock behind the first page view that needs them, and the
# first of them would also open the lake (docs/prestanda.md). Only modules that do not touch Streamlit's runtime on
# import (ui's modules only declare cached functions). (polars, DuckDB, pyarrow and Plotly come with them.)
FORVARMNING = (
    "pandas",
    "kpi.queries",
    "behorighet",
    "uppfoljning.lagring",
    "report.apt",
    "alembic",
    "etl",
    *(f"ui.{m}" for m in ("drill", "filter", "inlasning", "inloggning", "kapacitet", "leverans", "malsida", "sida", "sidkarta", "tillganglighet")),
)
# Streamlit's own icon tables: the emoji one is read on the first st.warning/st.info with an icon, the Material one
# by app.py's st.set_page_config (its page icon) on the first page view.
FORVARMNING_VALFRI = ("streamlit.emojis", "streamlit.material_icon_names")


def forvarm() -> None:
    """Import the pages' modules, open the lake's connection for its current data version and read its facts, freeze the heap."""
    if str(ROT) not in sys.path:
        sys.path.insert(0, str(ROT))  # as Streamlit does for app.py's folder when it starts the app
    for modul in FORVARMNING:
        importlib.import_module(modul)
    for modul in FORVARMNING_VALFRI:
        try:
            importlib.import_module(modul)
        except ImportError:
            pass  # another Streamlit version: only the first page view pays
    import diagram
    import lake

    diagram.forvarm()
    _utan_direktkorningsvarning()

    root = lake.parquet_root()
    if not lake.is_remote(root) and Path(lake.manifest.sokvag(root)).exists():
        try:
            _las_fakta(lake.anslutning(root, lake.dataversion(root)))
        except Exception:  # noqa: BLE001 — a lake that cannot be opened is reported (in Swedish) by the first page view
            pass
    # Everything loaded so far lives as long as the server. Python's full collections walked all of it (≈ 270 000
    # objects, ≈ 0,19 s each with every session waiting on the GIL, a dozen times per rush); frozen, they walk only
    # what the sessions create (docs/prestanda.md).
    gc.freeze()


def _las_fakta(con) -> None:
    """Read what the connection keeps for every session (kpi/minne.py): the filters' lists, the latest year's targets,
    the data spans and the manual indicators, by computing Översikt for every unit's latest tertial once.

    The result is thrown away (Streamlit's caches start after this and are keyed by the user's selection and scope);
    what stays is per data version and the same for every user, which the first twenty sessions would otherwise
    each wait on, and DuckDB's first statements on the connection."""
    import kpi
    from kpi.period import Filters, Period, tertial_of
    from kpi.queries import SIDOR

    senaste = kpi.filterlistor(con)["senaste_manad"]
    if senaste is not None:
        SIDOR["oversikt"](con, Period(senaste.year, tertial=tertial_of(senaste.month)), Filters())


def _utan_direktkorningsvarning() -> None:
    """Skip Streamlit's once-per-process check for a script run without `streamlit run` (never the case here).

    The check walks the whole call stack with inspect.stack(), reading every frame's source file: ≈ 0,1 s with the
    GIL held on the first element of the first page view, which every other session of a rush waits behind."""
    from streamlit import delta_generator

    if hasattr(delta_generator, "_use_warning_has_been_displayed"):  # another Streamlit version: the first view pays
        delta_generator._use_warning_has_been_displayed = True


class Startfel(Exception):
    """A configuration the server must not start with (Swedish message; main() prints it and exits with code 2)."""


def _flaggvarden(argv: list[str], namn: str) -> list[str]:
    """Every value given for --namn X or --namn=X."""
    varden = []
    for i, a in enumerate(argv):
        if a == namn and i + 1 < len(argv):
            varden.append(argv[i + 1])
        elif a.startswith(namn + "="):
            varden.append(a.split("=", 1)[1])
    return varden


def hemlighetsfiler(argv: list[str]) -> list[Path]:
    """The secrets files Streamlit will read: --secrets.files, else config.toml's [secrets] files, else its defaults."""
    from streamlit import config

    givna = _flaggvarden(argv, "--secrets.files")
    config._main_script_path = str(APP)
    config.get_config_options(force_reparse=True, options_from_flags={"secrets.files": givna} if givna else None)
    return [Path(p) for p in config.get_option("secrets.files")]


def auth_sektion(filer: list[Path]) -> Mapping | None:
    """The merged [auth] section of the secrets files (later files win, as in Streamlit); None when there is none."""
    auth: dict = {}
    for fil in filer:
        if fil.suffix != ".toml" or not fil.is_file():
            continue  # a Kubernetes-style secrets folder is not read here: without a TOML [auth] we stay on loopback
        try:
            data = tomllib.loads(fil.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as fel:
            raise Startfel(f"{fil} kan inte läsas: {fel}") from None
        if isinstance(data.get("auth"), Mapping):
            auth.update(data["auth"])
    return auth or None


def kontrollera_auth(auth: Mapping) -> list[str]:
    """What is missing or wrong in [auth], in Swedish (empty list: fine)."""
    fel = []
    redirect = auth.get("redirect_uri")
    if not isinstance(redirect, str) or not redirect:
        fel.append('redirect_uri saknas (t.ex. "https://uppfoljning.stad.se/oauth2callback").')
    else:
        u = urlparse(redirect.replace("{port}", "8501"))
        if u.scheme not in ("http", "https") or not u.netloc or not u.path.endswith("/oauth2callback"):
            fel.append(f"redirect_uri ska vara en hel adress som slutar på /oauth2callback, inte {redirect!r}.")
        elif u.scheme == "http" and u.hostname not in LOOPBACK:
            fel.append("redirect_uri ska använda https utanför den egna datorn (inloggningskakan skickas annars okrypterad).")
    hemlighet = auth.get("cookie_secret")
    if not isinstance(hemlighet, str) or len(hemlighet) < 32:
        fel.append(
            "cookie_secret ska vara en slumpad hemlighet på minst 32 tecken (t.ex. python3 -c 'import secrets; print(secrets.token_hex(32))')."
        )
    leverantorer = [auth] if "client_id" in auth else [v for v in auth.values() if isinstance(v, Mapping) and "client_id" in v]
    if not leverantorer:
        fel.append("client_id, client_secret och server_metadata_url saknas i [auth].")
    for lev in leverantorer:
        saknas = [k for k in ("client_id", "client_secret", "server_metadata_url") if not lev.get(k)]
        if saknas:
            fel.append(f"{', '.join(saknas)} saknas i [auth].")
    return fel


def kontrollera_behorigheter() -> None:
    """With login on, the mapping file must be valid before anyone signs in; the committed example gets a warning."""
    sys.path.insert(0, str(ROT))
    from behorighet import Behorighetsfilfel, las, mappningsfil

    try:
        beh = las(mappningsfil())
    except Behorighetsfilfel as fel:
        raise Startfel(str(fel)) from None
    if not os.environ.get("VU_BEHORIGHETER"):
        print(f"Varning: behörighetsfilen är exemplet {beh.fil}; ange stadens fil med VU_BEHORIGHETER.", file=sys.stderr, flush=True)


def streamlit_argument(argv: list[str], auth: Mapping | None) -> list[str]:
    """The options for `streamlit run app.py`: the caller's, plus the address (and host allow-list) this mode needs."""
    adresser = _flaggvarden(argv, "--server.address")
    if auth is None:
        if any(a not in LOOPBACK for a in adresser):
            raise Startfel(
                f"utan inloggning ([auth] i .streamlit/secrets.toml) lyssnar appen bara på 127.0.0.1, inte {adresser[-1]}. "
                "Konfigurera inloggningen först (se README, Inloggning)."
            )
        extra = [] if adresser else ["--server.address", "127.0.0.1"]
        if not _flaggvarden(argv, "--server.allowedHosts"):
            extra += ["--server.allowedHosts", "localhost", "--server.allowedHosts", "127.0.0.1"]
        return [*argv, *extra]
    fel = kontrollera_auth(auth)
    if fel:
        raise Startfel("inloggningen i [auth] är inte komplett:\n  - " + "\n  - ".join(fel))
    kontrollera_behorigheter()
    try:  # st.login's token exchange needs Authlib's Starlette client and its HTTP library; find out now, not at the first login
        import authlib.integrations.starlette_client  # noqa: F401
    except ImportError as fel:
        raise Startfel(f"inloggningen kräver paketet {fel.name} (installeras av make setup från requirements.txt).") from None
    return argv if adresser else [*argv, "--server.address", os.environ.get("VU_ADRESS", "0.0.0.0")]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        auth = auth_sektion(hemlighetsfiler(argv))
        argument = streamlit_argument(argv, auth)
    except Startfel as fel:
        print(f"Startar inte: {fel}", file=sys.stderr)
        sys.exit(2)
    print("Inloggning krävs på varje sida ([auth] finns)." if auth else "Lokalt läge – ingen inloggning, lyssnar bara på 127.0.0.1.", flush=True)

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.cli import main as streamlit_main

    forvarm()
    # Streamlit decides once per process whether pages/ means automatic pages; st.navigation turns that off on its
    # first call, but a deep link as the very first request would otherwise run a page file without app.py.
    PagesManager.uses_pages_directory = False
    streamlit_main(["run", str(APP), *argument], prog_name="streamlit")


if __name__ == "__main__":
    main()
