"""keys.owner: whose key it is ("office", or the kiosk id), so that a security post can
refuse a badge signed with a key of another kiosk than the one the badge names.

Confirmation keys are the office's. A badge key's owner is not in the store yet: the
kiosk's own key gets its id at the next start (app/wiring.py `badge_key`), and an
enrolled store that holds badge keys pulls the whole feed again (cursor 0), which names
every key's owner.
Until then a security post refuses badges signed with a key of no known owner.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("keys", sa.Column("owner", sa.String(20), nullable=True))
    op.execute("UPDATE keys SET owner = 'office' WHERE purpose = 'confirmation'")
    op.execute(
        "UPDATE sync_state SET cursor = 0 WHERE EXISTS"
        " (SELECT 1 FROM keys WHERE purpose = 'badge' AND owner IS NULL)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE keys DROP COLUMN owner")
