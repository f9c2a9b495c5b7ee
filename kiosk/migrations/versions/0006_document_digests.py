"""Personal data: ID document numbers as keyed hashes, retention per event, purge marks.

- `accreditations.doc_number` becomes `doc_number_digest` (HMAC-SHA256 with the site's
  document key, kiosk/documents.py) and `doc_number_tail` (its last 3 characters);
  group letters' members likewise (`document_digest`, `document_tail`).
- `events.retention_days` (30 by default): personal data of an event's accreditations is
  purged that many days after its last day (kiosk/purge.py).
- `purged_at` on people, accreditations and letters: what the purge blanked.

The numbers an upgraded store holds are hashed here with the kiosk's document key,
read from ``DATA_DIR/keys/document.key`` (the data directory is the folder of the SQLite
file); a kiosk that has none yet gets one made now. SQLite's ``secure_delete`` is on while
this runs, so the numbers in clear do not linger in freed pages; the purge that runs
when the kiosk opens checkpoints the WAL into the file.

Revision ID: 0006
Revises: 0005
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

import kiosk.store.schema
from kiosk import documents

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

accreditations = sa.table(
    "accreditations",
    sa.column("id", sa.Integer),
    sa.column("doc_number", sa.String),
    sa.column("doc_number_digest", sa.String),
    sa.column("doc_number_tail", sa.String),
)
letters = sa.table("letters", sa.column("id", sa.Integer), sa.column("members", sa.JSON))


def _data_dir(bind: sa.Connection) -> Path:
    return Path(bind.engine.url.database).resolve().parent


def _purged_at() -> sa.Column:
    return sa.Column("purged_at", kiosk.store.schema.AwareDateTime(), nullable=True)


def upgrade() -> None:
    bind = op.get_bind()
    bind.exec_driver_sql("PRAGMA secure_delete=ON")
    op.add_column(
        "events", sa.Column("retention_days", sa.Integer(), nullable=False, server_default="30")
    )
    op.add_column("people", _purged_at())
    op.add_column("letters", _purged_at())
    op.add_column("accreditations", _purged_at())
    op.add_column(
        "accreditations",
        sa.Column("doc_number_digest", sa.String(64), nullable=False, server_default=""),
    )
    op.add_column(
        "accreditations",
        sa.Column("doc_number_tail", sa.String(3), nullable=False, server_default=""),
    )
    rows = bind.execute(sa.select(accreditations.c.id, accreditations.c.doc_number)).all()
    listed = bind.execute(sa.select(letters.c.id, letters.c.members)).all()
    if rows or any(members for _, members in listed):
        key = documents.ensure_key(_data_dir(bind))
        for acc_id, number in rows:
            bind.execute(
                accreditations.update()
                .where(accreditations.c.id == acc_id)
                .values(
                    doc_number_digest=documents.document_digest(key, number),
                    doc_number_tail=documents.doc_number_tail(number),
                )
            )
        for letter_id, members in listed:
            hashed = [documents.hashed_member(key, m) for m in members or []]
            bind.execute(letters.update().where(letters.c.id == letter_id).values(members=hashed))
    op.execute("ALTER TABLE accreditations DROP COLUMN doc_number")
    op.create_index("ix_accreditations_doc_number_digest", "accreditations", ["doc_number_digest"])
    bind.exec_driver_sql("PRAGMA secure_delete=OFF")


def downgrade() -> None:
    """Numbers in clear cannot come back: `doc_number` returns empty."""
    bind = op.get_bind()
    for letter_id, members in bind.execute(sa.select(letters.c.id, letters.c.members)).all():
        plain = [
            {
                **{k: v for k, v in m.items() if k not in ("document_digest", "document_tail")},
                "document_number": "",
            }
            for m in members or []
        ]
        bind.execute(letters.update().where(letters.c.id == letter_id).values(members=plain))
    op.add_column(
        "accreditations",
        sa.Column("doc_number", sa.String(40), nullable=False, server_default=""),
    )
    op.drop_index("ix_accreditations_doc_number_digest", "accreditations")
    for name in ("doc_number_tail", "doc_number_digest", "purged_at"):
        op.execute(f"ALTER TABLE accreditations DROP COLUMN {name}")
    op.execute("ALTER TABLE letters DROP COLUMN purged_at")
    op.execute("ALTER TABLE people DROP COLUMN purged_at")
    op.execute("ALTER TABLE events DROP COLUMN retention_days")
