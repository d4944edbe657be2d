"""The roles Beacon ships with. Roles are data: a deployment may edit them or add more."""

from typing import Any, NotRequired, TypedDict

ALL = ["view", "add", "change", "delete"]
VIEW = ["view"]

# A rule as a role stores it (JSON): "models", "actions", "scope", and optionally "where"
# and "fields" (beacon.core.permissions reads them).
Rule = dict[str, Any]


class RoleSpec(TypedDict):
    """A shipped role: the fields of ``core.Role`` it is created with."""

    code: str
    name: str
    name_en: str
    description: str
    privileged: NotRequired[bool]
    staff: NotRequired[bool]
    rules: list[Rule]


def rule(models: list[str], actions: list[str], scope: str) -> Rule:
    return {"models": models, "actions": actions, "scope": scope}


REGISTRY_PARK_SCOPED = [
    "registry.parcel",
    "registry.enterprise",
    "registry.annualfigure",
    "registry.innovationplatform",
    "registry.talent",
]
PUBLIC_REFERENCE = ["registry.zone", "registry.park", "registry.industryclass"]
ACCOUNT_MODELS = ["core.user", "core.scopegrant", "core.role", "core.apitoken"]
# Everyone sees the background jobs they started (an evaluation run, a large export).
OWN_JOBS = rule(["jobs.job"], VIEW, "own")
# The roles of the zone's business, whose jobs the zone administration follows; the three
# administrators' jobs stay their own.
BUSINESS_ROLES = ["zone_admin", "park_officer", "promoter", "leader", "enterprise_user"]

DEFAULT_ROLES: list[RoleSpec] = [
    {
        "code": "zone_admin",
        "name": "管委会管理员",
        "name_en": "Zone administrator",
        "description": "Sees and keeps the whole zone.",
        "privileged": True,
        "staff": True,
        "rules": [
            rule(["registry.*"], ALL, "zone"),
            rule(["evaluation.*"], ALL, "zone"),
            rule(["promotion.*"], ALL, "zone"),
            rule(["chains.*"], ALL, "zone"),
            rule(["supervision.*"], ALL, "zone"),
            OWN_JOBS,
            {
                **rule(["jobs.job"], VIEW, "zone"),
                "where": {"owner__role__code__in": BUSINESS_ROLES},
            },
            # to name a key project's responsible officer: the park officers, and only them
            {
                **rule(["core.user"], VIEW, "zone"),
                "where": {"role__code": "park_officer", "is_active": True},
            },
        ],
    },
    {
        "code": "park_officer",
        "name": "园区专员",
        "name_en": "Park officer",
        "description": "Keeps their own parks' enterprises, land and figures.",
        "rules": [
            OWN_JOBS,
            rule(PUBLIC_REFERENCE, VIEW, "zone"),
            rule(["registry.park"], ["change"], "park"),
            rule(REGISTRY_PARK_SCOPED, ALL, "park"),
            # The zone's schemes and run totals are shared; enterprises' results are not.
            rule(["evaluation.scheme", "evaluation.evaluationrun"], VIEW, "zone"),
            rule(["evaluation.evaluationresult"], VIEW, "park"),
            rule(["evaluation.annualflag"], ALL, "park"),
            # The leads proposed for their parks, and the parks' entry thresholds.
            rule(
                ["promotion.lead", "promotion.stagechange", "promotion.leaddocument"], VIEW, "park"
            ),
            rule(["promotion.team", "promotion.parkentryrule"], VIEW, "zone"),
            rule(["promotion.parkentryrule"], ["add", "change"], "park"),
            rule(["chains.chain", "chains.chainversion"], VIEW, "zone"),
            # which of their parks' enterprises belong to a link
            rule(["chains.linkmapping"], ALL, "park"),
            # their parks' key projects: reports, milestones and issues filed by them
            rule(["supervision.keyproject"], ["view", "change"], "park"),
            rule(
                ["supervision.milestone", "supervision.progressreport", "supervision.projectissue"],
                ALL,
                "park",
            ),
            rule(
                [
                    "supervision.leaguetable",
                    "supervision.statusrules",
                    "supervision.statusruleversion",
                ],
                VIEW,
                "zone",
            ),
        ],
    },
    {
        "code": "promoter",
        "name": "招商专员",
        "name_en": "Investment promoter",
        "description": "Works leads for a team; reads the registry but not enterprises' figures.",
        "rules": [
            OWN_JOBS,
            rule(
                [
                    *PUBLIC_REFERENCE,
                    "registry.parcel",
                    "registry.enterprise",
                    "registry.innovationplatform",
                ],
                VIEW,
                "zone",
            ),
            rule(["promotion.team", "promotion.parkentryrule"], VIEW, "zone"),
            # A stage change is added by moving a lead; none is edited or deleted.
            rule(["promotion.lead", "promotion.activity", "promotion.leaddocument"], ALL, "team"),
            rule(["promotion.stagechange"], ["view", "add"], "team"),
            rule(["promotion.promotiontarget"], VIEW, "team"),
            # chain gaps and their target lists are where leads come from
            rule(
                ["chains.chain", "chains.chainversion", "chains.targetlist", "chains.target"],
                VIEW,
                "zone",
            ),
        ],
    },
    {
        "code": "leader",
        "name": "领导",
        "name_en": "Leader",
        "description": "Reads the whole zone; changes nothing.",
        "rules": [
            OWN_JOBS,
            rule(["registry.*"], VIEW, "zone"),
            rule(["evaluation.*"], VIEW, "zone"),
            rule(["promotion.*"], VIEW, "zone"),
            rule(["chains.*"], VIEW, "zone"),
            rule(["supervision.*"], VIEW, "zone"),
        ],
    },
    {
        "code": "enterprise_user",
        "name": "企业用户",
        "name_en": "Enterprise user",
        "description": "Sees and updates its own enterprise's file.",
        "rules": [
            OWN_JOBS,
            rule(PUBLIC_REFERENCE, VIEW, "zone"),
            rule(["registry.enterprise"], VIEW, "enterprise"),
            # Identity, park and certifications are the administration's to set.
            {
                **rule(["registry.enterprise"], ["change"], "enterprise"),
                "fields": ["name_en", "business_scope", "founded"],
            },
            rule(["registry.annualfigure"], ["view", "add", "change"], "enterprise"),
            rule(["registry.innovationplatform", "registry.talent"], VIEW, "enterprise"),
            # Runs that are not official are the administration's working drafts.
            {
                **rule(["evaluation.evaluationresult"], VIEW, "enterprise"),
                "where": {"run__official": True},
            },
            rule(["evaluation.annualflag"], VIEW, "enterprise"),
        ],
    },
    {
        "code": "auditor",
        "name": "审计管理员",
        "name_en": "Audit administrator",
        "description": "Reads the change log and the login log; changes nothing.",
        "privileged": True,
        "rules": [
            OWN_JOBS,
            rule(
                [
                    "core.changelogentry",
                    "core.loginrecord",
                    "core.loginfailure",
                    # axes' own logs, written until Beacon kept its own
                    "axes.accesslog",
                    "axes.accessfailurelog",
                    "axes.accessattempt",
                ],
                VIEW,
                "zone",
            ),
        ],
    },
    {
        "code": "system_admin",
        "name": "系统管理员",
        "name_en": "System administrator",
        "description": "Keeps the system's configuration: zones, parks, industry classes; "
        "no accounts, no business data.",
        "privileged": True,
        "staff": True,
        "rules": [rule(PUBLIC_REFERENCE, ALL, "zone"), OWN_JOBS],
    },
    {
        "code": "security_admin",
        "name": "安全管理员",
        "name_en": "Security administrator",
        "description": "Manages accounts, roles, scope grants, API tokens and lockouts; "
        "no business data, no logs.",
        "privileged": True,
        "staff": True,
        "rules": [
            OWN_JOBS,
            rule(ACCOUNT_MODELS, ALL, "zone"),
            # deleting a lockout counter unlocks the username or address
            rule(["axes.accessattempt"], ["view", "delete"], "zone"),
            # what a scope grant names
            rule(PUBLIC_REFERENCE, VIEW, "zone"),
        ],
    },
]

