"""The layers of docs/architecture.md, held against every import in the code.

Analytics is pure; core stands on analytics only; jobs (background work) on core; a station
stands on core, analytics, what jobs and the earlier stations of the loop publish (their
models, choices and services); the demo
may use everything and nothing uses the demo; the project's shell (settings, URLs, the
command) wires the stations together. Tests may import what they test.
"""

import ast
from pathlib import Path

import beacon

ROOT = Path(beacon.__file__).parent
# The stations in the order of the loop: a station may build on those before it.
STATIONS = ("registry", "evaluation", "promotion", "chains", "supervision")
# What a station publishes to the stations after it.
PUBLISHED = ("models", "choices", "services")
SHELL = ("settings", "urls", "api_urls", "cli", "wsgi")
# Libraries that would make analytics depend on the web application.
WEB = ("django", "rest_framework", "drf_spectacular", "django_filters", "django_tables2")


def layer(module: str) -> str:
    """``analytics``, ``core``, ``jobs``, ``demo``, ``shell``, ``tests`` or a station's name."""
    parts = module.split(".")
    if "tests" in parts or parts[-1] in ("conftest", "testing"):
        return "tests"
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in SHELL):
        return "shell"
    return parts[1]


def allowed(importer: str, imported: str) -> bool:
    """May module ``importer`` import module ``imported`` (both under ``beacon``)?"""
    source, target = layer(importer), layer(imported)
    if source in ("tests", "demo") or source == target:
        return True
    if target in ("tests", "demo"):
        return False
    if source == "analytics":
        return False
    if source == "core":
        return target == "analytics"
    if source == "jobs":
        return target in ("analytics", "core")
    if source == "shell":
        return True
    # a station
    if target in ("analytics", "core"):
        return True
    if target == "jobs":
        return imported.split(".")[2:3] in ([name] for name in PUBLISHED)
    if target in STATIONS and STATIONS.index(target) < STATIONS.index(source):
        return imported.split(".")[2:3] in ([name] for name in PUBLISHED)
    return False


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    path = ROOT.parent / Path(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports(source: str, name: str, package: bool = False):
    """``(line, module)`` for each module of ``beacon`` that the source of module ``name``
    imports, relative imports resolved; ``from x import y`` is ``x.y`` when y is a module."""
    here = name if package else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found = [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found = [
                (node.lineno, f"{base}.{a.name}" if is_module(f"{base}.{a.name}") else base)
                for a in node.names
            ]
        else:
            continue
        yield from ((line, module) for line, module in found if module.split(".")[0] == "beacon")


def imports_of(path: Path):
    source = path.read_text(encoding="utf-8")
    return imports(source, module_name(path), path.name == "__init__.py")


def python_files():
    return [p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts]


def test_every_import_keeps_to_the_layers():
    problems = []
    for path in python_files():
        importer = module_name(path)
        for line, imported in imports_of(path):
            if not allowed(importer, imported):
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert problems == []


def test_analytics_is_pure():
    problems = []
    for path in python_files():
        if layer(module_name(path)) != "analytics":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            problems += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in WEB]
    assert problems == []


def test_imports_are_read_as_the_modules_they_name():
    source = (
        "from beacon.promotion import services\n"
        "from ..models import Lead\n"
        "from beacon.core.gate import write\n"
        "import beacon.analytics.io\n"
        "import polars\n"
    )
    assert list(imports(source, "beacon.chains.views")) == [
        (1, "beacon.promotion.services"),
        (2, "beacon.models"),
        (3, "beacon.core.gate"),
        (4, "beacon.analytics.io"),
    ]
    assert list(imports("from ..models import Lead\n", "beacon.promotion.views.leads")) == [
        (1, "beacon.promotion.models")
    ]


def test_the_rules_refuse_what_the_layers_forbid():
    """The checker itself: each rule of docs/architecture.md, both ways."""
    assert allowed("beacon.chains.services", "beacon.promotion.services")
    assert allowed("beacon.supervision.views", "beacon.promotion.models")
    assert not allowed("beacon.promotion.services", "beacon.chains.services")  # later station
    assert not allowed("beacon.chains.views", "beacon.promotion.views")  # not published
    assert not allowed("beacon.core.views.generic", "beacon.registry.models")
    assert not allowed("beacon.analytics.chains", "beacon.core.gate")
    assert not allowed("beacon.registry.models", "beacon.demo.plan")
    assert not allowed("beacon.urls", "beacon.demo.accounts")
    assert allowed("beacon.demo.writer", "beacon.registry.models")
    assert allowed("beacon.evaluation.jobs", "beacon.jobs.services")
    assert not allowed("beacon.evaluation.views", "beacon.jobs.views")  # not published
    assert not allowed("beacon.jobs.views", "beacon.evaluation.models")
    assert not allowed("beacon.core.views.generic", "beacon.jobs.models")
    assert allowed("beacon.registry.tests.test_views", "beacon.demo.plan")
    assert allowed("beacon.core.management.commands.serve", "beacon.core.checks")
    assert allowed("beacon.urls", "beacon.registry.views")
