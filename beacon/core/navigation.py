"""The main menu: items an app registers, shown to users whose role can view the model."""

import json
from dataclasses import dataclass

from django.apps import apps
from django.urls import get_script_prefix, reverse

from . import permissions


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    model: str  # app_label.model_name


@dataclass(frozen=True)
class MenuGroup:
    label: str
    items: tuple[MenuItem, ...]


MENU: list[MenuGroup] = []


def register_group(group: MenuGroup) -> None:
    MENU.append(group)


# menus drawn, by what they depend on; a few roles give a few menus
_menus: dict[tuple, list[dict]] = {}
MENUS_KEPT = 256


def menu_for(user) -> list[dict]:
    """The menu of every page, drawn once for each role's rules: on each request it took
    some thirty permission checks and as many reversed addresses."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    role = getattr(user, "role", None)
    rules = None if user.is_superuser or role is None else role.rules
    key = (user.is_superuser, json.dumps(rules, sort_keys=True), get_script_prefix())
    menu = _menus.get(key)
    if menu is None:
        if len(_menus) >= MENUS_KEPT:
            _menus.clear()
        menu = _menus[key] = _draw_menu(user)
    return menu


def _draw_menu(user) -> list[dict]:
    out = []
    for group in MENU:
        items = [
            {"label": item.label, "url": reverse(item.url_name)}
            for item in group.items
            if permissions.can(user, apps.get_model(item.model), "view")
        ]
        if items:
            out.append({"label": group.label, "items": items})
    return out
