"""The query log: what practitioners asked and what they were answered, pseudonymised and redacted.

records.py      the QueryRecord written for each message, and the Signals the next message sets on it
from_tracker.py records, feedback and signals from a conversation's tracker events (the action and backfill)
store.py        QueryLog: record, feedback, signals, purge, read (the table is in bot/db/tables.py)
spool.py        DurableQueryLog: a QueryLog that spools to a file while the database is down
queries.py      the one query API for reads; service.py the logging action's work; backfill.py
export.py       jsonl / csv export; report.py summary tables; period.py dates and durations from the CLI
"""
