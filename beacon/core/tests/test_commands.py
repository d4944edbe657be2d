"""The console commands that manage people, tokens and the data folder."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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
