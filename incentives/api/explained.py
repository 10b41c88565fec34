"""Statement lists whose lines are explained with the names of the whole page loaded once."""

from rest_framework.response import Response

from incentives.explanations import names_for


class ExplainedStatementsMixin:
    """``list`` for statement viewsets: the names the page's lines mention (signings, teams,
    staff, users) are loaded in one query per model, whatever the page size."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        statements = list(page if page is not None else queryset)
        names = names_for(line for statement in statements for line in statement.lines.all())
        context = self.get_serializer_context() | {"names": names}
        data = self.get_serializer_class()(statements, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)
