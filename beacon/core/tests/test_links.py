"""An object's page address, worked out once per view, is the one ``reverse`` gives."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from beacon.core.links import object_url

VIEWS = ("registry:enterprise", "registry:park", "promotion:lead", "jobs:job")


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("pk", [1, 7, 10, 1_000_000])
def test_an_object_url_is_the_reversed_one(view_name, pk):
    assert object_url(view_name, pk) == reverse(view_name, args=[pk])


def test_each_script_prefix_has_its_own_address():
    plain = object_url("registry:park", 3)
    set_script_prefix("/zone-a/")
    try:
        assert object_url("registry:park", 3) == "/zone-a" + plain
        assert object_url("registry:park", 3) == reverse("registry:park", args=[3])
    finally:
        clear_script_prefix()
    assert object_url("registry:park", 3) == plain


def test_an_unsaved_object_has_no_address():
    with pytest.raises(NoReverseMatch):
        object_url("registry:park", None)
