"""The one permission layer: which rows may this user see or change.

A user has one role; a role's rules name models, actions and a scope kind. A scope
kind other than ``zone`` reaches the objects granted to the user (``ScopeGrant``),
through the lookup the model declares in ``scope_paths``. Every list, detail, form,
API endpoint, export, search and import asks this module, so a scope cannot be
forgotten in one of them.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import cast

from django.db import models
from django.db.models import Q

from .choices import Action, ScopeKind

ACTIONS = tuple(Action.values)


def model_label(model) -> str:
    return model._meta.label_lower


def scope_kinds(user, model, action: str) -> set[str]:
    """The scope kinds through which ``user`` may perform ``action`` on ``model``."""
    return {rule["scope"] for rule in _rules(user, model, action)}


def _rules(user, model, action: str) -> list[dict]:
    """The rules of ``user``'s role that grant ``action`` on ``model``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [{"scope": ScopeKind.ZONE}]
    role = getattr(user, "role", None)
    if role is None:
        return []
    label = model_label(model)
    return [
        rule
        for rule in role.rules
        if action in rule["actions"] and any(fnmatchcase(label, p) for p in rule["models"])
    ]


def writable_fields(user, model, action: str) -> set[str] | None:
    """The fields ``user`` may set through ``action``; None means all of them.

    A rule may carry ``"fields"``: an enterprise user may correct its business scope but
    not certify itself high-tech or move to another park.
    """
    if user is None or not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    role = getattr(user, "role", None)
    if role is None:
        return set()
    label = model_label(model)
    fields: set[str] = set()
    for rule in role.rules:
        if action in rule["actions"] and any(fnmatchcase(label, p) for p in rule["models"]):
            if "fields" not in rule:
                return None
            fields |= set(rule["fields"])
    return fields


def choice_scope(user, model, action: str, field_name: str) -> set[int] | None:
    """The ids a related field that places the row in a scope (an enterprise's park) may
    point at for ``user``, or None when it may point at any.

    A park officer filing an enterprise is offered their own parks, not every park they
    can read.
    """
    kinds = scope_kinds(user, model, action)
    if ScopeKind.ZONE in kinds:
        return None
    paths = getattr(model, "scope_paths", {})
    targets = [kind for kind in kinds if paths.get(kind) == field_name]
    if not targets:
        return None
    return set().union(*(user.scope_ids(kind) for kind in targets))


def can(user, model, action: str) -> bool:
    """May ``user`` perform ``action`` on at least some rows of ``model``?"""
    return bool(scope_kinds(user, model, action))


def scope_q(user, model, action: str) -> Q | None:
    """The filter that keeps the rows in scope, or None when the user has none.

    A rule may narrow its scope with ``"where"``, field lookups the rows must also match
    (an enterprise user sees its results in official evaluation runs only).
    """
    return _rules_q(user, _rules(user, model, action), getattr(model, "scope_paths", {}))


def _rules_q(user, rules: list[dict], paths: dict[str, str]) -> Q | None:
    """The filter that keeps the rows ``rules`` grant, reached through ``paths``."""
    if any(rule["scope"] == ScopeKind.ZONE and not rule.get("where") for rule in rules):
        return Q()
    q = None
    for rule in sorted(rules, key=lambda r: r["scope"]):
        kind = rule["scope"]
        if kind == ScopeKind.ZONE:
            part = Q(**rule["where"])
        elif (path := paths.get(kind)) is not None:
            part = Q(**{f"{path}__in": user.scope_ids(kind)}, **rule.get("where", {}))
        else:
            continue
        q = part if q is None else q | part
    return q


def restrict(queryset: models.QuerySet, user, action: str = "view") -> models.QuerySet:
    q = scope_q(user, queryset.model, action)
    if q is None:
        return queryset.none()
    return queryset.filter(q) if q else queryset


