"""What each role may do with industrial chains, written by hand from beacon/core/roles.py,
never computed from it, so that a change to the roles that is not also made here fails the
tests.
"""

from beacon.core.testing import ALL, NO

# Per model and role: (view, add, change, delete), each ALL (the whole zone) or NO (the page
# is a 404). Chains and target lists are the zone's: no scope narrows them.
# fmt: off
EXPECTED = {
    "chain": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (ALL, NO, NO, NO),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    # the park officer maps their parks' enterprises to links but gets no target lists
    "targetlist": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        "park_officer":    (NO, NO, NO, NO),
        "promoter":        (ALL, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
}
EXPECTED["target"] = EXPECTED["targetlist"]
# fmt: on
