"""What each role may do in investment promotion, written by hand from beacon/core/roles.py,
never computed from it, so that a change to the roles that is not also made here fails the
tests.
"""

from beacon.core.testing import ALL, NO, P1, T1

# Per model and role: (view, add, change, delete), each ALL (the whole zone), P1 (park P1,
# the park officer's grant), T1 (team t1, the promoter's grant) or NO (the page is a 404).
# fmt: off
EXPECTED = {
    "team": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (ALL, NO, NO, NO),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "activity": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (NO, NO, NO, NO),
        "promoter":        (T1, T1, T1, T1),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "lead": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        # the leads proposed for their parks, whichever team works them
        "park_officer":    (P1, NO, NO, NO),
        "promoter":        (T1, T1, T1, T1),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "stagechange": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (P1, NO, NO, NO),
        # added by moving a lead (or importing its history), never edited or deleted
        "promoter":        (T1, T1, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "parkentryrule": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (ALL, P1, P1, NO),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "promotiontarget": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (NO, NO, NO, NO),
        # their teams' targets: the zone's own target has no team
        "promoter":        (T1, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
}
# fmt: on
