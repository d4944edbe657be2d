"""The main menu: items an app registers, shown to users whose role can view the model."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

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


def menu_for(user) -> list[dict]:
    if user is None or not user.is_authenticated:
        return []
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
