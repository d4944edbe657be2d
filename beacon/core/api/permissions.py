from rest_framework.permissions import BasePermission

from .. import permissions

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RolePermission(BasePermission):
    """The request's method must be an action the user's role has on the view's model.

    Row scope is applied by the viewset's queryset, so out-of-scope objects are 404.
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        return permissions.can(request.user, model, METHOD_ACTIONS.get(request.method, "view"))
