"""sync_state.token moves to DATA_DIR/secrets/hub-token (owner-only), out of the store

A copy of the store file alone then holds no credential for the hub (kiosk/private.py).

Revision ID: 0010
Revises: 0007
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from kiosk.private import hub_token_path, write_private

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def _data_dir() -> Path:
    return Path(op.get_bind().engine.url.database).resolve().parent


def upgrade() -> None:
    token = op.get_bind().scalar(sa.text("SELECT token FROM sync_state WHERE id = 1"))
    if token:
        write_private(hub_token_path(_data_dir()), token.encode())
    op.execute("ALTER TABLE sync_state DROP COLUMN token")


def downgrade() -> None:
    op.add_column(
        "sync_state", sa.Column("token", sa.String(100), nullable=False, server_default="")
    )
    path = hub_token_path(_data_dir())
    if path.exists():
        op.get_bind().execute(
            sa.text("UPDATE sync_state SET token = :t WHERE id = 1"), {"t": path.read_text()}
        )
