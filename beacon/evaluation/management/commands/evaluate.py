from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from beacon.analytics.conditions import RuleError
from beacon.core import gate
from beacon.core.commandline import acting_user

from ...models import Scheme
from ...services import mark_official, run_evaluation


class Command(BaseCommand):
    help = (
        "Evaluate a year of the registry's figures by a stored scheme and store the run. "
        "(With --input, 'beacon evaluate' evaluates files instead; see 'beacon evaluate "
        "--input F --help'.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--scheme", required=True, help="the scheme's code or name")
        parser.add_argument(
            "--scheme-version",
            type=int,
            help="a version number of the scheme (default: the latest)",
        )
        parser.add_argument("--official", action="store_true", help="mark the run official")
        parser.add_argument("--note", default="")
        parser.add_argument("--user", help="run as this user (their scope, their name on it)")

    def handle(self, *args, year, scheme, scheme_version, official, note, user, **options):
        found = Scheme.objects.filter(Q(code=scheme) | Q(name=scheme)).first()
        if found is None:
            known = ", ".join(Scheme.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no scheme {scheme!r}; schemes: {known}")
        chosen = None
        if scheme_version is not None:
            chosen = found.versions.filter(number=scheme_version).first()
            if chosen is None:
                raise CommandError(f"scheme {found.code} has no version {scheme_version}")
        actor = acting_user(user)
        try:
            run = run_evaluation(found, year, actor, version=chosen, note=note)
            if official:
                mark_official(run, actor)
        except RuleError as e:
            raise CommandError(str(e)) from e
        except gate.OutsideScope:
            raise CommandError(f"user {user!r} may not run or mark this evaluation") from None
        counts = ", ".join(f"{k} {v}" for k, v in run.class_counts.items())
        self.stdout.write(
            f"run {run.pk}: {found.code} v{run.version.number}, {year}: "
            f"{run.rated} of {run.enterprises} enterprises rated; classes: {counts}"
            + ("; official" if official else "")
        )
