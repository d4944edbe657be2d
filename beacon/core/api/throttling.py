"""Rate limits on the API: so many requests per window per token when a token is used, per
user for a browser's session (``BEACON_API_RATE_TOKEN``, ``BEACON_API_RATE_USER``, as
``N/second|minute|hour|day``). A request over the limit gets 429 with ``Retry-After``, the
seconds until the window ends.

Beacon runs several worker processes, so the count is kept where they all see it: one row
per token or user in the database (``RateCounter``), counted up in one statement that
starts a new window when the stored one has passed. Fixed windows, not a sliding log: one
short row per caller and one write per request, at the price of allowing up to twice the
limit across the moment one window turns into the next.
"""

import math
import time

from django.conf import settings
from django.db import connection
from rest_framework.throttling import BaseThrottle

from ..models import ApiToken, RateCounter

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/minute"`` -> ``(120, 60)``: requests, and the window's length in seconds."""
    number, _slash, period = rate.partition("/")
    if not number.isdigit() or int(number) < 1 or period not in PERIODS:
        raise ValueError(f"{rate!r} is not a rate such as 120/minute")
    return int(number), PERIODS[period]


UPSERT = (
    "INSERT INTO {table} ({key}, {window}, {hits}) VALUES (%s, %s, 1) "
    "ON CONFLICT ({key}) DO UPDATE SET {hits} = CASE "
    "WHEN {table}.{window} = excluded.{window} THEN {table}.{hits} + 1 ELSE 1 END, "
    "{window} = excluded.{window} RETURNING {hits}"
)


def count(key: str, window: int) -> int:
    """Count one request of ``key`` in ``window`` and answer the window's count so far."""
    q = connection.ops.quote_name  # "window" is a word of SQL
    names = {n: q(n) for n in ("key", "window", "hits")}
    # One statement, so two processes counting the same key at once both count. Only the
    # model's own quoted names are formatted in; the values are parameters (bandit B608).
    sql = UPSERT.format(table=q(RateCounter._meta.db_table), **names)  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window])
        return cursor.fetchone()[0]


class ApiRateThrottle(BaseThrottle):
    timer = staticmethod(time.time)

    def allow_request(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return True  # refused by the permissions before it gets here
        if isinstance(request.auth, ApiToken):
            key, rate = f"token:{request.auth.pk}", settings.BEACON_API_RATE_TOKEN
        else:
            key, rate = f"user:{request.user.pk}", settings.BEACON_API_RATE_USER
        limit, seconds = parse_rate(rate)
        now = self.timer()
        window = int(now // seconds)
        self.retry_after = math.ceil((window + 1) * seconds - now)
        return count(key, window) <= limit

    def wait(self) -> int:
        return self.retry_after
