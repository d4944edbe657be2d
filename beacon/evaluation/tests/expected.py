"""What each role may do in the evaluation, written by hand from beacon/core/roles.py, never
computed from it, so that a change to the roles that is not also made here fails the tests.
"""

from beacon.core.testing import ALL, E1, NO, P1

# Per model and role: (view, add, change, delete), each ALL (the whole zone), P1 (park P1,
# the park officer's grant), E1 (zone["p1_enterprise"], the enterprise user's grant) or NO.
# fmt: off
SHARED = {
    # the zone's schemes and run totals are shared with the parks, not with enterprises
    "zone_admin":      (ALL, ALL, ALL, ALL),
    "park_officer":    (ALL, NO, NO, NO),
    "promoter":        (NO, NO, NO, NO),
    "leader":          (ALL, NO, NO, NO),
    "enterprise_user": (NO, NO, NO, NO),
    "auditor":         (NO, NO, NO, NO),
    "system_admin":    (NO, NO, NO, NO),
    "security_admin":  (NO, NO, NO, NO),
}
EXPECTED = {
    "scheme": SHARED,
    "evaluationrun": SHARED,
    "evaluationresult": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (P1, NO, NO, NO),
        "promoter":        (NO, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        # in official runs only (the rule's "where"): the walks' E1 reach has those alone
        "enterprise_user": (E1, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "annualflag": {
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
