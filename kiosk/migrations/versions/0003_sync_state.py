"""sync state: the kiosk's link to the hub (sync_state), what it knew when it acted
(sync_marks), and the conflicts the hub reported (sync_conflicts)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:40:57.945607
"""

import sqlalchemy as sa
from alembic import op

import kiosk.store.schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("accreditation_id", sa.Integer(), nullable=False),
        sa.Column("badge_serial", sa.String(length=24), nullable=True),
        sa.Column("kiosk_id", sa.String(length=20), nullable=False),
        sa.Column("detected_at", kiosk.store.schema.AwareDateTime(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("message_fr", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_marks",
        sa.Column("journal_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("journal_id"),
    )
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hub_url", sa.String(length=300), nullable=False),
        sa.Column("hub_id", sa.String(length=40), nullable=False),
        sa.Column("hub_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("kiosk_id", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("acked_journal_id", sa.Integer(), nullable=False),
        sa.Column("last_sync_at", kiosk.store.schema.AwareDateTime(), nullable=True),
        sa.Column("last_attempt_at", kiosk.store.schema.AwareDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    op.drop_table("sync_marks")
    op.drop_table("sync_conflicts")
