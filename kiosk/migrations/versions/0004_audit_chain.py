"""Hash-chain the journal: every entry commits to the one before it.

Entries already in an upgraded store are chained in id order, so `kiosk audit verify`
holds from the first entry on.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import kiosk.store.schema
from kiosk.audit import GENESIS, entry_hash

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

journal = sa.table(
    "journal",
    sa.column("id", sa.Integer),
    sa.column("at", kiosk.store.schema.AwareDateTime()),
    sa.column("kiosk_id", sa.String),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("accreditation_id", sa.Integer),
    sa.column("badge_serial", sa.String),
    sa.column("verdict", sa.String),
    sa.column("details", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=False, server_default=""))
    bind = op.get_bind()
    prev = GENESIS
    for row in bind.execute(sa.select(journal).order_by(journal.c.id)).all():
        digest = entry_hash(prev, row)
        bind.execute(
            journal.update().where(journal.c.id == row.id).values(prev_hash=prev, hash=digest)
        )
        prev = digest


def downgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
