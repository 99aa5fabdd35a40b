"""Generator parameters, the three presets and the naming of units, förvaltningar and queues."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sample.kalender import parse_month


@dataclass(frozen=True)
class Params:
    """Scale and layout of one generated data set."""

    units: int = 3
    forvaltningar: int = 12
    queues: int = 3
    start: str = "2023-01"
    end: str = "2026-10"
    samtal_rader: int = 30_000  # call-log rows aimed at over the call-log months; sets the call volume
    samtal_manader: int | None = 3  # call log for the last N months; None = every month
    varied: bool = True  # real-export variations (formats, re-delivery, person-level rows); False = plain CSV


PRESETS: dict[str, Params] = {
    "default": Params(),
    "small": Params(start="2025-01", end="2025-12", samtal_rader=200_000, samtal_manader=None, varied=False),
    "city": Params(
        units=40,
        forvaltningar=300,
        queues=30,
        start="2017-01",
        end="2026-12",
        samtal_rader=20_000_000,
        samtal_manader=None,
        varied=False,
    ),
}

OVERRIDABLE = {f.name for f in fields(Params)}


class ParameterFel(ValueError):
    """An unknown preset or an impossible parameter value."""


def params_for(preset: str, **overrides) -> Params:
    """The preset's parameters with overrides (None values ignored) applied."""
    if preset not in PRESETS:
        raise ParameterFel(f"Okänt preset '{preset}'. Välj bland: {', '.join(PRESETS)}.")
    unknown = set(overrides) - OVERRIDABLE
    if unknown:
        raise ParameterFel(f"Okända parametrar: {', '.join(sorted(unknown))}.")
    chosen = {k: v for k, v in overrides.items() if v is not None}
    params = replace(PRESETS[preset], **chosen)
    if params.units < 1 or params.forvaltningar < 1 or params.queues < 1 or params.samtal_rader < 0:
        raise ParameterFel("units, forvaltningar och queues måste vara minst 1 och samtal_rader ≥ 0.")
    try:
        first, last = parse_month(params.start), parse_month(params.end)
    except ValueError:
        raise ParameterFel(f"Start och slut ska vara månader på formen ÅÅÅÅ-MM, inte '{params.start}'/'{params.end}'.") from None
    if last < first:
        raise ParameterFel("Slutmånaden ligger före startmånaden.")
    return params


_LON_ENHETER = ["Löneenhet Nord", "Löneenhet Syd", "Löneenhet Öst", "Löneenhet Väst", "Löneenhet Centrum"]
_FORVALTNINGAR = [
    "Utbildningsförvaltningen",
    "Förskoleförvaltningen",
    "Socialförvaltningen",
    "Äldreförvaltningen",
    "Funktionsstödsförvaltningen",
    "Stadsbyggnadsförvaltningen",
    "Kulturförvaltningen",
    "Idrotts- och fritidsförvaltningen",
    "Miljöförvaltningen",
    "Arbetsmarknadsförvaltningen",
    "Serviceförvaltningen",
    "Stadsledningskontoret",
]
_KOER = ["Löneservice", "Chefsstöd lön", "Pension", "Ekonomiservice", "Leverantörsfakturor", "Kundfakturor", "IT-support", "HR-stöd"]


def pension_unit_count(units: int) -> int:
    """About one pension unit per six units; none when there are fewer than three units."""
    return 0 if units < 3 else -(-units // 6)


def unit_names(units: int) -> list[tuple[str, str]]:
    """(name, kind) per unit, kind 'lon' (payroll) or 'pension'; payroll units first."""
    n_pension = pension_unit_count(units)
    n_lon = units - n_pension
    lon = [_LON_ENHETER[i] if i < len(_LON_ENHETER) else f"Löneenhet {i + 1}" for i in range(n_lon)]
    pension = ["Pensionsenheten" if i == 0 else f"Pensionsenhet {i + 1}" for i in range(n_pension)]
    return [(n, "lon") for n in lon] + [(n, "pension") for n in pension]


def forvaltning_names(count: int) -> list[str]:
    """Names of the city's administrations served."""
    return [_FORVALTNINGAR[i] if i < len(_FORVALTNINGAR) else f"Stadsdelsförvaltning {i + 1:03d}" for i in range(count)]


def queue_names(count: int) -> list[str]:
    """Telephony queue names, the three lön-och-pension queues first."""
    return [_KOER[i] if i < len(_KOER) else f"Kö {i + 1:02d}" for i in range(count)]
