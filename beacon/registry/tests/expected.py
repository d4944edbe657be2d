"""What each role may do in the registry: the specification the UI and API walks check.

Written by hand from beacon/core/roles.py, never computed from it, so that a change to
the roles that is not also made here fails the tests.
"""

from beacon.core.testing import ALL, E1, NO, P1

# What each role may do, copied by hand from beacon/core/roles.py. Per model and role:
# (view, add, change, delete), each ALL (the whole zone), P1 (park P1, the park officer's
# grant), E1 (zone["p1_enterprise"], the enterprise user's grant) or NO (the page is a 404).
# fmt: off
EXPECTED = {
    "zone": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (ALL, NO, NO, NO),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (ALL, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (ALL, ALL, ALL, ALL),
        "security_admin":  (ALL, NO, NO, NO),
    },
    "park": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (ALL, NO, P1, NO),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (ALL, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (ALL, ALL, ALL, ALL),
        "security_admin":  (ALL, NO, NO, NO),
    },
    "industryclass": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (ALL, NO, NO, NO),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (ALL, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (ALL, ALL, ALL, ALL),
        "security_admin":  (ALL, NO, NO, NO),
    },
    "parcel": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (P1, P1, P1, P1),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "enterprise": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (P1, P1, P1, P1),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (E1, NO, E1, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "annualfigure": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (P1, P1, P1, P1),
        "promoter":        (NO, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (E1, E1, E1, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "innovationplatform": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (P1, P1, P1, P1),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (E1, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "talent": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (P1, P1, P1, P1),
        "promoter":        (NO, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (E1, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
}
# fmt: on
