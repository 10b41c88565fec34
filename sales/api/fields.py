"""Serializer fields shared by the sales API's serializers."""

from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id looked up only among the rows the caller may see (a selector decides), so
    an id outside them answers exactly like one that does not exist. `queryset` names the
    model for the schema; without a request nothing matches (fail closed)."""

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        return self.queryset.filter(pk__in=self.scope(user=request.user).values("pk"))
