"""The office's French texts beside its English ones: events.name_fr / place_fr,
accreditations.status_reason_fr, counter_closures.reason_fr, pool_moments.name_fr /
handout_place_fr (kiosk.model.french: empty means "show the English").

No cursor reset: rows synced before hold no French text, and the hub sends a row again
when the office gives one (an import or a form changes the row, and so its change number).

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

COLUMNS = (
    ("events", "name_fr", sa.String(200)),
    ("events", "place_fr", sa.String(200)),
    ("accreditations", "status_reason_fr", sa.Text()),
    ("counter_closures", "reason_fr", sa.String(200)),
    ("pool_moments", "name_fr", sa.String(200)),
    ("pool_moments", "handout_place_fr", sa.String(200)),
)


def upgrade() -> None:
    for table, name, kind in COLUMNS:
        op.add_column(table, sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for table, name, _ in reversed(COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
