"""The demo zone and every station's data on it, built the same way from one seed, and the
``beacon demo`` command that loads it.

Production code never imports this package (the demo's command and tests and the
benchmarks do), so the stations stand without it. Installed as an app, it also checks that
no demo account keeps the published password where Beacon serves for production.
"""
