"""The query log: what practitioners asked and what they were answered, pseudonymised and redacted.

records.py      the QueryRecord written for each message, and the Signals the next message sets on it
store.py        QueryLog: record, feedback, signals, purge, read (the table is in bot/db/tables.py)
spool.py        DurableQueryLog: a QueryLog that spools to a file while the database is down
queries.py      the one query API for reads: filter -> rows or aggregates (the dashboard and the export)
export.py       JSON lines and CSV export
report.py       summary tables (python -m bot report)
from_tracker.py records, feedback and signals from a conversation's tracker events (the action and backfill)
service.py      log_new_queries: the work of the logging action (action_log_query)
backfill.py     rebuilds missed rows from the redacted tracker store (python -m bot backfill)
period.py       dates and durations given on the command line
"""
