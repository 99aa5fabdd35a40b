"""The first schema: periods, period events, analyses, assessments and activity status (all append-only).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_BEDOMNINGAR = "('uppfylls_helt', 'uppfylls_delvis', 'uppfylls_ej', 'ej_bedomd')"
_STATUSAR = "('ej_paborjad', 'pagar', 'klar', 'forsenad')"


def _period(tabell: str) -> sa.Column:
    return sa.Column("period", sa.String(10), sa.ForeignKey("perioder.period", name=f"fk_{tabell}_period_perioder"), nullable=False)


def _vem_nar() -> list[sa.Column]:
    return [sa.Column("forfattare", sa.String(200), nullable=False), sa.Column("sparad", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    # Written out rather than taken from uppfoljning.tabeller, so this migration stays what it was when the model changes.
    op.create_table(
        "perioder",
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("ar", sa.Integer(), nullable=False),
        sa.Column("tertial", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("period", name="pk_perioder"),
        sa.CheckConstraint("tertial IS NULL OR tertial BETWEEN 1 AND 3", name="ck_perioder_tertial"),
    )
    op.create_table(
        "periodhandelser",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _period("periodhandelser"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("handelse", sa.String(12), nullable=False),
        sa.Column("motivering", sa.Text(), nullable=False),
        *_vem_nar(),
        sa.PrimaryKeyConstraint("id", name="pk_periodhandelser"),
        sa.UniqueConstraint("period", "version", name="uq_periodhandelser_period"),
        sa.CheckConstraint("handelse IN ('faststalld', 'oppnad')", name="ck_periodhandelser_handelse"),
        sa.CheckConstraint("version >= 1", name="ck_periodhandelser_version"),
    )
    op.create_table(
        "analyser",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _period("analyser"),
        sa.Column("mal_id", sa.String(100), nullable=False),
        sa.Column("indikator", sa.String(100), nullable=False),
        sa.Column("enhet", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("analys", sa.Text(), nullable=False),
        sa.Column("atgarder", sa.Text(), nullable=False),
        sa.Column("tillstand", sa.String(10), nullable=False),
        *_vem_nar(),
        sa.PrimaryKeyConstraint("id", name="pk_analyser"),
        sa.UniqueConstraint("period", "mal_id", "indikator", "enhet", "version", name="uq_analyser_period"),
        sa.CheckConstraint("tillstand IN ('utkast', 'klar')", name="ck_analyser_tillstand"),
        sa.CheckConstraint("version >= 1", name="ck_analyser_version"),
    )
    op.create_table(
        "bedomningar",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _period("bedomningar"),
        sa.Column("mal_id", sa.String(100), nullable=False),
        sa.Column("enhet", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("bedomning", sa.String(20), nullable=False),
        sa.Column("forslag", sa.String(20), nullable=False),
        sa.Column("motivering", sa.Text(), nullable=False),
        *_vem_nar(),
        sa.PrimaryKeyConstraint("id", name="pk_bedomningar"),
        sa.UniqueConstraint("period", "mal_id", "enhet", "version", name="uq_bedomningar_period"),
        sa.CheckConstraint(f"bedomning IN {_BEDOMNINGAR}", name="ck_bedomningar_bedomning"),
        sa.CheckConstraint(f"forslag IN {_BEDOMNINGAR}", name="ck_bedomningar_forslag"),
        sa.CheckConstraint("version >= 1", name="ck_bedomningar_version"),
    )
    op.create_table(
        "aktivitetsstatus",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _period("aktivitetsstatus"),
        sa.Column("aktivitet_id", sa.String(100), nullable=False),
        sa.Column("enhet", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("forslag", sa.String(12), nullable=False),
        sa.Column("kommentar", sa.Text(), nullable=False),
        *_vem_nar(),
        sa.PrimaryKeyConstraint("id", name="pk_aktivitetsstatus"),
        sa.UniqueConstraint("period", "aktivitet_id", "enhet", "version", name="uq_aktivitetsstatus_period"),
        sa.CheckConstraint(f"status IN {_STATUSAR}", name="ck_aktivitetsstatus_status"),
        sa.CheckConstraint(f"forslag IN {_STATUSAR}", name="ck_aktivitetsstatus_forslag"),
        sa.CheckConstraint("version >= 1", name="ck_aktivitetsstatus_version"),
    )


def downgrade() -> None:
    for tabell in ("aktivitetsstatus", "bedomningar", "analyser", "periodhandelser", "perioder"):
        op.drop_table(tabell)
