"""The documented import columns are the real ones (the docs are a public contract too)."""

import re
from pathlib import Path

import pytest

from beacon.core.resources import get_resource, resource_kinds

DOC = Path(__file__).resolve().parents[3] / "docs" / "import-formats.md"


@pytest.mark.parametrize("kind", resource_kinds(importable_only=True))
def test_every_column_is_documented_in_its_section(kind):
    sections = re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.M)
    section = next(s for s in sections if s.startswith(f"`{kind}`"))
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M)
    assert documented == get_resource(kind).headers
