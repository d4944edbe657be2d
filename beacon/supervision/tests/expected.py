"""What each role may do in key-project supervision, written by hand from
beacon/core/roles.py, never computed from it, so that a change to the roles that is not also
made here fails the tests.
"""

from beacon.core.testing import ALL, NO, P1

# Per model and role: (view, add, change, delete), each ALL (the whole zone), P1 (park P1,
# the park officer's grant, reached through the project's park) or NO (the page is a 404).
# fmt: off
FILED_UNDER_A_PROJECT = {
    # what a park officer files on their parks' projects: milestones, reports, issues
    "zone_admin":      (ALL, ALL, ALL, ALL),
    "park_officer":    (P1, P1, P1, P1),
    "promoter":        (NO, NO, NO, NO),
    "leader":          (ALL, NO, NO, NO),
    "enterprise_user": (NO, NO, NO, NO),
    "auditor":         (NO, NO, NO, NO),
    "system_admin":    (NO, NO, NO, NO),
    "security_admin":  (NO, NO, NO, NO),
}
ZONE_WIDE = {
    # the league tables and the status rules every park is judged by
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
    "keyproject": {
        "zone_admin":      (ALL, ALL, ALL, ALL),
        # their parks' projects, which the zone makes and they keep up to date
        "park_officer":    (P1, NO, P1, NO),
        "promoter":        (NO, NO, NO, NO),
        "leader":          (ALL, NO, NO, NO),
        "enterprise_user": (NO, NO, NO, NO),
        "auditor":         (NO, NO, NO, NO),
        "system_admin":    (NO, NO, NO, NO),
        "security_admin":  (NO, NO, NO, NO),
    },
    "milestone": FILED_UNDER_A_PROJECT,
    "progressreport": FILED_UNDER_A_PROJECT,
    "projectissue": FILED_UNDER_A_PROJECT,
    "leaguetable": ZONE_WIDE,
    "statusrules": ZONE_WIDE,
}
# fmt: on
