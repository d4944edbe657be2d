"""Every model with pages or an API route has its walk (``beacon.core.testing``).

A model's checklist ends with its tests: the walk tries its list, search, export, detail,
history, create, edit, delete and import pages and its API endpoint for every role, in and
out of scope. These tests fail when a station adds a model with pages or an API route and
no walk for it, so the stations to come (policy, insight, portal) get the walk by adding
one class per model, and cannot ship a model without it.
"""

import importlib
import pkgutil
from importlib.machinery import FileFinder
from pathlib import Path
from typing import cast

import beacon
from beacon.api_urls import router
from beacon.core.testing import WALKS, EndpointCases, ModelViewCases, registered_pages

WALK_BASES = (ModelViewCases.__name__, EndpointCases.__name__)
# Models with pages that no walk can try, each with why. None so far: keep it that way.
UNWALKED_PAGES: dict[str, str] = {}
# API routes that no walk can try, each with why. None so far.
UNWALKED_ROUTES: dict[str, str] = {}


def walks() -> list[type]:
    """Every walk in the test modules, imported under the names pytest imports them by, so
    each class is counted once however the tests were selected.

    Only the modules that name a walk base are imported: others may do work as they load
    (the OpenAPI conformance test fetches the schema through the application).
    """
    for module in pkgutil.walk_packages(beacon.__path__, "beacon."):
        if ".tests.test_" not in module.name:
            continue
        # walk_packages finds test modules on the file system: its finders have a path
        finder = cast(FileFinder, module.module_finder)
        source = Path(finder.path, f"{module.name.rsplit('.', 1)[1]}.py")
        if any(base in source.read_text(encoding="utf-8") for base in WALK_BASES):
            importlib.import_module(module.name)
    return WALKS


def test_every_model_with_pages_has_a_page_walk():
    walked = {cls.model._meta.label for cls in walks() if issubclass(cls, ModelViewCases)}
    with_pages = {model._meta.label for model in registered_pages()}
    assert sorted(with_pages - walked - set(UNWALKED_PAGES)) == []
    # an exemption goes once the model is walked or has no pages
    assert set(UNWALKED_PAGES) <= with_pages - walked


def test_every_api_route_has_an_endpoint_walk():
    routes = {
        prefix: viewset.queryset.model._meta.label
        for prefix, viewset, _basename in router.registry
        if prefix not in UNWALKED_ROUTES
    }
    walked = {cls.route: cls.model._meta.label for cls in walks() if issubclass(cls, EndpointCases)}
    assert walked == routes
    # an exemption goes once the route is walked or gone
    assert set(UNWALKED_ROUTES) <= {prefix for prefix, _v, _b in router.registry} - set(walked)


def test_every_walk_is_collected():
    # a walk pytest does not collect would count here and test nothing
    for cls in walks():
        name = f"{cls.__module__}.{cls.__qualname__}"
        assert cls.__name__.startswith("Test") and ".tests.test_" in cls.__module__, name
