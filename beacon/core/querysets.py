from django.db import models


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Only the rows ``user`` may perform ``action`` on (see ``beacon.core.permissions``)."""
        from .permissions import restrict

        return restrict(self, user, action)
