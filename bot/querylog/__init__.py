"""The query log: what practitioners asked and what they were answered, pseudonymised and redacted.

records.py  the QueryRecord written for each message
models.py   the query_log table; migrations/ and migrate.py create and evolve it
database.py which database (DATABASE_URL or var/querylog.db) and its engine
store.py    QueryLog: record, feedback, purge, read
spool.py    DurableQueryLog: a QueryLog that spools to a file while the database is down
export.py   jsonl / csv export; report.py summary tables; period.py dates and durations from the CLI
"""
