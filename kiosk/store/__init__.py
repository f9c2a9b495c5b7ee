"""The kiosk's local store: SQLite through SQLAlchemy 2, schema by Alembic."""
