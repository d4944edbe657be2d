"""The console commands that manage people, tokens and the data folder."""

import datetime as dt
import io
import os
import stat
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from beacon.core.models import ApiToken, User, hash_token


@pytest.mark.django_db
class TestCreateUser:
    def test_park_officer_with_two_parks(self, zone, capsys):
        call_command(
            "createuser",
            "anna",
            "--role",
            "park_officer",
            "--park",
            "P1",
            "--park",
            "P2",
            "--password",
            "x-Long-enough-9",
        )
        user = User.objects.get(username="anna")
        assert user.role.code == "park_officer"
        assert user.scope_ids("park") == {zone["p1"].pk, zone["p2"].pk}
        assert user.check_password("x-Long-enough-9")
        assert not user.is_superuser
        assert "created anna (park_officer)" in capsys.readouterr().out

    def test_enterprise_user_is_tied_to_its_enterprise(self, zone):
        uscc = zone["p1_enterprise"].uscc
        call_command(
            "createuser",
            "firm",
            "--role",
            "enterprise_user",
            "--enterprise",
            uscc,
            "--password",
            "x-Long-enough-9",
        )
        assert User.objects.get(username="firm").scope_ids("enterprise") == {
            zone["p1_enterprise"].pk
        }

    def test_promoter_is_a_member_of_its_teams(self, zone):
        from beacon.promotion.models import Team

        team = Team.objects.create(code="nev", name="新能源汽车招商组")
        call_command(
            "createuser",
            "li",
            "--role",
            "promoter",
            "--team",
            "nev",
            "--password",
            "x-Long-enough-9",
        )
        user = User.objects.get(username="li")
        assert user.scope_ids("team") == {team.pk}
        assert list(team.members) == [user]

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--role", "king"], "unknown role 'king'"),
            (["--role", "park_officer", "--park", "P9"], "unknown park 'P9'"),
            (["--role", "promoter", "--team", "nobody"], "unknown team 'nobody'"),
        ],
    )
    def test_bad_arguments_are_refused_and_nothing_is_created(self, zone, args, message):
        with pytest.raises(CommandError, match=message):
            call_command("createuser", "bob", *args, "--password", "x-Long-enough-9")
        assert not User.objects.filter(username="bob").exists()

    def test_zone_admin_is_staff_for_the_django_admin(self, db):
        call_command("createuser", "chief", "--role", "zone_admin", "--password", "x-Long-enough-9")
        assert User.objects.get(username="chief").is_staff


@pytest.mark.django_db
def test_token_create_prints_a_key_that_is_stored_only_as_a_hash(users, capsys):
    call_command("token", "create", "leader")
    key = capsys.readouterr().out.strip()
    assert key.startswith("bcn_") and len(key) > 40
    token = ApiToken.objects.get(user=users["leader"])
    assert token.key_hash == hash_token(key)
    assert key not in {token.key_hash, token.prefix}
    with pytest.raises(CommandError, match="unknown user 'nobody'"):
        call_command("token", "create", "nobody")


def test_secret_key_is_generated_with_mode_0600(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "BEACON_HOME": str(home)}
    env.pop("BEACON_SECRET_KEY", None)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            f"'beacon.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    key_file = home / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first
    assert len(first) >= 50


@pytest.mark.django_db
class TestServeRefusesUnsafeProduction:
    def test_a_clean_installation_has_no_problems(self, users):
        from beacon.core.management.commands.serve import production_problems

        assert production_problems() == []

    def test_superusers_debug_and_demo_passwords_are_refused(self, users, settings):
        from beacon.demo.accounts import DEMO_PASSWORD

        User.objects.create_superuser("root", password="x-Long-enough-9")
        demo = User.objects.create_user("admin", password=DEMO_PASSWORD)
        settings.DEBUG = True
        with pytest.raises(CommandError) as info:
            call_command("serve")
        assert str(info.value).splitlines() == [
            "not serving in production:",
            "  DEBUG is on (unset BEACON_DEBUG)",
            "  superuser accounts exist: root",
            "  demo accounts still have the demo password: admin (run the demo with 'beacon "
            "demo', or change or remove these accounts)",
        ]
        demo.set_password("a-new-Secret-77")
        demo.save()
        settings.DEBUG = False
        User.objects.filter(username="root").delete()
        from beacon.core.management.commands.serve import production_problems

        assert production_problems() == []


