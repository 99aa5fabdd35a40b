"""The follow-up database's tables (SQLAlchemy Core): append-only version tables, one row per save, never updated.

Every written text is a new row whose `version` is one more than the newest for its key; the unique key
(period, …, version) is what refuses the second of two concurrent saves based on the same version.
An empty string in `indikator` or `enhet` means "the goal itself" and "hela verksamheten" (the API uses None).
The migrations in uppfoljning/migrations create exactly these tables; a change here needs a new migration.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint

NAMNGIVNING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMNGIVNING)

PERIOD_LANGD, ID_LANGD, ENHET_LANGD, FORFATTARE_LANGD = 10, 100, 200, 200
BEDOMNING_IDN = "('uppfylls_helt', 'uppfylls_delvis', 'uppfylls_ej', 'ej_bedomd')"


def _period() -> Column:
    return Column("period", String(PERIOD_LANGD), ForeignKey("perioder.period"), nullable=False)


def _vem_nar() -> list[Column]:
    return [Column("forfattare", String(FORFATTARE_LANGD), nullable=False), Column("sparad", DateTime(timezone=True), nullable=False)]


# One row per follow-up period ('2024' or '2024-T2'): the row saves and fixations lock, so a save cannot slip
# past a fixation on PostgreSQL (SQLite serialises writers anyway).
perioder = Table(
    "perioder",
    metadata,
    Column("period", String(PERIOD_LANGD), primary_key=True),
    Column("ar", Integer, nullable=False),
    Column("tertial", Integer, nullable=True),  # NULL = helår
    CheckConstraint("tertial IS NULL OR tertial BETWEEN 1 AND 3", name="tertial"),
)

# Fixation and reopening of a period: the newest event is the period's state.
periodhandelser = Table(
    "periodhandelser",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _period(),
    Column("version", Integer, nullable=False),
    Column("handelse", String(12), nullable=False),  # 'faststalld' | 'oppnad'
    Column("motivering", Text, nullable=False),
    *_vem_nar(),
    UniqueConstraint("period", "version"),
    CheckConstraint("handelse IN ('faststalld', 'oppnad')", name="handelse"),
    CheckConstraint("version >= 1", name="version"),
)

# Analys and Åtgärder per goal (optionally per indicator under it), unit and period.
analyser = Table(
    "analyser",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _period(),
    Column("mal_id", String(ID_LANGD), nullable=False),
    Column("indikator", String(ID_LANGD), nullable=False),  # '' = the goal's own analysis
    Column("enhet", String(ENHET_LANGD), nullable=False),  # '' = hela verksamheten
    Column("version", Integer, nullable=False),
    Column("analys", Text, nullable=False),
    Column("atgarder", Text, nullable=False),
    Column("tillstand", String(10), nullable=False),  # 'utkast' | 'klar'
    *_vem_nar(),
    UniqueConstraint("period", "mal_id", "indikator", "enhet", "version"),
    CheckConstraint("tillstand IN ('utkast', 'klar')", name="tillstand"),
    CheckConstraint("version >= 1", name="version"),
)

# The final assessment a person sets, beside the proposal it was set against.
bedomningar = Table(
    "bedomningar",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _period(),
    Column("mal_id", String(ID_LANGD), nullable=False),
    Column("enhet", String(ENHET_LANGD), nullable=False),
    Column("version", Integer, nullable=False),
    Column("bedomning", String(20), nullable=False),
    Column("forslag", String(20), nullable=False),
    Column("motivering", Text, nullable=False),  # required (non-empty) when bedomning differs from forslag
    *_vem_nar(),
    UniqueConstraint("period", "mal_id", "enhet", "version"),
    CheckConstraint(f"bedomning IN {BEDOMNING_IDN}", name="bedomning"),
    CheckConstraint(f"forslag IN {BEDOMNING_IDN}", name="forslag"),
    CheckConstraint("version >= 1", name="version"),
)

# An activity's status and comment per period (and unit).
aktivitetsstatus = Table(
    "aktivitetsstatus",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _period(),
    Column("aktivitet_id", String(ID_LANGD), nullable=False),
    Column("enhet", String(ENHET_LANGD), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("forslag", String(12), nullable=False),
    Column("kommentar", Text, nullable=False),
    *_vem_nar(),
    UniqueConstraint("period", "aktivitet_id", "enhet", "version"),
    CheckConstraint("status IN ('ej_paborjad', 'pagar', 'klar', 'forsenad')", name="status"),
    CheckConstraint("forslag IN ('ej_paborjad', 'pagar', 'klar', 'forsenad')", name="forslag"),
    CheckConstraint("version >= 1", name="version"),
)
