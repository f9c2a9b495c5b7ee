"""sync_state transport: the hub certificate's pinned fingerprint, consent to plain
http beyond loopback, and the kind of the last sync error

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(
            sa.Column("hub_cert_sha256", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("allow_plain_http", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("last_error_code", sa.String(length=30), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("last_error_code")
        batch.drop_column("allow_plain_http")
        batch.drop_column("hub_cert_sha256")
