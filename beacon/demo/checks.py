from django.core import checks

from beacon.core.checks import PRODUCTION
from beacon.core.models import User

from .accounts import DEMO_PASSWORD, DEMO_USERS


@checks.register(PRODUCTION, deploy=True)
def check_demo_passwords_changed(app_configs=None, databases=None, **kwargs):
    """The demo password is published (``beacon demo`` prints it), so an account still using
    it is open to anyone. Reads the database only when asked to, as core's checks do."""
    if not databases:
        return []
    demo = [
        user.username
        for user in User.objects.filter(username__in=[name for name, _role in DEMO_USERS])
        if user.check_password(DEMO_PASSWORD)
    ]
    if demo:
        return [
            checks.Error(
                f"demo accounts still have the demo password: {', '.join(demo)}",
                hint="run the demo with 'beacon demo', or change or remove these accounts",
                id="demo.E001",
            )
        ]
    return []
