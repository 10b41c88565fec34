"""A list's page read as columns, not model instances (issue 18: a page of 50 visits spent
more time building rows and walking serializer fields than in its SQL).

`RowReader(SerializerClass)` reads, once per process, which column each field of the
serializer answers and how the field writes it; `values_list(queryset)` selects exactly those
columns (and any `extra` ones, e.g. the customer ids the phone audit needs) and `represent`
turns a page of those tuples into the dicts the serializer's `to_representation` would answer:
the same keys in the same order, each value through the field's own `to_representation`. Only
serializers of plain model columns and foreign-key ids qualify; any other field (a method, a
dotted source, a nested serializer) is refused when the reader is built, not served wrongly.
"""

from functools import cached_property

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from rest_framework import relations, serializers


def _related(field):
    """`to_representation` of a related field that answers the id only."""

    def represent(value):
        return field.to_representation(relations.PKOnlyObject(pk=value))

    return represent


class RowReader:
    def __init__(self, serializer_class: type[serializers.ModelSerializer], *, extra=()):
        self.serializer_class = serializer_class
        self.extra = tuple(extra)

    @cached_property
    def _fields(self) -> list[tuple[str, str, object]]:
        """(key, column, represent) per readable field, in the serializer's order. Built from
        a serializer without a request: what a field answers does not depend on it (the
        request only makes fields read-only, or masks phones afterwards)."""
        model = self.serializer_class.Meta.model
        read = []
        for field in self.serializer_class().fields.values():
            if field.write_only:
                continue
            attrs = field.source_attrs
            try:
                model_field = model._meta.get_field(attrs[0]) if len(attrs) == 1 else None
            except FieldDoesNotExist:
                model_field = None
            if model_field is None or not model_field.concrete:
                raise ImproperlyConfigured(f"{field.field_name} is no column of {model.__name__}")
            if isinstance(field, relations.PrimaryKeyRelatedField):
                if not model_field.many_to_one:
                    raise ImproperlyConfigured(f"{field.field_name} is no foreign key")
                represent = _related(field)
            elif isinstance(field, relations.RelatedField | serializers.BaseSerializer):
                raise ImproperlyConfigured(f"{field.field_name} needs its related row")
            elif model_field.is_relation:
                raise ImproperlyConfigured(f"{field.field_name} answers a related row")
            else:
                represent = field.to_representation
            read.append((field.field_name, model_field.attname, represent))
        return read

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for _key, column, _represent in self._fields) + self.extra

    def values_list(self, queryset):
        return queryset.values_list(*self.columns)

    def represent(self, rows) -> list[dict]:
        """The serializer's dicts of `rows` (tuples of `columns`, `extra` ones last and left
        out). A None answers None without its field, as Serializer.to_representation does."""
        fields = [(key, represent) for key, _column, represent in self._fields]
        return [
            {
                key: None if value is None else represent(value)
                for (key, represent), value in zip(fields, row, strict=False)
            }
            for row in rows
        ]

    def extra_values(self, rows, name: str) -> list:
        """One of the `extra` columns of `rows`."""
        index = len(self._fields) + self.extra.index(name)
        return [row[index] for row in rows]
