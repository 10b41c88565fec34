from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from common.roles import Role, user_role
from sales import services
from sales.api.serializers import ProjectSerializer, StaffSerializer, TeamSerializer
from sales.filters import ProjectFilter, StaffFilter, TeamFilter
from sales.models import Project, Staff, Team
from sales.selectors.org import project_list, staff_list, team_list


@extend_schema_view(list=extend_schema(summary="Projects (楼盘项目)"))
class ProjectViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["name", "code", "city"]

    def get_queryset(self):
        return project_list(user=self.request.user)


@extend_schema_view(list=extend_schema(summary="Teams (渠道小组)"))
class TeamViewSet(viewsets.ModelViewSet):
    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    ordering_fields = ["name", "project"]

    def get_queryset(self):
        return team_list(user=self.request.user)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        if user_role(self.request.user) == Role.SUPERVISOR:
            # Supervisors run their teams; moving a team or its supervision is the manager's.
            for field in ("project", "supervisor"):
                serializer.validated_data.pop(field, None)
        self._save(serializer)

    @transaction.atomic
    def _save(self, serializer):
        team = serializer.save()
        services.team_check(team=team)


@extend_schema_view(list=extend_schema(summary="Staff of the channel department"))
class StaffViewSet(viewsets.ModelViewSet):
    queryset = Staff.objects.all()
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    ordering_fields = ["name", "hired_on", "role"]

    def get_queryset(self):
        return staff_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.staff_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        username, password = data.pop("username", ""), data.pop("password", "")
        with transaction.atomic():
            staff = services.staff_update(
                actor=self.request.user, staff=serializer.instance, **data
            )
            if username:
                services.staff_login_create(staff=staff, username=username, password=password)
        serializer.instance = staff
