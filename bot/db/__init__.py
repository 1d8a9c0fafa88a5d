"""The project's database: one engine per URL, every table, and the migrations.

engine.py   which database (DATABASE_URL, else SQLite in var/) and its engine
types.py    column types (timezone-aware UTC times on every backend)
tables.py   one MetaData holding every table: query log, review accounts and audit, quiz classes and answers
compat.py   what differs between SQLAlchemy 1.4 (the Rasa runtime) and 2.x (the public tier)
migrate.py  applies the Alembic migrations in migrations/ (python -m bot db upgrade)
csv_file.py the one formula-safe CSV writer, for every export
"""
