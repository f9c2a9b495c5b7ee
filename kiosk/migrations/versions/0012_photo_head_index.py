"""An index of each photo's first bytes, so that a scan checks the photo is a JPEG without
reading the photos table: on a store of a million people the photos are most of the
file, and their pages, cold, cost a disk read per scan (docs/benchmarks-scan-path.md).

Building it reads every photo's first page once: 44 s on a cold store of a million
people (bench/cold_store.py), once, at the first start after the upgrade.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_photos_head ON photos (person_id, substr(jpeg, 1, 3))")


def downgrade() -> None:
    op.execute("DROP INDEX ix_photos_head")
