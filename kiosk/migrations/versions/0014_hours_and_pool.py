"""Counter opening hours and closures (kiosk/hours.py), pool moments and the pool cards
handed out for them (kiosk/pool.py).

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counter_hours",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(10), nullable=False),
        sa.Column("event_id", sa.String(40), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
    )
    op.create_index("ix_counter_hours_counter", "counter_hours", ["counter", "event_id"])
    op.create_table(
        "counter_closures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.UniqueConstraint("counter", "day", name="uq_counter_closures_day"),
    )
    op.create_table(
        "pool_moments",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("event_id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("handout_place", sa.String(200), nullable=False),
        sa.Column("handout_opens", sa.DateTime(), nullable=False),
        sa.Column("handout_closes", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_pool_moments_event_id", "pool_moments", ["event_id"])
    op.create_table(
        "pool_cards",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("moment_id", sa.String(40), sa.ForeignKey("pool_moments.id"), nullable=False),
        sa.Column("accreditation_id", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.String(20), nullable=False),
        sa.Column("handed_by", sa.String(80), nullable=False),
        sa.Column("handed_at", sa.DateTime(), nullable=False),
        sa.Column("returned_to", sa.String(80), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_pool_cards_accreditation_id", "pool_cards", ["accreditation_id"])
    op.create_index("ix_pool_cards_moment", "pool_cards", ["moment_id", "accreditation_id"])


def downgrade() -> None:
    for table in ("pool_cards", "pool_moments", "counter_closures", "counter_hours"):
        op.drop_table(table)
