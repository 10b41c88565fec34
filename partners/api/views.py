from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from common.permissions import ScopedRoleModelPermissions
from partners import selectors, services
from partners.api.serializers import (
    ApplicationApproveSerializer,
    ApplicationRejectSerializer,
    ApplicationScreenSerializer,
    ContractPdfSerializer,
    ContractRenewSerializer,
    ContractTerminateSerializer,
    PartnerApplicationSerializer,
    PartnerContractSerializer,
    PartnerInviteSerializer,
    PartnerSerializer,
    TrainingAttendanceRecordSerializer,
    TrainingAttendanceSerializer,
    TrainingInviteSerializer,
    TrainingSessionSerializer,
)
from partners.filters import (
    PartnerApplicationFilter,
    PartnerContractFilter,
    PartnerFilter,
    TrainingSessionFilter,
)
from partners.models import Partner, PartnerApplication, PartnerContract, TrainingSession
from partners.presentation import signed_pdf_response


@extend_schema_view(list=extend_schema(summary="Partners (渠道合作伙伴)"))
class PartnerViewSet(viewsets.ModelViewSet):
    """Managers and supervisors see every partner; other staff the active ones (read-only);
    a partner user only its own organisation."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    permission_classes = [ScopedRoleModelPermissions]
    action_permissions = {"invite": ("partners.change_partner",)}
    ordering_fields = ["name", "kind", "status", "credit_rating", "tier", "created_at"]

    def get_queryset(self):
        return selectors.partner_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.partner_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.partner_update(
            actor=self.request.user, partner=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.partner_delete(actor=self.request.user, partner=instance)

    @extend_schema(
        summary="Send the partner a one-time link to set a portal login",
        request=PartnerInviteSerializer,
        responses={201: PartnerInviteSerializer},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        partner = self.get_object()
        serializer = PartnerInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invite, _token = services.partner_invite_create(
            actor=request.user, partner=partner, email=serializer.validated_data["email"]
        )
        return Response(PartnerInviteSerializer(invite).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Partner applications (渠道招募)"))
class PartnerApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications arrive through the public form; recruiters screen, approve or reject."""

    queryset = PartnerApplication.objects.all()
    serializer_class = PartnerApplicationSerializer
    filterset_class = PartnerApplicationFilter
    permission_classes = [ScopedRoleModelPermissions]
    decide = ("partners.change_partnerapplication",)
    action_permissions = {"screen": decide, "approve": decide, "reject": decide}
    ordering_fields = ["created_at", "weighted_score", "company_name", "status"]

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    def _answer(self, application):
        application = selectors.application_list(user=self.request.user).get(pk=application.pk)
        return Response(self.get_serializer(application).data)

    @extend_schema(
        summary="Score the three criteria (1–5); pass or fail on the manager's weights",
        request=ApplicationScreenSerializer,
        responses=PartnerApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        serializer = ApplicationScreenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_screen(
            actor=request.user, application=self.get_object(), **serializer.validated_data
        )
        return self._answer(application)

    @extend_schema(
        summary="Approve: create the partner and e-mail its portal invitation",
        request=ApplicationApproveSerializer,
        responses=PartnerApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        serializer = ApplicationApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_approve(
            actor=request.user, application=self.get_object(), **serializer.validated_data
        )
        return self._answer(application)

    @extend_schema(
        summary="Reject with a reason (e-mailed to the applicant)",
        request=ApplicationRejectSerializer,
        responses=PartnerApplicationSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = ApplicationRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_reject(
            actor=request.user, application=self.get_object(), **serializer.validated_data
        )
        return self._answer(application)


@extend_schema_view(list=extend_schema(summary="Partner contracts (渠道销售合同)"))
class PartnerContractViewSet(viewsets.ModelViewSet):
    """Managers and supervisors draft and run contracts; a partner user reads its own."""

    queryset = PartnerContract.objects.all()
    serializer_class = PartnerContractSerializer
    filterset_class = PartnerContractFilter
    permission_classes = [ScopedRoleModelPermissions]
    change = ("partners.change_partnercontract",)
    action_permissions = {
        "activate": change,
        "terminate": change,
        "renew": ("partners.add_partnercontract",),
        "pdf": ("partners.view_partnercontract",),
        "pdf_upload": change,
    }
    ordering_fields = ["start_on", "end_on", "status", "code"]

    def get_queryset(self):
        return selectors.contract_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.contract_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.contract_update(
            actor=self.request.user, contract=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.contract_delete(actor=self.request.user, contract=instance)

    def _answer(self, contract, code=status.HTTP_200_OK):
        contract = selectors.contract_list(user=self.request.user).get(pk=contract.pk)
        return Response(self.get_serializer(contract).data, status=code)

    @extend_schema(
        summary="Put a draft into force", request=None, responses=PartnerContractSerializer
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        return self._answer(
            services.contract_activate(actor=request.user, contract=self.get_object())
        )

    @extend_schema(
        summary="End an active contract early",
        request=ContractTerminateSerializer,
        responses=PartnerContractSerializer,
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        serializer = ContractTerminateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = services.contract_terminate(
            actor=request.user, contract=self.get_object(), **serializer.validated_data
        )
        return self._answer(contract)

    @extend_schema(
        summary="Draft the next contract with the same clauses",
        request=ContractRenewSerializer,
        responses={201: PartnerContractSerializer},
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        serializer = ContractRenewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        renewal = services.contract_renew(
            actor=request.user, contract=self.get_object(), **serializer.validated_data
        )
        return self._answer(renewal, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download the signed PDF",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such contract, or no PDF attached."),
        },
    )
    # The route's parsers serve its PUT (the upload); the GET reads no body.
    @action(detail=True, methods=["get"], parser_classes=[MultiPartParser])
    def pdf(self, request, pk=None):
        return signed_pdf_response(self.get_object())

    @extend_schema(
        summary="Attach the signed PDF (a multipart upload)",
        request={"multipart/form-data": ContractPdfSerializer},
        responses=PartnerContractSerializer,
    )
    @pdf.mapping.put
    def pdf_upload(self, request, pk=None):
        contract = self.get_object()
        serializer = ContractPdfSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = services.contract_update(
            actor=request.user,
            contract=contract,
            signed_pdf=serializer.validated_data["signed_pdf"],
        )
        return self._answer(contract)


@extend_schema_view(list=extend_schema(summary="Partner training sessions (渠道培训)"))
class TrainingSessionViewSet(viewsets.ModelViewSet):
    """Managers and supervisors plan sessions and record attendance; a partner user sees only
    the sessions it is invited to, and only its own attendance row."""

    queryset = TrainingSession.objects.all()
    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilter
    permission_classes = [ScopedRoleModelPermissions]
    change = ("partners.change_trainingsession",)
    action_permissions = {"invite": change, "attendance": change}
    ordering_fields = ["held_on", "topic"]

    def get_queryset(self):
        return selectors.training_session_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.training_session_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        partners = data.pop("partners", None)
        session = services.training_session_update(
            actor=self.request.user, session=serializer.instance, **data
        )
        if partners:
            services.training_invite(actor=self.request.user, session=session, partners=partners)
        serializer.instance = session

    def _answer(self, session, code=status.HTTP_200_OK):
        session = selectors.training_session_list(user=self.request.user).get(pk=session.pk)
        return Response(self.get_serializer(session).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self._answer(serializer.instance, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self._answer(serializer.instance)

    @extend_schema(
        summary="Invite more partners",
        request=TrainingInviteSerializer,
        responses=TrainingSessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        session = self.get_object()
        serializer = TrainingInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.training_invite(actor=request.user, session=session, **serializer.validated_data)
        return self._answer(session)

    @extend_schema(
        summary="Record an invited partner's attendance and score (0–100)",
        request=TrainingAttendanceRecordSerializer,
        responses=TrainingAttendanceSerializer,
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        session = self.get_object()
        serializer = TrainingAttendanceRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendance = services.training_attendance_record(
            actor=request.user, session=session, **serializer.validated_data
        )
        return Response(TrainingAttendanceSerializer(attendance).data)
