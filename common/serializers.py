"""The API's serializer bases: every request body the API reads goes through them.

- Ids are whole numbers the id column can hold (common.ids): `IdRelatedField` for related
  objects (what ModelSerializer builds for foreign keys), `IdField` for a bare id.
- A body naming a field the caller cannot write — read-only, or unknown — is refused with a
  field-level 400 naming it, never silently ignored (a client would think it changed something);
  a read-only field sent back unchanged (PUT of what GET answered) passes.
- Free text has a length limit: a model TextField is at most TEXT_MAX_LENGTH characters in the
  API (the column stays unbounded); every other text field declares its own max_length
  (tests/security/test_odd_input.py walks every body for one).
"""

from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common import api
from common.ids import NOT_AN_ID, OUT_OF_RANGE, id_max, parse_id

# Long free text (contract clauses, notes, reasons): enough for a page of Chinese text.
TEXT_MAX_LENGTH = 2000

READ_ONLY_MESSAGE = _("This field cannot be written here; leave it out.")
UNKNOWN_MESSAGE = _("There is no such field; leave it out.")


def integer_range(model_field: models.Field | None = None) -> dict[str, int]:
    """`min_value`/`max_value` of what an integer column holds on the database in use (the
    model field's, 64 bits for a number stored nowhere): a larger number is a field error, not
    an overflow in the database driver."""
    internal_type = model_field.get_internal_type() if model_field else "BigIntegerField"
    low, high = connection.ops.integer_field_range(internal_type)
    return {"min_value": low, "max_value": high}


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by id: a decimal, a boolean or a number beyond the id column's range
    is a field error, never a lookup (2.9 is not object 2)."""

    default_error_messages = {"incorrect_type": NOT_AN_ID}

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        try:
            data = parse_id(data, model=queryset.model if queryset is not None else None)
        except DjangoValidationError as exc:
            if exc.code == "out_of_range":
                self.fail("does_not_exist", pk_value=data)
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class ScopedIdRelatedField(IdRelatedField):
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


class IdField(serializers.IntegerField):
    """A bare id (a list of statement ids, a target's subject): whole, within the column."""

    default_error_messages = {"invalid": NOT_AN_ID, "out_of_range": OUT_OF_RANGE}

    def __init__(self, *, model: type[models.Model] | None = None, **kwargs):
        self.model = model
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", id_max(model))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return parse_id(data, model=self.model)
        except DjangoValidationError as exc:
            self.fail("out_of_range" if exc.code == "out_of_range" else "invalid")


# Comments, not docstrings, on the bases: drf-spectacular would show a base's docstring as the
# description of every body without its own.


# Refuse a body that names a field the caller cannot write (see the module's docstring).
# Sending back a read-only field of the object unchanged (a PUT of what GET answered) is no
# attempt to change it and passes. A serializer may say why a field is fixed:
# `unwritable_messages = {"status": "…"}`, or override `unwritable_message`.
class StrictFieldsMixin:
    unwritable_messages: Mapping[str, str] = {}

    def unwritable_message(self, name: str) -> str:
        if name in self.unwritable_messages:
            return self.unwritable_messages[name]
        return UNKNOWN_MESSAGE if name not in self.fields else READ_ONLY_MESSAGE

    def _unchanged(self, name: str, sent) -> bool:
        """Whether `sent` is what the object's read-only field `name` reads already."""
        instance = getattr(self, "instance", None)
        if instance is None or getattr(self, "many", False):
            return False
        field = self.fields[name]
        try:
            attribute = field.get_attribute(instance)
            current = None if attribute is None else field.to_representation(attribute)
        except (AttributeError, KeyError, TypeError, ValueError, ObjectDoesNotExist):
            return False
        if current is None or sent is None:
            return current is sent
        if isinstance(sent, str):  # a form's text, or JSON that quotes numbers
            return str(current) == sent
        return type(sent) is type(current) and sent == current  # True is no id 1, 1.0 neither

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            refused = {
                name: [self.unwritable_message(name)]
                for name in data
                if name not in self.fields
                or (self.fields[name].read_only and not self._unchanged(name, data[name]))
            }
            if refused:
                raise serializers.ValidationError(dict(sorted(refused.items())))
        return super().to_internal_value(data)


class Serializer(StrictFieldsMixin, serializers.Serializer):  # a body that is no model's
    pass


# A model's body: ids through IdRelatedField, TextFields limited to TEXT_MAX_LENGTH, decimals
# folded as people type them (common.api.ModelSerializer).
class ModelSerializer(StrictFieldsMixin, api.ModelSerializer):
    serializer_related_field = IdRelatedField

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField) and "choices" not in kwargs:
            kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        return field_class, kwargs
