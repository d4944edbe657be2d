"""The message catalog is in step with the source, fully translated and compiled.

The drift check extracts the messages from a copy of the package, as the refresh command
does, and compares them with the committed ``django.po``; nothing in the working tree is
written. It needs GNU gettext (``xgettext``, ``msgmerge``, ``msgfmt``), as
``makemessages`` does.
"""

import ast
import gettext
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _

from beacon.core.resources import RowProblem

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = "zh_Hans"
CATALOG_DIR = PACKAGE / "locale" / LOCALE / "LC_MESSAGES"
PO, MO = CATALOG_DIR / "django.po", CATALOG_DIR / "django.mo"
# What makemessages skips: tests, migrations and static files carry no user-facing text.
IGNORE = ("tests", "migrations", "conftest.py", "static")
EXTENSIONS = (".py", ".html", ".txt")  # makemessages' defaults for the django domain
MAKEMESSAGES = (
    f"cd beacon && django-admin makemessages -l {LOCALE} --no-obsolete --add-location file "
    + " ".join(f"-i {pattern}" for pattern in IGNORE)
)
COMPILEMESSAGES = f"cd beacon && django-admin compilemessages -l {LOCALE}"
HOW_TO_REFRESH = (
    f"Refresh the catalog from the repository root:\n    {MAKEMESSAGES}\n"
    f"then translate every new or fuzzy entry in beacon/locale/{LOCALE}/LC_MESSAGES/django.po "
    f"(fill msgstr, delete the '#, fuzzy' line) and compile it:\n    {COMPILEMESSAGES}\n"
    "(see docs/i18n.md)."
)


def require_gettext():
    missing = [t for t in ("xgettext", "msgmerge", "msgfmt") if shutil.which(t) is None]
    if missing:
        pytest.fail(f"GNU gettext is needed for the message checks (missing: {missing}).")


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr forms, flags."""
    entry: dict[str, Any] | None
    keyword: str | tuple[str, int] | None  # ("msgstr", form) after a msgstr line
    entries, entry, keyword = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False, "msgstr": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
            line = line[2:].strip()
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _sep, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                form = int(keyword[7:-1]) if "[" in keyword else 0
                keyword = ("msgstr", form)
                entry["msgstr"][form] = ""
            else:
                entry[keyword] = ""
        if isinstance(keyword, tuple):
            entry["msgstr"][keyword[1]] += value
        else:
            assert keyword is not None  # a continued string follows its keyword's line
            entry[keyword] += value
    return entries


def message_keys(entries: list[dict]) -> set[tuple]:
    return {
        (e.get("msgctxt"), e["msgid"], e.get("msgid_plural"))
        for e in entries
        if e["msgid"] and not e["obsolete"]
    }


def describe(keys) -> str:
    return "\n".join(f"    {msgid!r}" for _ctx, msgid, _plural in sorted(keys, key=str)[:20])


def test_catalog_has_exactly_the_messages_of_the_source(tmp_path, settings, monkeypatch):
    require_gettext()
    source = tmp_path / "beacon"

    def skipped(directory, names):
        return [
            name
            for name in names
            if name in IGNORE
            or name in ("locale", "__pycache__")
            or ((Path(directory) / name).is_file() and not name.endswith(EXTENSIONS))
        ]

    shutil.copytree(PACKAGE, source, ignore=skipped)
    (source / "locale").mkdir()
    settings.LOCALE_PATHS = []  # write to the copy's locale/ only
    monkeypatch.chdir(source)
    call_command(
        "makemessages",
        locale=[LOCALE],
        ignore_patterns=list(IGNORE),
        no_obsolete=True,
        add_location="file",
        verbosity=0,
    )
    extracted = message_keys(read_po(source / "locale" / LOCALE / "LC_MESSAGES" / "django.po"))
    committed_entries = read_po(PO)
    committed = message_keys(committed_entries)
    obsolete = [e["msgid"] for e in committed_entries if e["obsolete"]]

    problems = []
    if extracted - committed:
        problems.append(f"Messages missing from django.po:\n{describe(extracted - committed)}")
    if committed - extracted:
        problems.append(f"Messages no longer in the source:\n{describe(committed - extracted)}")
    if obsolete:
        problems.append(f"Obsolete (#~) entries: {obsolete[:20]}")
    assert not problems, "\n".join([*problems, HOW_TO_REFRESH])


def test_every_message_is_translated():
    entries = read_po(PO)
    header = next(e for e in entries if e["msgid"] == "")
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"][0]
    assert f"Language: {LOCALE}\n" in header["msgstr"][0]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [
        e["msgid"]
        for e in entries
        if e["msgid"] and (sorted(e["msgstr"]) != [0] or not e["msgstr"][0].strip())
    ]
    assert not fuzzy, f"Fuzzy entries in django.po: {fuzzy[:20]}\n{HOW_TO_REFRESH}"
    assert not untranslated, f"Untranslated entries: {untranslated[:20]}\n{HOW_TO_REFRESH}"


def test_compiled_catalog_matches_the_po(tmp_path):
    require_gettext()
    compiled = tmp_path / "django.mo"
    # --check: placeholders such as %(row)s must survive translation (python-format).
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, f"msgfmt --check fails on django.po:\n{result.stderr}"
    with compiled.open("rb") as fresh, MO.open("rb") as shipped:
        fresh_catalog = gettext.GNUTranslations(fresh)._catalog
        shipped_catalog = gettext.GNUTranslations(shipped)._catalog
    assert shipped_catalog == fresh_catalog, (
        f"django.mo is older than django.po; compile it:\n    {COMPILEMESSAGES}"
    )


@pytest.mark.django_db
def test_login_page_speaks_the_requested_language(client):
    chinese = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录 Beacon" in chinese and "Log in" not in chinese
    assert "Log in to Beacon" in english and "登录" not in english


def test_import_problems_are_translated():
    with translation.override("zh-hans"):
        assert str(RowProblem(2, "uscc", "x")) == "第 2 行，uscc 列：x"
        problem = RowProblem(3, "park", _("outside your scope"))
        assert str(problem) == "第 3 行，park 列：超出您的数据权限范围"
    assert str(RowProblem(2, "uscc", "x")) == "row 2, column uscc: x"


@pytest.mark.django_db
def test_the_command_line_stays_english(zone, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("uscc,name,industry_code,park\n123,x,3841,P1\n456,y,3841,P9\n")
    with translation.override("zh-hans"), pytest.raises(SystemExit):
        call_command("import", "enterprises", str(path))
    err = capsys.readouterr().err
    assert "row 2, column uscc: A Unified Social Credit Code has 18 characters." in err
    assert "row 3, column park: unknown: P9" in err
