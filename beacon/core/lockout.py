"""Lockout after failed logins, on django-axes, with two limits (MLPS level 3):

- one username from one address: ``BEACON_LOGIN_FAILURE_LIMIT`` failures (5) lock that
  username there;
- one address across every username it tries (password spraying):
  ``BEACON_LOGIN_ADDRESS_FAILURE_LIMIT`` failures (20) lock the address for every username.

Both for ``AXES_COOLOFF_TIME``. django-axes counts each of its lockout parameters but compares
them all with one limit; this handler gives the address its own, higher one, so the people
behind one office address do not lock each other out by a few typing mistakes.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

USERNAME_AT_ADDRESS = ["username", "ip_address"]
ADDRESS = "ip_address"


class LockoutHandler(AxesDatabaseHandler):
    def _attempts(self, request, credentials, attempts_list) -> dict:
        """The attempts of each lockout parameter, by parameter."""
        parameters = get_lockout_parameters(request, credentials)
        return {str(p): attempts for p, attempts in zip(parameters, attempts_list, strict=True)}

    def get_failures(self, request, credentials=None) -> int:
        """The failures axes compares with ``AXES_FAILURE_LIMIT``: the username's at this
        address, or that limit itself once the address has reached its own limit."""
        attempts = self._attempts(
            request, credentials, self.get_user_attempts(request, credentials)
        )
        count = {
            key: queryset.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for key, queryset in attempts.items()
        }
        at_address = count.get(str(USERNAME_AT_ADDRESS), 0)
        if count.get(ADDRESS, 0) >= settings.BEACON_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(at_address, settings.AXES_FAILURE_LIMIT)
        return at_address

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A good login clears its own username's failures at the address, not those of the
        other usernames tried from it: one known account must not unlock a spraying address."""
        attempts = self._attempts(
            request, credentials, self.filter_user_attempts(request, credentials)
        )
        deleted, _ = attempts[str(USERNAME_AT_ADDRESS)].delete()
        return deleted
