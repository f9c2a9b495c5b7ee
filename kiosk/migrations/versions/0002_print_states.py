"""print states: a print_jobs table (badges gain the statuses printing, print_failed,
preprinted, which fit the existing status column)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:32:58.316189
"""

import sqlalchemy as sa
from alembic import op

import kiosk.store.schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("badge_serial", sa.String(length=24), nullable=False),
        sa.Column("kiosk_id", sa.String(length=20), nullable=False),
        sa.Column("printer", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("batch", sa.String(length=40), nullable=True),
        sa.Column("job_ref", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("sent_at", kiosk.store.schema.AwareDateTime(), nullable=False),
        sa.Column("finished_at", kiosk.store.schema.AwareDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["badge_serial"],
            ["badges.serial"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_print_jobs_badge_serial"), ["badge_serial"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_print_jobs_batch"), ["batch"], unique=False)
        batch_op.create_index("ix_print_jobs_kiosk_state", ["kiosk_id", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_print_jobs_kiosk_state")
        batch_op.drop_index(batch_op.f("ix_print_jobs_batch"))
        batch_op.drop_index(batch_op.f("ix_print_jobs_badge_serial"))

    op.drop_table("print_jobs")
