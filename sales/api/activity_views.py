"""API for sales activity: thin adapters from HTTP to the sales services and selectors."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from common.access import Can
from common.api_rows import RowReader
from sales.api import activity_serializers as s
from sales.api.source_serializers import SourceSetSerializer
from sales.filters import (
    MortgageFilter,
    PaymentFilter,
    RegistrationFilter,
    SigningFilter,
    SubscriptionFilter,
    VisitFilter,
)
from sales.models import (
    AttributionOverride,
    Mortgage,
    Payment,
    Registration,
    Signing,
    Subscription,
    Visit,
)
from sales.selectors.activity import (
    attribution_override_list,
    mortgage_list,
    payment_list,
    registration_list,
    signing_list,
    subscription_list,
    visit_list,
)
from sales.selectors.reports import daily_report
from sales.services.customers import registration_create
from sales.services.deals import (
    mortgage_record,
    mortgage_update,
    payment_record,
    signing_cancel,
    signing_record,
    subscription_record,
)
from sales.services.overrides import customer_attribution_override
from sales.services.phone_audit import customer_phones_audit
from sales.services.protection import registration_protection_extend
from sales.services.sources import registration_source_set, visit_source_set
from sales.services.visits import visit_confirm, visit_record, visit_reject, visit_update

# Activity is created through a service and then only moved by its actions (confirm/, reject/,
# cancel/) or an attribution override: no PUT, no DELETE, and PATCH only where a service edits.
CREATE_AND_READ = ["get", "post", "head", "options"]
VISIT_ROWS = RowReader(s.VisitSerializer, extra=["customer_id"])


def _audit_full_phones(*, actor, customer_ids, via: str) -> None:
    """Audit the full phones of the customers a response carries (two queries at most)."""
    customer_phones_audit(actor=actor, customer_ids=customer_ids, via=f"API {via}")


class ActivityViewSet(viewsets.ModelViewSet):
    """Create through a service, read through a scoped selector; no raw updates or deletes."""

    http_method_names = CREATE_AND_READ
    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        """Serialising stored rows (list, detail, actions) audits the full phones served."""
        serializer = super().get_serializer(*args, **kwargs)
        if args and "data" not in kwargs:
            rows = args[0] if kwargs.get("many") else [args[0]]
            _audit_full_phones(
                actor=self.request.user,
                customer_ids=[getattr(row, "customer_id", None) for row in rows],
                via=self.basename,
            )
        return serializer


@extend_schema_view(create=extend_schema(summary="Register a customer (报备)"))
class RegistrationViewSet(ActivityViewSet):
    queryset = Registration.objects.all()
    serializer_class = s.RegistrationSerializer
    filterset_class = RegistrationFilter
    selector = staticmethod(registration_list)
    ordering_fields = ["registered_at", "protected_until"]

    def perform_create(self, serializer):
        serializer.instance = registration_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        summary="Extend a registration's protection once (manager)",
        request=s.RegistrationExtendSerializer,
        responses=s.RegistrationSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[Can("extend_protection")])
    def extend(self, request, pk=None):
        """A channel manager extends one running protection once, by `days`, saying why."""
        body = s.RegistrationExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        extension = registration_protection_extend(
            actor=request.user, registration=self.get_object(), **body.validated_data
        )
        return Response(self.get_serializer(extension.registration).data)

    @extend_schema(
        summary="Correct a registration's source (客户来源) and campaign (sales office)",
        request=SourceSetSerializer,
        responses=s.RegistrationSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[Can("edit_sources")])
    def source(self, request, pk=None):
        body = SourceSetSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        registration = registration_source_set(
            actor=request.user, registration=self.get_object(), **body.validated_data
        )
        return Response(self.get_serializer(registration).data)


@extend_schema_view(
    create=extend_schema(
        summary="Log a visit (来访), or a walk-in (自然到访)",
        description="With neither `marketer` nor `partner` (both null or omitted) the office "
        "logs a walk-in: credited to nobody, it makes the customer the sales office's for the "
        "project's walk-in protection.",
    ),
    partial_update=extend_schema(
        summary="Change a visit's consultant, group size or note",
        request=s.VisitUpdateSerializer,
        responses=s.VisitSerializer,
    ),
)
class VisitViewSet(ActivityViewSet):
    queryset = Visit.objects.all()
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter
    selector = staticmethod(visit_list)
    ordering_fields = ["visited_at"]
    http_method_names = [*CREATE_AND_READ, "patch"]

    def get_queryset(self):
        """The selector's rows without its joins: a visit answers the ids of its project,
        channel and consultant only (the pages, which name them, keep the joins), so a page of
        50 neither joins nor builds 200 related rows."""
        return super().get_queryset().select_related(None)

    def list(self, request, *args, **kwargs):
        """The page read as the serializer's columns (common.api_rows), not as 50 model
        instances through 16 fields each: the same JSON, the same phone audit."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(VISIT_ROWS.values_list(queryset))
        _audit_full_phones(
            actor=request.user,
            customer_ids=VISIT_ROWS.extra_values(page, "customer_id"),
            via=self.basename,
        )
        rows = s.VisitSerializer.mask_phones(VISIT_ROWS.represent(page), request=request)
        return self.get_paginated_response(rows)

    def perform_create(self, serializer):
        serializer.instance = visit_record(actor=self.request.user, **serializer.validated_data)

    def partial_update(self, request, *args, **kwargs):
        """Only the consultant, group size and note, through the service; the status moves by
        confirm/reject and the credit by an attribution override."""
        visit = self.get_object()
        body = s.VisitUpdateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        visit = visit_update(actor=request.user, visit=visit, **body.validated_data)
        return Response(self.get_serializer(visit).data)

    @extend_schema(summary="Confirm a pending visit", request=None, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        visit = visit_confirm(actor=request.user, visit=self.get_object())
        return Response(self.get_serializer(visit).data)

    @extend_schema(
        summary="Reject a visit, with a reason",
        request=s.VisitRejectSerializer,
        responses=s.VisitSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = s.VisitRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = visit_reject(actor=request.user, visit=self.get_object(), **body.validated_data)
        return Response(self.get_serializer(visit).data)

    @extend_schema(
        summary="Correct a visit's source (客户来源) and campaign (sales office)",
        request=SourceSetSerializer,
        responses=s.VisitSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[Can("edit_sources")])
    def source(self, request, pk=None):
        body = SourceSetSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        visit = visit_source_set(actor=request.user, visit=self.get_object(), **body.validated_data)
        return Response(self.get_serializer(visit).data)


class SubscriptionViewSet(ActivityViewSet):
    queryset = Subscription.objects.all()
    serializer_class = s.SubscriptionSerializer
    filterset_class = SubscriptionFilter
    selector = staticmethod(subscription_list)
    ordering_fields = ["subscribed_on", "amount"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        customer = data.pop("customer")
        serializer.instance = subscription_record(
            actor=self.request.user,
            customer_name=customer["name"],
            customer_phone=customer["phone"],
            **data,
        )


class SigningViewSet(ActivityViewSet):
    queryset = Signing.objects.all()
    serializer_class = s.SigningSerializer
    filterset_class = SigningFilter
    selector = staticmethod(signing_list)
    ordering_fields = ["signed_on", "amount"]

    def perform_create(self, serializer):
        serializer.instance = signing_record(actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        summary="Cancel a signing (退房) on a date",
        request=s.SigningCancelSerializer,
        responses=s.SigningSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        body = s.SigningCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        signing = signing_cancel(
            actor=request.user, signing=self.get_object(), **body.validated_data
        )
        return Response(self.get_serializer(signing).data)


class PaymentViewSet(ActivityViewSet):
    queryset = Payment.objects.all()
    serializer_class = s.PaymentSerializer
    filterset_class = PaymentFilter
    selector = staticmethod(payment_list)
    ordering_fields = ["paid_on", "amount"]

    def perform_create(self, serializer):
        serializer.instance = payment_record(actor=self.request.user, **serializer.validated_data)


class MortgageViewSet(ActivityViewSet):
    queryset = Mortgage.objects.all()
    serializer_class = s.MortgageSerializer
    filterset_class = MortgageFilter
    selector = staticmethod(mortgage_list)
    ordering_fields = ["applied_on", "disbursed_on"]
    http_method_names = [*CREATE_AND_READ, "patch"]

    def perform_create(self, serializer):
        serializer.instance = mortgage_record(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("signing", None)
        serializer.instance = mortgage_update(
            actor=self.request.user, mortgage=serializer.instance, **data
        )


class AttributionOverrideViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A manager re-attributes a customer; every change is kept with who, when and why."""

    queryset = AttributionOverride.objects.all()
    serializer_class = s.AttributionOverrideSerializer
    permission_classes = [Can("override_attribution")]
    filterset_fields = ["customer"]

    def get_queryset(self):
        return attribution_override_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = customer_attribution_override(
            actor=self.request.user, **serializer.validated_data
        )


class DailyReportView(APIView):
    """日报: one project's visits, 认购, 签约, 回款 and 按揭 for one day. A supervisor reads only
    the projects of the teams they run; another project answers like an unknown one."""

    permission_classes = [Can("read_daily_report")]

    @extend_schema(
        parameters=[
            OpenApiParameter("project", int, required=True),
            OpenApiParameter("date", OpenApiTypes.DATE, required=True, description="YYYY-MM-DD"),
        ],
        responses=s.DailyReportSerializer,
    )
    def get(self, request):
        query = s.DailyReportQuerySerializer(
            data=request.query_params, context={"request": request}
        )
        query.is_valid(raise_exception=True)
        report = daily_report(
            project=query.validated_data["project"], on=query.validated_data["date"]
        )
        return Response(s.DailyReportSerializer(report).data)
