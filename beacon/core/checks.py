"""What makes an installation unfit to serve as production (the MLPS level 3 baseline), as
Django system checks with the ``PRODUCTION`` tag: ``beacon serve`` refuses to start while
any of them reports, and ``beacon check --deploy --database default`` lists them.

Core checks its own settings and accounts; an app with more to check registers it with the
same tag from its ``ready()`` (the demo app checks its accounts' password). As with Django's
own database checks, a check that reads the database does so only when the caller names one
(``serve`` does), so ``check --deploy`` alone works before the database is migrated.
"""

from django.conf import settings
from django.core import checks

from .models import Role, User
from .roles import SEPARATED_DUTIES

PRODUCTION = "production"


@checks.register(PRODUCTION, deploy=True)
def check_debug_is_off(app_configs=None, **kwargs):
    if settings.DEBUG:
        return [checks.Error("DEBUG is on", hint="unset BEACON_DEBUG", id="core.E001")]
    return []


@checks.register(PRODUCTION, deploy=True)
def check_no_superusers(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    superusers = sorted(User.objects.filter(is_superuser=True).values_list("username", flat=True))
    if superusers:
        return [checks.Error(f"superuser accounts exist: {', '.join(superusers)}", id="core.E002")]
    return []


@checks.register(PRODUCTION, deploy=True)
def check_administrators_need_a_second_factor(app_configs=None, databases=None, **kwargs):
    """The three administrators of MLPS level 3 log in with a second factor; a role edited
    not to ask for it is reported."""
    if not databases:
        return []
    lax = Role.objects.filter(code__in=SEPARATED_DUTIES, privileged=False)
    codes = sorted(lax.values_list("code", flat=True))
    if codes:
        return [
            checks.Error(
                f"administrator roles without a second factor: {', '.join(codes)}",
                hint="mark them privileged in the Django admin",
                id="core.E003",
            )
        ]
    return []
