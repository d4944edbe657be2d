from .navigation import menu_for


def navigation(request):
    return {"nav_menu": menu_for(getattr(request, "user", None))}