def parks_in_scope(user, model, action: str = "view") -> set[int] | None | bool:
    """The parks all of whose rows of ``model`` ``user`` may ``action`` and no others: None
    for every park, a set of park ids (empty: none), or False when the scope is not whole
    parks (single enterprises, a rule narrowed by ``where``). For what is kept per park."""
    rules = _rules(user, model, action)
    if any(r["scope"] == ScopeKind.ZONE and not r.get("where") for r in rules):
        return None
    paths = getattr(model, "scope_paths", {})
    # a kind the model has no path for grants nothing (see scope_q)
    kinds = {r["scope"] for r in rules if r["scope"] == ScopeKind.ZONE or r["scope"] in paths}
    if any(rule.get("where") for rule in rules) or kinds - {ScopeKind.PARK}:
        return False
    return set(user.scope_ids(ScopeKind.PARK)) if kinds else set()


def restrict_kept(
    queryset: models.QuerySet, user, source, action: str = "view"
) -> models.QuerySet | None:
    """The rows of ``queryset``, totals kept of ``source``'s rows per park, that add up to
    what ``user`` may see of ``source``: all of them for a zone scope, their parks' for a
    park scope. None when the user's scope is finer than a park (an enterprise user's one
    enterprise, a rule narrowed by "where"): the totals cannot answer, and the caller reads
    ``source`` itself, which is then a small read."""
    parks = parks_in_scope(user, source, action)
    if parks is False:
        return None
    return queryset if parks is None else queryset.filter(park__in=parks)


def restrict_through(
    queryset: models.QuerySet, path: str, user, action: str = "view"
) -> models.QuerySet:
    """The rows of ``queryset`` whose ``path`` (a foreign key) leads to a row ``user`` may
    ``action``: the related model's scope, applied along the join the query already makes
    rather than as a subquery of the whole related table."""
    related = queryset.model._meta.get_field(path).related_model
    q = scope_q(user, related, action)
    if q is None:
        return queryset.none()
    return queryset.filter(_along(q, path)) if q else queryset


def _along(q: Q, path: str) -> Q:
    """``q``, a filter of a related model, as a filter of the rows pointing at it."""
    children: list = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_along(child, path))
        else:
            lookup, value = cast(tuple, child)
            children.append((f"{path}__{lookup}", value))
    return Q(*children, _connector=q.connector, _negated=q.negated)


def _path_value(instance, path: str):
    """Follow ``path`` (``park``, ``enterprise__park``, ``pk``) on an unsaved instance."""
    obj = instance
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    last = parts[-1]
    if last == "pk":
        return obj.pk
    field = obj._meta.get_field(last)
    return getattr(obj, field.attname if field.is_relation else last)


def instance_in_scope(user, instance, action: str) -> bool:
    """Would ``instance``, as it stands in memory, be inside the user's scope for ``action``?

    Used to check a row before anything is written (imports, forms); the database check
    after saving (``restrict`` on the saved row) stays as the final word.
    """
    # A rule narrowed by "where" cannot be judged on an object in memory: it grants nothing
    # here, and the database check after saving decides.
    rules = [r for r in _rules(user, type(instance), action) if not r.get("where")]
    if any(rule["scope"] == ScopeKind.ZONE for rule in rules):
        return True
    paths = getattr(type(instance), "scope_paths", {})
    for kind in {rule["scope"] for rule in rules}:
        path = paths.get(kind)
        if path is not None and _path_value(instance, path) in user.scope_ids(kind):
            return True
    return False


class RoleBackend:
    """Answers Django's ``has_perm`` (used by the Django admin) from the user's role."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from django.contrib.auth.backends import ModelBackend

        return ModelBackend().authenticate(request, username=username, password=password)

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        try:
            return User.objects.select_related("role").get(pk=user_id)
        except User.DoesNotExist:
            return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        from django.apps import apps

        try:
            app_label, codename = perm.split(".", 1)
            action, model_name = codename.split("_", 1)
            model = apps.get_model(app_label, model_name)
        except (ValueError, LookupError):
            return False
        if action not in ACTIONS:
            return False
        if obj is None:
            return can(user_obj, model, action)
        return restrict(model.objects.filter(pk=obj.pk), user_obj, action).exists()

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        from django.apps import apps

        return any(
            can(user_obj, m, a)
            for m in apps.get_app_config(app_label).get_models()
            for a in ACTIONS
        )
