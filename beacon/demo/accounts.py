"""One demo account per role, all with the password ``beacon demo`` prints: the park officer
reaches the first park and the enterprise user one of its firms (the promotion demo makes the
promoter a member of that park's team)."""

from __future__ import annotations

from django.apps import apps

from beacon.core.models import Role, ScopeGrant, User
from beacon.core.scopes import SCOPE_TARGETS

# The demo's published password (bandit B105).
DEMO_PASSWORD = "beacon-demo-2024"  # nosec B105
DEMO_USERS = (
    ("admin", "zone_admin"),
    ("park1", "park_officer"),
    ("promoter", "promoter"),
    ("leader", "leader"),
    ("enterprise", "enterprise_user"),
    ("auditor", "auditor"),
    ("sysadmin", "system_admin"),
    ("security", "security_admin"),
)


def write_accounts(park_id: int, enterprise_id: int) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    grants = {"park_officer": ("park", park_id), "enterprise_user": ("enterprise", enterprise_id)}
    for username, code in DEMO_USERS:
        role = roles[code]
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.is_staff = role, role.staff
        user.set_password(DEMO_PASSWORD)
        user.save()
        if code in grants:
            kind, object_id = grants[code]
            ScopeGrant.objects.get_or_create(user=user, kind=kind, object_id=object_id)


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role code, what the account reaches) of the demo accounts that exist."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[u for u, _ in DEMO_USERS])
        .select_related("role")
        .prefetch_related("scope_grants")
    }
    accounts = []
    for username, _code in DEMO_USERS:
        user = users.get(username)
        if user is None or user.role is None:
            continue
        reach = [_describe_grant(grant) for grant in user.scope_grants.all()]
        accounts.append((username, user.role.code, "; ".join(reach) or user.role.description))
    return accounts


def _describe_grant(grant: ScopeGrant) -> str:
    label, key = SCOPE_TARGETS.get(grant.kind, (None, None))
    obj = apps.get_model(label).objects.filter(pk=grant.object_id).first() if label else None
    if obj is None:
        return f"{grant.kind} #{grant.object_id}"
    code = "" if key == "uscc" else f"{getattr(obj, key)} "
    return f"{grant.kind} {code}{obj.name}"
