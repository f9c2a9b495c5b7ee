"""Secrets at rest: the hub token leaves the store; sign-ins are paced per kiosk

sync_state.token moves to DATA_DIR/secrets/hub-token (owner-only), so a copy of the
store file alone holds no credential for the hub (kiosk/private.py). sign_in_pace
counts this kiosk's refused sign-ins (kiosk/staff.py).

Revision ID: 0010
Revises: 0009
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

import kiosk.store.schema
from kiosk.private import hub_token_path, write_private

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _data_dir() -> Path:
    return Path(op.get_bind().engine.url.database).resolve().parent


def upgrade() -> None:
    token = op.get_bind().scalar(sa.text("SELECT token FROM sync_state WHERE id = 1"))
    if token:
        write_private(hub_token_path(_data_dir()), token.encode())
    op.execute("ALTER TABLE sync_state DROP COLUMN token")
    op.create_table(
        "sign_in_pace",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("window_start", kiosk.store.schema.AwareDateTime(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("last_refused", kiosk.store.schema.AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_pace")
    op.add_column(
        "sync_state", sa.Column("token", sa.String(100), nullable=False, server_default="")
    )
    path = hub_token_path(_data_dir())
    if path.exists():
        op.get_bind().execute(
            sa.text("UPDATE sync_state SET token = :t WHERE id = 1"), {"t": path.read_text()}
        )
