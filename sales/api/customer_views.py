"""customers/ and customers/{id}/timeline/: read-only, scoped by the customer selectors."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sales.api.customer_serializers import CustomerSerializer, TimelineEventSerializer
from sales.filters import CustomerFilter
from sales.models import Customer
from sales.selectors.customer_list import customer_list
from sales.selectors.timeline import customer_timeline
from sales.services.phone_audit import customer_phones_audit


@extend_schema_view(
    list=extend_schema(summary="Customers (客户): owner, status and the protection that applies"),
)
class CustomerViewSet(viewsets.ReadOnlyModelViewSet):
    """The office reads every customer (full phones, audited), a supervisor those of their
    teams' projects, a marketer or partner user its own (a partner's masked); anything else
    answers 404."""

    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    ordering_fields = ["created_at", "name", "status"]

    def get_queryset(self):
        return customer_list(user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        """Serialising stored customers audits the full phones served to the office."""
        serializer = super().get_serializer(*args, **kwargs)
        if args and "data" not in kwargs:
            rows = args[0] if kwargs.get("many") else [args[0]]
            customer_phones_audit(
                actor=self.request.user,
                customer_ids=(row.pk for row in rows if row.phone),
                via="API customer",
            )
        return serializer

    @extend_schema(
        summary="A customer's timeline: every event in order",
        responses=TimelineEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, pk=None):
        """`[{at, kind, …}]` oldest first: registrations and extensions, visits, subscriptions,
        signings and cancellations, payments, mortgages, attribution changes."""
        events = customer_timeline(customer=self.get_object(), user=request.user)
        return Response(TimelineEventSerializer(events, many=True).data)
