"""Fail CI on a dependency with a known vulnerability (pip-audit against PyPI's advisories).

A machine that cannot reach the advisory service gets every dependency back as skipped:
then nothing was audited, which is said loudly, and CI does not fail on the network.
"""

import json
import subprocess
import sys

done = subprocess.run(
    [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off", "--skip-editable"],
    capture_output=True,
    text=True,
)
try:
    report = json.loads(done.stdout)
except json.JSONDecodeError:
    print(done.stderr.strip()[-2000:], file=sys.stderr)
    sys.exit("pip-audit gave no report")
dependencies = report["dependencies"]
vulnerable = [d for d in dependencies if d.get("vulns")]
audited = [d for d in dependencies if "skip_reason" not in d]
for d in vulnerable:
    for v in d["vulns"]:
        fixed = ", ".join(v.get("fix_versions") or []) or "no fixed release"
        print(f"{d['name']} {d['version']}: {v['id']} (fixed in {fixed})")
if vulnerable:
    sys.exit(f"{len(vulnerable)} dependencies with known vulnerabilities")
if not audited:
    print(
        f"WARNING: none of {len(dependencies)} dependencies could be audited "
        "(the advisory service is out of reach from this machine)"
    )
else:
    print(f"{len(audited)} dependencies audited, no known vulnerabilities")
