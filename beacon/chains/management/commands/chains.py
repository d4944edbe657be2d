from pathlib import Path

import polars as pl
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beacon.analytics.chains import InputError
from beacon.analytics.conditions import RuleError
from beacon.analytics.sheets import safe_frame
from beacon.core import gate
from beacon.core.commandline import acting_user
from beacon.core.versions import save_version
from beacon.promotion.models import Team

from ... import membership
from ...models import Chain, LinkMember
from ...services import check_chain_text, load_templates, make_target_list, to_pipeline

COLUMNS = ("link", "rank", "uscc", "name", "province", "city", "industry_code", "score", "reasons")


def write_targets(targets, path: Path) -> None:
    """The targets in the columns of ``beacon chains target --out``."""
    frame = pl.DataFrame(
        [[getattr(t, c) for c in COLUMNS] for t in targets], schema=COLUMNS, orient="row"
    )
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
    else:
        safe_frame(frame).write_csv(path)


class Command(BaseCommand):
    help = (
        "Chains in the database: 'load' adds the shipped chain templates; 'rebuild' "
        "recomputes which enterprises are in which link (kept on every write; for a "
        "database edited outside Beacon); 'target … "
        "--to-pipeline TEAM' ranks a candidate file for a stored chain's gaps over the "
        "registry and makes the targets leads of the team. (Without --to-pipeline, 'beacon "
        "chains gaps|target' work on files alone.)"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="add the chain templates shipped with Beacon")
        sub.add_parser(
            "rebuild", help="recompute every chain's link members from the whole registry"
        )
        target = sub.add_parser("target", help="targets for a stored chain's gaps, as leads")
        target.add_argument("--chain", required=True, help="a stored chain's key, or its YAML file")
        target.add_argument("--candidates", type=Path, required=True)
        target.add_argument("--to-pipeline", required=True, metavar="TEAM", help="team code")
        target.add_argument("--top", type=int, default=50)
        target.add_argument("--exclude-provinces", default="")
        target.add_argument("--home-province")
        target.add_argument("--home-city")
        target.add_argument("--out", type=Path, help="also write the targets (csv, parquet)")
        target.add_argument("--user", help="made by this user (their name on the leads)")

    def handle(self, *args, action, **options):
        if action == "load":
            made = load_templates()
            self.stdout.write(f"{len(made)} chains added: {', '.join(c.key for c in made) or '-'}")
            return
        if action == "rebuild":
            membership.rebuild_all()
            self.stdout.write(f"{LinkMember.objects.count()} link members kept")
            return
        user = acting_user(options["user"])
        team = Team.objects.filter(code=options["to_pipeline"]).first()
        if team is None:
            raise CommandError(f"unknown team {options['to_pipeline']!r}")
        chain = self.chain(options["chain"], user)
        provinces = [p.strip() for p in options["exclude_provinces"].split(",") if p.strip()]
        # --user names whose the list and the leads are, as the operator writes them; the
        # list and its leads are kept together or not at all
        try:
            with gate.as_operator(), transaction.atomic():
                target_list = make_target_list(
                    chain,
                    options["candidates"],
                    user,
                    top=options["top"],
                    exclude_provinces=provinces,
                    home_province=options["home_province"],
                    home_city=options["home_city"],
                )
                targets = list(target_list.targets.select_related("target_list__chain"))
                leads = to_pipeline(targets, team, user)
        except (RuleError, InputError, OSError) as e:
            raise CommandError(str(e)) from e
        if options["out"]:
            write_targets(targets, options["out"])
        self.stdout.write(
            f"target list {target_list.pk}: {len(targets)} targets for {chain.key}; "
            f"{len(leads)} leads made for team {team.code}"
        )

    def chain(self, given: str, user) -> Chain:
        path = Path(given)
        if path.suffix.lower() in (".yaml", ".yml"):
            try:
                text = path.read_text(encoding="utf-8")
                parsed = check_chain_text(text)
            except (OSError, RuleError) as e:
                raise CommandError(f"{path}: {e}") from e
            chain, _created = Chain.objects.get_or_create(
                key=parsed.key,
                defaults={
                    "name": parsed.name.get("zh", parsed.key),
                    "name_en": parsed.name.get("en", ""),
                },
            )
            save_version(chain, text, user, f"from {path.name}")
            return chain
        chain = Chain.objects.filter(key=given).first()
        if chain is None:
            known = ", ".join(Chain.objects.values_list("key", flat=True)) or "none"
            raise CommandError(f"no chain {given!r}; chains: {known}")
        return chain
