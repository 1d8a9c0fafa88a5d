"""Constants the query log tests share."""
from __future__ import annotations

from datetime import datetime, timezone

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)  # the first record of make_record
