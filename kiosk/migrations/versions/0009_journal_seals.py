"""Seal the journal: each entry's HMAC (journal.mac) and the sealed head (journal_head).

Entries already in an upgraded store keep their plain hash chain and an empty seal: the
journal key (kiosk/journal_keys.py) is made when the store is next opened and seals the
entries after them, so `kiosk audit verify` checks the old part as before and the rest
with the key. The migration cannot seal old entries itself: the key lives outside the
store, and sealing entries written before would vouch for what nobody checked.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.add_column(sa.Column("mac", sa.String(64), nullable=False, server_default=""))
    op.create_table(
        "journal_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("journal_head")
    with op.batch_alter_table("journal") as batch:
        batch.drop_column("mac")
