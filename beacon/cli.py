"""The ``beacon`` console command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["evaluate"] and "--input" in args:
        # The batch evaluation reads and writes files only: no Django, no database.
        from beacon.analytics.cli import main as evaluate

        sys.exit(evaluate(args[1:]))
    if args[:2] == ["pipeline", "metrics"]:  # files only, like evaluate: no Django
        from beacon.analytics.pipeline_cli import main as pipeline_metrics

        sys.exit(pipeline_metrics(args[2:]))
    if args[:2] in (["chains", "gaps"], ["chains", "target"]) and "--to-pipeline" not in args:
        # files only: no Django (with --to-pipeline the targets become leads in the database)
        from beacon.analytics.chains_cli import main as chains

        sys.exit(chains(args[1:]))
    if args[:1] == ["supervise"] and "--projects" in args:  # files only, like evaluate
        from beacon.analytics.supervision_cli import main as supervise

        sys.exit(supervise(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["beacon", *args])


if __name__ == "__main__":
    main()
