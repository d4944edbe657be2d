"""Messages of third-party apps that ship no Simplified Chinese, carried in Beacon's catalog.

django-auditlog and django-axes have no zh_Hans translation, yet their labels show on the
audit pages (action names, column headers, page titles) and axes answers a locked-out login
with its own message. ``makemessages`` extracts these ``gettext_noop`` calls into Beacon's
catalog, which Django consults before the apps' own (``LOCALE_PATHS`` come first), so the
apps' strings are translated too. Each msgid must match the app's source text exactly.
Nothing imports this module.
"""

from django.utils.translation import gettext_noop

AUDITLOG = (
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("action"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
)

AXES = (
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("Username"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
    gettext_noop("Access lock out"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
)
