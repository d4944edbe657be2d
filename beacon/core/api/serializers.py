from rest_framework import serializers

from .. import permissions


class ScopedModelSerializer(serializers.ModelSerializer):
    """Related objects can only be chosen among those the user may see."""

    url = serializers.SerializerMethodField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return
        for field in self.fields.values():
            related = getattr(field, "child_relation", field)
            if isinstance(related, serializers.RelatedField) and related.queryset is not None:
                related.queryset = permissions.restrict(related.queryset, user, "view")

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url