@pytest.mark.django_db
class TestTokens:
    """`beacon token create|list|revoke`: every token expires, is listed without its
    secret, and can be revoked; issuing and revoking are in the change log."""

    def create(self, *args) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("token", "create", *args, stdout=out, stderr=err)
        return out.getvalue().strip(), err.getvalue().strip()

    def test_create_prints_the_key_alone_and_its_expiry_beside(self, users, settings):
        settings.TIME_ZONE = "Asia/Shanghai"
        key, said = self.create("leader", "--days", "7")
        token = ApiToken.objects.get(key_hash=hash_token(key))
        expires = timezone.localtime(token.expires)
        assert expires - timezone.localtime(token.created) == dt.timedelta(days=7)
        assert said == (f"token {token.pk} ({key[:8]}…) of leader expires {expires:%Y-%m-%d %H:%M}")

    @pytest.mark.parametrize("days", ["0", "-3", "soon"])
    def test_create_refuses_a_number_of_days_that_is_not_one_or_more(self, users, days):
        with pytest.raises(CommandError, match=f"'{days}' is not a number of days"):
            call_command("token", "create", "leader", "--days", days)
        assert not ApiToken.objects.exists()

    def test_list_shows_every_token_but_never_its_secret(self, users, settings):
        settings.TIME_ZONE = "UTC"
        moment = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
        leader_key, _said = self.create("leader")
        auditor_key, _said = self.create("auditor")
        leader = ApiToken.objects.get(key_hash=hash_token(leader_key))
        auditor = ApiToken.objects.get(key_hash=hash_token(auditor_key))
        ApiToken.objects.filter(pk=leader.pk).update(
            created=moment, expires=moment + dt.timedelta(days=90), last_used=moment
        )
        ApiToken.objects.filter(pk=auditor.pk).update(
            created=moment, expires=moment, revoked=moment
        )
        out = io.StringIO()
        call_command("token", "list", stdout=out)
        listed = out.getvalue()
        assert listed.splitlines() == [
            "id  prefix    user     state    created           expires           last used"
            "         revoked",
            f"{leader.pk:<2}  {leader.prefix}  leader   active   2026-12-07 08:00  "
            "2027-03-07 08:00  2026-12-07 08:00  -",
            f"{auditor.pk:<2}  {auditor.prefix}  auditor  revoked  2026-12-07 08:00  "
            "2026-12-07 08:00  -                 2026-12-07 08:00",
        ]
        assert leader_key not in listed and auditor_key not in listed
        out = io.StringIO()
        call_command("token", "list", "auditor", stdout=out)
        assert [line.split()[0] for line in out.getvalue().splitlines()] == ["id", str(auditor.pk)]
        with pytest.raises(CommandError, match="unknown user 'nobody'"):
            call_command("token", "list", "nobody")

    def test_revoke_stops_a_token_and_both_writes_are_in_the_change_log(self, users):
        from django.test import Client

        from beacon.core.models import ChangeLogEntry

        key, _said = self.create("leader", "--description", "reporting script")
        token = ApiToken.objects.get(key_hash=hash_token(key))
        out = io.StringIO()
        call_command("token", "revoke", str(token.pk), stdout=out)
        assert out.getvalue() == f"revoked token {token.pk} ({key[:8]}…) of leader\n"
        token.refresh_from_db()
        assert token.state == "revoked"
        response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/registry/zones/")
        assert response.status_code == 401
        created, revoked = ChangeLogEntry.objects.get_for_object(token).order_by("pk")
        assert (created.action, revoked.action) == (
            ChangeLogEntry.Action.CREATE,
            ChangeLogEntry.Action.UPDATE,
        )
        assert {"user", "prefix", "description", "expires"} <= set(created.changes)
        assert "key_hash" not in created.changes
        assert list(revoked.changes) == ["revoked"]
        # revoking again changes nothing
        again = io.StringIO()
        call_command("token", "revoke", str(token.pk), stdout=again)
        assert again.getvalue().startswith(f"token {token.pk} ({key[:8]}…) was revoked on ")
        assert ChangeLogEntry.objects.get_for_object(token).count() == 2

    def test_revoke_of_an_unknown_id_is_refused(self, users):
        with pytest.raises(CommandError, match=r"unknown token 999 \(see 'beacon token list'\)"):
            call_command("token", "revoke", "999")
