"""Shared API building blocks."""

from django.db import models
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from common.normalise import number_text


class Pagination(PageNumberPagination):
    """Every list paginates: `?page=N&page_size=M` (at most 500 rows a page)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class WriteSubsetChoiceField(serializers.ChoiceField):
    """A choice field that accepts only some choices but answers every value the model holds
    (a visit is logged pending or confirmed, and read back rejected too): the schema documents
    `choices` for requests and `read_choices` for responses."""

    def __init__(self, *, read_choices, **kwargs):
        self.read_choices = read_choices
        super().__init__(**kwargs)


class DecimalField(serializers.DecimalField):
    """A decimal string as people type it: full-width digits and punctuation, spaces and
    thousands commas are folded first (``"１，２３４．５０"`` is ``1234.50``)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = number_text(data)
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose model decimals (amounts, areas, values) fold what people type."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalField,
    }