# The three-role split (三员分立, MLPS level 3): system, security and audit administration,
# each a role of its own, so no user holds two (a user has one role).
SEPARATED_DUTIES = ("system_admin", "security_admin", "auditor")


def add_app_rules(Role, app_label: str) -> None:
    """Give the shipped roles an app's rules that they lack (a new app on an old install),
    keeping whatever else a deployment changed."""
    prefix = f"{app_label}."
    for spec in DEFAULT_ROLES:
        role = Role.objects.filter(code=spec["code"]).first()
        if role is None:
            continue
        missing = [
            r
            for r in spec["rules"]
            if all(m.startswith(prefix) for m in r["models"]) and r not in role.rules
        ]
        if missing:
            role.rules = [*role.rules, *missing]
            role.save(update_fields=["rules"])


def sync_default_roles(Role) -> None:
    """Create the shipped roles that are missing; never overwrite a deployment's edits."""
    for spec in DEFAULT_ROLES:
        defaults = {k: v for k, v in spec.items() if k != "code"}
        Role.objects.get_or_create(code=spec["code"], defaults=defaults)


def separate_duties(Role) -> None:
    """The three-role split on an installation from before it: the system administrator's
    accounts go to the new security administrator, the system administrator keeps the
    configuration, and the three administrators need a second factor. The rules a
    deployment added otherwise stay."""
    sync_default_roles(Role)
    specs = {spec["code"]: spec for spec in DEFAULT_ROLES}
    for role in Role.objects.filter(code__in=SEPARATED_DUTIES):
        rules = role.rules
        if role.code == "system_admin":
            rules = [r for r in rules if not set(r["models"]) & set(ACCOUNT_MODELS)]
        role.rules = [*rules, *(r for r in specs[role.code]["rules"] if r not in rules)]
        role.privileged = True
        role.save(update_fields=["rules", "privileged"])
